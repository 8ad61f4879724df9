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
}

func newRuntimeAPI() *runtimeAPI {
	return &runtimeAPI{
		next:  make(chan *invocation, 1),
		ready: make(chan struct{}),
		gone:  make(chan struct{}),
	}
}

func (a *runtimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, runtimeAPIPrefix)
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch {
	case rest == "invocation/next":
		if allow(w, r, http.MethodGet) {
			a.invocationNext(w, r)
		}
	case rest == "init/error":
		if allow(w, r, http.MethodPost) {
			a.initError(w, r)
		}
	case strings.HasPrefix(rest, "invocation/"):
		id, action, ok := strings.Cut(rest[len("invocation/"):], "/")
		if !ok || id == "" || (action != "response" && action != "error") {
			http.NotFound(w, r)
			return
		}
		if allow(w, r, http.MethodPost) {
			a.invocationResult(w, r, id, action == "error")
		}
	default:
		http.NotFound(w, r)
	}
}

// allow answers 405 with an Allow header, as the emulator's router does, when the method is wrong.
func allow(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method {
		return true
	}
	w.Header()["Allow"] = []string{method}
	w.WriteHeader(http.StatusMethodNotAllowed)
	return false
}

func (a *runtimeAPI) invocationNext(w http.ResponseWriter, r *http.Request) {
	a.readyOnce.Do(func() { close(a.ready) })
	if a.current.Load() != nil {
		// The runtime asked for more work before answering what it has: Lambda's state machine
		// refuses the transition rather than dropping the outstanding invocation.
		renderError(w, http.StatusForbidden, "InvalidStateTransition",
			"State transition from RuntimeInvocationResponseState to RuntimeReadyState failed for runtime. Error: State transition is not allowed")
		return
	}
	for {
		var inv *invocation
		select {
		case inv = <-a.next:
		case <-a.gone:
			return
		case <-r.Context().Done():
			return
		}
		if !inv.state.CompareAndSwap(invQueued, invDelivered) {
			continue // abandoned while queued: its caller already moved on
		}
		inv.deadline = time.Now().Add(inv.timeout)
		a.current.Store(inv)
		h := w.Header()
		h["Lambda-Runtime-Aws-Request-Id"] = []string{inv.id}
		h["Lambda-Runtime-Deadline-Ms"] = []string{strconv.FormatInt(inv.deadline.UnixMilli(), 10)}
		h["Lambda-Runtime-Invoked-Function-Arn"] = []string{inv.arn}
		h["Lambda-Runtime-Trace-Id"] = []string{inv.traceID}
		h["Content-Type"] = []string{"application/json"}
		h["Content-Length"] = []string{strconv.Itoa(len(inv.payload))}
		w.WriteHeader(http.StatusOK)
		w.Write(inv.payload) // a failed write means the runtime is gone; its exit reports that
		return
	}
}

// invocationResult handles POST /invocation/{id}/response and /invocation/{id}/error.
func (a *runtimeAPI) invocationResult(w http.ResponseWriter, r *http.Request, id string, isError bool) {
	inv := a.current.Load()
	if inv == nil {
		what := "RuntimeInvocationResponseState"
		if isError {
			what = "RuntimeInvocationErrorResponseState"
		}
		renderError(w, http.StatusForbidden, "InvalidStateTransition",
			"State transition from RuntimeResponseSentState to "+what+" failed for runtime. Error: State transition is not allowed")
		return
	}
	if inv.id != id {
		renderError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return
	}
	body, tooLarge, err := readBody(r)
	if err != nil {
		// The runtime went away mid-body; the instance's exit will report it.
		return
	}
	if !a.current.CompareAndSwap(inv, nil) {
		renderError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return
	}
	switch {
	case tooLarge:
		fe := &FunctionError{
			Type:    "Function.ResponseSizeTooLarge",
			Message: fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", MaxResponsePayload),
		}
		fe.Payload = marshalFunctionError(fe)
		inv.finish(&Result{FunctionError: fe})
		renderError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("Exceeded maximum allowed payload size (%d bytes).", MaxResponsePayload))
		return
	case isError:
		inv.finish(&Result{FunctionError: parseFunctionError(body, r.Header.Get("Lambda-Runtime-Function-Error-Type"))})
	default:
		inv.finish(&Result{Payload: body})
	}
	renderAccepted(w)
}

func (a *runtimeAPI) initError(w http.ResponseWriter, r *http.Request) {
	select {
	case <-a.ready:
		renderError(w, http.StatusForbidden, "InvalidStateTransition",
			"State transition from RuntimeReadyState to RuntimeInitErrorState failed for runtime. Error: State transition is not allowed")
		return
	default:
	}
	body, _, err := readBody(r)
	if err != nil {
		return
	}
	a.initErr.CompareAndSwap(nil, parseFunctionError(body, r.Header.Get("Lambda-Runtime-Function-Error-Type")))
	renderAccepted(w)
	if a.onInitErr != nil {
		// Lambda discards an environment whose init failed; the next invocation gets a new one.
		a.onInitErr()
	}
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

func renderAccepted(w http.ResponseWriter) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(acceptedBody))}
	w.WriteHeader(http.StatusAccepted)
	w.Write(acceptedBody)
}

// renderError answers with the Runtime API's error shape: {"errorMessage":..,"errorType":..}.
func renderError(w http.ResponseWriter, status int, errorType, message string) {
	b, _ := json.Marshal(struct {
		Message string `json:"errorMessage"`
		Type    string `json:"errorType"`
	}{message, errorType})
	w.Header()["Content-Type"] = []string{"application/json"}
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
