package tokenauth

import (
	"errors"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// ErrUnauthorized is the error REST and WebSocket authorizers return for a request without a
// valid token: API Gateway answers it with 401 Unauthorized ("Use API Gateway Lambda
// authorizers": callback("Unauthorized")). Any other error is a 500.
var ErrUnauthorized = errors.New("Unauthorized")

// anonymous is the principal of a denial without a verified token: an IAM policy response
// needs one.
const anonymous = "anonymous"

// Context is the authorizer context an allowed (or denied) token gives the integration:
// requestContext.authorizer.user and .scope (REST, WebSocket, HTTP payload 1.0),
// requestContext.authorizer.lambda.user (HTTP payload 2.0), $context.authorizer.user.
func Context(c *Claims) map[string]any {
	if c == nil {
		return nil
	}
	return map[string]any{"user": c.Subject, "scope": c.Scope}
}

// Policy is an IAM policy response: effect "Allow" or "Deny" on execute-api:Invoke.
func Policy(principal, effect, resource string, context map[string]any) events.APIGatewayCustomAuthorizerResponse {
	return events.APIGatewayCustomAuthorizerResponse{
		PrincipalID: principal,
		PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{
			Version: "2012-10-17",
			Statement: []events.IAMPolicyStatement{{
				Action:   []string{"execute-api:Invoke"},
				Effect:   effect,
				Resource: []string{resource},
			}},
		},
		Context: context,
	}
}

// StageResource is the ARN of every method (or route) of the stage an ARN belongs to:
// "arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request" ->
// ".../abcdef123/test/*". API Gateway caches an answer per identity, not per method, so a
// policy naming only the method asked about would deny the caller's next method from the
// cache ("your authorizer must return a policy that is applicable to all methods").
func StageResource(arn string) string {
	parts := strings.SplitN(arn, "/", 3)
	if len(parts) < 2 {
		return arn
	}
	return parts[0] + "/" + parts[1] + "/*"
}

// policyFor turns a decision into an IAM policy response for arn. Without a valid token REST
// and WebSocket authorizers return ErrUnauthorized (401); HTTP API authorizers cannot, so
// unauthenticated says to deny instead.
func policyFor(d Decision, arn string, denyUnauthenticated bool) (events.APIGatewayCustomAuthorizerResponse, error) {
	switch {
	case d.Claims == nil && !denyUnauthenticated:
		return events.APIGatewayCustomAuthorizerResponse{}, ErrUnauthorized
	case d.Claims == nil:
		return Policy(anonymous, "Deny", StageResource(arn), nil), nil
	case !d.Allow:
		return Policy(d.Claims.Subject, "Deny", StageResource(arn), Context(d.Claims)), nil
	}
	return Policy(d.Claims.Subject, "Allow", StageResource(arn), Context(d.Claims)), nil
}

// bearer strips an optional "Bearer " scheme from a header value, as API Gateway's JWT
// authorizers accept both forms.
func bearer(v string) string {
	v = strings.TrimSpace(v)
	if len(v) > 7 && strings.EqualFold(v[:7], "bearer ") {
		return strings.TrimSpace(v[7:])
	}
	return v
}

// tokenFrom finds the token of a REQUEST event: the header (any case), else the query string
// parameter.
func (c Config) tokenFrom(headers, query map[string]string) string {
	name := c.Header
	if name == "" {
		name = "Authorization"
	}
	for k, v := range headers {
		if strings.EqualFold(k, name) && v != "" {
			return bearer(v)
		}
	}
	q := c.Query
	if q == "" {
		q = "token"
	}
	return query[q]
}
