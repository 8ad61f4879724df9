package websocketapi

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
)

// IntegrationType is how a route reaches its backend, as CloudFormation spells it.
type IntegrationType string

const (
	// IntegrationType_AWS_PROXY is a Lambda proxy integration: the function gets the whole
	// request as an events.APIGatewayWebsocketProxyRequest.
	IntegrationType_AWS_PROXY IntegrationType = "AWS_PROXY"
	// IntegrationType_HTTP_PROXY passes the message body to an HTTP URL and, on a two-way
	// route, the response body back.
	IntegrationType_HTTP_PROXY IntegrationType = "HTTP_PROXY"
	// IntegrationType_HTTP calls an HTTP URL with the body a request template makes, and
	// answers with what an integration response template makes of the response.
	IntegrationType_HTTP IntegrationType = "HTTP"
	// IntegrationType_MOCK answers from API Gateway itself: the request template's
	// {"statusCode": N} picks the status, an integration response template the reply.
	IntegrationType_MOCK IntegrationType = "MOCK"
)

// integrationID is the id of each route's integration; the L2 creates the integration
// construct under the route with this id, which is how the CfnIntegration is found again.
const integrationID = "Integration"

// Route is one route and its integration.
type Route struct {
	// Key is the route key: "$connect", "$disconnect", "$default", or a custom key that the
	// route selection expression evaluates to, e.g. "sendmessage".
	Key *string

	// Type is the integration type. It may be left out when Function (AWS_PROXY) or Url
	// (HTTP_PROXY) says it; HTTP and MOCK must be named.
	Type IntegrationType
	// Function is the Lambda function of an AWS_PROXY integration.
	Function awslambda.IFunction
	// Url is the backend of an HTTP or HTTP_PROXY integration; it may use
	// ${stageVariables.name}.
	Url *string
	// Method is the HTTP method of an HTTP or HTTP_PROXY integration; default POST, since a
	// message is a body.
	Method *string
	// Timeout of the integration, 50 ms to 29 s; default 29 s.
	Timeout awscdk.Duration

	// RequestParameters maps route request data into the integration request ("Setting up
	// data mapping for WebSocket APIs"): "integration.request.header.NAME" or
	// "integration.request.querystring.NAME" -> "route.request.body.JSONPATH",
	// "route.request.querystring.NAME" (and header, multivaluequerystring, multivalueheader;
	// $connect only), "stageVariables.NAME", "context.NAME" or "'static'". Route request
	// parameters used here are declared on the route (not required) unless
	// RouteRequestParameters declares them. Not for MOCK integrations, which make no request.
	RequestParameters *map[string]*string
	// RouteRequestParameters declares $connect's query string parameters and headers, each
	// with whether it is required: {"route.request.querystring.token": true}.
	RouteRequestParameters *map[string]*bool

	// RequestTemplates of a non-proxy (HTTP, MOCK) integration, keyed by what
	// TemplateSelectionExpression evaluates to; "$default" is the catch-all.
	RequestTemplates *map[string]*string
	// TemplateSelectionExpression picks a request template: ${request.body.JSONPATH} and
	// static text.
	TemplateSelectionExpression *string
	// PassthroughBehavior of a non-proxy integration when no template matches.
	PassthroughBehavior awsapigatewayv2.PassthroughBehavior

	// ReturnResponse makes the route two-way: a route response with key "$default" sends the
	// integration's response back to the client. Without it nothing is sent back.
	ReturnResponse *bool
	// IntegrationResponses transform a non-proxy integration's response; a two-way route with
	// an HTTP or MOCK integration needs at least one.
	IntegrationResponses *[]*IntegrationResponse

	// ApiKeyRequired makes API Gateway check the caller's API key (see
	// Props.ApiKeySelectionExpression, which it requires) against usage plans of the stage.
	ApiKeyRequired *bool
	// Authorizer names the $connect route's authorizer, a key of Props.Authorizers. API
	// Gateway authorizes a connection once, when it is made, so no other route has one.
	Authorizer *string
}

