package authorizer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/iamauth"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// maxAuthorizerWait bounds one authorizer invocation beyond the function's own timeout, which
// the Lambda host enforces: API Gateway gives up on an authorizer when the request's 29-30 s
// run out, whatever the function's timeout says.
const maxAuthorizerWait = 30 * time.Second

// unauthorizedError is the function error message that API Gateway turns into a 401 rather
// than a 500: the guide's example authorizers end with callback("Unauthorized") or
// raise Exception('Unauthorized') for "Return a 401 Unauthorized response".
const unauthorizedError = "Unauthorized"

// authorizeLambda runs a TOKEN or REQUEST authorizer: identity sources first (a missing one
// is a 401 without invoking), then the cache, then the function, then the policy.
func (s *Set) authorizeLambda(ctx context.Context, c *compiled, r *Request) Decision {
	a := c.a
	values, refusal := s.lambdaIdentity(c, r)
	if refusal != nil {
		return Decision{Refusal: refusal}
	}

	caching := a.ResultTTL > 0 && len(c.sources) > 0
	key := ""
	now := s.now()
	if caching {
		key = cacheKey(a.LogicalID, values)
		if ans, ok := s.cache.get(key, now); ok {
			d := s.decide(c, r, ans)
			d.Cached = true
			return d
		}
	}

	payload, err := s.buildEvent(c, r, values)
	if err != nil {
		return Decision{Refusal: configError(r.Protocol, "building the authorizer's event: "+err.Error())}
	}
	if s.opts.Invoker == nil {
		return Decision{Refusal: configError(r.Protocol, "no Lambda invoker is configured to run function "+a.Function)}
	}
	ictx, cancel := context.WithTimeout(ctx, maxAuthorizerWait)
	defer cancel()
	start := time.Now()
	res, err := s.opts.Invoker.Invoke(ictx, a.Function, payload)
	latency := time.Since(start)
	if err != nil {
		why := fmt.Sprintf("invoking function %s: %v", a.Function, err)
		if errors.Is(err, context.DeadlineExceeded) {
			why = fmt.Sprintf("function %s did not answer within %s", a.Function, maxAuthorizerWait)
		}
		return Decision{Refusal: configError(r.Protocol, why)}
	}
	if fe := res.FunctionError; fe != nil {
		if fe.Message == unauthorizedError && !fe.Timeout {
			return Decision{Refusal: unauthorized(r.Protocol, fmt.Sprintf("function %s answered %q", a.Function, unauthorizedError))}
		}
		why := fmt.Sprintf("function %s failed (%s: %s); only the error message %q turns into 401", a.Function, fe.Type, fe.Message, unauthorizedError)
		if fe.Timeout {
			why = fmt.Sprintf("function %s timed out (%s)", a.Function, fe.Message)
		}
		return Decision{Refusal: configError(r.Protocol, why)}
	}
	ans, err := parseAnswer(res.Payload, responseRules{
		simple:           r.Protocol == model.ProtocolHTTP && a.EnableSimpleResponses && a.PayloadFormatVersion != "1.0",
		primitiveContext: r.Protocol != model.ProtocolHTTP,
	})
	if err != nil {
		return Decision{Refusal: configError(r.Protocol, fmt.Sprintf("function %s returned a malformed response: %v", a.Function, err))}
	}
	if caching {
		s.cache.put(key, ans, now, a.ResultTTL)
	}
	d := s.decide(c, r, ans)
	d.Latency = latency
	return d
}

// lambdaIdentity reads the identity sources, refusing with 401 where API Gateway would
// without invoking the function.
func (s *Set) lambdaIdentity(c *compiled, r *Request) ([]string, *Refusal) {
	a := c.a
	if a.Type == model.AuthorizerToken {
		token := c.sources[0].value(r)
		if token == "" {
			return nil, unauthorized(r.Protocol, "the request has no token in "+c.sources[0].raw)
		}
		if c.validation != nil && !c.validation.MatchString(token) {
			return nil, unauthorized(r.Protocol, fmt.Sprintf("the token does not match the identity validation expression %q", a.IdentityValidationExpression))
		}
		return []string{token}, nil
	}
	// A REST REQUEST authorizer checks its identity sources only when caching is on (the
	// guide: "When caching is turned off, it is not necessary to specify an identity source.
	// API Gateway directly passes the request to the authorizer Lambda function"); HTTP and
	// WebSocket APIs always do ("If you specify identity sources, clients must include them").
	if r.Protocol == model.ProtocolREST && a.ResultTTL <= 0 {
		values := make([]string, len(c.sources))
		for i, is := range c.sources {
			values[i] = is.value(r)
		}
		return values, nil
	}
	values, missing := identityValues(c.sources, r)
	if missing != "" {
		return nil, unauthorized(r.Protocol, "the request has no value for identity source "+missing)
	}
	return values, nil
}

// decide turns an authorizer's answer into a decision for this request: a simple response
// stands for itself; a policy is evaluated for execute-api:Invoke on the request's own ARN,
// which matters when the answer came from the cache for another method.
func (s *Set) decide(c *compiled, r *Request, ans *answer) Decision {
	d := Decision{PrincipalID: ans.principalID, Context: ans.context, UsageIdentifierKey: ans.usageIdentifierKey}
	if ans.simple {
		if !ans.authorized {
			d.Refusal = forbidden(r.Protocol, false, fmt.Sprintf("function %s answered isAuthorized: false", c.a.Function))
		}
		return d
	}
	arn := s.methodARN(r)
	switch iamauth.Evaluate(ans.statements, iamauth.ActionInvoke, arn) {
	case iamauth.Allow:
	case iamauth.ExplicitDeny:
		d.Refusal = forbidden(r.Protocol, true, fmt.Sprintf("the policy of function %s denies execute-api:Invoke on %s", c.a.Function, arn))
	default:
		d.Refusal = forbidden(r.Protocol, false, fmt.Sprintf("the policy of function %s does not allow execute-api:Invoke on %s", c.a.Function, arn))
	}
	return d
}
