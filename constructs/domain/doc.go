// Package domain puts API Gateway APIs behind Regional custom domain names: a CDK construct
// over aws-cdk-lib's awsapigatewayv2.DomainName with its certificate, Route 53 alias record and
// API mappings, for HTTP, WebSocket and REST APIs alike.
//
// A [Domain] is made with [New] from a name ("api.example.com", or "*.example.com" for a
// wildcard custom domain name), a certificate (given, imported by ARN, or requested and
// validated by DNS in a hosted zone), a security policy (TLS_1_2 unless TLS_1_0 is asked for),
// and optionally mutual TLS with a truststore in S3. Stages are mapped to it under keys: ""
// (the empty mapping, which also takes every path no other key matches), "orders", or
// multi-level "orders/v2". Each API construct of this module maps one of its stages in one
// call, and every mapping gets a CfnOutput with its URL:
//
// # Example
//
//	zone := awsroute53.HostedZone_FromLookup(stack, jsii.String("Zone"), &awsroute53.HostedZoneProviderProps{DomainName: jsii.String("example.com")})
//	api := domain.New(stack, jsii.String("ApiDomain"), &domain.Props{
//		Name:       jsii.String("api.example.com"),
//		HostedZone: zone, // requests the certificate and writes the alias A record
//	})
//	shop.MapDomain(api, "$default", "")       // https://api.example.com/       (httpapi)
//	shop.MapDomain(api, "beta", "orders/v2")  // https://api.example.com/orders/v2
//	legacy.MapDomain(api, "prod", "legacy")    // https://api.example.com/legacy (restapi)
//
//	ws := domain.New(stack, jsii.String("ChatDomain"), &domain.Props{
//		Name:           jsii.String("chat.example.com"),
//		CertificateArn: jsii.String("arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-..."),
//	})
//	chat.MapDomain(ws, "dev", "chat")          // wss://chat.example.com/chat  (websocketapi)
//
// The API constructs' MapDomain look the stage up by name; [Domain.MapHttpStage],
// [Domain.MapWebSocketStage] and [Domain.MapRestStage] map the stages of aws-cdk-lib L2 APIs.
//
// # Rules
//
// Checked when the app is synthesized, every broken rule reported at once with the construct
// path, from the Developer Guide's pages on custom domain names and API mappings:
//
//   - The name is lower-case DNS labels, with a wildcard only as the whole first label; it must
//     be in HostedZone when one is given; a certificate ARN must be in the stack's Region.
//   - A key has letters, digits and $-_.+!*'(), with "/" between levels, and at most 300
//     characters; a WebSocket API's key has one level; a domain has at most 200 multi-level
//     mappings.
//   - A domain has one mapping per key, the empty key included.
//   - A WebSocket API does not share a domain with HTTP or REST APIs.
//   - TLS_1_0 is for REST APIs under single-level keys: HTTP and WebSocket APIs, multi-level
//     keys and mutual TLS need TLS_1_2.
//   - The domain and the API are in one account and one Region, when both stacks say which.
//
// # Resources
//
// The domain is an AWS::ApiGatewayV2::DomainName (REGIONAL, with its SecurityPolicy always
// written). HTTP and WebSocket stages are mapped with awsapigatewayv2.ApiMapping; REST stages
// with awsapigateway.BasePathMapping, as RestApi.addDomainName does, except under a multi-level
// key, which only AWS::ApiGatewayV2::ApiMapping takes (as DomainName.addApiMapping does). A
// mapping and its output are siblings of the stage, in the API's stack, so a domain shared by
// several stacks is referenced by them rather than referencing them.
//
// The L2 objects stay reachable: Domain.DomainName, Domain.Certificate, Domain.AliasRecord,
// and each Mapping's Resource and Output.
package domain