// IntegrationResponse is one AWS::ApiGatewayV2::IntegrationResponse of a non-proxy integration.
type IntegrationResponse struct {
	// Key is "$default" (the catch-all) or a pattern between slashes matched against the
	// status code, e.g. "/2\\d\\d/".
	Key *string
	// TemplateSelectionExpression picks a response template: ${request.body.JSONPATH},
	// ${integration.response.statuscode}, ${integration.response.header.NAME},
	// ${integration.response.multivalueheader.NAME} and static text.
	TemplateSelectionExpression *string
	// ResponseTemplates make the message sent back, keyed by what TemplateSelectionExpression
	// evaluates to; "$default" is the catch-all.
	ResponseTemplates *map[string]*string
}

// AddRoute adds a route and its integration. It returns nil, and fails synthesis, when the
// route breaks a rule.
func (a *WebSocketApi) AddRoute(r *Route) awsapigatewayv2.WebSocketRoute {
	if r == nil || r.Key == nil {
		a.errs.Addf("route: Key is required, e.g. \"$connect\" or \"sendmessage\"")
		return nil
	}
	key := *r.Key
	if err := checkRouteKey(key); err != nil {
		a.errs.Add(err.Error())
		return nil
	}
	typ, errs := a.checkRoute(key, r)
	if _, dup := a.Routes[key]; dup {
		errs = append(errs, fmt.Sprintf("route %q: defined twice (route keys are unique within an API)", key))
	}
	mapping := checkRequestMapping(key, deref.StringMap(r.RequestParameters))
	errs = append(errs, mapping.errs...)
	authorizer, authErrs, authOK := a.routeAuthorizer(key, r)
	errs = append(errs, authErrs...)
	if len(errs) > 0 {
		a.errs.Add(errs...)
		return nil
	}
	if !authOK {
		return nil // the authorizer's declaration is broken, and its errors fail synthesis
	}

	route := awsapigatewayv2.NewWebSocketRoute(a.Api, jsii.String(a.constructID("", key)+"-Route"), &awsapigatewayv2.WebSocketRouteProps{
		WebSocketApi:   a.Api,
		RouteKey:       jsii.String(key),
		Integration:    boundIntegration(typ, r),
		ReturnResponse: r.ReturnResponse,
		ApiKeyRequired: r.ApiKeyRequired,
		Authorizer:     authorizer,
	})
	integ := route.Node().FindChild(jsii.String(integrationID)).Node().DefaultChild().(awsapigatewayv2.CfnIntegration)
	a.configureIntegration(integ, typ, r)
	if params := routeRequestParameters(r.RouteRequestParameters, mapping.routeParams); params != nil {
		route.Node().DefaultChild().(awsapigatewayv2.CfnRoute).SetRequestParameters(params)
	}
	if r.IntegrationResponses != nil {
		for _, ir := range *r.IntegrationResponses {
			a.addIntegrationResponse(route, integ, ir)
		}
	}
	a.Routes[key] = route
	a.keyRequired[key] = r.ApiKeyRequired != nil && *r.ApiKeyRequired
	return route
}

