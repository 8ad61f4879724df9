package restapi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
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

func bools(kv ...any) *map[string]*bool {
	m := map[string]*bool{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = jsii.Bool(kv[i+1].(bool))
	}
	return &m
}

func throttle(rate, burst float64) *awsapigateway.ThrottleSettings {
	return &awsapigateway.ThrottleSettings{RateLimit: jsii.Number(rate), BurstLimit: jsii.Number(burst)}
}

// goodApp builds one API that uses every feature, shared by the template tests.
func goodApp(t *testing.T) (awscdk.Stack, *RestApi) {
	t.Helper()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Good"), nil)
	fn := constructtest.InlineFunction(stack, "Fn")
	custom := constructtest.InlineFunction(stack, "Custom")

	var api *RestApi
	api = New(stack, jsii.String("Shop"), &Props{
		RestApiName:      jsii.String("shop"),
		Description:      jsii.String("a shop"),
		BinaryMediaTypes: jsii.Strings("image/png", "application/octet-stream"),
		Cors: &awsapigateway.CorsOptions{
			AllowOrigins: jsii.Strings("http://localhost:5173"),
			AllowHeaders: jsii.Strings("content-type", "x-api-key"),
		},
		Models: &[]*Model{
			{Name: jsii.String("Product"), Schema: &awsapigateway.JsonSchema{
				Schema:   awsapigateway.JsonSchemaVersion_DRAFT4,
				Type:     awsapigateway.JsonSchemaType_OBJECT,
				Required: jsii.Strings("name", "price"),
				Properties: &map[string]*awsapigateway.JsonSchema{
					"name":  {Type: awsapigateway.JsonSchemaType_STRING, MinLength: jsii.Number(1), Pattern: jsii.String(`^(?!\s).*$`)},
					"price": {Type: awsapigateway.JsonSchemaType_NUMBER, Minimum: jsii.Number(0)},
				},
			}},
		},
		DefaultStage: &StageOptions{
			Name:           jsii.String("v1"),
			Variables:      strs("backend", "example.com"),
			Throttle:       throttle(100, 50),
			MethodThrottle: &map[string]*awsapigateway.ThrottleSettings{"POST /products": throttle(5, 2)},
			AccessLogFormat: awsapigateway.AccessLogFormat_JsonWithStandardFields(&awsapigateway.JsonWithStandardFieldProps{
				Caller: jsii.Bool(false), HttpMethod: jsii.Bool(true), Ip: jsii.Bool(true), Protocol: jsii.Bool(true),
				RequestTime: jsii.Bool(true), ResourcePath: jsii.Bool(true), ResponseLength: jsii.Bool(true),
				Status: jsii.Bool(true), User: jsii.Bool(false),
			}),
		},
		Stages: &[]*StageOptions{{Name: jsii.String("beta"), Variables: strs("backend", "beta.example.com")}},
		Methods: &[]*Method{
			{Key: jsii.String("GET /products"), Integration: &Integration{Function: fn}},
			{
				Key: jsii.String("POST /products"), Integration: &Integration{Function: fn},
				RequestModels: strs("application/json", "Product"), Validate: Validation_BODY,
			},
			{
				Key: jsii.String("GET /products/{id}"), Integration: &Integration{Function: fn},
				RequestParameters: bools("method.request.querystring.fields", false),
			},
			{Key: jsii.String("ANY /{proxy+}"), Integration: &Integration{Function: fn}},
			{
				// Lambda custom integration: a request template and responses by error message.
				Key: jsii.String("GET /products/{id}/price"),
				Integration: &Integration{
					Type: IntegrationType_AWS, Function: custom,
					RequestTemplates:    strs("application/json", `{"id": "$input.params('id')", "currency": "$input.params('currency')"}`),
					PassthroughBehavior: awsapigateway.PassthroughBehavior_NEVER,
					Responses: &[]*awsapigateway.IntegrationResponse{
						{StatusCode: jsii.String("200"), ResponseTemplates: strs("application/json", `{"price": $input.json('$.price')}`),
							ResponseParameters: strs("method.response.header.Cache-Control", "'max-age=60'")},
						{StatusCode: jsii.String("404"), SelectionPattern: jsii.String(`.*not found.*`),
							ResponseTemplates: strs("application/json", `{"message": "$input.path('$.errorMessage')"}`)},
					},
				},
				RequestParameters: bools("method.request.querystring.currency", true),
				Validate:          Validation_PARAMETERS,
				MethodResponses: &[]*MethodResponse{
					{StatusCode: jsii.String("404"), ResponseModels: strs("application/json", "Error")},
				},
			},
			{
				// HTTP proxy with a path placeholder filled from the greedy variable.
				Key:         jsii.String("ANY /legacy/{proxy+}"),
				Integration: &Integration{Url: jsii.String("https://${stageVariables.backend}/{proxy}")},
			},
			{
				// HTTP custom integration.
				Key: jsii.String("GET /suppliers/{supplier}"),
				Integration: &Integration{
					Type: IntegrationType_HTTP, Url: jsii.String("https://example.com/suppliers/{sid}"), HttpMethod: jsii.String("GET"),
					RequestParameters: strs(
						"integration.request.path.sid", "method.request.path.supplier",
						"integration.request.header.x-tenant", "method.request.header.x-tenant",
						"integration.request.querystring.stage", "context.stage",
					),
					Responses: &[]*awsapigateway.IntegrationResponse{
						{StatusCode: jsii.String("200")},
						{StatusCode: jsii.String("502"), SelectionPattern: jsii.String(`5\d{2}`)},
					},
					Timeout: awscdk.Duration_Seconds(jsii.Number(10)),
				},
			},
			{
				Key: jsii.String("GET /health"), ApiKeyRequired: jsii.Bool(true),
				Integration: &Integration{
					Type:             IntegrationType_MOCK,
					RequestTemplates: strs("application/json", `{"statusCode": 200}`),
					Responses: &[]*awsapigateway.IntegrationResponse{
						{StatusCode: jsii.String("200"), ResponseTemplates: strs("application/json", `{"ok": true, "stage": "$context.stage"}`)},
					},
				},
			},
		},
		GatewayResponses: &[]*awsapigateway.GatewayResponseOptions{
			{
				Type:            awsapigateway.ResponseType_DEFAULT_4XX(),
				ResponseHeaders: strs("Access-Control-Allow-Origin", "'http://localhost:5173'", "x-request-id", "context.requestId"),
				Templates:       strs("application/json", `{"error": $context.error.messageString}`),
			},
			{Type: awsapigateway.ResponseType_MISSING_AUTHENTICATION_TOKEN(), StatusCode: jsii.String("404")},
		},
		ApiKeys: &[]*ApiKey{
			{Name: jsii.String("partner"), Value: jsii.String("partner-key-0123456789")},
			{Name: jsii.String("generated")},
		},
		UsagePlans: &[]*UsagePlan{{
			Name: jsii.String("partners"), Stages: jsii.Strings("v1", "beta"),
			Throttle:       throttle(10, 5),
			Quota:          &awsapigateway.QuotaSettings{Limit: jsii.Number(1000), Period: awsapigateway.Period_DAY},
			MethodThrottle: &map[string]*awsapigateway.ThrottleSettings{"GET /health": throttle(1, 1)},
			ApiKeys:        jsii.Strings("partner", "generated"),
		}},
	})
	// After construction, as a user would: a model that refers to another one.
	api.AddModel(&Model{Name: jsii.String("ProductList"), Schema: &awsapigateway.JsonSchema{
		Type:  awsapigateway.JsonSchemaType_ARRAY,
		Items: &awsapigateway.JsonSchema{Ref: api.ModelURL("Product")},
	}})
	return stack, api
}

