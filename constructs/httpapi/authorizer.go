package httpapi

import (
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/authrules"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
)

// AuthorizerType is the kind of an HTTP API authorizer.
type AuthorizerType string

const (
	// AuthorizerType_LAMBDA runs a Lambda function with the request (payload 1.0 or 2.0), which
	// answers with a simple {"isAuthorized": ...} or an IAM policy
	// (awsapigatewayv2authorizers.HttpLambdaAuthorizer).
	AuthorizerType_LAMBDA AuthorizerType = "LAMBDA"
	// AuthorizerType_JWT verifies a JSON Web Token against an issuer's keys, its audience, and
	// the route's scopes (HttpJwtAuthorizer).
	AuthorizerType_JWT AuthorizerType = "JWT"
	// AuthorizerType_USER_POOL is a JWT authorizer whose issuer is an Amazon Cognito user pool
	// and whose audiences are the pool's app clients (HttpUserPoolAuthorizer).
	AuthorizerType_USER_POOL AuthorizerType = "USER_POOL"
	// AuthorizerType_IAM requires requests signed with SigV4 by a principal allowed
	// execute-api:Invoke on the route (HttpIamAuthorizer).
	AuthorizerType_IAM AuthorizerType = "IAM"
)

var authorizerTypes = []string{string(AuthorizerType_LAMBDA), string(AuthorizerType_JWT), string(AuthorizerType_USER_POOL), string(AuthorizerType_IAM)}

// NoAuthorizer, as a route's Authorizer, serves the route without authorization when the API
// has a DefaultAuthorizer.
const NoAuthorizer = authrules.NoAuthorizer

// DefaultIdentitySource is where LAMBDA, JWT and USER_POOL authorizers read the identity from
// unless IdentitySource says otherwise.
const DefaultIdentitySource = "$request.header.Authorization"

// Authorizer declares one authorizer of an HTTP API, under a name (its key in
// Props.Authorizers) that routes give as their Authorizer.
type Authorizer struct {
	// Type is the kind of authorizer; required.
	Type AuthorizerType
	// Name is the authorizer's Name in API Gateway; default: its key in Props.Authorizers.
	Name *string
	// IdentitySource lists where the identity is read from: "$request.header.NAME",
	// "$request.querystring.NAME", "$context.NAME" or "$stageVariables.NAME". Default
	// ["$request.header.Authorization"]. JWT and USER_POOL authorizers read their token from
	// exactly one header or query string. A request missing any of them gets 401 without the
	// authorizer running. Not for IAM.
	IdentitySource *[]*string

	// Function decides a LAMBDA authorizer's requests.
	Function awslambda.IFunction
	// PayloadFormatVersion of the event a LAMBDA authorizer gets:
	// awsapigatewayv2.AuthorizerPayloadVersion_VERSION_2_0 (default) or _VERSION_1_0.
	PayloadFormatVersion awsapigatewayv2.AuthorizerPayloadVersion
	// ResponseType is what a LAMBDA authorizer answers: HttpLambdaResponseType_SIMPLE
	// ({"isAuthorized": true, "context": {...}}, payload 2.0 only; the default with 2.0) or
	// HttpLambdaResponseType_IAM (an IAM policy; the default with 1.0).
	ResponseType awsapigatewayv2authorizers.HttpLambdaResponseType
	// ResultsCacheTtl caches a LAMBDA authorizer's answer per identity source values: 0 (off)
	// to 1 hour; default 5 minutes. Caching needs at least one identity source.
	ResultsCacheTtl awscdk.Duration

	// Issuer of a JWT authorizer: the https URL in the tokens' iss claim, whose JWKS verifies
	// their signatures.
	Issuer *string
	// Audiences of a JWT authorizer: a token's aud (or client_id) must be one of them.
	Audiences *[]*string

	// UserPool is the Amazon Cognito user pool of a USER_POOL authorizer.
	UserPool awscognito.IUserPool
	// UserPoolClients are the app clients whose tokens a USER_POOL authorizer accepts; default:
	// a client the L2 adds to the pool.
	UserPoolClients *[]awscognito.IUserPoolClient
	// UserPoolRegion is the pool's region; default: the stack's.
	UserPoolRegion *string
}

