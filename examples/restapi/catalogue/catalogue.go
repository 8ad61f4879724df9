// Package catalogue defines the example REST API, a small product catalogue that uses every
// feature of constructs/restapi. It is a package, not a command, so that two apps can include
// it: examples/restapi on its own, and the repository's root app (examples/httpapi, which
// cdk.json runs and `make run` serves) next to the HTTP and WebSocket examples.
package catalogue

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/golambda"
	"github.com/gatehouse-dev/gatehouse/constructs/restapi"
)

// Names the README, clients and tests use.
const (
	// StackName is the stack the example apps give the catalogue.
	StackName = "GatehouseRestExample"
	// ApiName is the REST API's name.
	ApiName = "gatehouse-catalogue"
	// Origin is the one origin CORS allows: a local front-end dev server.
	Origin = "http://localhost:5173"
	// PartnerKey and StaffKey are demo API key values, in the template on purpose so that the
	// example works the same in AWS and locally. Do not reuse them.
	PartnerKey = "catalogue-partner-demo-key-0001"
	StaffKey   = "catalogue-staff-demo-key-00001"
)

// NewStack defines the catalogue in a stack of its own: it refers to nothing of the other
// examples. Function entries are relative to the repository root, where `cdk synth` runs.
func NewStack(scope constructs.Construct, id string) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), &awscdk.StackProps{
		Description: jsii.String("Gatehouse example: a product catalogue REST API with Go handlers"),
	})

	// One instance, so that the in-memory catalogue is the whole catalogue: a product POSTed is
	// there for the next GET.
	products := golambda.NewFunction(stack, jsii.String("Products"), &golambda.FunctionProps{
		Entry: jsii.String("lambdas/restproducts"),
		FunctionOptions: awslambda.FunctionOptions{
			ReservedConcurrentExecutions: jsii.Number(1),
			Environment:                  &map[string]*string{"ALLOW_ORIGIN": jsii.String(Origin)},
		},
	})
	price := golambda.NewFunction(stack, jsii.String("Price"), &golambda.FunctionProps{
		Entry: jsii.String("lambdas/restprice"),
	})

	api := restapi.New(stack, jsii.String("Catalogue"), &restapi.Props{
		RestApiName:      jsii.String(ApiName),
		Description:      jsii.String("Gatehouse example: a product catalogue"),
		BinaryMediaTypes: jsii.Strings("image/png"),
		Cors: &awsapigateway.CorsOptions{
			AllowOrigins: jsii.Strings(Origin),
			AllowHeaders: jsii.Strings("content-type", "x-api-key"),
			MaxAge:       awscdk.Duration_Minutes(jsii.Number(10)),
		},
		Models:           models(),
		DefaultStage:     v1Stage(),
		Stages:           &[]*restapi.StageOptions{betaStage()},
		Methods:          methods(products, price),
		GatewayResponses: gatewayResponses(),
	})
	// A model that refers to another, and the method that names it: both need the API first.
	api.AddModel(&restapi.Model{
		Name: jsii.String("ProductList"), Description: jsii.String("what GET /products returns"),
		Schema: &awsapigateway.JsonSchema{
			Title: jsii.String("ProductList"), Type: awsapigateway.JsonSchemaType_ARRAY,
			Items: &awsapigateway.JsonSchema{Ref: api.ModelURL("Product")},
		},
	})
	api.AddMethod(&restapi.Method{
		Key:         jsii.String("GET /products"),
		Integration: &restapi.Integration{Function: products},
		// Optional filters, ?category=books&tag=go&tag=toys: declared for documentation and SDKs.
		RequestParameters: &map[string]*bool{"method.request.querystring.category": jsii.Bool(false), "method.request.querystring.tag": jsii.Bool(false)},
		MethodResponses: &[]*restapi.MethodResponse{{
			StatusCode:     jsii.String("200"),
			ResponseModels: &map[string]*string{"application/json": jsii.String("ProductList")},
		}},
	})
	// Methods that call this API itself over HTTP: their URLs need the API's id.
	self := "https://" + *api.Api.RestApiId() + ".execute-api." + *stack.Region() + "." + *stack.UrlSuffix() + "/${stageVariables.selfStage}"
	for _, m := range selfMethods(self) {
		api.AddMethod(m)
	}
	// Keys and plans last: plans name stages, keys and methods.
	api.AddApiKey(&restapi.ApiKey{Name: jsii.String("partner-demo"), Value: jsii.String(PartnerKey), Description: jsii.String("demo partner key")})
	api.AddApiKey(&restapi.ApiKey{Name: jsii.String("staff-demo"), Value: jsii.String(StaffKey), Description: jsii.String("demo staff key")})
	api.AddUsagePlan(&restapi.UsagePlan{
		Name:        jsii.String("partners"),
		Description: jsii.String("partners read reports, 10 requests a second and 1000 a day per key"),
		Stages:      jsii.Strings("v1", "beta"),
		Throttle:    &awsapigateway.ThrottleSettings{RateLimit: jsii.Number(10), BurstLimit: jsii.Number(5)},
		Quota:       &awsapigateway.QuotaSettings{Limit: jsii.Number(1000), Period: awsapigateway.Period_DAY},
		MethodThrottle: &map[string]*awsapigateway.ThrottleSettings{
			"GET /reports/sales": {RateLimit: jsii.Number(2), BurstLimit: jsii.Number(1)},
		},
		ApiKeys: jsii.Strings("partner-demo"),
	})
	api.AddUsagePlan(&restapi.UsagePlan{
		Name:    jsii.String("staff"),
		Stages:  jsii.Strings("v1"),
		ApiKeys: jsii.Strings("staff-demo"),
	})
	return stack
}

