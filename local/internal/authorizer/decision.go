package authorizer

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// What the integration sees of a decision, where each event kind puts it. The servers copy
// these into their events; nil means the event has no authorizer object.

// HTTPV2 is requestContext.authorizer of an HTTP API's payload 2.0 event, shaped as
// events.APIGatewayV2HTTPRequestContextAuthorizerDescription: {"jwt":{"claims","scopes"}},
// {"lambda":{...context}} or {"iam":{...}} (compare apigw-v2-request-jwt-authorizer.json,
// -lambda-authorizer.json and -iam.json). Claims are strings there, as API Gateway sends them.
func (d Decision) HTTPV2() any {
	switch {
	case d.Refusal != nil:
		return nil
	case d.AuthorizationType == model.AuthorizationJWT:
		return map[string]any{"jwt": map[string]any{"claims": stringClaims(d.Claims), "scopes": nilIfEmpty(d.Scopes)}}
	case d.AuthorizationType == model.AuthorizationCustom:
		ctx := d.Context
		if ctx == nil {
			ctx = map[string]any{}
		}
		return map[string]any{"lambda": ctx}
	case d.IAM != nil:
		return map[string]any{"iam": map[string]any{
			"accessKey":       d.IAM.AccessKey,
			"accountId":       d.IAM.AccountID,
			"callerId":        d.IAM.CallerID,
			"cognitoIdentity": nil,
			"principalOrgId":  nilIfBlank(d.IAM.PrincipalOrgID),
			"userArn":         d.IAM.UserARN,
			"userId":          d.IAM.UserID,
		}}
	}
	return nil
}

// HTTPV1 is requestContext.authorizer of an HTTP API's payload 1.0 event: a JWT's
// {"claims","scopes"}, or a Lambda authorizer's context keys with principalId and
// integrationLatency. IAM callers appear in requestContext.identity instead (see Identity).
func (d Decision) HTTPV1() map[string]any {
	switch {
	case d.Refusal != nil:
		return nil
	case d.AuthorizationType == model.AuthorizationJWT:
		return map[string]any{"claims": stringClaims(d.Claims), "scopes": nilIfEmpty(d.Scopes)}
	case d.AuthorizationType == model.AuthorizationCustom:
		m := make(map[string]any, len(d.Context)+2)
		for k, v := range d.Context {
			m[k] = v
		}
		m["principalId"] = d.PrincipalID
		m["integrationLatency"] = d.Latency.Milliseconds()
		return m
	}
	return nil
}

// REST is requestContext.authorizer of a REST API's Lambda proxy event, and of every event of
// a WebSocket connection whose $connect a Lambda authorizer allowed: the context's values
// stringified (the guide: "The returned values are all stringified") with principalId and
// integrationLatency; for Cognito, {"claims":{...}} with string values.
func (d Decision) REST() map[string]any {
	switch {
	case d.Refusal != nil:
		return nil
	case d.AuthorizationType == model.AuthorizationCognito:
		return map[string]any{"claims": restClaims(d.Claims)}
	case d.AuthorizationType == model.AuthorizationCustom:
		m := make(map[string]any, len(d.Context)+2)
		for k, v := range d.Context {
			m[k] = Stringify(v)
		}
		m["principalId"] = d.PrincipalID
		m["integrationLatency"] = d.Latency.Milliseconds()
		return m
	}
	return nil
}

// Identity is the IAM caller for requestContext.identity (payload 1.0, REST, WebSocket) and
// $context.identity.*: nil unless the route used AWS_IAM.
func (d Decision) Identity() *IAMIdentity {
	if d.Refusal != nil {
		return nil
	}
	return d.IAM
}

