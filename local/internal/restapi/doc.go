// Package restapi serves one API Gateway REST API (API Gateway v1) the way the API Gateway
// Developer Guide's REST chapters describe it: resource matching with path parameters and
// greedy {proxy+} resources, Lambda proxy integrations, Lambda custom (AWS), HTTP, HTTP proxy
// and MOCK integrations with request and response mapping templates, parameter mappings and
// integration responses selected by selection patterns, binary media types and content
// handling, request validation, API keys and usage plans, stage method throttling, and API
// Gateway's own error answers shaped by the API's gateway responses.
//
// The router (package local) picks the API and stage and calls [Server.Serve] with a
// [Target]. Mapping templates are package mappingtemplate's, request validation package
// reqvalidate's, and gateway responses package gatewayresp's.
//
// # Example
//
//	s, err := restapi.New(api, host, restapi.Options{Account: acct, Region: region,
//		APIKeys: m.APIKeys, UsagePlans: m.UsagePlans, Usage: usage})
//	...
//	s.Serve(w, r, restapi.Target{Stage: stage, Path: "/items/1", RawPath: "/prod/items/1",
//		DomainName: "abc123defg.execute-api.localhost"})
//
// # Authorization
//
// A method whose AuthorizationType is CUSTOM (a Lambda TOKEN or REQUEST authorizer),
// COGNITO_USER_POOLS or AWS_IAM is decided by [Options.Authorizers] (package authorizer) after
// resource and method matching and before the API key check; with apiKeySource AUTHORIZER the
// key checked is the authorizer's usageIdentifierKey. The decision reaches a Lambda proxy
// event as requestContext.authorizer (principalId, integrationLatency and the context's keys
// stringified; {"claims": {...}} for Cognito) and requestContext.identity (IAM callers), and
// templates and mappings as $context.authorizer.* and $context.identity.*.
//
// # Errors
//
// Every answer API Gateway gives itself goes through the API's gateway responses: 403
// {"message":"Missing Authentication Token"} for a path no resource matches or a verb the
// matched resource has no method for; 403 {"message":"Forbidden"} for a missing or invalid
// API key; 429 {"message":"Too Many Requests"} when throttled and {"message":"Limit
// Exceeded"} over a quota; 415 when the passthrough behaviour refuses a body; 400 for request
// validation; 502 {"message": "Internal server error"} for a Lambda proxy function error or
// malformed response; 504 {"message": "Endpoint request timed out"} after the integration
// timeout (at most 29 seconds); an authorizer's refusal under its own type (UNAUTHORIZED
// 401, ACCESS_DENIED 403, AUTHORIZER_CONFIGURATION_ERROR and AUTHORIZER_FAILURE 500,
// MISSING_AUTHENTICATION_TOKEN, INVALID_SIGNATURE and EXPIRED_TOKEN 403); 500 for
// configuration errors (no integration response matches, a template that fails). Each is logged with the reason. No client input can make
// the server panic; a panic would still be answered with 500 and logged.
package restapi