// corsHeader is the header a custom integration's responses need for a browser on Origin; Lambda
// proxy handlers set it themselves, and gateway responses in their ResponseHeaders.
const corsHeader = "method.response.header.Access-Control-Allow-Origin"

func v1Stage() *restapi.StageOptions {
	return &restapi.StageOptions{
		Name:        jsii.String("v1"),
		Description: jsii.String("the released catalogue"),
		Variables:   &map[string]*string{"currency": jsii.String("EUR"), "selfStage": jsii.String("v1")},
		// Generous for the stage; tight for writes and searches.
		Throttle: &awsapigateway.ThrottleSettings{RateLimit: jsii.Number(1000), BurstLimit: jsii.Number(500)},
		MethodThrottle: &map[string]*awsapigateway.ThrottleSettings{
			"POST /products": {RateLimit: jsii.Number(5), BurstLimit: jsii.Number(2)},
			"GET /search":    {RateLimit: jsii.Number(20), BurstLimit: jsii.Number(10)},
		},
		AccessLogFormat: awsapigateway.AccessLogFormat_JsonWithStandardFields(&awsapigateway.JsonWithStandardFieldProps{
			Caller: jsii.Bool(false), HttpMethod: jsii.Bool(true), Ip: jsii.Bool(true), Protocol: jsii.Bool(true),
			RequestTime: jsii.Bool(true), ResourcePath: jsii.Bool(true), ResponseLength: jsii.Bool(true),
			Status: jsii.Bool(true), User: jsii.Bool(false),
		}),
	}
}

func betaStage() *restapi.StageOptions {
	return &restapi.StageOptions{
		Name:        jsii.String("beta"),
		Description: jsii.String("the same deployment, priced in dollars"),
		Variables:   &map[string]*string{"currency": jsii.String("USD"), "selfStage": jsii.String("beta")},
		Throttle:    &awsapigateway.ThrottleSettings{RateLimit: jsii.Number(50), BurstLimit: jsii.Number(20)},
	}
}

