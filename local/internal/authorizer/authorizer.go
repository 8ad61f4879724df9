package authorizer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/jwtverify"
	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// Options configure a Set.
type Options struct {
	// Account and Region are what ARNs (methodArn, routeArn) and IAM identities use.
	Account, Region string
	// Logger receives one line per refusal, naming the authorizer and the reason, and one per
	// authorizer the runner cannot run as declared. nil: discard.
	Logger *slog.Logger
	// Now is the clock for tokens, signatures and the cache. nil: time.Now.
	Now func() time.Time
	// Invoker runs Lambda authorizers, by the function's physical name, like integrations.
	Invoker lambdahost.Invoker
	// JWKS holds the issuers' keys for JWT and Cognito authorizers. nil, or no keys for an
	// authorizer's issuer: every token is refused, and the log says which --jwks is missing.
	JWKS *jwtverify.Store
	// Principals finds the locally issued credentials an IAM-signed request may use. A request
	// signed with any other access key is refused: the runner cannot know its secret.
	Principals func(accessKeyID string) (p *Principal, ok bool)
	// CacheSize bounds the entries of the Lambda authorizer result cache of one API
	// (default 10000). When full, the entry closest to expiry is dropped.
	CacheSize int
}

// Principal is an IAM identity the runner issued credentials for: a role of the assembly, or
// a function's execution role.
type Principal struct {
	AccessKeyID  string
	Secret       string
	SessionToken string // "" when issued without one
	// ARN is the caller's ARN as AWS names it in events and denials:
	// arn:aws:sts::123456789012:assumed-role/RoleName/session.
	ARN string
	// AccountID is the principal's account; UserID its unique id (AROA…:session for a role).
	AccountID, UserID string
	// Statements are the identity-based policy statements evaluated for execute-api:Invoke.
	Statements []*model.Statement
}

// Request is everything an authorizer reads, filled by the server after route (or resource
// and method) selection.
type Request struct {
	// Protocol is the API's kind; it picks the identity-source syntax and the event shapes.
	Protocol model.Protocol
	// Method is the HTTP method ("GET"); WebSocket: the $connect upgrade's.
	Method string
	// Path is the path as the integration's event reports it (percent-encoded as sent; for a
	// named stage of an HTTP API, including "/{stage}").
	Path string
	// ARNPath is the request path relative to the stage, which methodArn and routeArn end in
	// ("/pets/1"). Empty: Path.
	ARNPath string
	// Resource is a REST method's resource path ("/pets/{id}"), an HTTP route's path or
	// "$default".
	Resource string
	// ResourceID is a REST resource's id (requestContext.resourceId).
	ResourceID string
	// RouteKey is an HTTP API route key ("GET /pets/{id}", "$default") or a WebSocket route
	// key ("$connect").
	RouteKey string
	// Stage and StageVariables are the stage's name ("$default" for HTTP APIs' default stage)
	// and variables.
	Stage          string
	StageVariables map[string]string
	// Header holds the request's headers with names as the integration event shows them
	// (lower case for HTTP APIs, the client's spelling for REST and WebSocket), values in
	// arrival order. Identity sources look names up case-insensitively.
	Header map[string][]string
	// RawQuery is the query string as sent, without "?".
	RawQuery string
	// PathParameters are the matched path parameters; nil when none.
	PathParameters map[string]string
	// Context is what API Gateway knows about the request beyond its content.
	Context RequestContext
	// ContextVar answers $context.name identity sources ("requestId", "routeKey",
	// "identity.sourceIp"); nil: every context identity source is missing.
	ContextVar func(name string) string
	// HTTP and Body are the request as received, for IAM (SigV4) verification.
	HTTP *http.Request
	Body []byte
}

// RequestContext is the request context an authorizer event reports.
type RequestContext struct {
	AccountID         string
	APIID             string
	DomainName        string
	DomainPrefix      string
	RequestID         string
	ExtendedRequestID string // "": RequestID
	Protocol          string // "HTTP/1.1"
	SourceIP          string
	UserAgent         string
	APIKey            string // the x-api-key the client sent, when the method reads one
	Time              time.Time
	// WebSocket $connect only.
	ConnectionID string
	ConnectedAt  time.Time
}

