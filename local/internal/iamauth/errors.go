package iamauth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Gateway response types (the Developer Guide's "Gateway response types" table) that an IAM
// check can end in. The runner uses them to apply a stage's customized gateway responses.
const (
	TypeMissingAuthenticationToken = "MISSING_AUTHENTICATION_TOKEN"
	TypeInvalidSignature           = "INVALID_SIGNATURE"
	TypeAccessDenied               = "ACCESS_DENIED"
)

// Values of the x-amzn-ErrorType header. The AWS SDKs read the error code from it, so a
// function's PostToConnection call fails offline with the same error type as in AWS.
const (
	CodeMissingAuthenticationToken = "MissingAuthenticationTokenException"
	CodeIncompleteSignature        = "IncompleteSignatureException"
	CodeInvalidSignature           = "InvalidSignatureException"
	CodeUnrecognizedClient         = "UnrecognizedClientException"
	CodeAccessDenied               = "AccessDeniedException"
)

// The messages API Gateway answers with, verbatim.
const (
	MsgMissingAuthenticationToken = "Missing Authentication Token"
	// MsgSignatureMismatch starts the answer to a wrong signature; API Gateway follows it with
	// the canonical request and string to sign it computed, and so does [Verify].
	MsgSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	MsgInvalidToken = "The security token included in the request is invalid."
)

// Error is a refused request: the status and body API Gateway answers with, the gateway
// response type it falls under, and a Detail for the runner's log that is never sent.
type Error struct {
	// ResponseType is one of the Type constants.
	ResponseType string
	// Code is the x-amzn-ErrorType value, one of the Code constants.
	Code string
	// Detail says, for the person reading the runner's log, why the request was refused when
	// the message alone does not (which function's key, what could not be re-signed).
	Detail string

	status  int
	message string
	// messageKey is the JSON key of the body: API Gateway answers authentication failures with
	// "message" but IAM authorization failures with "Message".
	messageKey string
}

// Status is the HTTP status code of the answer.
func (e *Error) Status() int { return e.status }

// Message is the text API Gateway answers with.
func (e *Error) Message() string { return e.message }

// Error describes the refusal for logs.
func (e *Error) Error() string {
	s := fmt.Sprintf("%d %s: %s", e.status, e.Code, firstLine(e.message))
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Body is the JSON body API Gateway answers with, such as {"message":"Missing Authentication Token"}.
func (e *Error) Body() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// API Gateway does not escape <, > and & in its messages.
	enc.SetEscapeHTML(false)
	key := e.messageKey
	if key == "" {
		key = "message"
	}
	_ = enc.Encode(map[string]string{key: e.message}) // a map of strings always encodes
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// Write sends the answer: status, Content-Type, x-amzn-ErrorType and body.
func (e *Error) Write(w http.ResponseWriter) {
	body := e.Body()
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("x-amzn-ErrorType", e.Code)
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(e.status)
	_, _ = w.Write(body)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

func newError(responseType, code, message string) *Error {
	return &Error{ResponseType: responseType, Code: code, status: http.StatusForbidden, message: message}
}

func errMissingToken() *Error {
	return newError(TypeMissingAuthenticationToken, CodeMissingAuthenticationToken, MsgMissingAuthenticationToken)
}

// errIncomplete is a signature that cannot even be read: API Gateway calls these
// IncompleteSignatureException. They come under MISSING_AUTHENTICATION_TOKEN: it is the same
// answer as for no signature at all, with the header's faults for a message (which is why a
// REST API answers a request for a route it lacks, sent with a bearer token, with "Invalid
// key=value pair", and why customizing that gateway response changes these answers too).
func errIncomplete(message string) *Error {
	return newError(TypeMissingAuthenticationToken, CodeIncompleteSignature, message)
}

func errInvalid(message string) *Error {
	return newError(TypeInvalidSignature, CodeInvalidSignature, message)
}

// errMissingEqualSign is AWS's answer to an Authorization header part that is not key=value
// (a bearer token sent to an IAM route, typically). AWS quotes the part hashed, not in clear,
// so that a token in the header does not end up in logs.
func errMissingEqualSign(part string) *Error {
	sum := sha256.Sum256([]byte(part))
	return errIncomplete("Invalid key=value pair (missing equal-sign) in Authorization header " +
		"(hashed with SHA-256 and encoded with Base64): '" + base64.StdEncoding.EncodeToString(sum[:]) + "'.")
}

func errMismatch(canonical, stringToSign, detail string) *Error {
	msg := MsgSignatureMismatch
	if canonical != "" {
		msg += "\n\nThe Canonical String for this request should have been\n'" + canonical +
			"'\n\nThe String-to-Sign should have been\n'" + stringToSign + "'\n"
	}
	e := errInvalid(msg)
	e.Detail = detail
	return e
}

// errInvalidToken answers a known key presented with a session token other than its own. The
// guide's table has no response type of its own for it; INVALID_SIGNATURE is the closest.
func errInvalidToken(detail string) *Error {
	e := newError(TypeInvalidSignature, CodeUnrecognizedClient, MsgInvalidToken)
	e.Detail = detail
	return e
}

// errExpired and errNotYetCurrent are AWS's answers to a signing date outside the window, in
// AWS's words: the first date is the request's, the second the window's edge, the third now.
func errExpired(signedAt, now time.Time, window time.Duration) *Error {
	return errInvalid(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s)",
		signedAt.UTC().Format(amzDateLayout), now.Add(-window).UTC().Format(amzDateLayout),
		now.UTC().Format(amzDateLayout), windowText(window)))
}

func errNotYetCurrent(signedAt, now time.Time, window time.Duration) *Error {
	return errInvalid(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s)",
		signedAt.UTC().Format(amzDateLayout), now.Add(window).UTC().Format(amzDateLayout),
		now.UTC().Format(amzDateLayout), windowText(window)))
}

func windowText(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min.", d/time.Minute)
	}
	return fmt.Sprintf("%d sec.", d/time.Second)
}