func models() *[]*restapi.Model {
	str := func() *awsapigateway.JsonSchema {
		return &awsapigateway.JsonSchema{Type: awsapigateway.JsonSchemaType_STRING}
	}
	tags := &awsapigateway.JsonSchema{
		Type: awsapigateway.JsonSchemaType_ARRAY, Items: str(),
		MaxItems: jsii.Number(5), UniqueItems: jsii.Bool(true),
	}
	categories := &[]any{"books", "games", "tools"}
	return &[]*restapi.Model{
		{
			Name: jsii.String("Product"), Description: jsii.String("a product as the catalogue returns it"),
			Schema: &awsapigateway.JsonSchema{
				Title: jsii.String("Product"), Type: awsapigateway.JsonSchemaType_OBJECT,
				Required: jsii.Strings("id", "name", "price"),
				Properties: &map[string]*awsapigateway.JsonSchema{
					"id": str(), "name": str(), "tags": tags,
					"price":    {Type: awsapigateway.JsonSchemaType_NUMBER},
					"category": {Type: awsapigateway.JsonSchemaType_STRING, Enum: categories},
				},
			},
		},
		{
			Name: jsii.String("NewProduct"), Description: jsii.String("what POST /products accepts"),
			Schema: &awsapigateway.JsonSchema{
				Title: jsii.String("NewProduct"), Type: awsapigateway.JsonSchemaType_OBJECT,
				Required:             jsii.Strings("name", "price"),
				AdditionalProperties: false,
				Properties: &map[string]*awsapigateway.JsonSchema{
					"name":     {Type: awsapigateway.JsonSchemaType_STRING, MinLength: jsii.Number(1), MaxLength: jsii.Number(100)},
					"price":    {Type: awsapigateway.JsonSchemaType_NUMBER, Minimum: jsii.Number(0), ExclusiveMinimum: jsii.Bool(true)},
					"category": {Type: awsapigateway.JsonSchemaType_STRING, Enum: categories},
					"tags":     tags,
				},
			},
		},
		{
			Name: jsii.String("Price"), Description: jsii.String("what GET /products/{id}/price returns"),
			Schema: &awsapigateway.JsonSchema{
				Title: jsii.String("Price"), Type: awsapigateway.JsonSchemaType_OBJECT,
				Properties: &map[string]*awsapigateway.JsonSchema{
					"id": str(), "stage": str(),
					"price": {Type: awsapigateway.JsonSchemaType_OBJECT, Properties: &map[string]*awsapigateway.JsonSchema{
						"amount": {Type: awsapigateway.JsonSchemaType_NUMBER}, "currency": str(),
					}},
				},
			},
		},
	}
}

