package restapi

import (
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/authrules"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
)

// AuthorizerType is the kind of a REST API authorizer.
type AuthorizerType string

const (
	// AuthorizerType_TOKEN runs a Lambda function with one header's value, the token
	// (awsapigateway.TokenAuthorizer); it answers with an IAM policy.
	AuthorizerType_TOKEN AuthorizerType = "TOKEN"
	// AuthorizerType_REQUEST runs a Lambda function with the request's headers, query string,
	// stage variables and context (awsapigateway.RequestAuthorizer); it answers with an IAM
	// policy.
	AuthorizerType_REQUEST AuthorizerType = "REQUEST"
	// AuthorizerType_COGNITO verifies an Amazon Cognito user pool's identity or access token
	// (awsapigateway.CognitoUserPoolsAuthorizer); methods with AuthorizationScopes take access
	// tokens holding one of them.
	AuthorizerType_COGNITO AuthorizerType = "COGNITO"
	// AuthorizerType_IAM requires requests signed with SigV4 by a principal allowed
	// execute-api:Invoke on the method (awsapigateway.AuthorizationType_IAM); it has no L2
	// object.
	AuthorizerType_IAM AuthorizerType = "IAM"
)

var authorizerTypes = []string{string(AuthorizerType_TOKEN), string(AuthorizerType_REQUEST), string(AuthorizerType_COGNITO), string(AuthorizerType_IAM)}

// NoAuthorizer, as a method's Authorizer, serves the method without authorization when the
// API has a DefaultAuthorizer.
const NoAuthorizer = authrules.NoAuthorizer

// DefaultIdentitySource is where TOKEN, REQUEST and COGNITO authorizers read the identity from
// unless IdentitySource says otherwise.
const DefaultIdentitySource = "method.request.header.Authorization"

// Authorizer declares one authorizer of a REST API, under a name (its key in Props.Authorizers)
// that methods give as their Authorizer.
type Authorizer struct {
	// Type is the kind of authorizer; required.
	Type AuthorizerType
	// Name is the authorizer's Name in API Gateway; default: its key in Props.Authorizers.
	Name *string
	// Function decides a TOKEN or REQUEST authorizer's requests.
	Function awslambda.IFunction
	// IdentitySource lists where the identity is read from; default
	// ["method.request.header.Authorization"]. TOKEN and COGNITO authorizers read one header,
	// "method.request.header.NAME"; REQUEST authorizers any of "method.request.header.NAME",
	// "method.request.querystring.NAME", "stageVariables.NAME" and "context.NAME" (an empty list
	// with caching off runs the authorizer for every request). A request missing any of them
	// gets 401 without the authorizer running. Not for IAM.
	IdentitySource *[]*string
	// ValidationExpression is a regular expression a TOKEN or COGNITO authorizer's token must
	// match, or the request gets 401 without the authorizer running.
	ValidationExpression *string
	// ResultsCacheTtl caches the answer per identity source values: 0 (off) to 1 hour; default
	// 5 minutes. Not for IAM.
	ResultsCacheTtl awscdk.Duration
	// UserPools are a COGNITO authorizer's user pools; a token from any of them is accepted.
	UserPools *[]awscognito.IUserPool
}

// authorizer is a checked declaration and its L2 object, made when a method first uses it
// (never for IAM).
type authorizer struct {
	name string
	spec *Authorizer
	typ  AuthorizerType
	l2   awsapigateway.IAuthorizer
}

// authorizationType is what a method with this authorizer declares.
func (au *authorizer) authorizationType() awsapigateway.AuthorizationType {
	switch au.typ {
	case AuthorizerType_COGNITO:
		return awsapigateway.AuthorizationType_COGNITO
	case AuthorizerType_IAM:
		return awsapigateway.AuthorizationType_IAM
	}
	return awsapigateway.AuthorizationType_CUSTOM
}

// addAuthorizers checks every declared authorizer, in name order. The L2 REST authorizers are
// constructs that fail synthesis unless a method binds them to an API, so each is created
// when the first method that uses it is added, and one no method uses is reported.
func (a *RestApi) addAuthorizers(specs *map[string]*Authorizer) {
	// Broken declarations are left out: their own errors say what to fix first.
	a.errs.Defer(func() []string {
		return authrules.CheckUsed(authrules.SortedNames(a.authorizers), a.usedAuthorizers, "method", "a method's Authorizer (or the API's DefaultAuthorizer)")
	})
	a.declaredAuthorizers = authrules.Declare(specs, a.errs.Add, checkAuthorizer, func(name string, spec *Authorizer) {
		a.authorizers[name] = &authorizer{name: name, spec: spec, typ: spec.Type}
	})
}

