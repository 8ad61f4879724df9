package httpapi

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/validation"
)

// Props configures an HTTP API.
type Props struct {
	// ApiName is the API's Name; default: the construct id.
	ApiName     *string
	Description *string
	// Cors is passed to the L2 as CorsPreflight; API Gateway then answers preflight requests
	// itself and ignores CORS headers from integrations.
	Cors                      *awsapigatewayv2.CorsPreflightOptions
	DisableExecuteApiEndpoint *bool

	// DefaultStage configures the "$default" stage the API gets unless NoDefaultStage is set
	// (its Name, if given, must be "$default").
	DefaultStage   *StageOptions
	NoDefaultStage *bool
	// Stages are further stages, each served at /{name}.
	Stages *[]*StageOptions

	// Authorizers declares the API's authorizers by name; routes name theirs in Route.Authorizer.
	Authorizers *map[string]*Authorizer
	// DefaultAuthorizer names the authorizer of every route that does not name its own (a
	// route opts out with NoAuthorizer). It is also the L2's default, for routes added to Api
	// directly.
	DefaultAuthorizer *string
	// DefaultAuthorizationScopes are the scopes of the routes that use the default authorizer
	// and set no AuthorizationScopes; a JWT or USER_POOL default only.
	DefaultAuthorizationScopes *[]*string

	// Routes are added in order, as by AddRoute.
	Routes *[]*Route
}

// StageOptions configures one stage.
type StageOptions struct {
	// Name is the stage name: "$default" or letters, digits, "-" and "_" (up to 128).
	Name *string
	// AutoDeploy deploys every change to the API to this stage; default true, since the L2
	// creates no Deployment resources of its own.
	AutoDeploy  *bool
	Description *string
	// Variables are the stage variables, ${stageVariables.name} in integrations and mappings.
	Variables *map[string]*string
	// Throttle is the stage's default route throttling.
	Throttle *awsapigatewayv2.ThrottleSettings
	// RouteThrottle overrides Throttle for single routes, keyed by route key ("GET /items/{id}").
	RouteThrottle *map[string]*awsapigatewayv2.ThrottleSettings
}

// Route is one route and its integration: exactly one of Function and Url.
type Route struct {
	// Key is the route key: "$default" or "METHOD /path", e.g. "GET /items/{id}", "ANY /{proxy+}".
	Key *string

	// Function makes this a Lambda proxy integration.
	Function awslambda.IFunction
	// PayloadFormatVersion of a Lambda integration: VERSION_2_0 (default) or VERSION_1_0.
	PayloadFormatVersion awsapigatewayv2.PayloadFormatVersion

	// Authorizer names the route's authorizer, a key of Props.Authorizers; default: the API's
	// DefaultAuthorizer. NoAuthorizer ("NONE") serves the route without one.
	Authorizer *string
	// AuthorizationScopes: a token must hold at least one of them (JWT and USER_POOL
	// authorizers). Default: the API's DefaultAuthorizationScopes when the route uses the
	// default authorizer.
	AuthorizationScopes *[]*string

	// Url makes this an HTTP proxy integration to that URL; it may use {proxy}-style path
	// variables of the route and ${stageVariables.x}.
	Url *string
	// Method is the HTTP proxy integration's method; default ANY (the client's method).
	Method awsapigatewayv2.HttpMethod

	// RequestParameters maps the request before it reaches the integration.
	RequestParameters awsapigatewayv2.ParameterMapping
	// ResponseParameters maps the integration's response, keyed by the status code it returns
	// ("200".."599"); e.g. ParameterMapping.AppendHeader, or Custom("overwrite:statuscode", "204").
	ResponseParameters *map[string]awsapigatewayv2.ParameterMapping

	// Timeout of the integration, 50 ms to 30 s; default 30 s.
	Timeout awscdk.Duration
}

// HttpApi is an API Gateway HTTP API with its stages and routes.
type HttpApi struct {
	constructs.Construct

	// Api is the underlying L2, for anything this package does not model.
	Api awsapigatewayv2.HttpApi
	// Stages holds every stage by name, "$default" included.
	Stages map[string]awsapigatewayv2.IHttpStage
	// Routes holds every route by route key.
	Routes map[string]awsapigatewayv2.HttpRoute
	// Authorizers holds the L2 authorizer of every valid declaration by name: an
	// awsapigatewayv2authorizers.HttpLambdaAuthorizer, HttpJwtAuthorizer,
	// HttpUserPoolAuthorizer or HttpIamAuthorizer. Their AuthorizerId is known once a route
	// uses them.
	Authorizers map[string]awsapigatewayv2.IHttpRouteAuthorizer

	errs           *validation.Errors
	routeShapes    map[string]string // shape -> first route key with it
	stageOrder     []string
	routeThrottles stagerules.RouteThrottles

	authorizers         map[string]*authorizer // checked declarations by name
	declaredAuthorizers []string               // every declared name, in order, valid or not
	usedAuthorizers     map[string]bool
	defaultAuthorizer   string
	defaultScopes       []string
}

