package restapi

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
)

// IntegrationType is how a method reaches its backend, as CloudFormation spells it.
type IntegrationType string

const (
	// IntegrationType_AWS_PROXY is a Lambda proxy integration: the function gets the whole
	// request as an events.APIGatewayProxyRequest and returns the whole response.
	IntegrationType_AWS_PROXY IntegrationType = "AWS_PROXY"
	// IntegrationType_AWS is a Lambda custom (non-proxy) integration: a request template makes
	// the function's event, and integration responses, selected by the Lambda error message,
	// make the response.
	IntegrationType_AWS IntegrationType = "AWS"
	// IntegrationType_HTTP_PROXY passes the request to an HTTP URL and its response back.
	IntegrationType_HTTP_PROXY IntegrationType = "HTTP_PROXY"
	// IntegrationType_HTTP calls an HTTP URL with what request parameters and templates make,
	// and answers with what the integration response selected by the status code makes.
	IntegrationType_HTTP IntegrationType = "HTTP"
	// IntegrationType_MOCK answers from API Gateway itself: the request template's
	// {"statusCode": N} selects the integration response.
	IntegrationType_MOCK IntegrationType = "MOCK"
)

// Integration is a method's backend.
type Integration struct {
	// Type may be left out when Function (AWS_PROXY) or Url (HTTP_PROXY) says it; AWS, HTTP and
	// MOCK must be named.
	Type IntegrationType
	// Function is the Lambda function of an AWS_PROXY or AWS integration.
	Function awslambda.IFunction
	// Url is the endpoint of an HTTP or HTTP_PROXY integration. It may use
	// ${stageVariables.name} and {name} placeholders, which integration.request.path.name
	// fills; a placeholder named like a path variable of the method is mapped from it unless
	// RequestParameters maps it.
	Url *string
	// HttpMethod is the method an HTTP or HTTP_PROXY integration calls Url with; default: the
	// method's own (ANY passes the client's on).
	HttpMethod *string
	// RequestParameters map method request data into the integration request:
	// "integration.request.header|querystring|path.NAME" -> "method.request.header|querystring|
	// multivalueheader|multivaluequerystring|path.NAME", "method.request.body[.JSONPATH]",
	// "stageVariables.NAME", "context.NAME" or "'static'".
	RequestParameters *map[string]*string
	// RequestTemplates of a non-proxy (AWS, HTTP, MOCK) integration, by request content type.
	RequestTemplates *map[string]*string
	// PassthroughBehavior of a non-proxy integration when no template matches the content type.
	PassthroughBehavior awsapigateway.PassthroughBehavior
	// ContentHandling converts the request body: CONVERT_TO_TEXT (binary to base64) or
	// CONVERT_TO_BINARY; unset passes it as it is.
	ContentHandling awsapigateway.ContentHandling
	// Responses of a non-proxy integration, which needs at least one. SelectionPattern is
	// matched against the Lambda error message (AWS) or the status code (HTTP, MOCK), as a Java
	// regular expression that must also be valid in Go; the one without a pattern is the
	// default.
	Responses *[]*awsapigateway.IntegrationResponse
	// Timeout of the integration, 50 ms to 29 s; default 29 s.
	Timeout awscdk.Duration
}

// integrationPlan is a checked integration: what the method must declare, the responses, and
// how to make the L2 integration once every rule has passed.
type integrationPlan struct {
	typ IntegrationType
	// declare are the method request parameters the mapping reads.
	declare []string
	// responses are the integration responses, checked.
	responses   []*awsapigateway.IntegrationResponse
	integration func() awsapigateway.Integration
}