// checkAuthorizer applies the guide's rules to one declaration.
func checkAuthorizer(name string, s *Authorizer) []string {
	typ := string(s.Type)
	if err := authrules.CheckType(name, typ, authorizerTypes); err != nil {
		return []string{err.Error()}
	}
	lambda := []string{"TOKEN", "REQUEST"}
	notIAM := []string{"TOKEN", "REQUEST", "COGNITO"}
	errs := authrules.CheckFields(name, typ, []authrules.Field{
		{Name: "Function", Set: s.Function != nil, For: lambda, Required: true},
		{Name: "UserPools", Set: s.UserPools != nil, For: []string{"COGNITO"}, Required: true},
		{Name: "IdentitySource", Set: s.IdentitySource != nil, For: notIAM},
		{Name: "ValidationExpression", Set: s.ValidationExpression != nil, For: []string{"TOKEN", "COGNITO"}},
		{Name: "ResultsCacheTtl", Set: s.ResultsCacheTtl != nil, For: notIAM},
	})
	if s.Type == AuthorizerType_IAM {
		return errs
	}
	sources := authrules.IdentitySources(s.IdentitySource, DefaultIdentitySource)
	rule := authrules.SourceRule{Kind: "a REQUEST authorizer"}
	if s.Type != AuthorizerType_REQUEST {
		rule = authrules.SourceRule{Kind: authrules.Article(typ) + " authorizer", Only: []authrules.Location{authrules.Header}, One: true}
	}
	errs = append(errs, authrules.CheckIdentitySources(stagerules.REST, name, sources, rule)...)
	if ttl, ok := authrules.CacheSeconds(s.ResultsCacheTtl); ok {
		errs = append(errs, authrules.CheckCacheTTL(name, ttl, len(sources))...)
	}
	if s.ValidationExpression != nil && !unresolved(*s.ValidationExpression) {
		if err := authrules.CheckValidationExpression(name, *s.ValidationExpression); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if s.UserPools != nil && len(*s.UserPools) == 0 {
		errs = append(errs, authrules.Subject(name)+": UserPools must hold at least one user pool")
	}
	return errs
}

// buildAuthorizer makes the L2 authorizer of a checked declaration; IAM has none.
func (a *RestApi) buildAuthorizer(name string, s *Authorizer) awsapigateway.IAuthorizer {
	id := jsii.String("Authorizer-" + name)
	authName := authrules.DisplayName(s.Name, name)
	var header *string
	if s.IdentitySource != nil && len(*s.IdentitySource) == 1 {
		header = (*s.IdentitySource)[0]
	}
	switch s.Type {
	case AuthorizerType_TOKEN:
		return awsapigateway.NewTokenAuthorizer(a.Construct, id, &awsapigateway.TokenAuthorizerProps{
			Handler: s.Function, AuthorizerName: authName, IdentitySource: header,
			ValidationRegex: s.ValidationExpression, ResultsCacheTtl: s.ResultsCacheTtl,
		})
	case AuthorizerType_REQUEST:
		sources := s.IdentitySource
		if sources == nil {
			sources = jsii.Strings(DefaultIdentitySource)
		}
		return awsapigateway.NewRequestAuthorizer(a.Construct, id, &awsapigateway.RequestAuthorizerProps{
			Handler: s.Function, AuthorizerName: authName, IdentitySources: sources,
			ResultsCacheTtl: s.ResultsCacheTtl,
		})
	case AuthorizerType_COGNITO:
		au := awsapigateway.NewCognitoUserPoolsAuthorizer(a.Construct, id, &awsapigateway.CognitoUserPoolsAuthorizerProps{
			CognitoUserPools: s.UserPools, AuthorizerName: authName, IdentitySource: header,
			ResultsCacheTtl: s.ResultsCacheTtl,
		})
		if s.ValidationExpression != nil {
			// CognitoUserPoolsAuthorizerProps has no validation regex; the CfnAuthorizer has.
			au.Node().DefaultChild().(awsapigateway.CfnAuthorizer).SetIdentityValidationExpression(s.ValidationExpression)
		}
		return au
	}
	return nil
}

// checkDefaultAuthorizer checks Props.DefaultAuthorizer and DefaultAuthorizationScopes and
// records them for the methods added through this construct. They are not given to the L2
// as DefaultMethodOptions: a method under an L2 default Lambda authorizer cannot be made IAM
// (the L2 refuses the mismatch), while a method here can name any authorizer.
func (a *RestApi) checkDefaultAuthorizer(name *string, scopes *[]*string) {
	if name == nil {
		if scopes != nil {
			a.errs.Addf("DefaultAuthorizationScopes need a DefaultAuthorizer of type COGNITO")
		}
		return
	}
	n := *name
	switch {
	case n == NoAuthorizer:
		a.errs.Addf("DefaultAuthorizer %q: leave it unset for an API without a default authorizer", n)
		return
	case !slices.Contains(a.declaredAuthorizers, n):
		a.errs.Add(authrules.UnknownAuthorizer("DefaultAuthorizer", n, a.declaredAuthorizers))
		return
	}
	au := a.authorizers[n]
	if au == nil {
		return // its declaration's errors are reported
	}
	a.defaultAuthorizer = n
	s := deref.Strings(scopes)
	if errs := authrules.CheckScopes("DefaultAuthorizationScopes", s, au.typ == AuthorizerType_COGNITO, fmt.Sprintf("%s (%s)", authrules.Subject(n), au.typ), "COGNITO authorizers"); len(errs) > 0 {
		a.errs.Add(errs...)
		return
	}
	a.defaultScopes = s
}

// methodAuth is how one method is authorized.
type methodAuth struct {
	au     *authorizer // nil for none
	scopes []string
	// broken: the method names an authorizer whose declaration is broken (and reported).
	broken bool
}

// authorization resolves a method's authorizer and scopes: its own Authorizer, else the API's
// default; its own AuthorizationScopes, else the default scopes when it uses the default
// authorizer.
func (a *RestApi) authorization(k methodKey, m *Method) (ma methodAuth, errs []string) {
	subject := fmt.Sprintf("method %q", k)
	name := a.defaultAuthorizer
	if m.Authorizer != nil {
		name = *m.Authorizer
	}
	var au *authorizer
	switch {
	case name == "" || name == NoAuthorizer:
		name = ""
	case !slices.Contains(a.declaredAuthorizers, name):
		errs = append(errs, authrules.UnknownAuthorizer(subject, name, a.declaredAuthorizers))
	default:
		a.usedAuthorizers[name] = true
		au = a.authorizers[name]
		if au == nil {
			return methodAuth{broken: true}, nil
		}
	}
	var scopes []string
	if m.AuthorizationScopes != nil {
		scopes = deref.Strings(m.AuthorizationScopes)
	} else if name != "" && name == a.defaultAuthorizer {
		scopes = a.defaultScopes
	}
	switch {
	case len(scopes) == 0:
	case au != nil:
		errs = append(errs, authrules.CheckScopes(subject, scopes, au.typ == AuthorizerType_COGNITO, fmt.Sprintf("%s (%s)", authrules.Subject(name), au.typ), "COGNITO authorizers")...)
	case name == "":
		errs = append(errs, subject+": AuthorizationScopes need a COGNITO authorizer; the method has none")
	}
	if m.ApiKeyRequired != nil && *m.ApiKeyRequired && a.apiKeySource == awsapigateway.ApiKeySourceType_AUTHORIZER &&
		(au == nil || au.typ == AuthorizerType_COGNITO || au.typ == AuthorizerType_IAM) {
		errs = append(errs, subject+": ApiKeyRequired with ApiKeySource AUTHORIZER needs a TOKEN or REQUEST authorizer on the method, whose usageIdentifierKey is the key")
	}
	return methodAuth{au: au, scopes: scopes}, errs
}

// bind sets a checked method's authorization on its options, creating its L2 authorizer on
// first use.
func (a *RestApi) bind(ma methodAuth, opts *awsapigateway.MethodOptions) {
	if ma.au == nil {
		opts.AuthorizationType = awsapigateway.AuthorizationType_NONE
		return
	}
	if ma.au.l2 == nil && ma.au.typ != AuthorizerType_IAM {
		ma.au.l2 = a.buildAuthorizer(ma.au.name, ma.au.spec)
		a.Authorizers[ma.au.name] = ma.au.l2
	}
	opts.AuthorizationType = ma.au.authorizationType()
	opts.Authorizer = ma.au.l2
	if len(ma.scopes) > 0 {
		opts.AuthorizationScopes = jsii.Strings(ma.scopes...)
	}
}
