package authorizer

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/local/internal/iamauth"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// Gateway response types (the guide's "Gateway response types" table) an authorizer can end
// in. REST APIs render them through the API's gateway responses.
const (
	TypeUnauthorized                 = "UNAUTHORIZED"
	TypeAccessDenied                 = "ACCESS_DENIED"
	TypeAuthorizerConfigurationError = "AUTHORIZER_CONFIGURATION_ERROR"
	TypeAuthorizerFailure            = "AUTHORIZER_FAILURE"
	TypeMissingAuthenticationToken   = iamauth.TypeMissingAuthenticationToken
	TypeInvalidSignature             = iamauth.TypeInvalidSignature
	TypeExpiredToken                 = "EXPIRED_TOKEN"
)

// REST's ACCESS_DENIED messages. An explicit Deny statement names itself; a policy that
// does not cover the method (an implicit deny) does not.
const (
	MsgExplicitDeny = "User is not authorized to access this resource with an explicit deny"
	MsgImplicitDeny = "User is not authorized to access this resource"
)

// Refusal is a request an authorizer refused: what API Gateway answers, and why (for the log).
type Refusal struct {
	// Status is the HTTP status: 401, 403 or 500.
	Status int
	// ResponseType is the REST gateway response type (UNAUTHORIZED, ACCESS_DENIED,
	// AUTHORIZER_CONFIGURATION_ERROR, MISSING_AUTHENTICATION_TOKEN, INVALID_SIGNATURE, …),
	// which a REST API's gateway responses may customize.
	ResponseType string
	// Message is $context.error.message for REST gateway responses.
	Message string
	// ErrorType is the x-amzn-ErrorType header REST APIs send ("UnauthorizedException").
	ErrorType string
	// Body is the JSON body API Gateway answers with for this API kind: HTTP APIs'
	// {"message":"Unauthorized"} / {"message":"Forbidden"} / {"message":"Internal Server
	// Error"}, REST's default gateway response body, the WebSocket handshake's.
	Body []byte
	// Header holds headers API Gateway adds to the answer (a JWT authorizer's
	// WWW-Authenticate), canonical names.
	Header http.Header
	// Reason says, for the runner's log, why the request was refused. It is never sent.
	Reason string
	// Authorizer names the authorizer that refused (its Name, else its logical id; "AWS_IAM"
	// for IAM authorization).
	Authorizer string
}

func jsonMessage(key, msg string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(map[string]string{key: msg}) // a map of strings always encodes
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// unauthorized is a 401: no token, a token the authorizer could not verify, a Lambda
// authorizer that answered "Unauthorized".
func unauthorized(p model.Protocol, reason string) *Refusal {
	return &Refusal{
		Status: http.StatusUnauthorized, ResponseType: TypeUnauthorized, Message: "Unauthorized",
		ErrorType: "UnauthorizedException", Body: jsonMessage("message", "Unauthorized"), Reason: reason,
	}
}

// forbidden is a 403: a policy that denies (explicit says whether a Deny statement did), a
// simple response's isAuthorized false, a JWT without the route's scopes.
func forbidden(p model.Protocol, explicit bool, reason string) *Refusal {
	r := &Refusal{Status: http.StatusForbidden, ResponseType: TypeAccessDenied, ErrorType: "AccessDeniedException", Reason: reason}
	r.Message = MsgImplicitDeny
	if explicit {
		r.Message = MsgExplicitDeny
	}
	if p == model.ProtocolREST {
		// REST answers a denied policy with a capitalized "Message" key, as IAM denials do.
		r.Body = jsonMessage("Message", r.Message)
	} else {
		r.Body = jsonMessage("message", "Forbidden")
	}
	return r
}

// configError is a 500 for an authorizer that could not be run or answered nonsense: its
// function missing, failing, timing out, or returning a malformed response. API Gateway
// reports all of these as AUTHORIZER_CONFIGURATION_ERROR (x-amzn-ErrorType
// AuthorizerConfigurationException) with a null message.
func configError(p model.Protocol, reason string) *Refusal {
	r := &Refusal{
		Status: http.StatusInternalServerError, ResponseType: TypeAuthorizerConfigurationError,
		ErrorType: "AuthorizerConfigurationException", Reason: reason,
	}
	switch p {
	case model.ProtocolREST:
		r.Body = []byte(`{"message":null}`)
	case model.ProtocolWebSocket:
		r.Body = jsonMessage("message", "Internal server error")
	default:
		r.Body = jsonMessage("message", "Internal Server Error")
	}
	return r
}

// fromIAM turns iamauth's refusal (which carries API Gateway's exact IAM answers) into one.
func fromIAM(e *iamauth.Error, reason string) *Refusal {
	r := &Refusal{
		Status: e.Status(), ResponseType: e.ResponseType, Message: e.Message(), ErrorType: e.Code,
		Body: e.Body(), Reason: reason,
	}
	if r.Reason == "" {
		r.Reason = e.Error()
	}
	return r
}
