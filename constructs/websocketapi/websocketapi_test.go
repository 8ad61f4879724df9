package websocketapi

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/constructtest"
)

func strs(kv ...string) *map[string]*string {
	m := map[string]*string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = jsii.String(kv[i+1])
	}
	return &m
}

// goodApp builds one API that uses every feature, shared by the template tests.
func goodApp(t *testing.T) (awscdk.Stack, *WebSocketApi, awslambda.Function) {
	t.Helper()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Good"), nil)
	fn := constructtest.InlineFunction(stack, "Fn")
	sender := constructtest.InlineFunction(stack, "Sender")
	api := New(stack, jsii.String("Chat"), &Props{
		ApiName:                   jsii.String("chat"),
		RouteSelectionExpression:  jsii.String("${request.body.action}"),
		ApiKeySelectionExpression: awsapigatewayv2.WebSocketApiKeySelectionExpression_HEADER_X_API_KEY(),
		DefaultStage: &StageOptions{
			Variables:     strs("room", "lobby"),
			Throttle:      &awsapigatewayv2.ThrottleSettings{RateLimit: jsii.Number(100), BurstLimit: jsii.Number(50)},
			RouteThrottle: &map[string]*awsapigatewayv2.ThrottleSettings{"sendmessage": {RateLimit: jsii.Number(10), BurstLimit: jsii.Number(5)}},
		},
		Stages: &[]*StageOptions{{Name: jsii.String("prod"), AutoDeploy: jsii.Bool(false), Description: jsii.String("production")}},
		Routes: &[]*Route{
			{
				Key: jsii.String("$connect"), Function: fn,
				RouteRequestParameters: &map[string]*bool{"route.request.querystring.token": jsii.Bool(true)},
				// The header is not declared: the construct declares it, not required.
				RequestParameters: strs(
					"integration.request.header.x-token", "route.request.querystring.token",
					"integration.request.header.x-protocols", "route.request.multivalueheader.Sec-WebSocket-Protocol",
				),
			},
			{Key: jsii.String("$disconnect"), Function: fn},
			{Key: jsii.String("$default"), Function: fn, ReturnResponse: jsii.Bool(true), Timeout: awscdk.Duration_Seconds(jsii.Number(29))},
			{Key: jsii.String("sendmessage"), Function: fn},
			{
				Key: jsii.String("ping"), Type: IntegrationType_MOCK, ReturnResponse: jsii.Bool(true),
				TemplateSelectionExpression: jsii.String("${request.body.status}"),
				RequestTemplates:            strs("500", `{"statusCode": 500}`, "$default", `{"statusCode": 200}`),
				PassthroughBehavior:         awsapigatewayv2.PassthroughBehavior_WHEN_NO_TEMPLATES,
				IntegrationResponses: &[]*IntegrationResponse{
					{Key: jsii.String(`/2\d\d/`), TemplateSelectionExpression: jsii.String("${integration.response.statuscode}"), ResponseTemplates: strs("200", `{"pong":true}`)},
					{Key: jsii.String("$default"), ResponseTemplates: strs("$default", `{"pong":false}`)},
				},
			},
			{
				Key: jsii.String("relay"), Url: jsii.String("https://example.com/echo"), ReturnResponse: jsii.Bool(true),
				RequestParameters: strs(
					"integration.request.header.x-connection-id", "context.connectionId",
					"integration.request.querystring.x", "route.request.body.x",
					"integration.request.header.x-room", "stageVariables.room",
					"integration.request.header.x-via", "'gatehouse'",
				),
			},
			{
				Key: jsii.String("transform"), Type: IntegrationType_HTTP, Url: jsii.String("http://example.com/${stageVariables.room}"), Method: jsii.String("PUT"),
				ReturnResponse: jsii.Bool(true), RequestTemplates: strs("$default", `{"text": $input.json('$.message')}`),
				IntegrationResponses: &[]*IntegrationResponse{{Key: jsii.String("$default"), ResponseTemplates: strs("$default", `$input.body`)}},
			},
			{Key: jsii.String("vip"), Type: IntegrationType_MOCK, ApiKeyRequired: jsii.Bool(true), RequestTemplates: strs("$default", `{"statusCode": 200}`)},
		},
	})
	// After construction, as a user would.
	api.AddRoute(&Route{Key: jsii.String("whoami"), Function: fn})
	return stack, api, sender
}