// Decision is an authorizer's verdict and what the integration sees of it.
type Decision struct {
	// Refusal is nil when the request may proceed.
	Refusal *Refusal
	// AuthorizationType is the route's or method's (NONE, CUSTOM, JWT, COGNITO_USER_POOLS,
	// AWS_IAM); Authorizer the authorizer that decided, nil for NONE and AWS_IAM.
	AuthorizationType string
	Authorizer        *model.Authorizer
	// PrincipalID is a Lambda authorizer's principalId.
	PrincipalID string
	// Context is a Lambda authorizer's context map as returned (HTTP APIs keep the JSON types;
	// REST and WebSocket events stringify them). It is shared with the result cache: read it,
	// never change it.
	Context map[string]any
	// Claims and Scopes are a verified JWT's (JWT and Cognito authorizers).
	Claims map[string]any
	Scopes []string
	// IAM is the verified caller of an AWS_IAM route.
	IAM *IAMIdentity
	// UsageIdentifierKey is the API key a Lambda authorizer chose (REST APIs whose
	// apiKeySource is AUTHORIZER).
	UsageIdentifierKey string
	// Latency is how long the Lambda authorizer ran (integrationLatency); 0 when the answer
	// came from the cache.
	Latency time.Duration
	// Cached is true when a Lambda authorizer's answer came from the cache.
	Cached bool
}

// Allowed reports whether the request may proceed.
func (d Decision) Allowed() bool { return d.Refusal == nil }

// IAMIdentity is who signed an IAM-authorized request, as events report it.
type IAMIdentity struct {
	AccessKey      string
	AccountID      string
	CallerID       string // the principal's unique id: AROA…:session
	UserARN        string
	UserID         string
	PrincipalOrgID string
}

// Set decides requests for one API. It holds the API's Lambda authorizer result cache and is
// safe for concurrent use.
type Set struct {
	api   *model.API
	opts  Options
	log   *slog.Logger
	now   func() time.Time
	auths map[string]*compiled
	cache *cache
	// keys verifies JWT and Cognito tokens; nil refuses them all.
	keys keyStore
}

// compiled is one authorizer with what New prepared for it.
type compiled struct {
	a       *model.Authorizer
	sources []identitySource
	// validation is the REST identity validation expression, anchored as Java's matches().
	validation *regexp.Regexp
	// broken says why the runner cannot run the authorizer as declared; every request it
	// guards is then refused with AUTHORIZER_CONFIGURATION_ERROR (500).
	broken string
}