// authorizer is a checked authorizer and its L2 object.
type authorizer struct {
	typ AuthorizerType
	l2  awsapigatewayv2.IHttpRouteAuthorizer
	// constructID is the id under the API of the awsapigatewayv2.HttpAuthorizer the L2 creates
	// when the authorizer is first bound to a route.
	constructID string
	// payload2IAM: a payload 2.0 authorizer that answers with IAM policies. The L2 ties the
	// version to the response type (simple: 2.0, IAM: 1.0), so the version is set on the
	// CfnAuthorizer once it exists; fixed records that it was.
	payload2IAM, fixed bool
}

// addAuthorizers checks and builds every declared authorizer, in name order.
func (a *HttpApi) addAuthorizers(specs *map[string]*Authorizer) {
	a.declaredAuthorizers = authrules.Declare(specs, a.errs.Add, checkAuthorizer, func(name string, spec *Authorizer) {
		a.authorizers[name] = buildAuthorizer(name, spec)
		a.Authorizers[name] = a.authorizers[name].l2
	})
	// Broken declarations are left out: their own errors say what to fix first.
	a.errs.Defer(func() []string {
		return authrules.CheckUsed(authrules.SortedNames(a.authorizers), a.usedAuthorizers, "route", "a route's Authorizer (or the API's DefaultAuthorizer)")
	})
}

// checkAuthorizer applies the guide's rules to one declaration.
func checkAuthorizer(name string, s *Authorizer) []string {
	typ := string(s.Type)
	if err := authrules.CheckType(name, typ, authorizerTypes); err != nil {
		return []string{err.Error()}
	}
	lambda, jwt, pool := []string{"LAMBDA"}, []string{"JWT"}, []string{"USER_POOL"}
	errs := authrules.CheckFields(name, typ, []authrules.Field{
		{Name: "Function", Set: s.Function != nil, For: lambda, Required: true},
		{Name: "PayloadFormatVersion", Set: s.PayloadFormatVersion != "", For: lambda},
		{Name: "ResponseType", Set: s.ResponseType != "", For: lambda},
		{Name: "ResultsCacheTtl", Set: s.ResultsCacheTtl != nil, For: lambda},
		{Name: "Issuer", Set: s.Issuer != nil, For: jwt, Required: true},
		{Name: "Audiences", Set: s.Audiences != nil, For: jwt, Required: true},
		{Name: "UserPool", Set: s.UserPool != nil, For: pool, Required: true},
		{Name: "UserPoolClients", Set: s.UserPoolClients != nil, For: pool},
		{Name: "UserPoolRegion", Set: s.UserPoolRegion != nil, For: pool},
		{Name: "IdentitySource", Set: s.IdentitySource != nil, For: []string{"LAMBDA", "JWT", "USER_POOL"}},
	})
	sources := authrules.IdentitySources(s.IdentitySource, DefaultIdentitySource)
	switch s.Type {
	case AuthorizerType_LAMBDA:
		errs = append(errs, authrules.CheckIdentitySources(stagerules.HTTP, name, sources, authrules.SourceRule{Kind: "a LAMBDA authorizer"})...)
		version, response := lambdaResponse(s)
		switch {
		case version != "1.0" && version != "2.0":
			errs = append(errs, fmt.Sprintf("%s: PayloadFormatVersion %q must be VERSION_1_0 or VERSION_2_0", authrules.Subject(name), s.PayloadFormatVersion))
		case response != awsapigatewayv2authorizers.HttpLambdaResponseType_SIMPLE && response != awsapigatewayv2authorizers.HttpLambdaResponseType_IAM:
			errs = append(errs, fmt.Sprintf("%s: ResponseType %q must be SIMPLE or IAM", authrules.Subject(name), response))
		case version == "1.0" && response == awsapigatewayv2authorizers.HttpLambdaResponseType_SIMPLE:
			errs = append(errs, fmt.Sprintf("%s: simple responses need payload format version 2.0; a 1.0 authorizer answers with an IAM policy", authrules.Subject(name)))
		}
		if ttl, ok := authrules.CacheSeconds(s.ResultsCacheTtl); ok {
			errs = append(errs, authrules.CheckCacheTTL(name, ttl, len(sources))...)
		}
	case AuthorizerType_JWT, AuthorizerType_USER_POOL:
		errs = append(errs, authrules.CheckIdentitySources(stagerules.HTTP, name, sources, authrules.SourceRule{
			Kind: "a " + string(s.Type) + " authorizer", Only: []authrules.Location{authrules.Header, authrules.QueryString}, One: true,
		})...)
		if s.Issuer != nil {
			if err := authrules.CheckIssuer(name, *s.Issuer, *awscdk.Token_IsUnresolved(s.Issuer)); err != nil {
				errs = append(errs, err.Error())
			}
		}
		if s.Audiences != nil {
			errs = append(errs, authrules.CheckAudiences(name, deref.Strings(s.Audiences))...)
		}
	}
	return errs
}

