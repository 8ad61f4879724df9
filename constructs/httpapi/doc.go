// Package httpapi is a CDK construct for API Gateway HTTP APIs, built over aws-cdk-lib's
// awsapigatewayv2.HttpApi L2 rather than replacing it.
//
// It adds what a local-first workflow needs: routes given as route keys ("GET /items/{id}",
// "ANY /{proxy+}", "$default") bound to a Lambda function or an HTTP URL in one value; named
// stages and the $default stage with stage variables and throttling (stage default and per
// route); response parameter mapping; authorizers declared by name (Lambda, JWT, Cognito user
// pool, IAM) and attached per route or as the API's default; a CfnOutput with the URL of every
// stage; and validation of everything the Developer Guide constrains, reported when the app is
// synthesized with the construct path and the rule that was broken.
//
// The L2 objects stay reachable: HttpApi.Api is the awsapigatewayv2.HttpApi, HttpApi.Stages and
// HttpApi.Routes hold the awsapigatewayv2 stages and routes, and HttpApi.Authorizers the
// awsapigatewayv2authorizers objects, so anything this package does not model can still be set
// on them directly.
//
// # Authorizers
//
//	api := httpapi.New(stack, jsii.String("Api"), &httpapi.Props{
//		Authorizers: &map[string]*httpapi.Authorizer{
//			"users": {Type: httpapi.AuthorizerType_JWT, Issuer: jsii.String("https://auth.example.com"), Audiences: jsii.Strings("books-api")},
//			"token": {Type: httpapi.AuthorizerType_LAMBDA, Function: authFn, ResultsCacheTtl: awscdk.Duration_Minutes(jsii.Number(5))},
//			"iam":   {Type: httpapi.AuthorizerType_IAM},
//		},
//		DefaultAuthorizer:          jsii.String("users"),
//		DefaultAuthorizationScopes: jsii.Strings("books:read"),
//		Routes: &[]*httpapi.Route{
//			{Key: jsii.String("GET /books"), Function: books},                                          // users, books:read
//			{Key: jsii.String("POST /books"), Function: books, AuthorizationScopes: jsii.Strings("books:write")}, // users, books:write
//			{Key: jsii.String("GET /token"), Function: books, Authorizer: jsii.String("token")},
//			{Key: jsii.String("GET /admin"), Function: books, Authorizer: jsii.String("iam")},
//			{Key: jsii.String("GET /health"), Function: books, Authorizer: jsii.String(httpapi.NoAuthorizer)},
//		},
//	})
//
// Choices:
//
//   - A LAMBDA authorizer gets payload format 2.0 with simple responses unless
//     PayloadFormatVersion or ResponseType says otherwise (1.0 always answers with an IAM
//     policy), and caches results for 5 minutes as the L2 does.
//   - DefaultAuthorizationScopes apply to the routes that use the default authorizer and set
//     no scopes of their own; the L2 would also give them to routes with another authorizer.
//   - An authorizer no route uses is an error: the L2 creates an authorizer when a route first
//     binds it, so it would be missing from the template without a word.
//
// # Gaps in the L2 this package fills
//
//   - Options of the $default stage that HttpApi creates (variables, throttling, description):
//     set on its CfnStage, because HttpApiProps has no field for them.
//   - Route-level throttling (CfnStage RouteSettings), which HttpStageOptions lacks.
//   - Response parameter mapping (CfnIntegration ResponseParameters), which the integrations
//     lack; written in the CloudFormation shape
//     {"404": {"ResponseParameters": [{"Destination": "append:header.x", "Source": "v"}]}}.
//   - Integration timeouts up to 30 s, the HTTP API limit in the guide's quotas.
//   - Lambda authorizers with payload format 2.0 that answer with IAM policies:
//     HttpLambdaAuthorizer writes 2.0 only for simple responses, so the version is set on the
//     CfnAuthorizer.
package httpapi