// New prepares the API's authorizers. An authorizer that cannot run as declared (unknown
// type, unreadable identity source, invalid validation expression, no function) does not
// fail New: it refuses every request it guards, and New logs why once.
func New(api *model.API, opts Options) (*Set, error) {
	if api == nil {
		return nil, errors.New("authorizer: no API")
	}
	s := &Set{api: api, opts: opts, log: opts.Logger, now: opts.Now, auths: map[string]*compiled{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	size := opts.CacheSize
	if size <= 0 {
		size = defaultCacheSize
	}
	s.cache = newCache(size)
	if opts.JWKS != nil {
		s.keys = storeKeys{opts.JWKS}
	}
	for id, a := range api.Authorizers {
		c := compile(api.Protocol, a)
		if c.broken != "" {
			s.log.Warn("authorizer "+name(a)+" cannot run: "+c.broken+"; requests it guards are refused",
				"api", api.LogicalID, "authorizer", name(a))
		}
		s.auths[id] = c
	}
	return s, nil
}

func name(a *model.Authorizer) string {
	if a.Name != "" {
		return a.Name
	}
	return a.LogicalID
}

func compile(p model.Protocol, a *model.Authorizer) *compiled {
	c := &compiled{a: a}
	for _, src := range a.IdentitySource {
		is, err := parseIdentitySource(p, src)
		if err != nil {
			c.broken = err.Error()
			return c
		}
		c.sources = append(c.sources, is)
	}
	switch a.Type {
	case model.AuthorizerToken, model.AuthorizerRequest:
		if a.Type == model.AuthorizerToken && p != model.ProtocolREST {
			c.broken = "TOKEN authorizers exist only for REST APIs"
		} else if a.Function == "" {
			c.broken = fmt.Sprintf("its function (%s) is not defined in the assembly", orUnset(a.URI))
		} else if a.Type == model.AuthorizerToken && len(c.sources) != 1 {
			c.broken = "a TOKEN authorizer needs exactly one identity source, a header"
		} else if a.Type == model.AuthorizerToken && c.sources[0].kind != sourceHeader {
			c.broken = "a TOKEN authorizer's identity source must be a header (method.request.header.NAME)"
		}
	case model.AuthorizerJWT:
		if p != model.ProtocolHTTP {
			c.broken = "JWT authorizers exist only for HTTP APIs"
		} else if a.Issuer == "" {
			c.broken = "it has no issuer"
		} else if len(c.sources) == 0 {
			c.broken = "it has no identity source"
		}
	case model.AuthorizerCognito:
		if p != model.ProtocolREST {
			c.broken = "COGNITO_USER_POOLS authorizers exist only for REST APIs"
		} else if len(a.Issuers) == 0 {
			c.broken = "it names no user pool"
		} else if len(c.sources) != 1 || c.sources[0].kind != sourceHeader {
			c.broken = "its identity source must be one header (method.request.header.NAME)"
		}
	default:
		c.broken = fmt.Sprintf("authorizer type %q is not one API Gateway has", a.Type)
	}
	if c.broken == "" && a.IdentityValidationExpression != "" {
		re, err := regexp.Compile(`^(?:` + a.IdentityValidationExpression + `)$`)
		if err != nil {
			c.broken = fmt.Sprintf("identity validation expression %q does not compile: %v", a.IdentityValidationExpression, err)
		} else {
			c.validation = re
		}
	}
	return c
}

func orUnset(s string) string {
	if s == "" {
		return "no AuthorizerUri"
	}
	return s
}

// Authorize decides one request for a route or method with the given authorization type
// (NONE or "", CUSTOM, JWT, COGNITO_USER_POOLS, AWS_IAM), authorizer (logical id, for CUSTOM,
// JWT and COGNITO_USER_POOLS) and authorization scopes (JWT, Cognito).
//
// It never panics on client input and never lets a request through that it cannot decide:
// an unknown authorizer id, a broken authorizer or an unknown authorization type refuse it.
// Every refusal is logged once here, naming the authorizer.
func (s *Set) Authorize(ctx context.Context, authorizationType, authorizerID string, scopes []string, r *Request) (d Decision) {
	d.AuthorizationType = authorizationType
	switch authorizationType {
	case "", model.AuthorizationNone:
		return d
	case model.AuthorizationIAM:
		d = s.authorizeIAM(r)
		d.AuthorizationType = authorizationType
		return s.logged(d, "AWS_IAM", r)
	case model.AuthorizationCustom, model.AuthorizationJWT, model.AuthorizationCognito:
	default:
		d.Refusal = configError(r.Protocol, fmt.Sprintf("authorization type %q is not one API Gateway has", authorizationType))
		return s.logged(d, authorizationType, r)
	}
	c, ok := s.auths[authorizerID]
	if !ok {
		d.Refusal = configError(r.Protocol, fmt.Sprintf("the %s authorization names authorizer %q, which the API does not define", authorizationType, authorizerID))
		return s.logged(d, authorizerID, r)
	}
	d.Authorizer = c.a
	if c.broken != "" {
		d.Refusal = configError(r.Protocol, "the authorizer cannot run: "+c.broken)
		return s.logged(d, name(c.a), r)
	}
	switch {
	case authorizationType == model.AuthorizationCustom && (c.a.Type == model.AuthorizerRequest || c.a.Type == model.AuthorizerToken):
		d = s.authorizeLambda(ctx, c, r)
	case authorizationType == model.AuthorizationJWT && c.a.Type == model.AuthorizerJWT:
		d = s.authorizeJWT(c, scopes, r)
	case authorizationType == model.AuthorizationCognito && c.a.Type == model.AuthorizerCognito:
		d = s.authorizeCognito(c, scopes, r)
	default:
		d.Refusal = configError(r.Protocol, fmt.Sprintf("authorization type %s cannot use a %s authorizer", authorizationType, c.a.Type))
	}
	d.AuthorizationType = authorizationType
	d.Authorizer = c.a
	return s.logged(d, name(c.a), r)
}

// AuthorizeRoute is Authorize for an HTTP or WebSocket route.
func (s *Set) AuthorizeRoute(ctx context.Context, route *model.Route, r *Request) Decision {
	return s.Authorize(ctx, route.AuthorizationType, route.AuthorizerLogicalID, route.AuthorizationScopes, r)
}

// AuthorizeMethod is Authorize for a REST method.
func (s *Set) AuthorizeMethod(ctx context.Context, m *model.Method, r *Request) Decision {
	return s.Authorize(ctx, m.AuthorizationType, m.AuthorizerLogicalID, m.AuthorizationScopes, r)
}

// logged writes the refusal's log line, if any, and returns d.
func (s *Set) logged(d Decision, who string, r *Request) Decision {
	if d.Refusal == nil {
		return d
	}
	d.Refusal.Authorizer = who
	level := slog.LevelInfo
	if d.Refusal.Status >= 500 {
		level = slog.LevelError
	}
	s.log.Log(context.Background(), level, "request refused by authorizer "+who+": "+d.Refusal.Reason,
		"api", s.api.LogicalID, "stage", r.Stage, "requestId", r.Context.RequestID,
		"status", d.Refusal.Status, "responseType", d.Refusal.ResponseType)
	return d
}