// planIntegration checks a method's integration.
func (a *RestApi) planIntegration(k methodKey, in *Integration) (integrationPlan, []string) {
	var errs []string
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Sprintf("method %q: ", k)+fmt.Sprintf(format, args...))
	}
	if in == nil {
		add("Integration is required: API Gateway refuses to deploy a method without one")
		return integrationPlan{}, errs
	}
	typ := in.Type
	hasFn, hasURL := in.Function != nil, in.Url != nil
	switch {
	case hasFn && hasURL:
		add("set one of Integration.Function and Integration.Url, not both")
	case typ == "" && hasFn:
		typ = IntegrationType_AWS_PROXY
	case typ == "" && hasURL:
		typ = IntegrationType_HTTP_PROXY
	case typ == "":
		add("Integration needs a backend: Function (Lambda proxy), Url (HTTP proxy) or Type MOCK")
	}
	isLambda := typ == IntegrationType_AWS_PROXY || typ == IntegrationType_AWS
	isHTTP := typ == IntegrationType_HTTP || typ == IntegrationType_HTTP_PROXY
	nonProxy := typ == IntegrationType_AWS || typ == IntegrationType_HTTP || typ == IntegrationType_MOCK
	switch {
	case typ == "":
	case isLambda:
		if !hasFn {
			add("integration type %s needs Function", typ)
		}
	case isHTTP:
		if !hasURL {
			add("integration type %s needs Url", typ)
		}
	case typ == IntegrationType_MOCK:
		if hasFn || hasURL {
			add("a MOCK integration has no backend: Function and Url do not apply")
		}
	default:
		add("integration type %q must be AWS_PROXY, AWS, HTTP_PROXY, HTTP or MOCK", typ)
	}
	if hasFn && !isLambda && typ != "" && typ != IntegrationType_MOCK {
		add("Function does not apply to integration type %s", typ)
	}
	if hasURL && !isHTTP && typ != "" && typ != IntegrationType_MOCK {
		add("Url does not apply to integration type %s", typ)
	}

	if in.HttpMethod != nil {
		if !isHTTP {
			add("HttpMethod applies only to HTTP and HTTP_PROXY integrations")
		} else if !verbs[*in.HttpMethod] {
			add("integration HttpMethod %q must be one of ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS", *in.HttpMethod)
		}
	}
	if in.Timeout != nil && !*in.Timeout.IsUnresolved() {
		ms := *in.Timeout.ToMilliseconds(&awscdk.TimeConversionOptions{Integral: jsii.Bool(false)})
		if err := checkTimeout(k, time.Duration(ms*float64(time.Millisecond))); err != nil {
			errs = append(errs, err.Error())
		}
	}
	switch in.ContentHandling {
	case "", awsapigateway.ContentHandling_CONVERT_TO_BINARY, awsapigateway.ContentHandling_CONVERT_TO_TEXT:
	default:
		add("ContentHandling %q must be CONVERT_TO_BINARY or CONVERT_TO_TEXT", in.ContentHandling)
	}

	// Request mapping: the declared parameters, and the URL's placeholders.
	requestParams := deref.StringMap(in.RequestParameters)
	if len(requestParams) > 0 && typ == IntegrationType_MOCK {
		add("RequestParameters do not apply to a MOCK integration, which makes no request to map them into")
	}
	if isHTTP && hasURL {
		// A URL built from tokens (this or another API's id) is only known at deploy time,
		// but its placeholders are plain text and still need their mappings.
		if !unresolved(*in.Url) {
			if err := stagerules.IntegrationURLError(*in.Url); err != nil {
				add("%v", err)
			}
		}
		for _, name := range urlPathVars(*in.Url) {
			dest := "integration.request.path." + name
			if _, ok := requestParams[dest]; ok {
				continue
			}
			if _, ok := k.Vars[name]; !ok {
				add("Url placeholder {%s} needs RequestParameters[%q], and the path %s has no variable {%s} to fill it from", name, dest, k.Path, name)
				continue
			}
			if requestParams == nil {
				requestParams = map[string]string{}
			}
			requestParams[dest] = "method.request.path." + name
		}
	}
	mapping := checkRequestMapping(k, requestParams)
	errs = append(errs, mapping.errs...)

	// Templates and responses, for non-proxy integrations only.
	hasTemplates := in.RequestTemplates != nil || in.PassthroughBehavior != ""
	if hasTemplates && typ != "" && !nonProxy {
		add("RequestTemplates and PassthroughBehavior apply only to non-proxy (AWS, HTTP, MOCK) integrations; %s passes the request through", typ)
	}
	if in.RequestTemplates != nil {
		errs = append(errs, checkTemplates(fmt.Sprintf("method %q: request templates", k), deref.StringMap(in.RequestTemplates))...)
	}
	switch in.PassthroughBehavior {
	case "", awsapigateway.PassthroughBehavior_WHEN_NO_MATCH, awsapigateway.PassthroughBehavior_NEVER, awsapigateway.PassthroughBehavior_WHEN_NO_TEMPLATES:
	default:
		add("PassthroughBehavior %q must be WHEN_NO_MATCH, WHEN_NO_TEMPLATES or NEVER", in.PassthroughBehavior)
	}
	responses := deref.Slice(in.Responses)
	switch {
	case len(responses) > 0 && typ != "" && !nonProxy:
		add("Responses apply only to non-proxy (AWS, HTTP, MOCK) integrations; %s passes the response through as it is", typ)
	case len(responses) == 0 && nonProxy:
		add("a %s integration needs at least one integration response (e.g. StatusCode \"200\"), or every call ends in 500 Internal server error", typ)
	case nonProxy:
		errs = append(errs, checkIntegrationResponses(k, typ, responses)...)
	}

	plan := integrationPlan{typ: typ, declare: mapping.declared, responses: responses}
	plan.integration = func() awsapigateway.Integration {
		opts := &awsapigateway.IntegrationOptions{
			ContentHandling:     in.ContentHandling,
			PassthroughBehavior: in.PassthroughBehavior,
			RequestTemplates:    in.RequestTemplates,
			Timeout:             in.Timeout,
		}
		if len(requestParams) > 0 {
			opts.RequestParameters = strMap(requestParams)
		}
		if len(responses) > 0 {
			opts.IntegrationResponses = &responses
		}
		switch typ {
		case IntegrationType_AWS_PROXY, IntegrationType_AWS:
			return awsapigateway.NewLambdaIntegration(in.Function, &awsapigateway.LambdaIntegrationOptions{
				Proxy:                jsii.Bool(typ == IntegrationType_AWS_PROXY),
				ContentHandling:      opts.ContentHandling,
				PassthroughBehavior:  opts.PassthroughBehavior,
				RequestTemplates:     opts.RequestTemplates,
				RequestParameters:    opts.RequestParameters,
				IntegrationResponses: opts.IntegrationResponses,
				Timeout:              opts.Timeout,
			})
		case IntegrationType_HTTP_PROXY, IntegrationType_HTTP:
			method := in.HttpMethod
			if method == nil {
				method = jsii.String(k.Verb)
			}
			return awsapigateway.NewHttpIntegration(in.Url, &awsapigateway.HttpIntegrationProps{
				HttpMethod: method,
				Proxy:      jsii.Bool(typ == IntegrationType_HTTP_PROXY),
				Options:    opts,
			})
		}
		return awsapigateway.NewMockIntegration(opts)
	}
	return plan, errs
}

// strMap is m as jsii props take it.
func strMap(m map[string]string) *map[string]*string {
	out := make(map[string]*string, len(m))
	for k, v := range m {
		out[k] = jsii.String(v)
	}
	return &out
}
