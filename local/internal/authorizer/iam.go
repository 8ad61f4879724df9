package authorizer

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/local/internal/iamauth"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// authorizeIAM is AWS_IAM authorization: the SigV4 signature, recomputed with the secret the
// runner issued for the access key, then the principal's identity-based policy evaluated for
// execute-api:Invoke on the request's ARN.
//
// Unlike the @connections API, where a developer's own credentials are let through unchecked,
// a route or method is never opened to a key the runner did not issue: it cannot check the
// signature, so it answers as AWS answers an unknown key.
func (s *Set) authorizeIAM(r *Request) Decision {
	if r.HTTP == nil {
		return Decision{Refusal: configError(r.Protocol, "the server passed no HTTP request to verify the signature of")}
	}
	var principal *Principal
	lookup := func(accessKeyID string) (string, string, bool) {
		if s.opts.Principals == nil {
			return "", "", false
		}
		p, ok := s.opts.Principals(accessKeyID)
		if !ok || p == nil {
			return "", "", false
		}
		principal = p
		return p.Secret, p.SessionToken, true
	}
	caller, err := iamauth.Verify(r.HTTP, r.Body, s.now(), lookup)
	if err != nil {
		var ie *iamauth.Error
		if errors.As(err, &ie) {
			rf := fromIAM(ie, "")
			if r.Protocol == model.ProtocolHTTP && ie.Code == iamauth.CodeMissingAuthenticationToken && ie.Message() == iamauth.MsgMissingAuthenticationToken {
				// HTTP APIs have no "Missing Authentication Token" answer (that is REST's
				// gateway response): an unsigned request to an AWS_IAM route is Forbidden.
				rf.Message, rf.Body, rf.ErrorType = "Forbidden", jsonMessage("message", "Forbidden"), ""
			}
			return Decision{Refusal: rf}
		}
		return Decision{Refusal: configError(r.Protocol, "verifying the signature: "+err.Error())}
	}
	if !caller.Known || principal == nil {
		return Decision{Refusal: &Refusal{
			Status: http.StatusForbidden, ResponseType: TypeInvalidSignature, Message: iamauth.MsgInvalidToken,
			ErrorType: iamauth.CodeUnrecognizedClient, Body: jsonMessage("message", iamauth.MsgInvalidToken),
			Reason: fmt.Sprintf("access key %s was not issued by the runner (get one with `gatehouse credentials ROLE` or Runner.Credentials)", caller.AccessKeyID),
		}}
	}
	arn := s.methodARN(r)
	if d := iamauth.Evaluate(principal.Statements, iamauth.ActionInvoke, arn); d != iamauth.Allow {
		denied := iamauth.AccessDenied(principal.ARN, iamauth.ActionInvoke, arn, d)
		return Decision{Refusal: fromIAM(denied, fmt.Sprintf("the policies of %s do not allow execute-api:Invoke on %s (%s)", principal.ARN, arn, d))}
	}
	return Decision{IAM: &IAMIdentity{
		AccessKey: principal.AccessKeyID,
		AccountID: principal.AccountID,
		CallerID:  principal.UserID,
		UserARN:   principal.ARN,
		UserID:    principal.UserID,
	}}
}
