// Provenance of testdata/domain-app: a plain JavaScript CDK app (aws-cdk-lib 2.270.0, constructs
// 10.6.0) synthesized without the CDK CLI:
//   AWS_REGION=us-east-1 CDK_OUTDIR=out node app.js
// It declares custom domain names and mappings the way the L2 constructs write them:
//   - apigatewayv2.DomainName + a WebSocketStage's domainMapping (ws.example.com/chat),
//   - apigatewayv2.DomainName with an HttpApi's defaultDomainMapping (api.example.com/orders),
//     a second HTTP stage under a multi-level key (orders/v2) and an ApiMapping with no key,
//   - apigateway.DomainName (REST, v1) with BasePathMappings (single-level, and one without a
//     stage, attachToStage: false) and a multi-level basePath, which the CDK writes as an
//     AWS::ApiGatewayV2::ApiMapping,
//   - an EDGE REST domain, a wildcard domain, a mutual TLS domain, and Route 53 alias records.
const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const acm = require('aws-cdk-lib/aws-certificatemanager');
const s3 = require('aws-cdk-lib/aws-s3');
const route53 = require('aws-cdk-lib/aws-route53');
const targets = require('aws-cdk-lib/aws-route53-targets');
const apigw = require('aws-cdk-lib/aws-apigateway');
const apigwv2 = require('aws-cdk-lib/aws-apigatewayv2');
const integrations = require('aws-cdk-lib/aws-apigatewayv2-integrations');

const app = new cdk.App();
const stack = new cdk.Stack(app, 'DomainApp');

const fn = new lambda.Function(stack, 'Handler', {
  runtime: lambda.Runtime.PROVIDED_AL2023,
  handler: 'bootstrap',
  code: lambda.Code.fromAsset('handler'),
});
const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert',
  'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555');
const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
  hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com',
});

// WebSocket: ws.example.com/chat -> Chat, stage prod.
const wsDomain = new apigwv2.DomainName(stack, 'WsDomain', { domainName: 'ws.example.com', certificate });
const chat = new apigwv2.WebSocketApi(stack, 'Chat', {
  connectRouteOptions: { integration: new integrations.WebSocketLambdaIntegration('ConnectInteg', fn) },
  defaultRouteOptions: { integration: new integrations.WebSocketLambdaIntegration('DefaultInteg', fn) },
});
new apigwv2.WebSocketStage(stack, 'ChatProd', {
  webSocketApi: chat, stageName: 'prod', autoDeploy: true,
  domainMapping: { domainName: wsDomain, mappingKey: 'chat' },
});

// HTTP and REST on api.example.com.
const apiDomain = new apigwv2.DomainName(stack, 'ApiDomain', { domainName: 'api.example.com', certificate });
const orders = new apigwv2.HttpApi(stack, 'Orders', {
  defaultIntegration: new integrations.HttpLambdaIntegration('Orders', fn),
  defaultDomainMapping: { domainName: apiDomain, mappingKey: 'orders' },
});
orders.addStage('V2', { stageName: 'v2', autoDeploy: true, domainMapping: { domainName: apiDomain, mappingKey: 'orders/v2' } });
const home = new apigwv2.HttpApi(stack, 'Home', { defaultIntegration: new integrations.HttpLambdaIntegration('Home', fn) });
new apigwv2.ApiMapping(stack, 'HomeMapping', { api: home, domainName: apiDomain });
new route53.ARecord(stack, 'ApiAlias', {
  zone, recordName: 'api',
  target: route53.RecordTarget.fromAlias(new targets.ApiGatewayv2DomainProperties(apiDomain.regionalDomainName, apiDomain.regionalHostedZoneId)),
});

// REST (v1) domain: shop.example.com with a base path, a multi-level base path, and a mapping
// without a stage.
const catalogue = new apigw.RestApi(stack, 'Catalogue', { deployOptions: { stageName: 'v1' } });
catalogue.root.addResource('items').addMethod('GET', new apigw.LambdaIntegration(fn));
const shop = new apigw.DomainName(stack, 'ShopDomain', {
  domainName: 'shop.example.com', certificate, securityPolicy: apigw.SecurityPolicy.TLS_1_2,
  mapping: catalogue, basePath: 'catalogue/v1',
});
shop.addBasePathMapping(catalogue, { basePath: 'catalogue' });
shop.addBasePathMapping(catalogue, { basePath: 'any-stage', attachToStage: false });
new route53.ARecord(stack, 'ShopAlias', { zone, recordName: 'shop', target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(shop)) });

// An edge-optimized REST domain with the API at its root.
const legacy = new apigw.RestApi(stack, 'Legacy', { deployOptions: { stageName: 'prod' } });
legacy.root.addMethod('GET', new apigw.LambdaIntegration(fn));
new apigw.DomainName(stack, 'EdgeDomain', {
  domainName: 'legacy.example.com', certificate, endpointType: apigw.EndpointType.EDGE,
  securityPolicy: apigw.SecurityPolicy.TLS_1_0, mapping: legacy,
});

// A wildcard domain: every tenant's name reaches Home's $default stage.
const tenants = new apigwv2.DomainName(stack, 'TenantsDomain', { domainName: '*.tenants.example.com', certificate });
new apigwv2.ApiMapping(stack, 'TenantsMapping', { api: home, domainName: tenants });

// Mutual TLS.
const truststore = s3.Bucket.fromBucketName(stack, 'Truststore', 'example-truststore');
const partners = new apigwv2.DomainName(stack, 'PartnersDomain', {
  domainName: 'partners.example.com', certificate, mtls: { bucket: truststore, key: 'truststore.pem' },
});
new apigwv2.ApiMapping(stack, 'PartnersMapping', { api: orders, domainName: partners, apiMappingKey: 'orders' });

new cdk.CfnOutput(stack, 'ApiRegionalName', { value: apiDomain.regionalDomainName });
new cdk.CfnOutput(stack, 'ShopRegionalZone', { value: shop.domainNameAliasHostedZoneId });

app.synth();
