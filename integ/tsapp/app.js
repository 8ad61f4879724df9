// A REST API defined with aws-cdk-lib directly, in plain JavaScript (CommonJS, so no compiler
// is needed), without any Gatehouse construct: integ/tsapp_test.go synthesizes it with the CDK
// CLI and serves it with the runner, to show that the runner reads what aws-cdk-lib writes, not
// only what constructs/restapi writes.
//
// The handler is a Go binary built from lambdas/resthello; the test builds it and names its
// directory in GATEHOUSE_TSAPP_ASSET, and its architecture in GATEHOUSE_TSAPP_ARCH (arm64 or
// x86_64, default x86_64).
'use strict';

const cdk = require('aws-cdk-lib');
const apigw = require('aws-cdk-lib/aws-apigateway');
const lambda = require('aws-cdk-lib/aws-lambda');

const asset = process.env.GATEHOUSE_TSAPP_ASSET;
if (!asset) {
  throw new Error('GATEHOUSE_TSAPP_ASSET must name a directory holding a bootstrap built from lambdas/resthello (integ/tsapp_test.go builds one)');
}

const app = new cdk.App();
const stack = new cdk.Stack(app, 'GatehouseTsApp', {
  description: 'Gatehouse integration test: a REST API written with aws-cdk-lib alone',
});

const hello = new lambda.Function(stack, 'Hello', {
  runtime: lambda.Runtime.PROVIDED_AL2023,
  handler: 'bootstrap',
  code: lambda.Code.fromAsset(asset),
  architecture: process.env.GATEHOUSE_TSAPP_ARCH === 'arm64' ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
});
const proxy = new apigw.LambdaIntegration(hello);

const api = new apigw.RestApi(stack, 'Api', {
  restApiName: 'gatehouse-tsapp',
  cloudWatchRole: false,
  deployOptions: {
    stageName: 'v1',
    variables: { greeting: 'hello from JavaScript' },
    throttlingRateLimit: 100,
    throttlingBurstLimit: 50,
  },
});

// GET /hello and GET /hello/{name}: Lambda proxy.
const helloResource = api.root.addResource('hello');
helloResource.addMethod('GET', proxy);
helloResource.addResource('{name}').addMethod('GET', proxy);

// GET /ping: a mock with templates.
api.root.addResource('ping').addMethod('GET', new apigw.MockIntegration({
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  integrationResponses: [{
    statusCode: '200',
    responseTemplates: { 'application/json': '{"pong": true, "stage": "$context.stage"}' },
  }],
}), { methodResponses: [{ statusCode: '200' }] });

// POST /greetings: a body validated against a draft 4 model before a mock answers 201.
const greeting = api.addModel('Greeting', {
  modelName: 'Greeting',
  contentType: 'application/json',
  schema: {
    schema: apigw.JsonSchemaVersion.DRAFT4,
    type: apigw.JsonSchemaType.OBJECT,
    required: ['name'],
    properties: { name: { type: apigw.JsonSchemaType.STRING, minLength: 1 } },
  },
});
api.root.addResource('greetings').addMethod('POST', new apigw.MockIntegration({
  requestTemplates: { 'application/json': '{"statusCode": 201}' },
  integrationResponses: [{ statusCode: '201', responseTemplates: { 'application/json': '{"created": true}' } }],
}), {
  requestModels: { 'application/json': greeting },
  requestValidatorOptions: { requestValidatorName: 'body', validateRequestBody: true },
  methodResponses: [{ statusCode: '201' }],
});

// GET /private: only with the API key of the usage plan.
api.root.addResource('private').addMethod('GET', proxy, { apiKeyRequired: true });
const key = api.addApiKey('Key', { apiKeyName: 'tsapp-demo', value: 'gatehouse-tsapp-demo-key-0001' });
const plan = api.addUsagePlan('Plan', {
  name: 'tsapp',
  throttle: { rateLimit: 10, burstLimit: 5 },
  quota: { limit: 100, period: apigw.Period.DAY },
});
plan.addApiStage({ stage: api.deploymentStage });
plan.addApiKey(key);

// ANY /{proxy+}: everything else, through the L2's proxy resource. Its ANY method is added
// explicitly because a proxy resource under the root adds the same method to the root with the
// integration it is given, and anyMethod: true would give it none (a MOCK without responses,
// which API Gateway answers with 500).
api.root.addProxy({ anyMethod: false }).addMethod('ANY', proxy);

app.synth();
