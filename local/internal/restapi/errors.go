package restapi

import (
	"net/http"

	"github.com/gatehouse-dev/gatehouse/local/internal/gatewayresp"
)

// gatewayError is one of the answers API Gateway gives itself, without (or instead of) the
// integration's: a gateway response type ("Gateway response types" in the guide), rendered
// through the API's gateway responses (package gatewayresp) so that customised status codes,
// headers and templates apply to every one of them.
type gatewayError struct {
	responseType string
	// status is what the runner answers when the API does not customise the type; 0 means
	// the type's default status.
	status int
	// message is $context.error.message when it is not the type's usual message.
	message string
	// body is the body when nothing is customised, for answers API Gateway words otherwise
	// than {"message":"..."}; empty means that default.
	body string
	// validation is $context.error.validationErrorString.
	validation string
	// errorType is the x-amzn-ErrorType header when it is not the type's usual one (an
	// authorizer's refusal names its own).
	errorType string
}

// The gateway responses the server produces. Statuses and messages not given are the type's
// defaults from the guide's table.
var (
	errMissingToken         = gatewayError{responseType: gatewayresp.MissingAuthenticationToken}
	errInvalidAPIKey        = gatewayError{responseType: gatewayresp.InvalidAPIKey}
	errThrottled            = gatewayError{responseType: gatewayresp.Throttled}
	errQuotaExceeded        = gatewayError{responseType: gatewayresp.QuotaExceeded}
	errUnsupportedMediaType = gatewayError{responseType: gatewayresp.UnsupportedMediaType}
	errRequestTooLarge      = gatewayError{responseType: gatewayresp.RequestTooLarge}
	errBadRequestBody       = gatewayError{responseType: gatewayresp.BadRequestBody}
	// errHeadersTooLarge has no gateway response type of its own: DEFAULT_4XX shapes it.
	errHeadersTooLarge = gatewayError{responseType: gatewayresp.Default4XX, status: http.StatusRequestHeaderFieldsTooLarge,
		message: "Request Header Fields Too Large"}
	// errConfiguration is API_CONFIGURATION_ERROR: no integration response matches, a
	// template fails, a base64 conversion fails, a function that cannot be called.
	errConfiguration = gatewayError{responseType: gatewayresp.APIConfigurationError}
	// errIntegrationFailure is how a Lambda proxy integration's failure (a function error, a
	// malformed proxy response) reaches the client: 502, with a space after the colon.
	errIntegrationFailure = gatewayError{responseType: gatewayresp.IntegrationFailure, status: http.StatusBadGateway,
		body: `{"message": "Internal server error"}`}
	errIntegrationTimeout = gatewayError{responseType: gatewayresp.IntegrationTimeout, status: http.StatusGatewayTimeout,
		body: `{"message": "Endpoint request timed out"}`}
	// errInternal is what a panic in the server itself gets.
	errInternal = gatewayError{responseType: gatewayresp.Default5XX, status: http.StatusInternalServerError,
		message: "Internal server error"}
)

// withMessage is e with another $context.error.message, for errors whose message says more
// ("Could not parse request body into json: ...").
func (e gatewayError) withMessage(msg string) gatewayError {
	e.message = msg
	return e
}
