package httpapi

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/constructtest"
)

func TestHttpApiTemplate(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Good"), nil)
	fn := constructtest.InlineFunction(stack, "Fn")
	api := New(stack, jsii.String("Api"), &Props{
		ApiName: jsii.String("good-api"),
		Cors: &awsapigatewayv2.CorsPreflightOptions{
			AllowOrigins:     jsii.Strings("http://localhost:3000"),
			AllowMethods:     &[]awsapigatewayv2.CorsHttpMethod{awsapigatewayv2.CorsHttpMethod_GET},
			AllowCredentials: jsii.Bool(true),
		},
		DefaultStage: &StageOptions{
			Variables: &map[string]*string{"greeting": jsii.String("hi from default")},
			Throttle:  &awsapigatewayv2.ThrottleSettings{RateLimit: jsii.Number(100), BurstLimit: jsii.Number(50)},
		},
		Stages: &[]*StageOptions{{
			Name:          jsii.String("dev"),
			Variables:     &map[string]*string{"greeting": jsii.String("hello from dev")},
			Throttle:      &awsapigatewayv2.ThrottleSettings{RateLimit: jsii.Number(10), BurstLimit: jsii.Number(5)},
			RouteThrottle: &map[string]*awsapigatewayv2.ThrottleSettings{"GET /items/{id}": {RateLimit: jsii.Number(1), BurstLimit: jsii.Number(2)}},
		}},
		Routes: &[]*Route{
			{Key: jsii.String("GET /items/{id}"), Function: fn, Timeout: awscdk.Duration_Seconds(jsii.Number(30))},
			{Key: jsii.String("ANY /legacy/{proxy+}"), Function: fn, PayloadFormatVersion: awsapigatewayv2.PayloadFormatVersion_VERSION_1_0()},
			{Key: jsii.String("$default"), Function: fn},
		},
	})
	// After construction, as a user would.
	api.AddRoute(&Route{
		Key:               jsii.String("GET /proxied/{proxy+}"),
		Url:               jsii.String(*api.ApiEndpoint() + "/dev/{proxy}"),
		Method:            awsapigatewayv2.HttpMethod_GET,
		RequestParameters: awsapigatewayv2.NewParameterMapping().AppendHeader(jsii.String("x-via"), awsapigatewayv2.MappingValue_Custom(jsii.String("gatehouse"))),
		ResponseParameters: &map[string]awsapigatewayv2.ParameterMapping{
			"200": awsapigatewayv2.NewParameterMapping().OverwriteHeader(jsii.String("x-mapped"), awsapigatewayv2.MappingValue_Custom(jsii.String("yes"))),
		},
	})
	if api.Api == nil || len(api.Stages) != 2 || len(api.Routes) != 4 || api.Url("dev") == nil || api.Url("prod") != nil {
		t.Fatalf("exported L2 objects: api=%v stages=%d routes=%d", api.Api, len(api.Stages), len(api.Routes))
	}

	tpl := assertions.Template_FromStack(stack, nil)
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Api"), jsii.Number(1))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Stage"), jsii.Number(2))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Route"), jsii.Number(4))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Integration"), jsii.Number(4))
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), &map[string]any{
		"Name":         "good-api",
		"ProtocolType": "HTTP",
		"CorsConfiguration": map[string]any{
			"AllowOrigins": []any{"http://localhost:3000"}, "AllowCredentials": true, "AllowMethods": []any{"GET"},
		},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), &map[string]any{
		"StageName": "$default", "AutoDeploy": true,
		"StageVariables":       map[string]any{"greeting": "hi from default"},
		"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": 100, "ThrottlingBurstLimit": 50},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), &map[string]any{
		"StageName": "dev", "AutoDeploy": true,
		"StageVariables":       map[string]any{"greeting": "hello from dev"},
		"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": 10, "ThrottlingBurstLimit": 5},
		"RouteSettings":        map[string]any{"GET /items/{id}": map[string]any{"ThrottlingRateLimit": 1, "ThrottlingBurstLimit": 2}},
	})
	for _, key := range []string{"GET /items/{id}", "ANY /legacy/{proxy+}", "$default", "GET /proxied/{proxy+}"} {
		tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), &map[string]any{"RouteKey": key})
	}
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Integration"), &map[string]any{
		"IntegrationType": "AWS_PROXY", "PayloadFormatVersion": "2.0", "TimeoutInMillis": 30000,
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Integration"), &map[string]any{
		"IntegrationType": "AWS_PROXY", "PayloadFormatVersion": "1.0",
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Integration"), &map[string]any{
		"IntegrationType":   "HTTP_PROXY",
		"IntegrationMethod": "GET",
		"RequestParameters": map[string]any{"append:header.x-via": "gatehouse"},
		"ResponseParameters": map[string]any{"200": map[string]any{"ResponseParameters": []any{
			map[string]any{"Destination": "overwrite:header.x-mapped", "Source": "yes"},
		}}},
	})
	outputs := *tpl.FindOutputs(jsii.String("*"), nil)
	if len(outputs) != 2 {
		t.Errorf("want one URL output per stage (2), got %d: %v", len(outputs), outputs)
	}
}

