// Command httpapi is the Gatehouse example app: an HTTP API and a WebSocket API (websocket.go)
// with Go handlers, built with the Gatehouse constructs exactly as a user's own CDK app would
// import them, and in a stack of its own the catalogue REST API of examples/restapi.
//
//	npx cdk synth   # from the repository root; cdk.json runs this program
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/golambda"
	"github.com/gatehouse-dev/gatehouse/constructs/httpapi"
	"github.com/gatehouse-dev/gatehouse/examples/authz/guarded"
	"github.com/gatehouse-dev/gatehouse/examples/domains"
	"github.com/gatehouse-dev/gatehouse/examples/restapi/catalogue"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	NewExampleStack(app, "GatehouseHttpExample")
	// The REST API refers to nothing here, so it has its own stack; it is in this app so that
	// `make run` serves it too.
	catalogue.NewStack(app, catalogue.StackName)
	guarded.NewStack(app, guarded.StackName) // the authorizer example, examples/authz
	domains.NewStack(app, domains.StackName) // the custom domain example, examples/domains
	app.Synth(nil)
}

// NewExampleStack defines the example API. Entries are relative to the repository root, where
// `cdk synth` runs the app.
func NewExampleStack(app awscdk.App, id string) awscdk.Stack {
	stack := awscdk.NewStack(app, jsii.String(id), &awscdk.StackProps{
		Description: jsii.String("Gatehouse example: an HTTP API and a WebSocket API with Go handlers"),
	})

	// arm64 on purpose: the local runner must run a foreign-architecture binary.
	hello := golambda.NewFunction(stack, jsii.String("Hello"), &golambda.FunctionProps{
		Entry:           jsii.String("lambdas/hello"),
		FunctionOptions: awslambda.FunctionOptions{Architecture: awslambda.Architecture_ARM_64()},
	})
	items := golambda.NewFunction(stack, jsii.String("Items"), &golambda.FunctionProps{
		Entry: jsii.String("lambdas/items"),
		FunctionOptions: awslambda.FunctionOptions{
			Timeout:     awscdk.Duration_Seconds(jsii.Number(5)),
			MemorySize:  jsii.Number(256),
			Environment: &map[string]*string{"ITEMS_TABLE": jsii.String("in-memory")},
		},
	})
	legacy := golambda.NewFunction(stack, jsii.String("Legacy"), &golambda.FunctionProps{
		Entry: jsii.String("lambdas/legacy"),
	})
	echo := golambda.NewFunction(stack, jsii.String("Echo"), &golambda.FunctionProps{
		Entry:           jsii.String("lambdas/echo"),
		FunctionOptions: awslambda.FunctionOptions{ReservedConcurrentExecutions: jsii.Number(4)},
	})

	v1 := awsapigatewayv2.PayloadFormatVersion_VERSION_1_0()
	api := httpapi.New(stack, jsii.String("Api"), &httpapi.Props{
		ApiName: jsii.String("gatehouse-example"),
		Cors: &awsapigatewayv2.CorsPreflightOptions{
			AllowOrigins: jsii.Strings("http://localhost:5173"),
			AllowMethods: &[]awsapigatewayv2.CorsHttpMethod{
				awsapigatewayv2.CorsHttpMethod_GET, awsapigatewayv2.CorsHttpMethod_POST,
			},
			AllowHeaders:  jsii.Strings("content-type"),
			ExposeHeaders: jsii.Strings("location"),
			MaxAge:        awscdk.Duration_Minutes(jsii.Number(10)),
		},
		Stages: &[]*httpapi.StageOptions{{
			Name:      jsii.String("dev"),
			Variables: &map[string]*string{"greeting": jsii.String("hello from dev")},
			Throttle: &awsapigatewayv2.ThrottleSettings{
				RateLimit: jsii.Number(100), BurstLimit: jsii.Number(50),
			},
			RouteThrottle: &map[string]*awsapigatewayv2.ThrottleSettings{
				"POST /items": {RateLimit: jsii.Number(10), BurstLimit: jsii.Number(5)},
			},
		}},
		Routes: &[]*httpapi.Route{
			{Key: jsii.String("GET /hello"), Function: hello},
			{Key: jsii.String("GET /items/{id}"), Function: items},
			{Key: jsii.String("POST /items"), Function: items},
			{Key: jsii.String("ANY /legacy/{proxy+}"), Function: legacy, PayloadFormatVersion: v1},
			{Key: jsii.String("ANY /echo/{proxy+}"), Function: echo},
			{Key: jsii.String("ANY /echo1/{proxy+}"), Function: echo, PayloadFormatVersion: v1},
			{Key: jsii.String("$default"), Function: echo},
		},
	})

	// An HTTP proxy back into this API's own dev stage: {proxy} is the route's greedy
	// variable. Added after construction, since the URL needs the API's endpoint.
	api.AddRoute(&httpapi.Route{
		Key:    jsii.String("GET /proxied/{proxy+}"),
		Url:    jsii.String(*api.ApiEndpoint() + "/dev/{proxy}"),
		Method: awsapigatewayv2.HttpMethod_GET,
		RequestParameters: awsapigatewayv2.NewParameterMapping().
			AppendHeader(jsii.String("x-gatehouse-proxied"), awsapigatewayv2.MappingValue_Custom(jsii.String("true"))),
		ResponseParameters: &map[string]awsapigatewayv2.ParameterMapping{
			"200": awsapigatewayv2.NewParameterMapping().
				OverwriteHeader(jsii.String("x-gatehouse-mapped"), awsapigatewayv2.MappingValue_Custom(jsii.String("yes"))),
		},
		Timeout: awscdk.Duration_Seconds(jsii.Number(10)),
	})

	// The WebSocket API and the chat page at GET /chat.
	addChat(stack, api)
	return stack
}
