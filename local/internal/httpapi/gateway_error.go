package httpapi

import (
	"net/http"
)

// Gateway responses: the bodies API Gateway itself answers with for an HTTP API, verbatim.
var (
	errNotFound        = gatewayError{http.StatusNotFound, `{"message":"Not Found"}`}
	errInternal        = gatewayError{http.StatusInternalServerError, `{"message":"Internal Server Error"}`}
	errUnavailable     = gatewayError{http.StatusServiceUnavailable, `{"message":"Service Unavailable"}`}
	errTooManyRequests = gatewayError{http.StatusTooManyRequests, `{"message":"Too Many Requests"}`}
	errTooLarge        = gatewayError{http.StatusRequestEntityTooLarge, `{"message":"Request Entity Too Large"}`}
	errHeadersTooLarge = gatewayError{http.StatusRequestHeaderFieldsTooLarge, `{"message":"Request Header Fields Too Large"}`}
)

type gatewayError struct {
	status int
	body   string
}