// New creates an HTTP API. Configuration errors do not panic: they fail synthesis with this
// construct's path, all at once.
func New(scope constructs.Construct, id *string, props *Props) *HttpApi {
	if props == nil {
		props = &Props{}
	}
	a := &HttpApi{
		Construct:   constructs.NewConstruct(scope, id),
		Stages:      map[string]awsapigatewayv2.IHttpStage{},
		Routes:      map[string]awsapigatewayv2.HttpRoute{},
		Authorizers: map[string]awsapigatewayv2.IHttpRouteAuthorizer{},
		routeShapes: map[string]string{},

		authorizers:     map[string]*authorizer{},
		usedAuthorizers: map[string]bool{},
	}
	a.errs = validation.Attach(a.Construct)
	// Route throttling must name routes of this API, which may be added after the stages.
	a.errs.Defer(func() []string { return a.routeThrottles.CheckRoutes(a.hasRoute) })

	cors := props.Cors
	if cors != nil {
		if errs := checkCORS(corsFromOptions(cors)); len(errs) > 0 {
			// Kept from the L2, which would throw without naming the construct path; the
			// recorded errors fail synthesis with it instead.
			a.errs.Add(errs...)
			cors = nil
		}
	}
	name := props.ApiName
	if name == nil {
		name = id
	}
	createDefault := stagerules.WantDefault(a.errs, props.NoDefaultStage, props.DefaultStage != nil)
	a.addAuthorizers(props.Authorizers)
	defaultAuthorizer, defaultScopes := a.checkDefaultAuthorizer(props.DefaultAuthorizer, props.DefaultAuthorizationScopes)
	a.Api = awsapigatewayv2.NewHttpApi(a.Construct, jsii.String("Api"), &awsapigatewayv2.HttpApiProps{
		ApiName:                    name,
		Description:                props.Description,
		CorsPreflight:              cors,
		DisableExecuteApiEndpoint:  props.DisableExecuteApiEndpoint,
		CreateDefaultStage:         jsii.Bool(createDefault),
		DefaultAuthorizer:          defaultAuthorizer,
		DefaultAuthorizationScopes: defaultScopes,
	})

	if createDefault {
		a.configureDefaultStage(props.DefaultStage)
	}
	for _, s := range deref.Slice(props.Stages) {
		a.AddStage(s)
	}
	for _, r := range deref.Slice(props.Routes) {
		a.AddRoute(r)
	}
	return a
}

// Url returns the URL of the named stage ("$default" is the API's root), or nil if there is no
// such stage.
func (a *HttpApi) Url(stage string) *string {
	s, ok := a.Stages[stage]
	if !ok {
		return nil
	}
	return s.Url()
}

// ApiEndpoint is the API's base URL without a stage, "https://{api-id}.execute-api.{region}.{suffix}".
func (a *HttpApi) ApiEndpoint() *string { return a.Api.ApiEndpoint() }

// outputID is the construct id of a stage's URL output.
func outputID(stage string) string {
	if stage == DefaultRouteKey {
		return "DefaultStageUrl"
	}
	return "Stage" + strings.NewReplacer("-", "", "_", "").Replace(stage) + "Url"
}

func corsFromOptions(o *awsapigatewayv2.CorsPreflightOptions) corsConfig {
	c := corsConfig{AllowCredentials: o.AllowCredentials != nil && *o.AllowCredentials}
	if o.AllowOrigins != nil {
		for _, origin := range *o.AllowOrigins {
			if origin != nil && !*awscdk.Token_IsUnresolved(origin) {
				c.AllowOrigins = append(c.AllowOrigins, *origin)
			}
		}
	}
	if o.MaxAge != nil && !*o.MaxAge.IsUnresolved() {
		c.MaxAgeSeconds = o.MaxAge.ToSeconds(&awscdk.TimeConversionOptions{Integral: jsii.Bool(false)})
	}
	return c
}
