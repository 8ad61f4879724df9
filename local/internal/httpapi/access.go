package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/accesslog"
	"github.com/gatehouse-dev/gatehouse/local/internal/authorizer"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// AccessLogFunc receives one rendered access log line for a request on stage, as API Gateway
// would write it to the stage's CloudWatch log group.
type AccessLogFunc func(stage *model.Stage, line string)

// AccessFormats compiles each stage's access log format once, by stage name. It is nil when
// there is nowhere to write (log nil) or no stage logs access, so that a server without access
// logging checks one nil map per request and wraps nothing.
func AccessFormats(stages []*model.Stage, log AccessLogFunc) map[string]*accesslog.Format {
	if log == nil {
		return nil
	}
	var out map[string]*accesslog.Format
	for _, st := range stages {
		if st == nil || st.AccessLogFormat == "" {
			continue
		}
		if out == nil {
			out = map[string]*accesslog.Format{}
		}
		out[st.Name] = accesslog.Compile(st.AccessLogFormat)
	}
	return out
}

// AccessWriter records the status and body length of a response on its way to the client:
// $context.status and $context.responseLength. Servers wrap their ResponseWriter in one only
// when the stage logs access.
type AccessWriter struct {
	http.ResponseWriter
	status int
	length int64
}

// NewAccessWriter wraps w.
func NewAccessWriter(w http.ResponseWriter) *AccessWriter { return &AccessWriter{ResponseWriter: w} }

// WriteHeader records the first status written.
func (w *AccessWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write counts the body bytes the client was sent.
func (w *AccessWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.length += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *AccessWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Status is the status sent, 0 when none was.
func (w *AccessWriter) Status() int { return w.status }

// Length is the number of body bytes sent.
func (w *AccessWriter) Length() int64 { return w.length }

// AccessVars are the $context variables API Gateway offers to access logs only ("$context
// Variables for access logging only" in the guide), as a server records them while it answers
// one request or WebSocket event. The zero value knows nothing: every variable renders "-".
type AccessVars struct {
	// Status and ResponseLength are $context.status and $context.responseLength; Status 0
	// means no response was sent (the client went away).
	Status         int
	ResponseLength int64
	// HasLength: ResponseLength applies (a WebSocket event has no response body to count).
	HasLength bool
	// Start and End bound $context.responseLatency.
	Start, End time.Time

	// IntegrationRan: an integration was called; its latency and statuses apply.
	IntegrationRan     bool
	IntegrationLatency time.Duration
	// IntegrationStatus is $context.integrationStatus (and integration.integrationStatus):
	// for a Lambda integration the status of the Lambda service's answer, 200 when the
	// function ran, whatever it answered; an HTTP backend's status otherwise.
	IntegrationStatus int
	// BackendStatus is $context.integration.status: the status the Lambda function's code
	// returned (its statusCode), or an HTTP backend's.
	BackendStatus int
	// IntegrationError is $context.integration.error.
	IntegrationError string

	// ErrorMessage and ErrorResponseType are $context.error.message and
	// $context.error.responseType, when API Gateway answered itself.
	ErrorMessage, ErrorResponseType string

	// Authorization is set when the request's route or method has an authorizer: what it
	// decided (Refusal set for a refusal) and how long the whole step took.
	Authorization *authorizer.Decision
	AuthLatency   time.Duration
	// BasePathMatched is $context.customDomain.basePathMatched; empty when the request did
	// not come through a custom domain's API mapping.
	BasePathMatched string
}

// Lookup answers one access-log-only variable by dotted name. ok is false for a name that is
// not one of them, so the caller can ask the request's other $context variables; a name that
// is one of them but has no value for this request answers "" and true ("-" in the line).
func (a *AccessVars) Lookup(name string) (string, bool) {
	switch name {
	case "status":
		return itoaSet(a.Status), true
	case "responseLength":
		if !a.HasLength || a.Status == 0 {
			return "", true
		}
		return strconv.FormatInt(a.ResponseLength, 10), true
	case "responseLatency":
		if a.End.IsZero() {
			return "", true
		}
		return millis(a.End.Sub(a.Start)), true
	case "integrationLatency", "integration.latency":
		if !a.IntegrationRan {
			return "", true
		}
		return millis(a.IntegrationLatency), true
	case "integrationStatus", "integration.integrationStatus":
		if !a.IntegrationRan {
			return "", true
		}
		return itoaSet(a.IntegrationStatus), true
	case "integration.status":
		if !a.IntegrationRan {
			return "", true
		}
		return itoaSet(a.BackendStatus), true
	case "integration.error", "integrationErrorMessage":
		return a.IntegrationError, true
	case "error.message":
		return a.ErrorMessage, true
	case "error.messageString":
		if a.ErrorMessage == "" {
			return "", true
		}
		return strconv.Quote(a.ErrorMessage), true
	case "error.responseType":
		return a.ErrorResponseType, true
	case "customDomain.basePathMatched":
		return a.BasePathMatched, true
	case "authorize.status", "authorizer.status":
		return a.authStatus(), true
	case "authorize.latency":
		if a.Authorization == nil {
			return "", true
		}
		return millis(a.AuthLatency), true
	case "authorize.error", "authorizer.error":
		if d := a.Authorization; d != nil && d.Refusal != nil {
			return d.Refusal.Message, true
		}
		return "", true
	case "authorizer.latency":
		if d := a.Authorization; d != nil && d.Authorizer != nil {
			return millis(a.AuthLatency), true
		}
		return "", true
	case "authorizer.integrationLatency", "authorizer.integrationStatus":
		// A Lambda authorizer's own call: absent when there was none, or its answer came
		// from the cache.
		d := a.Authorization
		if d == nil || d.Authorizer == nil || !(d.Authorizer.Type == model.AuthorizerRequest || d.Authorizer.Type == model.AuthorizerToken) || d.Cached || d.Latency == 0 {
			return "", true
		}
		if name == "authorizer.integrationStatus" {
			return "200", true
		}
		return millis(d.Latency), true
	}
	return "", false
}

// authStatus is the status the authorization step ended with: 200 when it let the request
// through, the refusal's status otherwise.
func (a *AccessVars) authStatus() string {
	d := a.Authorization
	switch {
	case d == nil:
		return ""
	case d.Refusal != nil:
		return strconv.Itoa(d.Refusal.Status)
	}
	return "200"
}

func itoaSet(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func millis(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }
