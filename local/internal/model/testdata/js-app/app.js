// Provenance of testdata/js-app: a plain JavaScript CDK app (aws-cdk-lib 2.270.0, constructs
// 10.6.0) synthesized without the CDK CLI:
//   AWS_REGION=us-east-1 CDK_OUTDIR=out node app.js
const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const apigw = require('aws-cdk-lib/aws-apigatewayv2');
const integ = require('aws-cdk-lib/aws-apigatewayv2-integrations');

const app = new cdk.App();
const stack = new cdk.Stack(app, 'JsApi');

const fn = new lambda.Function(stack, 'Handler', {
  runtime: lambda.Runtime.PROVIDED_AL2023,
  architecture: lambda.Architecture.ARM_64,
  handler: 'bootstrap',
  code: lambda.Code.fromAsset('handler'),
  memorySize: 256,
  timeout: cdk.Duration.seconds(10),
  environment: { GREETING: 'hello', TABLE: 'none' },
  reservedConcurrentExecutions: 5,
});

const api = new apigw.HttpApi(stack, 'HttpApi', {
  apiName: 'js-http',
  corsPreflight: {
    allowOrigins: ['https://example.com'],
    allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST],
    allowHeaders: ['content-type'],
    exposeHeaders: ['x-request-id'],
    allowCredentials: true,
    maxAge: cdk.Duration.minutes(10),
  },
});

api.addRoutes({
  path: '/items/{id}',
  methods: [apigw.HttpMethod.GET],
  integration: new integ.HttpLambdaIntegration('V2', fn),
});
api.addRoutes({
  path: '/v1/{proxy+}',
  methods: [apigw.HttpMethod.ANY],
  integration: new integ.HttpLambdaIntegration('V1', fn, {
    payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_1_0,
  }),
});
api.addRoutes({
  path: '/proxy',
  methods: [apigw.HttpMethod.GET],
  integration: new integ.HttpUrlIntegration('Url', 'https://example.com/upstream', {
    method: apigw.HttpMethod.GET,
    parameterMapping: new apigw.ParameterMapping().appendHeader('x-from', apigw.MappingValue.custom('gatehouse')),
  }),
});

api.addStage('Prod', {
  stageName: 'prod',
  autoDeploy: true,
  stageVariables: { env: 'prod', color: 'blue' },
  throttle: { rateLimit: 100, burstLimit: 50 },
});

const ws = new apigw.WebSocketApi(stack, 'WsApi', {
  apiName: 'js-ws',
  connectRouteOptions: { integration: new integ.WebSocketLambdaIntegration('Connect', fn) },
  disconnectRouteOptions: { integration: new integ.WebSocketLambdaIntegration('Disconnect', fn) },
});
ws.addRoute('sendmessage', { integration: new integ.WebSocketLambdaIntegration('Send', fn) });
new apigw.WebSocketStage(stack, 'WsStage', { webSocketApi: ws, stageName: 'dev', autoDeploy: true });

new cdk.CfnOutput(stack, 'Url', { value: api.apiEndpoint, exportName: 'JsApiUrl' });
app.synth();
