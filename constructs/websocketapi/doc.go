// Package websocketapi is a CDK construct for API Gateway WebSocket APIs, built over aws-cdk-lib's
// awsapigatewayv2.WebSocketApi and WebSocketStage L2s rather than replacing them.
//
// It adds what the L2 leaves out or leaves to the L1: routes given in one value with a Lambda
// proxy, HTTP proxy, HTTP or MOCK integration; two-way routes (a "$default" route response)
// with integration responses for non-proxy integrations; request templates with a template
// selection expression and passthrough behaviour; data mapping of route request data into the
// integration request; API keys required per route; authorizers (Lambda REQUEST, IAM) declared
// by name and attached to the $connect route; a default stage with stage variables and
// throttling (stage default and per route); one call, [WebSocketApi.GrantCallback], that readies
// a handler to post to connections; a CfnOutput with the wss:// URL of every stage; and
// validation of everything the Developer Guide constrains, reported when the app is synthesized
// with the construct path and the rule that was broken.
//
// The L2 objects stay reachable: WebSocketApi.Api is the awsapigatewayv2.WebSocketApi, Stages
// and Routes hold the awsapigatewayv2 stages and routes, Authorizers the
// awsapigatewayv2authorizers objects, and each route's CfnIntegration is its
// child "Integration" (route.Node().FindChild("Integration").Node().DefaultChild()).
//
// # Example
//
//	chat := websocketapi.New(stack, jsii.String("Chat"), &websocketapi.Props{
//		ApiName:                   jsii.String("chat"),
//		ApiKeySelectionExpression: awsapigatewayv2.WebSocketApiKeySelectionExpression_HEADER_X_API_KEY(),
//		DefaultStage: &websocketapi.StageOptions{ // "dev" unless Name says otherwise
//			Variables: &map[string]*string{"room": jsii.String("lobby")},
//			Throttle:  &awsapigatewayv2.ThrottleSettings{RateLimit: jsii.Number(100), BurstLimit: jsii.Number(50)},
//		},
//		Authorizers: &map[string]*websocketapi.Authorizer{
//			// Browsers cannot set headers on the handshake: the token comes in the query string.
//			"token": {Type: websocketapi.AuthorizerType_LAMBDA, Function: authorize, IdentitySource: jsii.Strings("route.request.querystring.token")},
//		},
//		Routes: &[]*websocketapi.Route{
//			{Key: jsii.String("$connect"), Function: connect, Authorizer: jsii.String("token")},
//			{Key: jsii.String("$default"), Function: echo, ReturnResponse: jsii.Bool(true)},
//			{Key: jsii.String("sendmessage"), Function: send},
//			{
//				Key: jsii.String("ping"), Type: websocketapi.IntegrationType_MOCK, ReturnResponse: jsii.Bool(true),
//				RequestTemplates: &map[string]*string{"$default": jsii.String(`{"statusCode": 200}`)},
//				IntegrationResponses: &[]*websocketapi.IntegrationResponse{{
//					Key:               jsii.String("$default"),
//					ResponseTemplates: &map[string]*string{"$default": jsii.String(`{"pong":true}`)},
//				}},
//			},
//			{
//				Key: jsii.String("relay"), Url: jsii.String("https://example.com/echo"), ReturnResponse: jsii.Bool(true),
//				RequestParameters: &map[string]*string{
//					"integration.request.header.x-connection-id": jsii.String("context.connectionId"),
//					"integration.request.querystring.x":          jsii.String("route.request.body.x"),
//				},
//			},
//		},
//	})
//	chat.GrantCallback(send, nil) // ManageConnections on dev, and CALLBACK_URL in send's environment
//
// # Choices
//
//   - The API gets a stage named "dev" (DefaultStageName) unless NoDefaultStage is set, because
//     the L2 creates none and an API without a stage cannot be connected to. WebSocket APIs have
//     no "$default" stage: the stage name is always the first path segment of the URL,
//     wss://{api-id}.execute-api.{region}.amazonaws.com/{stage}. Stages auto-deploy by default.
//   - The route selection expression defaults to "$request.body.action".
//   - ApiKeyRequired is refused unless the API names its ApiKeySelectionExpression. API Gateway
//     would default it to $request.header.x-api-key; requiring it keeps the template explicit
//     about where keys come from, for readers and for the local runner.
//   - Route request parameters that data mapping reads ("route.request.querystring.token") are
//     declared on the $connect route as not required unless RouteRequestParameters declares
//     them: the guide maps only "defined route request parameters".
//   - A route with IntegrationResponses but no ReturnResponse gets a synth warning, not an
//     error: API Gateway accepts it, but a one-way route never sends anything back.
//   - Only $connect may name an Authorizer: API Gateway authorizes a connection once, and the
//     decision and the authorizer's context hold for its later messages. An authorizer no route
//     uses is an error, since the L2 creates it only when $connect binds it. With
//     ApiKeySelectionExpression AUTHORIZER_USAGE_IDENTIFIER_KEY, routes that require a key need
//     a LAMBDA authorizer on $connect, whose usageIdentifierKey is the key.
//
// # Gaps in the L2 this package fills
//
//   - HTTP and HTTP_PROXY integrations, which the L2 does not offer for WebSocket APIs: such
//     routes are bound with the L2's MOCK integration and their CfnIntegration is then given the
//     HTTP type, URL and method.
//   - ApiKeyRequired, which WebSocketApi.AddRoute cannot set (routes are made with
//     awsapigatewayv2.NewWebSocketRoute, which can).
//   - Integration responses (AWS::ApiGatewayV2::IntegrationResponse), route request parameters,
//     integration request parameters, passthrough behaviour and per-route throttling
//     (RouteSettings), set on the L1 resources.
//   - Integration timeouts are checked (50 ms to 29 s) before the L2 sees them, so a bad one
//     fails synthesis with the construct path instead of a bare exception.
package websocketapi
