package local

import (
	"errors"
	"net/http"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/iamauth"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/wsapi"
)

// authorizeManagement checks a @connections request as IAM does in AWS: it must be signed
// (SigV4, service execute-api). A request signed with one of the runner's function keys is
// verified and then checked against that function's execution role in the template, so a
// missing ManageConnections grant fails here as it would after cdk deploy. A request signed with
// any other well-formed credentials (a developer's tests and scripts) is accepted: the runner
// cannot know their policies.
func (r *Runner) authorizeManagement(req *http.Request, body []byte, action, resource string) *wsapi.Refusal {
	caller, err := iamauth.Verify(req, body, time.Now(), r.functionSecret)
	if err != nil {
		var ie *iamauth.Error
		if errors.As(err, &ie) {
			r.log.Info("@connections request refused: "+ie.Error(), "resource", resource)
			return refusal(ie)
		}
		r.log.Error("verifying a @connections request", "err", err)
		return &wsapi.Refusal{Status: http.StatusInternalServerError, Type: "InternalServerErrorException", Body: []byte(`{"message":"Internal server error"}`)}
	}
	if !caller.Known {
		return nil
	}
	f, _ := r.host.Function(caller.AccessKeyID)
	statements, principal := r.roleOf(f)
	if d := iamauth.Evaluate(statements, action, resource); d != iamauth.Allow {
		denied := iamauth.AccessDenied(principal, action, resource, d)
		r.log.Warn("@connections request refused: function "+f.Name+"'s execution role does not allow it (it would fail the same way in AWS)",
			"function", f.Name, "action", action, "resource", resource)
		return refusal(denied)
	}
	return nil
}

// functionSecret is iamauth's SecretLookup over the credentials the runner gave its functions.
func (r *Runner) functionSecret(accessKeyID string) (secret, token string, known bool) {
	f, ok := r.host.Function(accessKeyID)
	if !ok {
		return "", "", false
	}
	_, secret, token, ok = r.host.Credentials(f.Name)
	return secret, token, ok
}

// roleOf finds a function's execution role in the model: its statements, and the principal AWS
// names in denials (the assumed-role ARN of its session).
func (r *Runner) roleOf(f *model.Function) ([]*model.Statement, string) {
	principal := f.Role
	if p, err := iamauth.AssumedRoleARN(f.Role, f.Name); err == nil {
		principal = p
	}
	for _, role := range r.model.Roles {
		if role.ARN == f.Role || (role.Stack == f.Stack && role.LogicalID == f.RoleLogicalID && f.RoleLogicalID != "") {
			return role.Statements, principal
		}
	}
	// An imported role (the model warned): nothing is known to be allowed.
	return nil, principal
}

func refusal(e *iamauth.Error) *wsapi.Refusal {
	return &wsapi.Refusal{Status: e.Status(), Type: e.Code, Body: e.Body()}
}
