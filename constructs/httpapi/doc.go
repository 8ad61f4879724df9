// Package httpapi is a CDK construct for API Gateway HTTP APIs, built over aws-cdk-lib's
// awsapigatewayv2.HttpApi L2 rather than replacing it.
//
// It adds what a local-first workflow needs: routes given as route keys ("GET /items/{id}",
// "ANY /{proxy+}", "$default") bound to a Lambda function or an HTTP URL in one value; named
// stages and the $default stage with stage variables and throttling (stage default and per
// route); response parameter mapping; a CfnOutput with the URL of every stage; and validation of
// everything the Developer Guide constrains, reported when the app is synthesized with the
// construct path and the rule that was broken.
//
// The L2 objects stay reachable: HttpApi.Api is the awsapigatewayv2.HttpApi, HttpApi.Stages and
// HttpApi.Routes hold the awsapigatewayv2 stages and routes, so anything this package does not
// model can still be set on them directly.
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
package httpapi