// ContextVars are the $context variables the decision adds, by name without "$context.":
// authorizer.principalId, authorizer.integrationLatency, authorizer.KEY (a Lambda
// authorizer's context), authorizer.claims.NAME (JWT, Cognito), authorizer.usageIdentifierKey,
// and identity.accessKey, identity.accountId, identity.caller, identity.user,
// identity.userArn (IAM). Values are strings, as parameter mappings and templates read them;
// Cognito claims follow REST's formatting (dates), JWT claims HTTP's.
func (d Decision) ContextVars() map[string]string {
	if d.Refusal != nil {
		return nil
	}
	vars := map[string]string{}
	switch d.AuthorizationType {
	case model.AuthorizationCustom:
		for k, v := range d.Context {
			vars["authorizer."+k] = Stringify(v)
		}
		vars["authorizer.principalId"] = d.PrincipalID
		vars["authorizer.integrationLatency"] = strconv.FormatInt(d.Latency.Milliseconds(), 10)
		if d.UsageIdentifierKey != "" {
			vars["authorizer.usageIdentifierKey"] = d.UsageIdentifierKey
		}
	case model.AuthorizationJWT:
		for k, v := range stringClaims(d.Claims) {
			vars["authorizer.claims."+k] = v
		}
	case model.AuthorizationCognito:
		for k, v := range restClaims(d.Claims) {
			vars["authorizer.claims."+k] = v
		}
	}
	if d.IAM != nil {
		vars["identity.accessKey"] = d.IAM.AccessKey
		vars["identity.accountId"] = d.IAM.AccountID
		vars["identity.caller"] = d.IAM.CallerID
		vars["identity.user"] = d.IAM.UserID
		vars["identity.userArn"] = d.IAM.UserARN
	}
	return vars
}

// ContextVar answers one $context variable (name without "$context.") from ContextVars.
func (d Decision) ContextVar(name string) (string, bool) {
	if d.Refusal != nil || !(strings.HasPrefix(name, "authorizer.") || strings.HasPrefix(name, "identity.")) {
		return "", false
	}
	v, ok := d.ContextVars()[name]
	return v, ok
}

// Stringify renders a context or claim value as API Gateway stringifies it: strings as they
// are, numbers as written, booleans as true/false, null as "", and (HTTP APIs, which accept
// them) arrays and objects as JSON.
func Stringify(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return formatFloat(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func formatFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// stringClaims is an HTTP API's claims map: every value a string, a list written as
// "[a b]" (as API Gateway passes cognito:groups: "[admin users]").
func stringClaims(claims map[string]any) map[string]string {
	out := make(map[string]string, len(claims))
	for k, v := range claims {
		out[k] = claimString(v)
	}
	return out
}

func claimString(v any) string {
	if list, ok := v.([]any); ok {
		parts := make([]string, len(list))
		for i, e := range list {
			parts[i] = claimString(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return Stringify(v)
}

// restTimeClaims are the claims a REST API's Cognito authorizer passes as dates rather than
// epoch seconds, in Java's Date.toString form ("Thu Feb 03 21:19:33 UTC 2022").
var restTimeClaims = map[string]bool{"exp": true, "iat": true, "auth_time": true}

const javaDateLayout = "Mon Jan 02 15:04:05 MST 2006"

// restClaims is a REST API's Cognito claims map, as requestContext.authorizer.claims and
// $context.authorizer.claims.* give it.
func restClaims(claims map[string]any) map[string]string {
	out := make(map[string]string, len(claims))
	for k, v := range claims {
		if restTimeClaims[k] {
			if secs, ok := epochSeconds(v); ok {
				out[k] = time.Unix(secs, 0).UTC().Format(javaDateLayout)
				continue
			}
		}
		out[k] = claimString(v)
	}
	return out
}

func epochSeconds(v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		return int64(x), true
	case json.Number:
		n, err := x.Int64()
		return n, err == nil
	case int64:
		return x, true
	case int:
		return int64(x), true
	}
	return 0, false
}

func nilIfEmpty(s []string) any {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nilIfBlank(s string) any {
	if s == "" {
		return nil
	}
	return s
}
