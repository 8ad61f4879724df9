package lambdahost

import (
	"context"
	"errors"
)

// Invoker runs one synchronous invocation of a function by its physical name, as API Gateway's
// Lambda integrations do (the Invoke API with InvocationType RequestResponse). The servers depend
// on this interface, not on *Host, so their tests can use fakes that start no processes.
type Invoker interface {
	Invoke(ctx context.Context, function string, payload []byte) (*Result, error)
}

// Result is what Lambda's Invoke API answers for an invocation that ran (or was attempted on an
// instance): either a response payload, or a function error — exactly one of the two.
type Result struct {
	// Payload is the body the runtime POSTed to /response. Set when FunctionError is nil.
	Payload []byte
	// FunctionError is set when the invocation failed inside the function: the runtime POSTed
	// to /error, the process crashed or exited, or the invocation ran past its timeout. Lambda
	// answers these with X-Amz-Function-Error; API Gateway turns them into 500 (or maps them,
	// for REST custom integrations).
	FunctionError *FunctionError
	// RequestID is the Lambda request id of the invocation (Lambda-Runtime-Aws-Request-Id).
	RequestID string
}

// FunctionError is the error object Lambda returns for a failed invocation.
type FunctionError struct {
	// Type is errorType: the runtime's (e.g. "errorString"), or Lambda's own for failures outside
	// the handler: "Sandbox.Timedout", "Runtime.ExitError", "Runtime.InvalidResponsePayload".
	Type string `json:"errorType"`
	// Message is errorMessage, e.g. "Task timed out after 3.00 seconds".
	Message string `json:"errorMessage"`
	// Payload is the error body as the runtime sent it (or Lambda built it), verbatim JSON.
	Payload []byte `json:"-"`
	// Timeout is true when the invocation was stopped because it ran past the function's timeout.
	Timeout bool `json:"-"`
}

func (e *FunctionError) Error() string { return e.Type + ": " + e.Message }

// Errors that Invoke returns when the invocation did not run on an instance. Lambda answers the
// first with 429 TooManyRequestsException; API Gateway turns every one of these into a 5xx.
var (
	// ErrThrottled: the function is at its reserved concurrency (or the runner's instance
	// limit) and Lambda would throttle the invocation.
	ErrThrottled = errors.New("rate exceeded: function is at its concurrency limit")
	// ErrUnknownFunction: no function of that name is in the assembly.
	ErrUnknownFunction = errors.New("function not found")
	// ErrNotRunnable: the function exists but cannot run here (unsupported runtime, code not
	// found, binary for an architecture that cannot be rebuilt or emulated). The wrapped error
	// says which.
	ErrNotRunnable = errors.New("function cannot run locally")
)