func TestWebSocketApiTemplate(t *testing.T) {
	stack, api, sender := goodApp(t)
	if grant := api.GrantCallback(sender, &CallbackOptions{EnvVar: jsii.String("CHAT_CALLBACK")}); grant == nil {
		t.Fatal("GrantCallback returned nil for a valid stage")
	}
	if api.Api == nil || len(api.Stages) != 2 || len(api.Routes) != 9 || api.DefaultStage() == nil ||
		api.Url("dev") == nil || api.CallbackUrl("prod") == nil || api.Url("nope") != nil {
		t.Fatalf("exported L2 objects: api=%v stages=%d routes=%d", api.Api, len(api.Stages), len(api.Routes))
	}

	tpl := assertions.Template_FromStack(stack, nil)
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Api"), jsii.Number(1))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Stage"), jsii.Number(2))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Route"), jsii.Number(9))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Integration"), jsii.Number(9))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::RouteResponse"), jsii.Number(4))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::IntegrationResponse"), jsii.Number(3))
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), &map[string]any{
		"Name": "chat", "ProtocolType": "WEBSOCKET",
		"RouteSelectionExpression":  "${request.body.action}",
		"ApiKeySelectionExpression": "$request.header.x-api-key",
	})

	// Stages: the default one is "dev", auto-deployed, with variables and both throttles.
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), &map[string]any{
		"StageName": "dev", "AutoDeploy": true,
		"StageVariables":       map[string]any{"room": "lobby"},
		"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": 100, "ThrottlingBurstLimit": 50},
		"RouteSettings":        map[string]any{"sendmessage": map[string]any{"ThrottlingRateLimit": 10, "ThrottlingBurstLimit": 5}},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), &map[string]any{
		"StageName": "prod", "AutoDeploy": false, "Description": "production",
	})

	// Routes: keys, two-way routes, API key, declared route request parameters.
	for _, key := range []string{"$connect", "$disconnect", "sendmessage", "whoami"} {
		tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), &map[string]any{
			"RouteKey": key, "RouteResponseSelectionExpression": assertions.Match_Absent(),
		})
	}
	for _, key := range []string{"$default", "ping", "relay", "transform"} {
		tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), &map[string]any{
			"RouteKey": key, "RouteResponseSelectionExpression": "$default",
		})
	}
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::RouteResponse"), &map[string]any{"RouteResponseKey": "$default"})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), &map[string]any{"RouteKey": "vip", "ApiKeyRequired": true})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), &map[string]any{
		"RouteKey": "$connect",
		"RequestParameters": map[string]any{
			"route.request.querystring.token":             map[string]any{"Required": true},
			"route.request.header.Sec-WebSocket-Protocol": map[string]any{"Required": false},
		},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Integration"), &map[string]any{
		"IntegrationType": "AWS_PROXY",
		"RequestParameters": map[string]any{
			"integration.request.header.x-token":     "route.request.querystring.token",
			"integration.request.header.x-protocols": "route.request.multivalueheader.Sec-WebSocket-Protocol",
		},
	})

	// Integrations of every type.
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Integration"), &map[string]any{
		"IntegrationType": "AWS_PROXY", "TimeoutInMillis": 29000,
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Integration"), &map[string]any{
		"IntegrationType":             "MOCK",
		"TemplateSelectionExpression": "${request.body.status}",
		"RequestTemplates":            map[string]any{"500": `{"statusCode": 500}`, "$default": `{"statusCode": 200}`},
		"PassthroughBehavior":         "WHEN_NO_TEMPLATES",
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Integration"), &map[string]any{
		"IntegrationType": "HTTP_PROXY", "IntegrationUri": "https://example.com/echo", "IntegrationMethod": "POST",
		"RequestParameters": map[string]any{
			"integration.request.header.x-connection-id": "context.connectionId",
			"integration.request.querystring.x":          "route.request.body.x",
			"integration.request.header.x-room":          "stageVariables.room",
			"integration.request.header.x-via":           "'gatehouse'",
		},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Integration"), &map[string]any{
		"IntegrationType": "HTTP", "IntegrationUri": "http://example.com/${stageVariables.room}", "IntegrationMethod": "PUT",
		"RequestTemplates": map[string]any{"$default": `{"text": $input.json('$.message')}`},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::IntegrationResponse"), &map[string]any{
		"IntegrationResponseKey":      `/2\d\d/`,
		"TemplateSelectionExpression": "${integration.response.statuscode}",
		"ResponseTemplates":           map[string]any{"200": `{"pong":true}`},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::IntegrationResponse"), &map[string]any{
		"IntegrationResponseKey": "$default", "ResponseTemplates": map[string]any{"$default": `{"pong":false}`},
	})
	// Lambda integrations may be invoked by API Gateway, one permission per route.
	tpl.ResourceCountIs(jsii.String("AWS::Lambda::Permission"), jsii.Number(5))

	// GrantCallback: the environment variable and the ManageConnections grant on dev's
	// @connections.
	tpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), &map[string]any{
		"Environment": map[string]any{"Variables": map[string]any{"CHAT_CALLBACK": assertions.Match_AnyValue()}},
	})
	policies := *tpl.FindResources(jsii.String("AWS::IAM::Policy"), nil)
	found := false
	for _, p := range policies {
		s := fmt.Sprint(p)
		if strings.Contains(s, "execute-api:ManageConnections") && strings.Contains(s, "/dev/*/@connections/*") {
			found = true
		}
	}
	if !found {
		t.Errorf("no IAM policy grants execute-api:ManageConnections on dev's @connections: %v", policies)
	}

	outputs := *tpl.FindOutputs(jsii.String("*"), nil)
	if len(outputs) != 2 {
		t.Errorf("want one URL output per stage (2), got %d: %v", len(outputs), outputs)
	}
}

