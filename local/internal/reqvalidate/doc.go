// Package reqvalidate is API Gateway's basic request validation for REST APIs (the Developer
// Guide's "Use request validation"): required request parameters, and request bodies checked
// against the API's models, which are JSON schemas of draft 4. Pure Go, no I/O.
//
// # Example
//
//	vs, err := reqvalidate.Compile(api) // once per API; err names each model that did not compile
//	...
//	if f := vs.Check(method, r, body, pathParams); f != nil {
//		// answer with the gateway response of type f.ResponseType, with f.Message as
//		// $context.error.message and f.ValidationErrorString as
//		// $context.error.validationErrorString
//	}
//
// # What is checked
//
// A method is checked only when it names a request validator. With ValidateRequestParameters,
// every request parameter marked required (method.request.path|querystring|header.NAME, and
// the multivalue forms) must be present and not blank, or the answer is BAD_REQUEST_PARAMETERS
// "Missing required request parameters: [a, b]" (names in the order of the parameters' keys).
// Parameters are checked before the body.
//
// With ValidateRequestBody, the body is checked against the model the method names for the
// request's Content-Type (only the media type counts; a request without one is
// application/json, as API Gateway assumes), else against its "$default" model; with neither,
// the body is not checked, as the guide says. An empty body is validated as {}. A failure is
// BAD_REQUEST_BODY "Invalid request body"; the reasons are in ValidationErrorString, in the
// words of the Java validator behind API Gateway: [object has missing required properties
// (["name"]), numeric instance is greater than the required maximum (maximum: 500, found:
// 4000)].
//
// # Schemas
//
// Schemas are draft 4 whatever their "$schema" says (API Gateway's validator knows no other;
// a model naming another draft gets a warning in [Validators.Warnings]), compiled with
// github.com/santhosh-tekuri/jsonschema/v6. Draft 4's keywords and semantics apply: "id" (not
// "$id") sets a base URL, exclusiveMinimum and exclusiveMaximum are booleans. A "$ref" to
// https://apigateway.amazonaws.com/restapis/{apiId}/models/{name} ([ModelURL]) is that model of
// the same API; nothing is ever fetched, so a reference to anything else does not compile.
// "pattern" and "patternProperties" are ECMA 262 regular expressions (lookaheads work), matched
// with github.com/dlclark/regexp2 under a time limit ([RegexpTimeout]). The formats draft 4
// defines (date-time, email, hostname, ipv4, ipv6, uri) are asserted; others are ignored.
package reqvalidate