func TestRestApiTemplate(t *testing.T) {
	stack, api := goodApp(t)
	if api.Api == nil || len(api.Stages) != 2 || len(api.Methods) != 8 || api.DefaultStage() == nil ||
		api.Url("v1") == nil || api.Url("beta") == nil || api.Url("nope") != nil || len(api.Models) != 2 ||
		len(api.ApiKeys) != 2 || len(api.UsagePlans) != 1 || len(api.GatewayResponses) != 2 || len(api.Validators) != 2 {
		t.Fatalf("exported L2 objects: stages=%d methods=%d models=%d keys=%d plans=%d gateway responses=%d validators=%d",
			len(api.Stages), len(api.Methods), len(api.Models), len(api.ApiKeys), len(api.UsagePlans), len(api.GatewayResponses), len(api.Validators))
	}
	for _, path := range []string{"/", "/products", "/products/{id}", "/products/{id}/price", "/{proxy+}", "/legacy", "/legacy/{proxy+}", "/suppliers", "/suppliers/{supplier}", "/health"} {
		if api.Resources[path] == nil {
			t.Errorf("no resource %s", path)
		}
	}

	tpl := assertions.Template_FromStack(stack, nil)
	tpl.ResourceCountIs(jsii.String("AWS::ApiGateway::RestApi"), jsii.Number(1))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGateway::Stage"), jsii.Number(2))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGateway::Model"), jsii.Number(2))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGateway::RequestValidator"), jsii.Number(2))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGateway::GatewayResponse"), jsii.Number(2))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGateway::ApiKey"), jsii.Number(2))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGateway::UsagePlan"), jsii.Number(1))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGateway::UsagePlanKey"), jsii.Number(2))
	tpl.ResourceCountIs(jsii.String("AWS::Logs::LogGroup"), jsii.Number(1))
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::RestApi"), &map[string]any{
		"Name": "shop", "Description": "a shop", "BinaryMediaTypes": []any{"image/png", "application/octet-stream"},
	})

	// Stages: the default one with variables, throttling for every method and one method, and
	// an access log; a second stage of the same deployment.
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Stage"), &map[string]any{
		"StageName": "v1", "Variables": map[string]any{"backend": "example.com"},
		"MethodSettings": assertions.Match_ArrayWith(&[]any{
			assertions.Match_ObjectLike(&map[string]any{"ResourcePath": "/*", "HttpMethod": "*", "ThrottlingRateLimit": 100, "ThrottlingBurstLimit": 50}),
			assertions.Match_ObjectLike(&map[string]any{"ResourcePath": "/~1products", "HttpMethod": "POST", "ThrottlingRateLimit": 5, "ThrottlingBurstLimit": 2}),
		}),
		"AccessLogSetting": map[string]any{"Format": assertions.Match_StringLikeRegexp(jsii.String(`\$context\.requestId`))},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Stage"), &map[string]any{
		"StageName": "beta", "Variables": map[string]any{"backend": "beta.example.com"},
	})

	// Methods of every integration type.
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), &map[string]any{
		"HttpMethod": "POST", "RequestModels": map[string]any{"application/json": assertions.Match_AnyValue()},
		"RequestValidatorId": assertions.Match_AnyValue(),
		"Integration":        map[string]any{"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST"},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), &map[string]any{
		"HttpMethod":        "GET",
		"RequestParameters": map[string]any{"method.request.querystring.currency": true},
		"Integration": map[string]any{
			"Type": "AWS", "PassthroughBehavior": "NEVER",
			"IntegrationResponses": []any{
				map[string]any{"StatusCode": "200", "ResponseParameters": map[string]any{"method.response.header.Cache-Control": "'max-age=60'"}},
				map[string]any{"StatusCode": "404", "SelectionPattern": ".*not found.*"},
			},
		},
		// 404 as declared, and 200 derived from its integration response with the header it sets.
		"MethodResponses": []any{
			map[string]any{"StatusCode": "404", "ResponseModels": map[string]any{"application/json": "Error"}},
			map[string]any{"StatusCode": "200", "ResponseParameters": map[string]any{"method.response.header.Cache-Control": false}},
		},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), &map[string]any{
		"HttpMethod":        "ANY",
		"RequestParameters": map[string]any{"method.request.path.proxy": true},
		"Integration": map[string]any{
			"Type": "HTTP_PROXY", "IntegrationHttpMethod": "ANY", "Uri": "https://${stageVariables.backend}/{proxy}",
			"RequestParameters": map[string]any{"integration.request.path.proxy": "method.request.path.proxy"},
		},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), &map[string]any{
		"HttpMethod": "GET",
		// Declared because the mapping reads them: the path parameter required, the header not.
		"RequestParameters": map[string]any{"method.request.path.supplier": true, "method.request.header.x-tenant": false},
		"Integration": map[string]any{
			"Type": "HTTP", "IntegrationHttpMethod": "GET", "TimeoutInMillis": 10000,
			"RequestParameters": map[string]any{
				"integration.request.path.sid":          "method.request.path.supplier",
				"integration.request.header.x-tenant":   "method.request.header.x-tenant",
				"integration.request.querystring.stage": "context.stage",
			},
		},
		"MethodResponses": []any{map[string]any{"StatusCode": "200"}, map[string]any{"StatusCode": "502"}},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), &map[string]any{
		"HttpMethod": "GET", "ApiKeyRequired": true,
		"Integration": map[string]any{"Type": "MOCK", "RequestTemplates": map[string]any{"application/json": `{"statusCode": 200}`}},
	})
	// CORS: an OPTIONS mock on the resources.
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), &map[string]any{
		"HttpMethod": "OPTIONS", "Integration": map[string]any{"Type": "MOCK"},
	})

	// Validators, shared per kind.
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::RequestValidator"), &map[string]any{
		"Name": "validate-body", "ValidateRequestBody": true, "ValidateRequestParameters": false,
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::RequestValidator"), &map[string]any{
		"Name": "validate-parameters", "ValidateRequestBody": false, "ValidateRequestParameters": true,
	})

	// Models: draft 4, and a $ref to another model that depends on it.
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Model"), &map[string]any{
		"Name": "Product", "ContentType": "application/json",
		"Schema": map[string]any{"$schema": "http://json-schema.org/draft-04/schema#", "required": []any{"name", "price"}},
	})
	tpl.HasResource(jsii.String("AWS::ApiGateway::Model"), &map[string]any{
		"Properties": map[string]any{"Name": "ProductList"},
		"DependsOn":  assertions.Match_ArrayWith(&[]any{assertions.Match_StringLikeRegexp(jsii.String("ModelProduct"))}),
	})

	// Gateway responses, API keys, the usage plan.
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::GatewayResponse"), &map[string]any{
		"ResponseType": "DEFAULT_4XX",
		"ResponseParameters": map[string]any{
			"gatewayresponse.header.Access-Control-Allow-Origin": "'http://localhost:5173'",
			"gatewayresponse.header.x-request-id":                "context.requestId",
		},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::GatewayResponse"), &map[string]any{
		"ResponseType": "MISSING_AUTHENTICATION_TOKEN", "StatusCode": "404",
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::ApiKey"), &map[string]any{
		"Name": "partner", "Value": "partner-key-0123456789", "Enabled": true,
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::UsagePlan"), &map[string]any{
		"UsagePlanName": "partners",
		"Throttle":      map[string]any{"RateLimit": 10, "BurstLimit": 5},
		"Quota":         map[string]any{"Limit": 1000, "Period": "DAY"},
		"ApiStages": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Stage":    assertions.Match_AnyValue(),
			"Throttle": map[string]any{"/health/GET": map[string]any{"RateLimit": 1, "BurstLimit": 1}},
		})}),
	})
	outputs, _ := json.Marshal(tpl.FindOutputs(jsii.String("*"), nil))
	if !strings.Contains(string(outputs), "StagebetaUrl") {
		t.Errorf("no URL output for stage beta: %s", outputs)
	}
}

// TestUrlWithTokens: a URL that names an API by its id token still gets its placeholders mapped.
func TestUrlWithTokens(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Tokens"), nil)
	api := New(stack, jsii.String("Api"), nil)
	api.AddMethod(&Method{
		Key:         jsii.String("GET /items/{id}"),
		Integration: &Integration{Url: jsii.String("https://" + *api.Api.RestApiId() + ".execute-api.example.com/prod/items/{id}")},
	})
	if len(api.Methods) != 1 {
		t.Fatal("the method was refused")
	}
	tpl := assertions.Template_FromStack(stack, nil)
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), &map[string]any{
		"RequestParameters": map[string]any{"method.request.path.id": true},
		"Integration": map[string]any{
			"Type":              "HTTP_PROXY",
			"RequestParameters": map[string]any{"integration.request.path.id": "method.request.path.id"},
		},
	})
}
