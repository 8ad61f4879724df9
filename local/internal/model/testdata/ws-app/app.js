// Provenance of testdata/ws-app: a plain JavaScript CDK app (aws-cdk-lib 2.270.0, constructs
// 10.6.0) synthesized without the CDK CLI:
//   AWS_REGION=us-east-1 CDK_OUTDIR=out node app.js
// A WebSocket chat API as CDK writes it: a two-way route (route response), a mock route with an
// integration response, the handler's grant to post to connections, and an API key in a usage plan.
const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const apigw = require('aws-cdk-lib/aws-apigatewayv2');
const integ = require('aws-cdk-lib/aws-apigatewayv2-integrations');

const app = new cdk.App();
const stack = new cdk.Stack(app, 'WsChat');

const fn = new lambda.Function(stack, 'Handler', {
  runtime: lambda.Runtime.PROVIDED_AL2023,
  handler: 'bootstrap',
  code: lambda.Code.fromAsset('handler'),
});

const ws = new apigw.WebSocketApi(stack, 'Chat', {
  apiName: 'chat',
  apiKeySelectionExpression: apigw.WebSocketApiKeySelectionExpression.HEADER_X_API_KEY,
  disconnectRouteOptions: { integration: new integ.WebSocketLambdaIntegration('Disconnect', fn) },

});
new apigw.WebSocketRoute(stack, 'ConnectRoute', {
  webSocketApi: ws,
  routeKey: '$connect',
  integration: new integ.WebSocketLambdaIntegration('Connect', fn),
  apiKeyRequired: true,
});
ws.addRoute('sendmessage', {
  integration: new integ.WebSocketLambdaIntegration('Send', fn),
  returnResponse: true,
});
const ping = ws.addRoute('ping', {
  integration: new integ.WebSocketMockIntegration('Ping', {
    requestTemplates: { '$default': '{"statusCode": 200}' },
    templateSelectionExpression: '\\$default',
  }),
  returnResponse: true,
});

// The L2 has no integration responses: the escape hatch, as users write it.
const mock = ws.node.findAll().find((c) => c instanceof apigw.CfnIntegration && c.integrationType === 'MOCK');
mock.integrationResponseSelectionExpression = '${integration.response.statuscode}';
new apigw.CfnIntegrationResponse(stack, 'PingResponse', {
  apiId: ws.apiId,
  integrationId: mock.ref,
  integrationResponseKey: '/2\\d\\d/',
  templateSelectionExpression: '\\$default',
  responseTemplates: { '$default': '{"pong": true, "connection": "$context.connectionId"}' },
});

const stage = new apigw.WebSocketStage(stack, 'Dev', { webSocketApi: ws, stageName: 'dev', autoDeploy: true });
stage.grantManagementApiAccess(fn);

// A second function allowed to post to connections of every stage.
const broadcaster = new lambda.Function(stack, 'Broadcaster', {
  runtime: lambda.Runtime.PROVIDED_AL2023,
  handler: 'bootstrap',
  code: lambda.Code.fromAsset('handler'),
  environment: { CALLBACK_URL: stage.callbackUrl },
});
ws.grantManageConnections(broadcaster);

const plan = new apigw.UsagePlan(stack, 'Plan', {
  usagePlanName: 'chat-clients',
  apiStages: [{ api: ws, stage }],
  throttle: { rateLimit: 10, burstLimit: 5 },
  quota: { limit: 1000, period: apigw.Period.DAY },
});
const key = new apigw.ApiKey(stack, 'ClientKey', { apiKeyName: 'chat-client' });
plan.addApiKey(key);
const fixed = new apigw.ApiKey(stack, 'FixedKey', { apiKeyName: 'fixed', value: 'abcdefghij0123456789ABCDEFGHIJ', enabled: false });
plan.addApiKey(fixed);

new cdk.CfnOutput(stack, 'Url', { value: stage.url });
new cdk.CfnOutput(stack, 'KeyId', { value: key.keyId });
app.synth();
