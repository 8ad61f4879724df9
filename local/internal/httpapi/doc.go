// Package httpapi serves one API Gateway HTTP API (protocol HTTP, API Gateway v2) the way the
// API Gateway Developer Guide describes it: route selection, Lambda proxy integrations with
// payload format 1.0 and 2.0, HTTP proxy integrations, parameter mapping, CORS, stage
// variables, throttling, and API Gateway's own error responses.
//
// The router (package local) picks the API and stage and calls [Server.Serve] with a
// [Target]. [Server.Match] is the route matcher on its own, for `gatehouse routes` and the
// WebSocket and REST servers. [MarshalV1] and [MarshalV2] build an HTTP API's Lambda proxy
// events from an [EventRequest] (payload 1.0 through package payloadv1, whose shape REST APIs
// share); [ParseV1Response] and [ParseV2Response] read the function's answer.
package httpapi