// checkRoute applies the integration rules to one route and returns its integration type.
func (a *WebSocketApi) checkRoute(key string, r *Route) (IntegrationType, []string) {
	var errs []string
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Sprintf("route %q: ", key)+fmt.Sprintf(format, args...))
	}
	typ := r.Type
	hasFn, hasURL := r.Function != nil, r.Url != nil
	switch {
	case hasFn && hasURL:
		add("set exactly one of Function and Url, not both")
	case typ == "" && hasFn:
		typ = IntegrationType_AWS_PROXY
	case typ == "" && hasURL:
		typ = IntegrationType_HTTP_PROXY
	case typ == "":
		add("needs an integration: set Function (Lambda proxy), Url (HTTP proxy) or Type MOCK")
	}
	switch typ {
	case "":
	case IntegrationType_AWS_PROXY:
		if !hasFn {
			add("integration type %s needs Function", typ)
		}
		if hasURL {
			add("Url does not apply to integration type %s", typ)
		}
	case IntegrationType_HTTP, IntegrationType_HTTP_PROXY:
		if !hasURL {
			add("integration type %s needs Url", typ)
		}
		if hasFn {
			add("Function does not apply to integration type %s", typ)
		}
	case IntegrationType_MOCK:
		if hasFn || hasURL {
			add("a MOCK integration has no backend: Function and Url do not apply")
		}
	default:
		add("integration type %q must be AWS_PROXY, HTTP_PROXY, HTTP or MOCK", typ)
	}
	isHTTP := typ == IntegrationType_HTTP || typ == IntegrationType_HTTP_PROXY
	nonProxy := typ == IntegrationType_HTTP || typ == IntegrationType_MOCK

	if isHTTP && hasURL && !*awscdk.Token_IsUnresolved(r.Url) {
		// A URL built from tokens (another API's endpoint, say) is only known at deploy time.
		if err := stagerules.CheckIntegrationURL(key, *r.Url); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if r.Method != nil {
		if !isHTTP {
			add("Method applies only to HTTP and HTTP_PROXY integrations")
		} else if !integrationMethods[*r.Method] {
			add("integration method %q must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS", *r.Method)
		}
	}
	if r.Timeout != nil && !*r.Timeout.IsUnresolved() {
		ms := *r.Timeout.ToMilliseconds(&awscdk.TimeConversionOptions{Integral: jsii.Bool(false)})
		if err := checkTimeout(key, time.Duration(ms*float64(time.Millisecond))); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if r.RequestParameters != nil && len(*r.RequestParameters) > 0 && typ == IntegrationType_MOCK {
		add("RequestParameters do not apply to a MOCK integration, which makes no request to map them into")
	}
	if r.RouteRequestParameters != nil {
		required := map[string]bool{}
		for k, v := range *r.RouteRequestParameters {
			required[k] = v != nil && *v
		}
		errs = append(errs, checkRouteRequestParameters(key, required)...)
	}

	hasTemplates := r.RequestTemplates != nil || r.TemplateSelectionExpression != nil || r.PassthroughBehavior != ""
	if hasTemplates && typ != "" && !nonProxy {
		add("RequestTemplates, TemplateSelectionExpression and PassthroughBehavior apply only to non-proxy (HTTP, MOCK) integrations; %s passes the request through", typ)
	}
	if r.RequestTemplates != nil {
		errs = append(errs, checkTemplates(fmt.Sprintf("route %q: request templates", key), deref.StringMap(r.RequestTemplates))...)
	}
	if r.TemplateSelectionExpression != nil {
		errs = append(errs, checkSelection(fmt.Sprintf("route %q: template selection expression", key), requestTemplateSelection, *r.TemplateSelectionExpression)...)
	}
	switch r.PassthroughBehavior {
	case "", awsapigatewayv2.PassthroughBehavior_WHEN_NO_MATCH, awsapigatewayv2.PassthroughBehavior_NEVER, awsapigatewayv2.PassthroughBehavior_WHEN_NO_TEMPLATES:
	default:
		add("passthrough behavior %q must be WHEN_NO_MATCH, NEVER or WHEN_NO_TEMPLATES", r.PassthroughBehavior)
	}

	twoWay := r.ReturnResponse != nil && *r.ReturnResponse
	responses := 0
	if r.IntegrationResponses != nil {
		responses = len(*r.IntegrationResponses)
	}
	switch {
	case twoWay && key == DisconnectRouteKey:
		add("ReturnResponse: $disconnect runs after the connection is closed, so nothing can be sent back")
	case responses > 0 && typ != "" && !nonProxy:
		add("IntegrationResponses apply only to non-proxy (HTTP, MOCK) integrations; %s passes the response through as it is", typ)
	case twoWay && nonProxy && responses == 0:
		add("a two-way route with integration type %s needs at least one IntegrationResponse (e.g. key \"$default\"), or nothing is sent back", typ)
	case !twoWay && responses > 0:
		// Allowed by API Gateway, but almost certainly a forgotten ReturnResponse.
		awscdk.Annotations_Of(a.Construct).AddWarningV2(jsii.String("gatehouse:websocketapi:one-way-integration-responses"),
			jsii.String(fmt.Sprintf("route %q: has IntegrationResponses but no ReturnResponse; a one-way route sends nothing back, whatever its integration responses", key)))
	}
	if r.IntegrationResponses != nil {
		seen := map[string]bool{}
		for i, ir := range *r.IntegrationResponses {
			if ir == nil || ir.Key == nil {
				add("integration response %d: Key is required (\"$default\" or a pattern like \"/2\\d\\d/\")", i)
				continue
			}
			k := *ir.Key
			if err := checkIntegrationResponseKey(key, k); err != nil {
				errs = append(errs, err.Error())
			}
			if seen[k] {
				add("integration response %q: defined twice", k)
			}
			seen[k] = true
			if ir.TemplateSelectionExpression != nil {
				errs = append(errs, checkSelection(fmt.Sprintf("route %q: integration response %q: template selection expression", key, k), responseTemplateSelection, *ir.TemplateSelectionExpression)...)
			}
			if ir.ResponseTemplates != nil {
				errs = append(errs, checkTemplates(fmt.Sprintf("route %q: integration response %q: response templates", key, k), deref.StringMap(ir.ResponseTemplates))...)
			}
		}
	}

	if r.ApiKeyRequired != nil && *r.ApiKeyRequired && !a.hasApiKeySource {
		add("ApiKeyRequired needs the API's ApiKeySelectionExpression (HEADER_X_API_KEY or AUTHORIZER_USAGE_IDENTIFIER_KEY), which says where keys are read from")
	}
	return typ, errs
}

// boundIntegration is the L2 integration a checked route is created with. The L2 has no HTTP
// integration for WebSocket APIs, so HTTP routes are bound as MOCK and configureIntegration then
// turns their CfnIntegration into HTTP or HTTP_PROXY.
func boundIntegration(typ IntegrationType, r *Route) awsapigatewayv2.WebSocketRouteIntegration {
	if typ == IntegrationType_AWS_PROXY {
		return awsapigatewayv2integrations.NewWebSocketLambdaIntegration(jsii.String(integrationID), r.Function, nil)
	}
	return awsapigatewayv2integrations.NewWebSocketMockIntegration(jsii.String(integrationID), &awsapigatewayv2integrations.WebSocketMockIntegrationProps{
		RequestTemplates:            r.RequestTemplates,
		TemplateSelectionExpression: r.TemplateSelectionExpression,
	})
}

// configureIntegration sets what the L2 integrations do not model on the CfnIntegration.
func (a *WebSocketApi) configureIntegration(cfn awsapigatewayv2.CfnIntegration, typ IntegrationType, r *Route) {
	if typ == IntegrationType_HTTP || typ == IntegrationType_HTTP_PROXY {
		method := "POST"
		if r.Method != nil {
			method = *r.Method
		}
		cfn.SetIntegrationType(jsii.String(string(typ)))
		cfn.SetIntegrationUri(r.Url)
		cfn.SetIntegrationMethod(jsii.String(method))
	}
	if r.Timeout != nil {
		cfn.SetTimeoutInMillis(r.Timeout.ToMilliseconds(&awscdk.TimeConversionOptions{Integral: jsii.Bool(false)}))
	}
	if r.PassthroughBehavior != "" {
		cfn.SetPassthroughBehavior(jsii.String(string(r.PassthroughBehavior)))
	}
	if r.RequestParameters != nil && len(*r.RequestParameters) > 0 {
		cfn.SetRequestParameters(anyMap(deref.StringMap(r.RequestParameters)))
	}
}

// routeRequestParameters renders the route's declared request parameters in CloudFormation's
// shape, {"route.request.querystring.token": {"Required": true}}, adding the ones the data
// mapping uses but the route does not declare, as not required.
func routeRequestParameters(declared *map[string]*bool, used []string) map[string]any {
	out := map[string]any{}
	if declared != nil {
		for k, v := range *declared {
			out[k] = map[string]any{"Required": v != nil && *v}
		}
	}
	for _, k := range used {
		if _, ok := out[k]; !ok {
			out[k] = map[string]any{"Required": false}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// hasRoute reports whether the API has a route with this route key.
func (a *WebSocketApi) hasRoute(key string) bool {
	_, ok := a.Routes[key]
	return ok
}