// methods are the methods that need nothing of the API itself.
func methods(products, price awslambda.IFunction) *[]*restapi.Method {
	proxy := func(key string) *restapi.Method {
		return &restapi.Method{Key: jsii.String(key), Integration: &restapi.Integration{Function: products}}
	}
	json := func(tpl string) *map[string]*string { return &map[string]*string{"application/json": jsii.String(tpl)} }
	cors := &map[string]*string{corsHeader: jsii.String("'" + Origin + "'")}
	errorModel := &map[string]*string{"application/json": jsii.String(restapi.ErrorModelName)}
	corsHeaderDeclared := &map[string]*bool{corsHeader: jsii.Bool(false)}

	create := proxy("POST /products")
	create.RequestModels = &map[string]*string{"application/json": jsii.String("NewProduct")}
	create.Validate = restapi.Validation_BODY
	remove := proxy("DELETE /products/{id}")
	remove.ApiKeyRequired = jsii.Bool(true)
	search := proxy("GET /search")
	search.RequestParameters = &map[string]*bool{"method.request.querystring.q": jsii.Bool(true)}
	search.Validate = restapi.Validation_PARAMETERS

	return &[]*restapi.Method{
		{
			// A landing page made by API Gateway itself.
			Key: jsii.String("GET /"),
			Integration: &restapi.Integration{
				Type:             restapi.IntegrationType_MOCK,
				RequestTemplates: json(`{"statusCode": 200}`),
				Responses: &[]*awsapigateway.IntegrationResponse{{
					StatusCode:         jsii.String("200"),
					ResponseParameters: cors,
					ResponseTemplates: json(`{
  "api": "` + ApiName + `",
  "stage": "$context.stage",
  "products": "https://$context.domainName/$context.stage/products",
  "currency": "$stageVariables.currency"
}`),
				}},
			},
		},
		{
			// The request template picks the status: ?fail=true makes it 503.
			Key: jsii.String("GET /health"),
			Integration: &restapi.Integration{
				Type: restapi.IntegrationType_MOCK,
				RequestTemplates: json(`#if($input.params('fail') == "true")
{"statusCode": 503}
#else
{"statusCode": 200}
#end`),
				Responses: &[]*awsapigateway.IntegrationResponse{
					{
						StatusCode: jsii.String("200"), ResponseParameters: cors,
						ResponseTemplates: json(`{"status": "ok", "stage": "$context.stage", "requestId": "$context.requestId"}`),
					},
					{
						StatusCode: jsii.String("503"), SelectionPattern: jsii.String(`5\d{2}`),
						ResponseParameters: &map[string]*string{corsHeader: jsii.String("'" + Origin + "'"), "method.response.header.Retry-After": jsii.String("'30'")},
						ResponseTemplates:  json(`{"status": "failing", "stage": "$context.stage"}`),
					},
				},
			},
			RequestParameters: &map[string]*bool{"method.request.querystring.fail": jsii.Bool(false)},
		},
		create, proxy("GET /products/{id}"), remove,
		proxy("GET /products/{id}/image"), proxy("PUT /products/{id}/image"),
		search,
		{
			// A Lambda custom integration: the template makes the event, the Lambda error
			// message selects the response.
			Key: jsii.String("GET /products/{id}/price"),
			Integration: &restapi.Integration{
				Type: restapi.IntegrationType_AWS, Function: price,
				RequestTemplates: json(`#set($currency = $input.params('currency'))
#if($currency == "")#set($currency = $stageVariables.currency)#end
{
  "id": "$util.escapeJavaScript($input.params('id'))",
  "currency": "$util.escapeJavaScript($currency)",
  "stage": "$context.stage"
}`),
				PassthroughBehavior: awsapigateway.PassthroughBehavior_NEVER,
				Responses: &[]*awsapigateway.IntegrationResponse{
					{
						StatusCode: jsii.String("200"),
						ResponseParameters: &map[string]*string{
							corsHeader:                             jsii.String("'" + Origin + "'"),
							"method.response.header.Cache-Control": jsii.String("'max-age=300'"),
							"method.response.header.X-Currency":    jsii.String("integration.response.body.currency"),
						},
						ResponseTemplates: json(`#set($p = $input.path('$'))
{"id": "$p.id", "price": {"amount": $p.amount, "currency": "$p.currency"}, "stage": "$p.stage"}`),
					},
					{
						StatusCode: jsii.String("404"), SelectionPattern: jsii.String(".*not found.*"), ResponseParameters: cors,
						ResponseTemplates: json(`{"message": "$util.escapeJavaScript($input.path('$.errorMessage'))"}`),
					},
					{
						StatusCode: jsii.String("400"), SelectionPattern: jsii.String(".*not supported.*"), ResponseParameters: cors,
						ResponseTemplates: json(`{"message": "$util.escapeJavaScript($input.path('$.errorMessage'))"}`),
					},
				},
			},
			RequestParameters: &map[string]*bool{"method.request.querystring.currency": jsii.Bool(false)},
			MethodResponses: &[]*restapi.MethodResponse{
				{
					StatusCode: jsii.String("200"),
					ResponseParameters: &map[string]*bool{
						corsHeader: jsii.Bool(false), "method.response.header.Cache-Control": jsii.Bool(true), "method.response.header.X-Currency": jsii.Bool(true),
					},
					ResponseModels: &map[string]*string{"application/json": jsii.String("Price")},
				},
				{StatusCode: jsii.String("404"), ResponseParameters: corsHeaderDeclared, ResponseModels: errorModel},
				{StatusCode: jsii.String("400"), ResponseParameters: corsHeaderDeclared, ResponseModels: errorModel},
			},
		},
		{
			// Only for API keys in a usage plan.
			Key: jsii.String("GET /reports/sales"), ApiKeyRequired: jsii.Bool(true),
			Integration: &restapi.Integration{
				Type:             restapi.IntegrationType_MOCK,
				RequestTemplates: json(`{"statusCode": 200}`),
				Responses: &[]*awsapigateway.IntegrationResponse{{
					StatusCode: jsii.String("200"), ResponseParameters: cors,
					ResponseTemplates: json(`{"report": "sales", "stage": "$context.stage", "apiKeyId": "$context.identity.apiKeyId", "total": 1234.5}`),
				}},
			},
		},
	}
}

