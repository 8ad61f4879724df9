package websocketapi

import (
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/authrules"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
)

// AuthorizerType is the kind of a WebSocket API authorizer. API Gateway authorizes a
// connection once, on $connect; the decision (and a Lambda authorizer's context) holds for
// every later message of the connection.
type AuthorizerType string

const (
	// AuthorizerType_LAMBDA runs a Lambda REQUEST authorizer with the $connect request, which
	// answers with an IAM policy (awsapigatewayv2authorizers.WebSocketLambdaAuthorizer).
	AuthorizerType_LAMBDA AuthorizerType = "LAMBDA"
	// AuthorizerType_IAM requires the $connect request signed with SigV4 by a principal
	// allowed execute-api:Invoke on it (WebSocketIamAuthorizer).
	AuthorizerType_IAM AuthorizerType = "IAM"
)

var authorizerTypes = []string{string(AuthorizerType_LAMBDA), string(AuthorizerType_IAM)}

// NoAuthorizer, as a route's Authorizer, is the same as leaving it unset.
const NoAuthorizer = authrules.NoAuthorizer

// DefaultIdentitySource is where a LAMBDA authorizer reads the identity from unless
// IdentitySource says otherwise. Browsers cannot set headers on a WebSocket handshake, so
// browser clients usually send a token in the query string instead:
// "route.request.querystring.token".
const DefaultIdentitySource = "route.request.header.Authorization"

// Authorizer declares one authorizer of a WebSocket API, under a name (its key in
// Props.Authorizers) that the $connect route gives as its Authorizer.
type Authorizer struct {
	// Type is the kind of authorizer; required.
	Type AuthorizerType
	// Name is the authorizer's Name in API Gateway; default: its key in Props.Authorizers.
	Name *string
	// IdentitySource lists where a LAMBDA authorizer's identity is read from:
	// "route.request.header.NAME", "route.request.querystring.NAME", "context.NAME" or
	// "stageVariables.NAME"; default ["route.request.header.Authorization"]. A connection
	// request missing any of them gets 401 without the authorizer running. An empty list runs
	// the authorizer for every connection.
	IdentitySource *[]*string
	// Function decides a LAMBDA authorizer's connections.
	Function awslambda.IFunction
}

// addAuthorizers checks and builds every declared authorizer, in name order.
func (a *WebSocketApi) addAuthorizers(specs *map[string]*Authorizer) {
	// Broken declarations are left out: their own errors say what to fix first.
	a.errs.Defer(func() []string {
		return authrules.CheckUsed(authrules.SortedNames(a.Authorizers), a.usedAuthorizers, "route", "the $connect route's Authorizer")
	})
	a.errs.Defer(a.checkApiKeysFromAuthorizer)
	a.declaredAuthorizers = authrules.Declare(specs, a.errs.Add, checkAuthorizer, func(name string, spec *Authorizer) {
		a.authorizerTypes[name] = spec.Type
		a.Authorizers[name] = buildAuthorizer(name, spec)
	})
}

// checkAuthorizer applies the guide's rules to one declaration.
func checkAuthorizer(name string, s *Authorizer) []string {
	typ := string(s.Type)
	if err := authrules.CheckType(name, typ, authorizerTypes); err != nil {
		return []string{err.Error()}
	}
	lambda := []string{"LAMBDA"}
	errs := authrules.CheckFields(name, typ, []authrules.Field{
		{Name: "Function", Set: s.Function != nil, For: lambda, Required: true},
		{Name: "IdentitySource", Set: s.IdentitySource != nil, For: lambda},
	})
	if s.Type == AuthorizerType_LAMBDA {
		sources := authrules.IdentitySources(s.IdentitySource, DefaultIdentitySource)
		errs = append(errs, authrules.CheckIdentitySources(stagerules.WebSocket, name, sources, authrules.SourceRule{Kind: "a LAMBDA authorizer"})...)
	}
	return errs
}

// buildAuthorizer makes the L2 object of a checked declaration. The L2 creates its
// WebSocketAuthorizer, and the function's permission for API Gateway, when $connect binds it.
func buildAuthorizer(name string, s *Authorizer) awsapigatewayv2.IWebSocketRouteAuthorizer {
	if s.Type == AuthorizerType_IAM {
		return awsapigatewayv2authorizers.NewWebSocketIamAuthorizer()
	}
	authName := authrules.DisplayName(s.Name, name)
	return awsapigatewayv2authorizers.NewWebSocketLambdaAuthorizer(jsii.String("Authorizer-"+name), s.Function, &awsapigatewayv2authorizers.WebSocketLambdaAuthorizerProps{
		AuthorizerName: authName,
		IdentitySource: s.IdentitySource,
	})
}

// routeAuthorizer resolves a route's Authorizer: ok is false when the route must not be
// created (a rule is broken, or the named declaration is, whose errors are reported).
func (a *WebSocketApi) routeAuthorizer(key string, r *Route) (au awsapigatewayv2.IWebSocketRouteAuthorizer, errs []string, ok bool) {
	if r.Authorizer == nil || *r.Authorizer == NoAuthorizer {
		return nil, nil, true
	}
	name := *r.Authorizer
	subject := fmt.Sprintf("route %q", key)
	if key != ConnectRouteKey {
		return nil, []string{subject + ": Authorizer: only the $connect route can have one; API Gateway authorizes once, when the connection is made"}, false
	}
	if !slices.Contains(a.declaredAuthorizers, name) {
		return nil, []string{authrules.UnknownAuthorizer(subject, name, a.declaredAuthorizers)}, false
	}
	a.usedAuthorizers[name] = true
	a.connectAuthorizer = name
	au = a.Authorizers[name]
	return au, nil, au != nil
}

// checkApiKeysFromAuthorizer: API keys read from $context.authorizer.usageIdentifierKey come
// from a Lambda authorizer's answer on $connect, so a route that requires a key needs one.
func (a *WebSocketApi) checkApiKeysFromAuthorizer() []string {
	if a.apiKeySource != apiKeyFromAuthorizer || a.authorizerTypes[a.connectAuthorizer] == AuthorizerType_LAMBDA {
		return nil
	}
	var errs []string
	for _, key := range authrules.SortedNames(a.Routes) {
		if a.keyRequired[key] {
			errs = append(errs, fmt.Sprintf("route %q: ApiKeyRequired with ApiKeySelectionExpression %s needs a LAMBDA authorizer on $connect, whose usageIdentifierKey is the key", key, apiKeyFromAuthorizer))
		}
	}
	return errs
}
