// Package gatewayresp renders a REST API's gateway responses: the answers API Gateway gives,
// without calling the integration, to the errors it finds itself (the Developer Guide's
// "Gateway responses in API Gateway" and its "Gateway response types" table). Pure Go, no I/O.
//
// # Example
//
//	set, err := gatewayresp.New(api.GatewayResponses) // once; err names each bad response
//	...
//	res := set.Render(gatewayresp.MissingAuthenticationToken, gatewayresp.Context{
//		Vars:           map[string]string{"requestId": id, "stage": "prod", "resourcePath": "/pets/{petId}"},
//		StageVariables: stage.Variables,
//		Header:         r.Header, Query: r.URL.Query(), Path: pathParams,
//	})
//	// res.Status 403, Content-Type application/json,
//	// x-amzn-ErrorType MissingAuthenticationTokenException,
//	// res.Body {"message":"Missing Authentication Token"}
//
// # What is rendered
//
// Each type has a default status, message and x-amzn-ErrorType ([Types]). Uncustomized, the
// body is {"message":$context.error.messageString}. A customized response (one
// AWS::ApiGateway::GatewayResponse) sets any of: the status; headers from ResponseParameters
// ("gatewayresponse.header.X" from 'static', method.request.header|querystring|path.NAME and
// their multivalue forms, stageVariables.NAME, context.NAME; a mapping with no value leaves the
// header out); and body templates by content type, picked by the request's Accept header like
// any response template. A type that is not customized takes DEFAULT_4XX's or DEFAULT_5XX's
// customization, status included, as the guide says.
//
// # Templates are not Velocity
//
// The guide says a gateway response template "isn't processed by the Velocity Template
// Language (VTL) engine" and supports "only simple variable substitution", so it is not given
// to package vtl: $context.x.y, ${context.x.y}, $stageVariables.x and ${stageVariables.x} are
// replaced by their values (empty when there is none) and everything else, #if and $util
// included, is sent as written. Nothing in a template can fail, so [New] refuses none for its
// body and [Set.Render] never fails.
//
// $context.error.message is the error's message, $context.error.messageString the same as a
// JSON string ("\"Missing Authentication Token\""), $context.error.responseType the type
// rendered (MISSING_AUTHENTICATION_TOKEN even when DEFAULT_4XX's template renders it), and
// $context.error.validationErrorString the request validator's complaints.
package gatewayresp