// TestCallbackUrlEnvironment pins the callback URL's shape, since handlers build their client
// from it: https://{api}.execute-api.{region}.{suffix}/{stage}.
func TestCallbackUrlEnvironment(t *testing.T) {
	stack, api, sender := goodApp(t)
	api.GrantCallback(sender, nil)
	tpl := assertions.Template_FromStack(stack, nil)
	fns := *tpl.FindResources(jsii.String("AWS::Lambda::Function"), &map[string]any{
		"Properties": map[string]any{"Environment": map[string]any{"Variables": map[string]any{"CALLBACK_URL": assertions.Match_AnyValue()}}},
	})
	if len(fns) != 1 {
		t.Fatalf("want exactly the granted function to have CALLBACK_URL, got %d", len(fns))
	}
	for _, fn := range fns {
		s := fmt.Sprint(fn)
		for _, want := range []string{"https://", ".execute-api.", "AWS::Region", "AWS::URLSuffix", "/dev"} {
			if !strings.Contains(s, want) {
				t.Errorf("CALLBACK_URL %s lacks %q", s, want)
			}
		}
	}
}

func TestOneWayIntegrationResponsesWarn(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Warn"), nil)
	New(stack, jsii.String("Api"), &Props{Routes: &[]*Route{{
		Key: jsii.String("ping"), Type: IntegrationType_MOCK, RequestTemplates: strs("$default", `{"statusCode": 200}`),
		IntegrationResponses: &[]*IntegrationResponse{{Key: jsii.String("$default")}},
	}}})
	assertions.Annotations_FromStack(stack).HasWarning(jsii.String("/Warn/Api"),
		assertions.Match_StringLikeRegexp(jsii.String("has IntegrationResponses but no ReturnResponse")))
}

