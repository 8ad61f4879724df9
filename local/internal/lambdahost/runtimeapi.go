package lambdahost

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// runtimeAPIPrefix is where the Runtime API lives on AWS_LAMBDA_RUNTIME_API: the version date is
// part of every path runtimes call.
const runtimeAPIPrefix = "/2018-06-01/runtime/"

// runtimeAPI is the server side of the Lambda Runtime API for one instance: the runtime long-polls
// /next for an invocation and POSTs the outcome back. One server per instance means any runtime
// implementation works unchanged (it only knows host:port), and an id can only ever be answered
// by the process it was given to.
type runtimeAPI struct {
	next    chan *invocation // invocations for this instance; buffered 1 so handing one over never blocks
	current atomic.Pointer[invocation]

	ready     chan struct{} // closed on the first /next: init is over
	readyOnce sync.Once
	initErr   atomic.Pointer[FunctionError] // set by /runtime/init/error
	gone      chan struct{}                 // closed when the instance is gone; /next stops waiting
	onInitErr func()                        // stops the instance after an init error

	waitMu sync.Mutex
	waiter *wireConn // the connection that last polled /next (see waiting)
}

func newRuntimeAPI() *runtimeAPI {
	return &runtimeAPI{
		next:  make(chan *invocation, 1),
		ready: make(chan struct{}),
		gone:  make(chan struct{}),
	}
}

// rtRequest is one Runtime API request as the handlers need it, whichever transport carried it:
// the lean wire server (wire.go) in production, net/http in tests and as a reference.
type rtRequest struct {
	method, path string
	errorType    string                                         // Lambda-Runtime-Function-Error-Type
	readBody     func() (body []byte, tooLarge bool, err error) // read lazily: some answers never need it
	cancel       <-chan struct{}                                // closed when the runtime's connection is gone
}

// answer is what the Runtime API replies, rendered by the transport. status 0 means no reply:
// the runtime went away, so the connection is just closed.
type answer struct {
	status      int
	contentType string
	allow       string // for 405
	body        []byte
	inv         *invocation // a /next answer: the invocation's headers go with body
}

// notFoundBody is what net/http's NotFound writes; the wire server answers the same.
var notFoundBody = []byte("404 page not found\n")

func notFound() answer {
	return answer{status: http.StatusNotFound, contentType: "text/plain; charset=utf-8", body: notFoundBody}
}

// handle routes one request. It is the whole Runtime API; the transports only parse and render.
func (a *runtimeAPI) handle(r *rtRequest) answer {
	rest, ok := strings.CutPrefix(r.path, runtimeAPIPrefix)
	if !ok {
		return notFound()
	}
	switch {
	case rest == "invocation/next":
		if r.method != http.MethodGet {
			return notAllowed(http.MethodGet)
		}
		return a.invocationNext(r)
	case rest == "init/error":
		if r.method != http.MethodPost {
			return notAllowed(http.MethodPost)
		}
		return a.initError(r)
	case strings.HasPrefix(rest, "invocation/"):
		id, action, ok := strings.Cut(rest[len("invocation/"):], "/")
		if !ok || id == "" || (action != "response" && action != "error") {
			return notFound()
		}
		if r.method != http.MethodPost {
			return notAllowed(http.MethodPost)
		}
		return a.invocationResult(r, id, action == "error")
	default:
		return notFound()
	}
}

// notAllowed answers 405 with an Allow header, as the emulator's router does.
func notAllowed(method string) answer {
	return answer{status: http.StatusMethodNotAllowed, allow: method}
}

// ServeHTTP serves the Runtime API over net/http. Instances use the lean wire server instead
// (net/http's per-request goroutines, deadlines and background reads cost more than a warm
// invocation's own work); this adapter keeps the logic testable with httptest.
func (a *runtimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ans := a.handle(&rtRequest{
		method:    r.Method,
		path:      r.URL.Path,
		errorType: r.Header.Get("Lambda-Runtime-Function-Error-Type"),
		readBody:  func() ([]byte, bool, error) { return readBody(r) },
		cancel:    r.Context().Done(),
	})
	if ans.status == 0 {
		return
	}
	h := w.Header()
	if ans.inv != nil {
		h["Lambda-Runtime-Aws-Request-Id"] = []string{ans.inv.id}
		h["Lambda-Runtime-Deadline-Ms"] = []string{strconv.FormatInt(ans.inv.deadline.UnixMilli(), 10)}
		h["Lambda-Runtime-Invoked-Function-Arn"] = []string{ans.inv.arn}
		h["Lambda-Runtime-Trace-Id"] = []string{ans.inv.traceID}
	}
	if ans.allow != "" {
		h["Allow"] = []string{ans.allow}
	}
	if ans.contentType != "" {
		h["Content-Type"] = []string{ans.contentType}
	}
	if ans.status == http.StatusNotFound {
		h["X-Content-Type-Options"] = []string{"nosniff"}
	}
	if ans.body != nil {
		h["Content-Length"] = []string{strconv.Itoa(len(ans.body))}
	}
	w.WriteHeader(ans.status)
	w.Write(ans.body) // a failed write means the runtime is gone; its exit reports that
}

