package lambdahost

import (
	"errors"
	"time"
)

// ErrRequestTooLarge: the invocation payload is over Lambda's synchronous request limit, so Lambda
// would refuse the Invoke call (RequestTooLargeException) before any instance sees it.
var ErrRequestTooLarge = errors.New("request must be smaller than 6291456 bytes for the InvokeFunction operation")

const (
	// MaxRequestPayload is Lambda's limit for a synchronous invocation's request payload (6 MB).
	MaxRequestPayload = 6 * 1024 * 1024
	// MaxResponsePayload is the largest body a runtime may POST to /response. The Runtime
	// Interface Emulator allows 100 bytes over 6 MB, and Lambda's own error message quotes the
	// same figure (6291556 bytes), so we use it too.
	MaxResponsePayload = 6*1024*1024 + 100

	// DefaultMaxInstances caps instances per function when it has no reserved concurrency.
	DefaultMaxInstances = 16
	// DefaultInitTimeout is Lambda's limit on the init phase of an on-demand instance.
	DefaultInitTimeout = 10 * time.Second

	defaultTimeout  = 3 * time.Second
	defaultMemoryMB = 128
)