// lambdaResponse is a LAMBDA authorizer's payload format version ("1.0", "2.0") and response
// type with the defaults applied: 2.0, and simple responses with 2.0, IAM with 1.0.
func lambdaResponse(s *Authorizer) (string, awsapigatewayv2authorizers.HttpLambdaResponseType) {
	version := "2.0"
	switch s.PayloadFormatVersion {
	case "":
	case awsapigatewayv2.AuthorizerPayloadVersion_VERSION_1_0:
		version = "1.0"
	case awsapigatewayv2.AuthorizerPayloadVersion_VERSION_2_0:
	default:
		version = string(s.PayloadFormatVersion)
	}
	response := s.ResponseType
	if response == "" {
		response = awsapigatewayv2authorizers.HttpLambdaResponseType_SIMPLE
		if version == "1.0" {
			response = awsapigatewayv2authorizers.HttpLambdaResponseType_IAM
		}
	}
	return version, response
}

// buildAuthorizer makes the L2 object of a checked declaration. The L2 creates its
// HttpAuthorizer (and, for LAMBDA, the function's permission for API Gateway) when the
// authorizer is first bound to a route.
func buildAuthorizer(name string, s *Authorizer) *authorizer {
	id := "Authorizer-" + name
	authName := authrules.DisplayName(s.Name, name)
	au := &authorizer{typ: s.Type, constructID: id}
	switch s.Type {
	case AuthorizerType_LAMBDA:
		version, response := lambdaResponse(s)
		au.payload2IAM = version == "2.0" && response == awsapigatewayv2authorizers.HttpLambdaResponseType_IAM
		au.l2 = awsapigatewayv2authorizers.NewHttpLambdaAuthorizer(jsii.String(id), s.Function, &awsapigatewayv2authorizers.HttpLambdaAuthorizerProps{
			AuthorizerName:  authName,
			IdentitySource:  s.IdentitySource,
			ResponseTypes:   &[]awsapigatewayv2authorizers.HttpLambdaResponseType{response},
			ResultsCacheTtl: s.ResultsCacheTtl,
		})
	case AuthorizerType_JWT:
		au.l2 = awsapigatewayv2authorizers.NewHttpJwtAuthorizer(jsii.String(id), s.Issuer, &awsapigatewayv2authorizers.HttpJwtAuthorizerProps{
			AuthorizerName: authName,
			IdentitySource: s.IdentitySource,
			JwtAudience:    s.Audiences,
		})
	case AuthorizerType_USER_POOL:
		au.l2 = awsapigatewayv2authorizers.NewHttpUserPoolAuthorizer(jsii.String(id), s.UserPool, &awsapigatewayv2authorizers.HttpUserPoolAuthorizerProps{
			AuthorizerName:  authName,
			IdentitySource:  s.IdentitySource,
			UserPoolClients: s.UserPoolClients,
			UserPoolRegion:  s.UserPoolRegion,
		})
	case AuthorizerType_IAM:
		au.l2 = awsapigatewayv2authorizers.NewHttpIamAuthorizer()
	}
	return au
}

// takesScopes: only JWT authorizers (USER_POOL is one) check scopes.
func (t AuthorizerType) takesScopes() bool {
	return t == AuthorizerType_JWT || t == AuthorizerType_USER_POOL
}

// routeAuth is how one route is authorized.
type routeAuth struct {
	name   string      // "" for none
	au     *authorizer // nil for none, or when the named authorizer's declaration was broken
	scopes []string
}

