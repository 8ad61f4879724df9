// Provenance of testdata/rest-app: a plain JavaScript CDK app (aws-cdk-lib 2.270.0, constructs
// 10.6.0) synthesized without the CDK CLI:
//   AWS_REGION=us-east-1 CDK_OUTDIR=out node app.js
const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const logs = require('aws-cdk-lib/aws-logs');
const apigw = require('aws-cdk-lib/aws-apigateway');

const app = new cdk.App();
const stack = new cdk.Stack(app, 'RestApp');

const fn = new lambda.Function(stack, 'Handler', {
  runtime: lambda.Runtime.PROVIDED_AL2023,
  handler: 'bootstrap',
  code: lambda.Code.fromAsset('handler'),
});

const api = new apigw.RestApi(stack, 'Catalogue', {
  restApiName: 'catalogue',
  binaryMediaTypes: ['image/png'],
  deployOptions: {
    stageName: 'v1',
    variables: { env: 'test' },
    throttlingRateLimit: 100,
    throttlingBurstLimit: 50,
    methodOptions: { '/items/GET': { throttlingRateLimit: 10, throttlingBurstLimit: 5 } },
    accessLogDestination: new apigw.LogGroupLogDestination(new logs.LogGroup(stack, 'AccessLogs')),
    accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
  },
});

const items = api.root.addResource('items');
items.addMethod('GET', new apigw.LambdaIntegration(fn), { apiKeyRequired: true });

const model = api.addModel('Item', {
  contentType: 'application/json',
  modelName: 'Item',
  schema: {
    schema: apigw.JsonSchemaVersion.DRAFT4,
    type: apigw.JsonSchemaType.OBJECT,
    required: ['name'],
    properties: { name: { type: apigw.JsonSchemaType.STRING } },
  },
});
const validator = api.addRequestValidator('BodyValidator', { validateRequestBody: true, validateRequestParameters: true });
items.addMethod('POST', new apigw.LambdaIntegration(fn, {
  proxy: false,
  requestTemplates: { 'application/json': '{"name": $input.json(\'$.name\')}' },
  passthroughBehavior: apigw.PassthroughBehavior.NEVER,
  integrationResponses: [
    { statusCode: '201' },
    { statusCode: '400', selectionPattern: '.*invalid.*', responseTemplates: { 'application/json': '{"message": "invalid"}' } },
  ],
}), {
  requestValidator: validator,
  requestModels: { 'application/json': model },
  requestParameters: { 'method.request.header.x-trace': false },
  methodResponses: [{ statusCode: '201' }, { statusCode: '400', responseModels: { 'application/json': apigw.Model.ERROR_MODEL } }],
});

const item = items.addResource('{id}');
item.addMethod('GET', new apigw.MockIntegration({
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"id": "$input.params(\'id\')"}' } }],
}), { methodResponses: [{ statusCode: '200' }] });

api.root.addResource('files').addProxy({ defaultIntegration: new apigw.LambdaIntegration(fn), anyMethod: true });

api.addGatewayResponse('NotFound', {
  type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
  statusCode: '404',
  responseHeaders: { 'Access-Control-Allow-Origin': "'*'" },
  templates: { 'application/json': '{"message": "no such route"}' },
});

const key = api.addApiKey('Key', { apiKeyName: 'catalogue-key', value: 'catalogue-key-0123456789' });
const plan = api.addUsagePlan('Plan', {
  name: 'basic',
  throttle: { rateLimit: 10, burstLimit: 2 },
  quota: { limit: 1000, period: apigw.Period.DAY },
});
plan.addApiKey(key);
plan.addApiStage({ stage: api.deploymentStage, throttle: [{ method: items.defaultMethod || api.methods[0], throttle: { rateLimit: 1, burstLimit: 1 } }] });

// The same handler behind an OpenAPI definition, as SpecRestApi imports it (Body).
new apigw.SpecRestApi(stack, 'Spec', {
  restApiName: 'spec',
  deployOptions: { stageName: 'live' },
  apiDefinition: apigw.ApiDefinition.fromInline({
    openapi: '3.0.1',
    info: { title: 'spec', version: '1' },
    paths: {
      '/hello/{name}': {
        get: {
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'ok' } },
          'x-amazon-apigateway-integration': {
            type: 'aws_proxy',
            httpMethod: 'POST',
            uri: `arn:aws:apigateway:${cdk.Aws.REGION}:lambda:path/2015-03-31/functions/${fn.functionArn}/invocations`,
          },
        },
      },
    },
  }),
});

app.synth();