// TestValidationErrorsNamePathAndRule builds one API per broken rule in a single app, so one
// synthesis (the slow part) checks them all, and each message must carry its own path.
func TestValidationErrorsNamePathAndRule(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Bad"), nil)
	fn := constructtest.InlineFunction(stack, "Fn")
	lambdaRoute := func(key string) *Route { return &Route{Key: jsii.String(key), Function: fn} }
	withRoute := func(r *Route) *Props { return &Props{Routes: &[]*Route{r}} }
	mapping := func(key, dest, src string) *Props {
		return withRoute(&Route{Key: jsii.String(key), Url: jsii.String("https://example.com"), RequestParameters: strs(dest, src)})
	}
	cases := []struct {
		id    string
		props *Props
		want  string
	}{
		// API
		{"RouteSelection", &Props{RouteSelectionExpression: jsii.String("$request.header.x")}, "variable $request.header.x is not available here"},
		{"RouteSelectionParse", &Props{RouteSelectionExpression: jsii.String("${request.body.action")}, "has no closing \"}\""},
		{"RouteSelectionEmpty", &Props{RouteSelectionExpression: jsii.String("")}, "route selection expression: must not be empty"},
		{"ApiKeySelection", &Props{ApiKeySelectionExpression: awsapigatewayv2.NewWebSocketApiKeySelectionExpression(jsii.String("$request.header.api-key"))}, "must be $request.header.x-api-key or $context.authorizer.usageIdentifierKey"},
		{"ApiKeyRequired", withRoute(&Route{Key: jsii.String("vip"), Function: fn, ApiKeyRequired: jsii.Bool(true)}), "ApiKeyRequired needs the API's ApiKeySelectionExpression"},
		// Route keys and integrations
		{"DollarKey", withRoute(lambdaRoute("$custom")), "the \"$\" prefix is reserved"},
		{"EmptyKey", withRoute(lambdaRoute("")), "route key must not be empty"},
		{"DupKey", &Props{Routes: &[]*Route{lambdaRoute("a"), lambdaRoute("a")}}, "route \"a\": defined twice"},
		{"Both", withRoute(&Route{Key: jsii.String("a"), Function: fn, Url: jsii.String("https://example.com")}), "set exactly one of Function and Url"},
		{"Neither", withRoute(&Route{Key: jsii.String("a")}), "needs an integration"},
		{"MockWithFn", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_MOCK, Function: fn}), "a MOCK integration has no backend"},
		{"HttpNoUrl", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_HTTP}), "integration type HTTP needs Url"},
		{"LambdaNoFn", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_AWS_PROXY}), "integration type AWS_PROXY needs Function"},
		{"BadType", withRoute(&Route{Key: jsii.String("a"), Type: "AWS", Function: fn}), "integration type \"AWS\" must be"},
		{"RelURL", withRoute(&Route{Key: jsii.String("a"), Url: jsii.String("example.com/x")}), "must be an absolute http:// or https:// URL"},
		{"MethodLambda", withRoute(&Route{Key: jsii.String("a"), Function: fn, Method: jsii.String("GET")}), "Method applies only to HTTP and HTTP_PROXY"},
		{"MethodAny", withRoute(&Route{Key: jsii.String("a"), Url: jsii.String("https://example.com"), Method: jsii.String("ANY")}), "integration method \"ANY\" must be one of"},
		{"Timeout", withRoute(&Route{Key: jsii.String("a"), Function: fn, Timeout: awscdk.Duration_Seconds(jsii.Number(30))}), "integration timeout 30s must be between 50ms and 29s"},
		// Authorizers
		{"AuthNotConnect", &Props{
			Authorizers: &map[string]*Authorizer{"a": {Type: AuthorizerType_IAM}},
			Routes:      &[]*Route{{Key: jsii.String("$connect"), Function: fn, Authorizer: jsii.String("a")}, {Key: jsii.String("a"), Function: fn, Authorizer: jsii.String("a")}},
		}, "route \"a\": Authorizer: only the $connect route can have one"},
		{"AuthType", connectAuthorized(fn, &Authorizer{Type: "JWT"}), "authorizer \"a\": Type \"JWT\" must be one of LAMBDA, IAM"},
		{"AuthNoFunction", connectAuthorized(fn, &Authorizer{Type: AuthorizerType_LAMBDA}), "authorizer \"a\": a LAMBDA authorizer needs Function"},
		{"AuthIamSource", connectAuthorized(fn, &Authorizer{Type: AuthorizerType_IAM, IdentitySource: jsii.Strings("route.request.header.Auth")}), "authorizer \"a\": IdentitySource does not apply to an IAM authorizer (only LAMBDA)"},
		{"AuthSource", connectAuthorized(fn, &Authorizer{Type: AuthorizerType_LAMBDA, Function: fn, IdentitySource: jsii.Strings("$request.querystring.token")}), "identity source \"$request.querystring.token\" must be one of route.request.header.NAME"},
		{"AuthUnknown", withRoute(&Route{Key: jsii.String("$connect"), Function: fn, Authorizer: jsii.String("nope")}), "route \"$connect\": Authorizer \"nope\" is not declared"},
		{"AuthUnused", &Props{Authorizers: &map[string]*Authorizer{"a": {Type: AuthorizerType_IAM}}}, "authorizer \"a\": no route uses it"},
		{"ApiKeyFromAuthorizer", &Props{
			ApiKeySelectionExpression: awsapigatewayv2.WebSocketApiKeySelectionExpression_AUTHORIZER_USAGE_IDENTIFIER_KEY(),
			Routes:                    &[]*Route{{Key: jsii.String("vip"), Function: fn, ApiKeyRequired: jsii.Bool(true)}},
		}, "route \"vip\": ApiKeyRequired with ApiKeySelectionExpression $context.authorizer.usageIdentifierKey needs a LAMBDA authorizer on $connect"},
		// Templates and responses
		{"TemplatesOnProxy", withRoute(&Route{Key: jsii.String("a"), Function: fn, RequestTemplates: strs("$default", "{}")}), "apply only to non-proxy (HTTP, MOCK) integrations; AWS_PROXY passes"},
		{"Passthrough", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_MOCK, PassthroughBehavior: "SOMETIMES"}), "passthrough behavior \"SOMETIMES\" must be"},
		{"TemplateSelection", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_MOCK, TemplateSelectionExpression: jsii.String("$context.routeKey")}), "variable $context.routeKey is not available here"},
		{"TemplateKey", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_MOCK, RequestTemplates: strs("", "{}")}), "template key must not be empty"},
		{"TemplateSize", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_MOCK, RequestTemplates: strs("$default", strings.Repeat("x", 300*1024+1))}), "a mapping template is at most 300 KB"},
		{"TwoWayNoResponse", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_MOCK, ReturnResponse: jsii.Bool(true)}), "integration type MOCK needs at least one IntegrationResponse"},
		{"ResponsesOnProxy", withRoute(&Route{Key: jsii.String("a"), Function: fn, ReturnResponse: jsii.Bool(true), IntegrationResponses: &[]*IntegrationResponse{{Key: jsii.String("$default")}}}), "IntegrationResponses apply only to non-proxy"},
		{"DisconnectTwoWay", withRoute(&Route{Key: jsii.String("$disconnect"), Function: fn, ReturnResponse: jsii.Bool(true)}), "$disconnect runs after the connection is closed"},
		{"ResponseKey", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_MOCK, ReturnResponse: jsii.Bool(true), IntegrationResponses: &[]*IntegrationResponse{{Key: jsii.String("200")}}}), "must be \"$default\" or a pattern between slashes"},
		{"ResponseRegexp", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_MOCK, ReturnResponse: jsii.Bool(true), IntegrationResponses: &[]*IntegrationResponse{{Key: jsii.String("/2(/")}}}), "is not a valid regular expression"},
		{"ResponseDup", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_MOCK, ReturnResponse: jsii.Bool(true), IntegrationResponses: &[]*IntegrationResponse{{Key: jsii.String("$default")}, {Key: jsii.String("$default")}}}), "integration response \"$default\": defined twice"},
		{"ResponseNoKey", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_MOCK, ReturnResponse: jsii.Bool(true), IntegrationResponses: &[]*IntegrationResponse{{}}}), "integration response 0: Key is required"},
		{"ResponseSelection", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_MOCK, ReturnResponse: jsii.Bool(true), IntegrationResponses: &[]*IntegrationResponse{{Key: jsii.String("$default"), TemplateSelectionExpression: jsii.String("$integration.response.body")}}}), "variable $integration.response.body is not available here"},
		// Data mapping
		{"MapDest", mapping("a", "integration.request.path.x", "'v'"), "must be integration.request.header.NAME or integration.request.querystring.NAME"},
		{"MapDestName", mapping("a", "integration.request.header.x y", "'v'"), "name \"x y\" must match"},
		{"MapSource", mapping("a", "integration.request.header.x", "request.body.x"), "must be route.request.body.JSONPATH, route.request.querystring"},
		{"MapQueryNotConnect", mapping("a", "integration.request.header.x", "route.request.querystring.token"), "is available only on the $connect route"},
		{"MapMultiNotConnect", mapping("a", "integration.request.header.x", "route.request.multivalueheader.h"), "is available only on the $connect route"},
		{"MapRouteKind", mapping("$connect", "integration.request.header.x", "route.request.path.p"), "must be route.request.querystring|header|multivaluequerystring|multivalueheader.NAME"},
		{"MapBodyPath", mapping("a", "integration.request.header.x", "route.request.body.[[x"), "does not parse"},
		{"MapBodyEmpty", mapping("a", "integration.request.header.x", "route.request.body"), "needs a JSONPath after the body"},
		{"MapContext", mapping("a", "integration.request.header.x", "context.nope"), "is not a supported WebSocket context variable"},
		{"MapMessageId", mapping("$connect", "integration.request.header.x", "context.messageId"), "available only for messages"},
		{"MapStageVar", mapping("a", "integration.request.header.x", "stageVariables.a-b"), "stage variable name \"a-b\""},
		{"MapStatic", mapping("a", "integration.request.header.x", "'unclosed"), "must be enclosed in single quotes"},
		{"MapMock", withRoute(&Route{Key: jsii.String("a"), Type: IntegrationType_MOCK, RequestParameters: strs("integration.request.header.x", "'v'")}), "RequestParameters do not apply to a MOCK integration"},
		{"RouteParamNotConnect", withRoute(&Route{Key: jsii.String("a"), Function: fn, RouteRequestParameters: &map[string]*bool{"route.request.header.h": jsii.Bool(true)}}), "only the $connect route has a query string and headers"},
		{"RouteParamKind", withRoute(&Route{Key: jsii.String("$connect"), Function: fn, RouteRequestParameters: &map[string]*bool{"route.request.multivalueheader.h": jsii.Bool(true)}}), "must be route.request.querystring.NAME or route.request.header.NAME"},
		// Stages
		{"StageDefault", &Props{DefaultStage: &StageOptions{Name: jsii.String("$default")}}, "WebSocket APIs have no $default stage"},
		{"StageName", &Props{Stages: &[]*StageOptions{{Name: jsii.String("v1.0")}}}, "stage name \"v1.0\": must be 1 to 128"},
		{"StageNoName", &Props{Stages: &[]*StageOptions{{}}}, "stage: Name is required"},
		{"DupStage", &Props{Stages: &[]*StageOptions{{Name: jsii.String("dev")}}}, "stage \"dev\": defined twice"},
		{"NoDefaultButOptions", &Props{NoDefaultStage: jsii.Bool(true), DefaultStage: &StageOptions{}}, "DefaultStage is set but NoDefaultStage is true"},
		{"VarName", &Props{DefaultStage: &StageOptions{Variables: strs("bad-name", "x")}}, "stage variable name \"bad-name\""},
		{"VarValue", &Props{DefaultStage: &StageOptions{Variables: strs("v", "<x>")}}, "stage \"dev\": stage variable \"v\": value must be"},
		{"Throttle", &Props{DefaultStage: &StageOptions{Throttle: &awsapigatewayv2.ThrottleSettings{RateLimit: jsii.Number(-1)}}}, "stage \"dev\": throttling rate limit -1 must not be negative"},
		{"Burst", &Props{DefaultStage: &StageOptions{RouteThrottle: &map[string]*awsapigatewayv2.ThrottleSettings{"a": {BurstLimit: jsii.Number(1.5)}}}}, "burst limit 1.5 must be a non-negative whole number"},
		{"RouteThrottle", &Props{DefaultStage: &StageOptions{RouteThrottle: &map[string]*awsapigatewayv2.ThrottleSettings{"nope": {RateLimit: jsii.Number(1)}}}}, "RouteThrottle names route \"nope\", which this API does not have"},
	}
	for _, c := range cases {
		New(stack, jsii.String(c.id), c.props)
	}
	// GrantCallback rules, each on its own API.
	grants := []struct {
		id   string
		opts *CallbackOptions
		api  *Props
		want string
	}{
		{"GrantStage", &CallbackOptions{Stage: jsii.String("prod")}, nil, "stage \"prod\" is not a stage of this API"},
		{"GrantEnvName", &CallbackOptions{EnvVar: jsii.String("1URL")}, nil, "environment variable name \"1URL\" must start with a letter"},
		{"GrantEnvReserved", &CallbackOptions{EnvVar: jsii.String("AWS_REGION")}, nil, "is reserved by Lambda"},
		{"GrantNoDefault", nil, &Props{NoDefaultStage: jsii.Bool(true)}, "the API has no default stage"},
	}
	for _, g := range grants {
		New(stack, jsii.String(g.id), g.api).GrantCallback(constructtest.InlineFunction(stack, g.id+"Fn"), g.opts)
		cases = append(cases, struct {
			id    string
			props *Props
			want  string
		}{g.id, nil, g.want})
	}

	msg := constructtest.SynthError(app)
	if msg == "" {
		t.Fatal("synthesis succeeded; want it to fail with every broken rule")
	}
	for _, c := range cases {
		if !constructtest.HasErrorLine(msg, "Bad/"+c.id, c.want) {
			t.Errorf("%s: no error line with path [Bad/%s] and rule %q", c.id, c.id, c.want)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("synth error:\n%s", msg)
	}
}

// connectAuthorized is an API with the one authorizer "a" on its $connect route.
func connectAuthorized(fn awslambda.IFunction, a *Authorizer) *Props {
	return &Props{
		Authorizers: &map[string]*Authorizer{"a": a},
		Routes:      &[]*Route{{Key: jsii.String("$connect"), Function: fn, Authorizer: jsii.String("a")}},
	}
}
