package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/golambda"
	"github.com/gatehouse-dev/gatehouse/constructs/httpapi"
	"github.com/gatehouse-dev/gatehouse/constructs/websocketapi"
)

// Demo secrets, in the template on purpose so that the example works the same in AWS and
// locally. Do not copy them into a real app.
const (
	// chatToken is what $connect expects in the "token" query parameter.
	chatToken = "gatehouse-demo-token"
	// chatAPIKey is the API key of the "vip" route; API Gateway wants at least 20 characters.
	chatAPIKey = "gatehouse-chat-demo-key-0001"
	// chatStage is the WebSocket API's stage: wss://{api-id}.execute-api.{region}.amazonaws.com/dev.
	chatStage = "dev"
)

// addChat adds the "gatehouse-chat" WebSocket API, its handlers, its API key and usage plan, and
// the chat page at GET /chat on api. It shares the stack with the HTTP API because each points at
// the other: two HTTP routes of the chat call the HTTP API's /echo, and the page must know the
// chat's API id.
func addChat(stack awscdk.Stack, api *httpapi.HttpApi) *websocketapi.WebSocketApi {
	fn := func(id, entry string, opts awslambda.FunctionOptions) awslambda.Function {
		return golambda.NewFunction(stack, jsii.String(id), &golambda.FunctionProps{Entry: jsii.String(entry), FunctionOptions: opts})
	}
	connect := fn("WsConnect", "lambdas/wsconnect", awslambda.FunctionOptions{
		Environment: &map[string]*string{"CHAT_TOKEN": jsii.String(chatToken)},
	})
	disconnect := fn("WsDisconnect", "lambdas/wsdisconnect", awslambda.FunctionOptions{})
	echo := fn("WsDefault", "lambdas/wsdefault", awslambda.FunctionOptions{})
	// One instance, so that its in-memory room is the whole room (see lambdas/wssendmessage).
	send := fn("WsSendMessage", "lambdas/wssendmessage", awslambda.FunctionOptions{
		ReservedConcurrentExecutions: jsii.Number(1),
		Timeout:                      awscdk.Duration_Seconds(jsii.Number(10)),
	})
	whoami := fn("WsWhoami", "lambdas/wswhoami", awslambda.FunctionOptions{Timeout: awscdk.Duration_Seconds(jsii.Number(10))})

	echoURL := *api.ApiEndpoint() + "/dev/echo"
	mockOK := &map[string]*string{"$default": jsii.String(`{"statusCode": 200}`)}
	chat := websocketapi.New(stack, jsii.String("Chat"), &websocketapi.Props{
		ApiName:                   jsii.String("gatehouse-chat"),
		Description:               jsii.String("Gatehouse example: a WebSocket chat"),
		RouteSelectionExpression:  jsii.String(websocketapi.DefaultRouteSelectionExpression),
		ApiKeySelectionExpression: awsapigatewayv2.WebSocketApiKeySelectionExpression_HEADER_X_API_KEY(),
		DefaultStage: &websocketapi.StageOptions{
			Name:      jsii.String(chatStage),
			Variables: &map[string]*string{"room": jsii.String("lobby")},
			// The account-level default of API Gateway, so `make bench` measures the runner, not
			// the throttle; sendmessage shows a route limit that bites.
			Throttle: &awsapigatewayv2.ThrottleSettings{RateLimit: jsii.Number(10000), BurstLimit: jsii.Number(5000)},
			RouteThrottle: &map[string]*awsapigatewayv2.ThrottleSettings{
				"sendmessage": {RateLimit: jsii.Number(10), BurstLimit: jsii.Number(5)},
			},
		},
		Routes: &[]*websocketapi.Route{
			{Key: jsii.String("$connect"), Function: connect},
			{Key: jsii.String("$disconnect"), Function: disconnect},
			{Key: jsii.String("$default"), Function: echo, ReturnResponse: jsii.Bool(true)},
			{Key: jsii.String("sendmessage"), Function: send},
			{Key: jsii.String("whoami"), Function: whoami},
			{
				// The request template picks the mock's status: "fail" makes it 500.
				Key: jsii.String("ping"), Type: websocketapi.IntegrationType_MOCK, ReturnResponse: jsii.Bool(true),
				TemplateSelectionExpression: jsii.String("${request.body.message}"),
				RequestTemplates: &map[string]*string{
					"fail":     jsii.String(`{"statusCode": 500}`),
					"$default": jsii.String(`{"statusCode": 200}`),
				},
				PassthroughBehavior: awsapigatewayv2.PassthroughBehavior_WHEN_NO_TEMPLATES,
				IntegrationResponses: &[]*websocketapi.IntegrationResponse{
					{
						Key:                         jsii.String(`/2\d\d/`),
						TemplateSelectionExpression: jsii.String("${integration.response.statuscode}"),
						ResponseTemplates:           &map[string]*string{"200": jsii.String(`{"pong":true}`)},
					},
					{
						Key:               jsii.String("$default"),
						ResponseTemplates: &map[string]*string{"$default": jsii.String(`{"pong":false}`)},
					},
				},
			},
			{
				// HTTP proxy to the HTTP API's echo function, with data mapping: the reply is the
				// event the echo function got, showing the mapped query string and headers.
				Key: jsii.String("echohttp"), Url: jsii.String(echoURL + "/ws"), ReturnResponse: jsii.Bool(true),
				RequestParameters: &map[string]*string{
					"integration.request.querystring.x":          jsii.String("route.request.body.x"),
					"integration.request.header.x-connection-id": jsii.String("context.connectionId"),
					"integration.request.header.x-chat-room":     jsii.String("stageVariables.room"),
					"integration.request.header.x-via":           jsii.String("'gatehouse-chat'"),
				},
			},
			{
				// HTTP without proxy: a request template makes the body, an integration response
				// template the reply.
				Key: jsii.String("echotemplate"), Type: websocketapi.IntegrationType_HTTP, Url: jsii.String(echoURL + "/template"),
				Method: jsii.String("POST"), ReturnResponse: jsii.Bool(true),
				TemplateSelectionExpression: jsii.String(`\$default`),
				RequestTemplates: &map[string]*string{
					"$default": jsii.String(`{"said": $input.json('$.message'), "connectionId": "$context.connectionId", "room": "$stageVariables.room"}`),
				},
				PassthroughBehavior: awsapigatewayv2.PassthroughBehavior_NEVER,
				IntegrationResponses: &[]*websocketapi.IntegrationResponse{
					{Key: jsii.String(`/2\d\d/`), ResponseTemplates: &map[string]*string{"$default": jsii.String(`{"echoed": $input.json('$.body')}`)}},
					{Key: jsii.String("$default"), ResponseTemplates: &map[string]*string{"$default": jsii.String(`{"error":"the echo backend failed"}`)}},
				},
			},
			{
				// Needs the API key in x-api-key on the connection request.
				Key: jsii.String("vip"), Type: websocketapi.IntegrationType_MOCK, ReturnResponse: jsii.Bool(true), ApiKeyRequired: jsii.Bool(true),
				RequestTemplates: mockOK,
				IntegrationResponses: &[]*websocketapi.IntegrationResponse{{
					Key:               jsii.String("$default"),
					ResponseTemplates: &map[string]*string{"$default": jsii.String(`{"vip":true,"apiKeyId":"$context.identity.apiKeyId"}`)},
				}},
			},
		},
	})
	// sendmessage posts through CALLBACK_URL; whoami builds its URL from the event, so it only
	// needs the permission, straight from the L2 stage.
	chat.GrantCallback(send, nil)
	chat.DefaultStage().GrantManagementApiAccess(whoami)

	// The vip route's API key, valid on the chat's stage through a usage plan. The plan sets no
	// throttling or quota of its own: the stage's throttling applies.
	plan := awsapigatewayv2.NewUsagePlan(stack, jsii.String("ChatUsagePlan"), &awsapigatewayv2.UsagePlanProps{
		UsagePlanName: jsii.String("gatehouse-chat-vip"),
		ApiStages:     &[]*awsapigatewayv2.UsagePlanPerApiStage{{Api: chat.Api, Stage: chat.DefaultStage()}},
	})
	plan.AddApiKey(awsapigatewayv2.NewApiKey(stack, jsii.String("ChatApiKey"), &awsapigatewayv2.ApiKeyProps{
		ApiKeyName: jsii.String("gatehouse-chat-vip"),
		Value:      jsii.String(chatAPIKey),
	}), nil)

	page := fn("WsPage", "lambdas/wspage", awslambda.FunctionOptions{
		Environment: &map[string]*string{
			"WS_API_ID":  chat.ApiId(),
			"WS_STAGE":   jsii.String(chatStage),
			"WS_REGION":  awscdk.Aws_REGION(),
			"CHAT_TOKEN": jsii.String(chatToken),
		},
	})
	api.AddRoute(&httpapi.Route{Key: jsii.String("GET /chat"), Function: page})
	awscdk.NewCfnOutput(stack, jsii.String("ChatPageUrl"), &awscdk.CfnOutputProps{
		Value:       jsii.String(*api.Url("dev") + "/chat"),
		Description: jsii.String("The chat page, which connects to the gatehouse-chat WebSocket API"),
	})
	return chat
}
