// Package accesslog renders a stage's access log format, the AccessLogSettings.Format of an
// API Gateway stage, into one line per request, as API Gateway writes it to CloudWatch Logs.
//
// The guide ("CloudWatch log formats for API Gateway") allows only $context variables in a
// format, CLF, JSON, XML or CSV alike, and requires $context.requestId or
// $context.extendedRequestId in it. A variable that has no value for the request is written
// as "-", as API Gateway writes it.
//
// A server compiles a stage's format once ([Compile]) and renders it after each response with
// a lookup of the request's $context variables by dotted name ("identity.sourceIp"), which
// include the access-log-only ones (status, responseLength, responseLatency,
// integrationLatency, ...).
package accesslog
