package restapi

import (
	"context"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/authorizer"
	"github.com/gatehouse-dev/gatehouse/local/internal/gatewayresp"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/payloadv1"
	"github.com/gatehouse-dev/gatehouse/local/internal/vtl"
)

// Authorizer decides a method's authorization (CUSTOM with a Lambda TOKEN or REQUEST
// authorizer, COGNITO_USER_POOLS, AWS_IAM). *authorizer.Set is one; tests use fakes.
type Authorizer interface {
	AuthorizeMethod(ctx context.Context, m *model.Method, r *authorizer.Request) authorizer.Decision
}

// grant is what a method's authorizer decided, as the integration sees it.
type grant struct {
	// event is the Lambda proxy event's requestContext.authorizer: a Lambda authorizer's
	// principalId, integrationLatency and context keys (values stringified), or a Cognito
	// authorizer's {"claims": {...}}; nil for AWS_IAM.
	event map[string]any
	// iam is the caller of an AWS_IAM method; nil otherwise.
	iam *authorizer.IAMIdentity
	// vars are the $context variables the decision adds, by dotted name without "context."
	// ("authorizer.principalId", "authorizer.claims.sub", "identity.userArn").
	vars map[string]string
	// usageIdentifierKey is the API key a Lambda authorizer chose, which an API whose
	// apiKeySource is AUTHORIZER checks instead of the X-API-Key header.
	usageIdentifierKey string
}

// authorize runs the method's authorizer, after resource and method matching and before API
// key checks, as the guide's Lambda authorizer workflow orders them. A refusal is answered
// through the API's gateway responses (UNAUTHORIZED, ACCESS_DENIED, AUTHORIZER_FAILURE,
// AUTHORIZER_CONFIGURATION_ERROR, MISSING_AUTHENTICATION_TOKEN, INVALID_SIGNATURE,
// EXPIRED_TOKEN) and ok is false.
func (c *call) authorize() (ok bool) {
	m := c.m.m
	switch m.AuthorizationType {
	case "", model.AuthorizationNone:
		return true
	}
	s := c.s
	if s.auth == nil {
		// Never an open door: a server that was not given the API's authorizers refuses what
		// they guard.
		c.fail(gatewayError{responseType: gatewayresp.AuthorizerConfigurationError, body: `{"message":null}`},
			"the method requires authorization ("+m.AuthorizationType+") and the server has no authorizers", "authorizer", m.AuthorizerLogicalID)
		return false
	}
	if m.AuthorizationType == model.AuthorizationIAM && !c.readBody() {
		// SigV4 signs the payload: the body is read before the signature is checked.
		return false
	}
	apiKey := ""
	if c.s.keys.source != "AUTHORIZER" {
		apiKey = c.r.Header.Get("X-Api-Key")
	}
	var began time.Time
	if c.access != nil {
		began = s.now()
	}
	d := s.auth.AuthorizeMethod(c.r.Context(), m, &authorizer.Request{
		Protocol:       model.ProtocolREST,
		Method:         c.r.Method,
		Path:           c.t.EventPath,
		ARNPath:        c.t.Path,
		Resource:       c.res.res.Path,
		ResourceID:     c.res.id,
		Stage:          c.t.Stage.Name,
		StageVariables: c.t.Stage.Variables,
		Header:         c.forwardedHeaders(lambdaDropped),
		RawQuery:       c.r.URL.RawQuery,
		PathParameters: c.params,
		Context: authorizer.RequestContext{
			AccountID:         s.account,
			APIID:             s.api.ID,
			DomainName:        c.t.DomainName,
			DomainPrefix:      domainPrefix(c.t.DomainName),
			RequestID:         c.id,
			ExtendedRequestID: c.extID,
			Protocol:          "HTTP/1.1",
			SourceIP:          sourceIP(c.r),
			UserAgent:         c.r.Header.Get("User-Agent"),
			APIKey:            apiKey,
			Time:              c.start,
		},
		ContextVar: func(name string) string {
			v, _ := c.contextVar(name)
			return v
		},
		HTTP: c.r,
		Body: c.body,
	})
	if a := c.access; a != nil {
		a.Authorization, a.AuthLatency = &d, s.now().Sub(began)
	}
	if f := d.Refusal; f != nil {
		// Set.Authorize has logged why, naming the authorizer.
		c.gatewayError(gatewayError{responseType: f.ResponseType, status: f.Status, message: f.Message,
			errorType: f.ErrorType, body: string(f.Body)})
		return false
	}
	c.grant = newGrant(d)
	// $context now has the authorizer's variables: what was built without them is rebuilt.
	c.vars, c.tmplContext = nil, nil
	return true
}

// newGrant keeps what an allowing decision shows the integration; nil for NONE.
func newGrant(d authorizer.Decision) *grant {
	switch d.AuthorizationType {
	case "", model.AuthorizationNone:
		return nil
	}
	return &grant{event: d.REST(), iam: d.Identity(), vars: d.ContextVars(), usageIdentifierKey: d.UsageIdentifierKey}
}

// identityVar is $context.identity.NAME as the decision sets it ("" when it does not). g may
// be nil.
func (g *grant) identityVar(name string) string {
	if g == nil {
		return ""
	}
	return g.vars["identity."+name]
}

// eachVar calls f with each $context.authorizer variable, by name after "authorizer.":
// principalId (empty without a Lambda authorizer, as API Gateway renders it), a Lambda
// authorizer's context keys and integrationLatency, a Cognito token's claims as "claims.NAME".
// g may be nil.
func (g *grant) eachVar(f func(name, value string)) {
	principalID := ""
	if g != nil {
		principalID = g.vars["authorizer.principalId"]
	}
	f("principalId", principalID)
	if g == nil {
		return
	}
	for k, v := range g.vars {
		if name, ok := strings.CutPrefix(k, "authorizer."); ok && name != "principalId" {
			f(name, v)
		}
	}
}

// templateMap finishes a template's $context.authorizer, built flat from eachVar: a Cognito
// token's claims become one nested map, so that both $context.authorizer.claims.sub and
// $context.authorizer.claims['custom:role'] read them. g may be nil.
func (g *grant) templateMap(m *vtl.Map) *vtl.Map {
	if g == nil {
		return m
	}
	var claims []kv
	for _, k := range m.Keys() {
		if name, ok := strings.CutPrefix(k, "claims."); ok {
			v, _ := m.Remove(k)
			s, _ := v.(string)
			claims = append(claims, kv{name, s})
		}
	}
	if claims != nil {
		m.Put("claims", sortedMap(claims))
	}
	return m
}

// fillEvent puts the decision where a Lambda proxy event carries it: requestContext.authorizer
// for Lambda and Cognito authorizers, the identity's IAM fields (null otherwise) for AWS_IAM.
// g may be nil.
func (g *grant) fillEvent(rc *payloadv1.Context) {
	if g == nil {
		return
	}
	if g.event != nil {
		rc.Authorizer = g.event
	}
	if id := g.iam; id != nil {
		rc.Identity.AccessKey = nonEmpty(id.AccessKey)
		rc.Identity.AccountID = nonEmpty(id.AccountID)
		rc.Identity.Caller = nonEmpty(id.CallerID)
		rc.Identity.User = nonEmpty(id.UserID)
		rc.Identity.UserArn = nonEmpty(id.UserARN)
		rc.Identity.PrincipalOrgID = nonEmpty(id.PrincipalOrgID)
	}
}

// nonEmpty is s as a JSON string, or null when empty.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