// selfMethods call this API's own stage (self ends in /${stageVariables.selfStage}) over HTTP,
// as an HTTP backend elsewhere would be called.
func selfMethods(self string) []*restapi.Method {
	json := func(tpl string) *map[string]*string { return &map[string]*string{"application/json": jsii.String(tpl)} }
	cors := &map[string]*string{corsHeader: jsii.String("'" + Origin + "'")}
	return []*restapi.Method{
		{
			// An HTTP proxy: the old /legacy/... paths are served by the current ones.
			Key: jsii.String("ANY /legacy/{proxy+}"),
			Integration: &restapi.Integration{
				Url:               jsii.String(self + "/{proxy}"),
				RequestParameters: &map[string]*string{"integration.request.header.x-catalogue-legacy": jsii.String("'true'")},
			},
		},
		{
			// An HTTP custom integration: parameters mapped in, the response reshaped by a
			// template, a 4xx from the backend selected by status.
			Key: jsii.String("GET /products/{id}/summary"),
			Integration: &restapi.Integration{
				Type: restapi.IntegrationType_HTTP, Url: jsii.String(self + "/products/{pid}"), HttpMethod: jsii.String("GET"),
				RequestParameters: &map[string]*string{
					"integration.request.path.pid":               jsii.String("method.request.path.id"),
					"integration.request.header.x-catalogue-via": jsii.String("'summary'"),
					"integration.request.header.x-request-id":    jsii.String("context.requestId"),
				},
				Responses: &[]*awsapigateway.IntegrationResponse{
					{
						StatusCode: jsii.String("200"), ResponseParameters: cors,
						ResponseTemplates: json(`#set($p = $input.path('$'))
{"id": "$p.id", "label": "$util.escapeJavaScript($p.name) ($p.price EUR)"}`),
					},
					{
						StatusCode: jsii.String("404"), SelectionPattern: jsii.String(`4\d{2}`), ResponseParameters: cors,
						ResponseTemplates: json(`{"message": "no product $util.escapeJavaScript($input.params('id'))"}`),
					},
				},
				Timeout: awscdk.Duration_Seconds(jsii.Number(10)),
			},
		},
		{
			// contentHandling: the backend's PNG comes back as base64 text inside JSON.
			Key: jsii.String("GET /products/{id}/thumbnail"),
			Integration: &restapi.Integration{
				Type: restapi.IntegrationType_HTTP, Url: jsii.String(self + "/products/{id}/image"), HttpMethod: jsii.String("GET"),
				RequestParameters: &map[string]*string{"integration.request.header.Accept": jsii.String("'image/png'")},
				Responses: &[]*awsapigateway.IntegrationResponse{
					{
						StatusCode: jsii.String("200"), ResponseParameters: cors,
						ContentHandling:   awsapigateway.ContentHandling_CONVERT_TO_TEXT,
						ResponseTemplates: json(`{"id": "$util.escapeJavaScript($input.params('id'))", "contentType": "image/png", "base64": "$input.body"}`),
					},
					{StatusCode: jsii.String("404"), SelectionPattern: jsii.String(`4\d{2}`), ResponseParameters: cors,
						ResponseTemplates: json(`{"message": "no product $util.escapeJavaScript($input.params('id'))"}`)},
				},
			},
		},
	}
}

func gatewayResponses() *[]*awsapigateway.GatewayResponseOptions {
	headers := func() *map[string]*string {
		return &map[string]*string{
			"Access-Control-Allow-Origin": jsii.String("'" + Origin + "'"),
			"x-request-id":                jsii.String("context.requestId"),
		}
	}
	json := func(tpl string) *map[string]*string { return &map[string]*string{"application/json": jsii.String(tpl)} }
	return &[]*awsapigateway.GatewayResponseOptions{
		{
			Type: awsapigateway.ResponseType_DEFAULT_4XX(), ResponseHeaders: headers(),
			Templates: json(`{"message": $context.error.messageString, "type": "$context.error.responseType", "requestId": "$context.requestId"}`),
		},
		{
			Type: awsapigateway.ResponseType_DEFAULT_5XX(), ResponseHeaders: headers(),
			Templates: json(`{"message": $context.error.messageString, "type": "$context.error.responseType", "requestId": "$context.requestId"}`),
		},
		{
			// An unknown path is a 404 here, not API Gateway's 403 Missing Authentication Token.
			Type: awsapigateway.ResponseType_MISSING_AUTHENTICATION_TOKEN(), StatusCode: jsii.String("404"), ResponseHeaders: headers(),
			Templates: json(`{"message": "no such resource: $context.httpMethod $context.path", "requestId": "$context.requestId"}`),
		},
		{
			// The validator's complaints go in a header: they hold quotes, and a gateway
			// response template substitutes variables without escaping them for JSON.
			Type: awsapigateway.ResponseType_BAD_REQUEST_BODY(),
			ResponseHeaders: &map[string]*string{
				"Access-Control-Allow-Origin": jsii.String("'" + Origin + "'"),
				"x-request-id":                jsii.String("context.requestId"),
				"x-validation-errors":         jsii.String("context.error.validationErrorString"),
			},
			Templates: json(`{"message": $context.error.messageString, "type": "$context.error.responseType", "requestId": "$context.requestId"}`),
		},
	}
}