// TestStageVariableURL: the guide's stage variables reference lets ${stageVariables.x} stand
// for any part of an HTTP integration URL, the whole host included.
func TestStageVariableURL(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Vars"), nil)
	New(stack, jsii.String("Api"), &Props{
		DefaultStage: &StageOptions{Variables: &map[string]*string{"backend": jsii.String("example.com")}},
		Routes: &[]*Route{
			{Key: jsii.String("GET /host/{proxy+}"), Url: jsii.String("http://${stageVariables.backend}/{proxy}")},
			{Key: jsii.String("GET /path"), Url: jsii.String("https://example.com/${stageVariables.backend}/bar")},
		},
	})
	tpl := assertions.Template_FromStack(stack, nil)
	for _, uri := range []string{"http://${stageVariables.backend}/{proxy}", "https://example.com/${stageVariables.backend}/bar"} {
		tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Integration"), &map[string]any{
			"IntegrationType": "HTTP_PROXY", "IntegrationUri": uri,
		})
	}
}

// TestValidationErrorsNamePathAndRule builds one API per broken rule in a single app, so one
// synthesis (the slow part) checks them all, and each message must carry its own path.
func TestValidationErrorsNamePathAndRule(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Bad"), nil)
	fn := constructtest.InlineFunction(stack, "Fn")
	route := func(key string) *Route { return &Route{Key: jsii.String(key), Function: fn} }
	cases := []struct {
		id    string
		props *Props
		want  string
	}{
		{"Greedy", &Props{Routes: &[]*Route{route("GET /{proxy+}/x")}}, "greedy path variable {proxy+} must be the last segment"},
		{"Method", &Props{Routes: &[]*Route{route("FETCH /x")}}, "method \"FETCH\" must be one of"},
		{"DupKey", &Props{Routes: &[]*Route{route("GET /x"), route("GET /x")}}, "route \"GET /x\": defined twice"},
		{"SameShape", &Props{Routes: &[]*Route{route("GET /x/{a}"), route("GET /x/{b}")}}, "matches exactly the same requests as route \"GET /x/{a}\""},
		{"DupVar", &Props{Routes: &[]*Route{route("GET /{a}/{a}")}}, "path variable \"a\" is used twice"},
		{"Payload", &Props{Routes: &[]*Route{{Key: jsii.String("GET /p"), Function: fn, PayloadFormatVersion: awsapigatewayv2.PayloadFormatVersion_Custom(jsii.String("3.0"))}}}, "payload format version \"3.0\" must be"},
		{"PayloadURL", &Props{Routes: &[]*Route{{Key: jsii.String("GET /p"), Url: jsii.String("https://example.com"), PayloadFormatVersion: awsapigatewayv2.PayloadFormatVersion_VERSION_2_0()}}}, "PayloadFormatVersion applies only to Lambda integrations"},
		{"Both", &Props{Routes: &[]*Route{{Key: jsii.String("GET /p"), Url: jsii.String("https://example.com"), Function: fn}}}, "set exactly one of Function and Url"},
		{"Neither", &Props{Routes: &[]*Route{{Key: jsii.String("GET /p")}}}, "needs an integration"},
		{"RelURL", &Props{Routes: &[]*Route{{Key: jsii.String("GET /p"), Url: jsii.String("example.com/x")}}}, "must be an absolute http:// or https:// URL"},
		{"Timeout", &Props{Routes: &[]*Route{{Key: jsii.String("GET /p"), Function: fn, Timeout: awscdk.Duration_Seconds(jsii.Number(31))}}}, "integration timeout 31s must be between 50ms and 30s"},
		{"ReqMap", &Props{Routes: &[]*Route{{Key: jsii.String("GET /p"), Function: fn, RequestParameters: awsapigatewayv2.NewParameterMapping().AppendHeader(jsii.String("x-amz-date"), awsapigatewayv2.MappingValue_Custom(jsii.String("v")))}}}, "header \"x-amz-date\" is reserved"},
		{"RespMap", &Props{Routes: &[]*Route{{Key: jsii.String("GET /p"), Function: fn, ResponseParameters: &map[string]awsapigatewayv2.ParameterMapping{"99": awsapigatewayv2.NewParameterMapping().AppendHeader(jsii.String("x"), awsapigatewayv2.MappingValue_Custom(jsii.String("v")))}}}}, "status \"99\" must be an HTTP status code from 200 to 599"},
		{"StageName", &Props{Stages: &[]*StageOptions{{Name: jsii.String("v1.0")}}}, "stage name \"v1.0\": must be"},
		{"DupStage", &Props{Stages: &[]*StageOptions{{Name: jsii.String("$default")}}}, "stage \"$default\": defined twice"},
		{"VarName", &Props{Stages: &[]*StageOptions{{Name: jsii.String("dev"), Variables: &map[string]*string{"bad-name": jsii.String("x")}}}}, "stage variable name \"bad-name\""},
		{"VarValue", &Props{DefaultStage: &StageOptions{Variables: &map[string]*string{"v": jsii.String("<x>")}}}, "stage \"$default\": stage variable \"v\": value must be"},
		{"Throttle", &Props{Stages: &[]*StageOptions{{Name: jsii.String("dev"), Throttle: &awsapigatewayv2.ThrottleSettings{RateLimit: jsii.Number(-1)}}}}, "stage \"dev\": throttling rate limit -1 must not be negative"},
		{"RouteThrottle", &Props{Stages: &[]*StageOptions{{Name: jsii.String("dev"), RouteThrottle: &map[string]*awsapigatewayv2.ThrottleSettings{"GET /nope": {RateLimit: jsii.Number(1)}}}}}, "RouteThrottle names route \"GET /nope\", which this API does not have"},
		{"Cors", &Props{Cors: &awsapigatewayv2.CorsPreflightOptions{AllowOrigins: jsii.Strings("*"), AllowCredentials: jsii.Bool(true)}}, "AllowCredentials cannot be true when AllowOrigins contains \"*\""},
		// Authorizers: each case's authorizer "a" is used by its route unless the case is
		// about that.
		{"AuthType", authorized(fn, &Authorizer{Function: fn}), "authorizer \"a\": Type is required: LAMBDA, JWT, USER_POOL, IAM"},
		{"AuthName", &Props{Authorizers: &map[string]*Authorizer{"NONE": {Type: AuthorizerType_IAM}}}, "authorizer name \"NONE\" is reserved"},
		{"AuthField", authorized(fn, &Authorizer{Type: AuthorizerType_LAMBDA, Function: fn, Issuer: jsii.String("https://x.example.com")}), "authorizer \"a\": Issuer does not apply to a LAMBDA authorizer (only JWT)"},
		{"AuthNoFunction", authorized(fn, &Authorizer{Type: AuthorizerType_LAMBDA}), "authorizer \"a\": a LAMBDA authorizer needs Function"},
		{"AuthSimpleV1", authorized(fn, &Authorizer{Type: AuthorizerType_LAMBDA, Function: fn, PayloadFormatVersion: awsapigatewayv2.AuthorizerPayloadVersion_VERSION_1_0, ResponseType: awsapigatewayv2authorizers.HttpLambdaResponseType_SIMPLE}), "simple responses need payload format version 2.0"},
		{"AuthTTL", authorized(fn, &Authorizer{Type: AuthorizerType_LAMBDA, Function: fn, ResultsCacheTtl: awscdk.Duration_Hours(jsii.Number(2))}), "ResultsCacheTtl 7200s must be whole seconds from 0 (caching off) to 3600"},
		{"AuthTTLNoSource", authorized(fn, &Authorizer{Type: AuthorizerType_LAMBDA, Function: fn, IdentitySource: &[]*string{}}), "caching (ResultsCacheTtl 300s) needs at least one identity source"},
		{"AuthSource", authorized(fn, &Authorizer{Type: AuthorizerType_LAMBDA, Function: fn, IdentitySource: jsii.Strings("method.request.header.Auth")}), "identity source \"method.request.header.Auth\" must be one of $request.header.NAME"},
		{"JwtIssuer", authorized(fn, &Authorizer{Type: AuthorizerType_JWT, Issuer: jsii.String("http://issuer.example.com"), Audiences: jsii.Strings("x")}), "Issuer \"http://issuer.example.com\" must be an https:// URL"},
		{"JwtAudiences", authorized(fn, &Authorizer{Type: AuthorizerType_JWT, Issuer: jsii.String("https://issuer.example.com"), Audiences: &[]*string{}}), "Audiences must hold at least one audience"},
		{"JwtSources", authorized(fn, &Authorizer{Type: AuthorizerType_JWT, Issuer: jsii.String("https://issuer.example.com"), Audiences: jsii.Strings("x"), IdentitySource: jsii.Strings("$request.header.A", "$request.header.B")}), "a JWT authorizer reads its token from exactly one identity source, not 2"},
		{"RouteAuthUnknown", &Props{Routes: &[]*Route{{Key: jsii.String("GET /p"), Function: fn, Authorizer: jsii.String("nope")}}}, "route \"GET /p\": Authorizer \"nope\" is not declared"},
		{"ScopesLambda", &Props{
			Authorizers: &map[string]*Authorizer{"a": {Type: AuthorizerType_LAMBDA, Function: fn}},
			Routes:      &[]*Route{{Key: jsii.String("GET /p"), Function: fn, Authorizer: jsii.String("a"), AuthorizationScopes: jsii.Strings("read")}},
		}, "route \"GET /p\": AuthorizationScopes apply only to JWT and USER_POOL authorizers; authorizer \"a\" (LAMBDA) checks no scopes"},
		{"ScopesNone", &Props{Routes: &[]*Route{{Key: jsii.String("GET /p"), Function: fn, AuthorizationScopes: jsii.Strings("read")}}}, "route \"GET /p\": AuthorizationScopes need a JWT or USER_POOL authorizer; the route has none"},
		{"DefaultUnknown", &Props{DefaultAuthorizer: jsii.String("x")}, "DefaultAuthorizer: Authorizer \"x\" is not declared"},
		{"DefaultScopes", &Props{
			Authorizers:       &map[string]*Authorizer{"a": {Type: AuthorizerType_IAM}},
			DefaultAuthorizer: jsii.String("a"), DefaultAuthorizationScopes: jsii.Strings("read"),
			Routes: &[]*Route{route("GET /p")},
		}, "DefaultAuthorizationScopes: AuthorizationScopes apply only to JWT and USER_POOL authorizers"},
		{"AuthUnused", &Props{Authorizers: &map[string]*Authorizer{"a": {Type: AuthorizerType_IAM}}, Routes: &[]*Route{route("GET /p")}}, "authorizer \"a\": no route uses it"},
	}
	for _, c := range cases {
		New(stack, jsii.String(c.id), c.props)
	}
	msg := constructtest.SynthError(app)
	if msg == "" {
		t.Fatal("synthesis succeeded; want it to fail with every broken rule")
	}
	for _, c := range cases {
		if want := "[Bad/" + c.id + "] "; !strings.Contains(msg, want) {
			t.Errorf("%s: no error for path %q", c.id, want)
			continue
		}
		if !constructtest.HasErrorLine(msg, "Bad/"+c.id, c.want) {
			t.Errorf("%s: no error line with path [Bad/%s] and rule %q", c.id, c.id, c.want)
		}
	}
	if t.Failed() {
		t.Logf("synth error:\n%s", msg)
	}
}

// authorized is an API with the one authorizer "a" and a route that uses it.
func authorized(fn awslambda.IFunction, a *Authorizer) *Props {
	return &Props{
		Authorizers: &map[string]*Authorizer{"a": a},
		Routes:      &[]*Route{{Key: jsii.String("GET /p"), Function: fn, Authorizer: jsii.String("a")}},
	}
}
