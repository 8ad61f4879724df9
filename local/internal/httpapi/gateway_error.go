package httpapi

import (
	"encoding/json"
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

// message is $context.error.message: the body's message, as API Gateway words it.
func (e gatewayError) message() string {
	var b struct {
		Message string `json:"message"`
	}
	if json.Unmarshal([]byte(e.body), &b) != nil {
		return ""
	}
	return b.Message
}