func (a *runtimeAPI) invocationNext(r *rtRequest) answer {
	a.readyOnce.Do(func() { close(a.ready) })
	if a.current.Load() != nil {
		// The runtime asked for more work before answering what it has: Lambda's state machine
		// refuses the transition rather than dropping the outstanding invocation.
		return errorAnswer(http.StatusForbidden, "InvalidStateTransition",
			"State transition from RuntimeInvocationResponseState to RuntimeReadyState failed for runtime. Error: State transition is not allowed")
	}
	for {
		var inv *invocation
		select {
		case inv = <-a.next:
		case <-a.gone:
			return answer{}
		case <-r.cancel:
			return answer{}
		}
		if !inv.state.CompareAndSwap(invQueued, invDelivered) {
			continue // abandoned while queued: its caller already moved on
		}
		inv.deadline = time.Now().Add(inv.timeout)
		a.current.Store(inv)
		return answer{status: http.StatusOK, contentType: "application/json", body: inv.payload, inv: inv}
	}
}

// invocationResult handles POST /invocation/{id}/response and /invocation/{id}/error.
func (a *runtimeAPI) invocationResult(r *rtRequest, id string, isError bool) answer {
	inv := a.current.Load()
	if inv == nil {
		what := "RuntimeInvocationResponseState"
		if isError {
			what = "RuntimeInvocationErrorResponseState"
		}
		return errorAnswer(http.StatusForbidden, "InvalidStateTransition",
			"State transition from RuntimeResponseSentState to "+what+" failed for runtime. Error: State transition is not allowed")
	}
	if inv.id != id {
		return errorAnswer(http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
	}
	body, tooLarge, err := r.readBody()
	if err != nil {
		// The runtime went away mid-body; the instance's exit will report it.
		return answer{}
	}
	if !a.current.CompareAndSwap(inv, nil) {
		return errorAnswer(http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
	}
	// finish runs before the transport writes the 202, so the waiting client goroutine is
	// already on its way while this one answers the runtime.
	switch {
	case tooLarge:
		fe := &FunctionError{
			Type:    "Function.ResponseSizeTooLarge",
			Message: fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", MaxResponsePayload),
		}
		fe.Payload = marshalFunctionError(fe)
		inv.finish(&Result{FunctionError: fe})
		return errorAnswer(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("Exceeded maximum allowed payload size (%d bytes).", MaxResponsePayload))
	case isError:
		inv.finish(&Result{FunctionError: parseFunctionError(body, r.errorType)})
	default:
		inv.finish(&Result{Payload: body})
	}
	return accepted()
}

func (a *runtimeAPI) initError(r *rtRequest) answer {
	select {
	case <-a.ready:
		return errorAnswer(http.StatusForbidden, "InvalidStateTransition",
			"State transition from RuntimeReadyState to RuntimeInitErrorState failed for runtime. Error: State transition is not allowed")
	default:
	}
	body, _, err := r.readBody()
	if err != nil {
		return answer{}
	}
	a.initErr.CompareAndSwap(nil, parseFunctionError(body, r.errorType))
	if a.onInitErr != nil {
		// Lambda discards an environment whose init failed; the next invocation gets a new one.
		// Stopping it before the 202 is written is harmless: the runtime is done either way.
		a.onInitErr()
	}
	return accepted()
}

// readBody reads a runtime's POST body up to the response limit. Runtimes send Content-Length,
// so the buffer is usually allocated once at its final size.
func readBody(r *http.Request) (body []byte, tooLarge bool, err error) {
	if n := r.ContentLength; n >= 0 {
		if n > MaxResponsePayload {
			_, err = io.Copy(io.Discard, r.Body)
			return nil, true, err
		}
		body = make([]byte, n)
		_, err = io.ReadFull(r.Body, body)
		return body, false, err
	}
	body, err = io.ReadAll(io.LimitReader(r.Body, MaxResponsePayload+1))
	if err == nil && len(body) > MaxResponsePayload {
		_, err = io.Copy(io.Discard, r.Body)
		return nil, true, err
	}
	return body, false, err
}

// parseFunctionError reads the error a runtime posted. A well-formed Lambda error object is kept
// verbatim; anything else is wrapped into one, with the type from the
// Lambda-Runtime-Function-Error-Type header, as Lambda does when the body is unusable.
func parseFunctionError(body []byte, headerType string) *FunctionError {
	var e struct {
		Type    *string `json:"errorType"`
		Message *string `json:"errorMessage"`
	}
	if json.Unmarshal(body, &e) == nil && (e.Type != nil || e.Message != nil) {
		fe := &FunctionError{Payload: body}
		if e.Type != nil {
			fe.Type = *e.Type
		}
		if e.Message != nil {
			fe.Message = *e.Message
		}
		if fe.Type == "" {
			fe.Type = headerType
		}
		return fe
	}
	fe := &FunctionError{Type: headerType, Message: string(body)}
	if fe.Type == "" {
		fe.Type = "Unhandled"
	}
	fe.Payload = marshalFunctionError(fe)
	return fe
}

func marshalFunctionError(fe *FunctionError) []byte {
	b, _ := json.Marshal(fe) // two strings: cannot fail
	return b
}

var acceptedBody = []byte(`{"status":"OK"}` + "\n")

func accepted() answer {
	return answer{status: http.StatusAccepted, contentType: "application/json", body: acceptedBody}
}

// errorAnswer is the Runtime API's error shape: {"errorMessage":..,"errorType":..}.
func errorAnswer(status int, errorType, message string) answer {
	b, _ := json.Marshal(struct {
		Message string `json:"errorMessage"`
		Type    string `json:"errorType"`
	}{message, errorType})
	return answer{status: status, contentType: "application/json", body: append(b, '\n')}
}