// checkDefaultAuthorizer checks Props.DefaultAuthorizer and DefaultAuthorizationScopes and
// records them for routes; it returns the L2 values for HttpApiProps, so routes added to the L2
// directly get the same default.
func (a *HttpApi) checkDefaultAuthorizer(name *string, scopes *[]*string) (awsapigatewayv2.IHttpRouteAuthorizer, *[]*string) {
	if name == nil {
		if scopes != nil {
			a.errs.Addf("DefaultAuthorizationScopes need a DefaultAuthorizer of type JWT or USER_POOL")
		}
		return nil, nil
	}
	n := *name
	var au *authorizer
	switch {
	case n == NoAuthorizer:
		a.errs.Addf("DefaultAuthorizer %q: leave it unset for an API without a default authorizer", n)
		return nil, nil
	case !slices.Contains(a.declaredAuthorizers, n):
		a.errs.Add(authrules.UnknownAuthorizer("DefaultAuthorizer", n, a.declaredAuthorizers))
		return nil, nil
	default:
		au = a.authorizers[n]
	}
	if au == nil {
		return nil, nil // its declaration's errors are reported
	}
	s := deref.Strings(scopes)
	a.defaultAuthorizer = n
	if errs := authrules.CheckScopes("DefaultAuthorizationScopes", s, au.typ.takesScopes(), fmt.Sprintf("%s (%s)", authrules.Subject(n), au.typ), "JWT and USER_POOL authorizers"); len(errs) > 0 {
		a.errs.Add(errs...)
		return au.l2, nil
	}
	a.defaultScopes = s
	return au.l2, scopes
}

// authorization resolves a route's authorizer and scopes: its own Authorizer, else the API's
// default; its own AuthorizationScopes, else the default scopes when it uses the default
// authorizer (unlike the L2, which gives them to every route without scopes of its own, even
// one whose authorizer checks none).
func (a *HttpApi) authorization(key string, r *Route) (routeAuth, []string) {
	subject := fmt.Sprintf("route %q", key)
	name := a.defaultAuthorizer
	if r.Authorizer != nil {
		name = *r.Authorizer
	}
	var ra routeAuth
	var errs []string
	switch {
	case name == "" || name == NoAuthorizer:
	case !slices.Contains(a.declaredAuthorizers, name):
		errs = append(errs, authrules.UnknownAuthorizer(subject, name, a.declaredAuthorizers))
	default:
		a.usedAuthorizers[name] = true
		ra.name, ra.au = name, a.authorizers[name]
	}
	if r.AuthorizationScopes != nil {
		ra.scopes = deref.Strings(r.AuthorizationScopes)
	} else if ra.name != "" && ra.name == a.defaultAuthorizer {
		ra.scopes = a.defaultScopes
	}
	if len(ra.scopes) > 0 {
		switch {
		case ra.au != nil:
			errs = append(errs, authrules.CheckScopes(subject, ra.scopes, ra.au.typ.takesScopes(), fmt.Sprintf("%s (%s)", authrules.Subject(ra.name), ra.au.typ), "JWT and USER_POOL authorizers")...)
		case ra.name == "" && (name == "" || name == NoAuthorizer):
			errs = append(errs, fmt.Sprintf("%s: AuthorizationScopes need a JWT or USER_POOL authorizer; the route has none", subject))
		}
	}
	return ra, errs
}

// bind returns the L2 values a route is created with: always an authorizer (the L2's "none"
// one when the route has none, so the L2 does not substitute the API's default) and always a
// scope list (empty rather than nil, for the same reason).
func (ra routeAuth) bind() (awsapigatewayv2.IHttpRouteAuthorizer, *[]*string) {
	scopes := jsii.Strings(ra.scopes...)
	if ra.au == nil {
		return awsapigatewayv2.NewHttpNoneAuthorizer(), scopes
	}
	return ra.au.l2, scopes
}

// afterBind sets on the CfnAuthorizer, which exists once a route has bound the authorizer,
// what the L2 does not model.
func (a *HttpApi) afterBind(au *authorizer) {
	if au == nil || !au.payload2IAM || au.fixed {
		return
	}
	child := a.Api.Node().TryFindChild(jsii.String(au.constructID))
	if child == nil {
		return
	}
	cfn := child.Node().DefaultChild().(awsapigatewayv2.CfnAuthorizer)
	cfn.SetAuthorizerPayloadFormatVersion(jsii.String("2.0"))
	au.fixed = true
}
