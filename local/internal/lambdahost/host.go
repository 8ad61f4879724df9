// Package lambdahost runs Lambda functions locally as their real executables, speaking the
// Lambda Runtime API to them as the Lambda service does: one Runtime API server per instance,
// warm instances reused, more started for concurrent invocations up to a limit, and every way a
// handler can fail (error, crash, init failure, timeout, oversized response) reported the way
// Lambda reports it.
package lambdahost

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// Config says which functions a Host runs and how.
type Config struct {
	Functions       []*model.Function
	Account, Region string
	// Logger gets the runner's own log lines (nil: discard).
	Logger *slog.Logger
	// Output gets handler stdout/stderr, every line prefixed "[FunctionName] " (nil: os.Stderr).
	Output io.Writer
	// MaxInstances caps instances per function when ReservedConcurrency is nil (0: 16).
	MaxInstances int
	// EnvOverrides is SAM CLI's --env-vars file format: {"LogicalId": {"VAR": "v"},
	// "Parameters": {"VAR": "v"}}. "Parameters" applies to every function; as in SAM, keys only
	// override variables the template declares.
	EnvOverrides map[string]map[string]string
	// SourceDirs is where to look for Go module sources when a binary must be rebuilt for this host.
	SourceDirs []string
	// CacheDir is where rebuilt binaries go (default: os.UserCacheDir()/gatehouse).
	CacheDir string
	// InitTimeout bounds an instance's init phase (0: Lambda's 10 s).
	InitTimeout time.Duration
	// HandlerGOMAXPROCS is the GOMAXPROCS every handler process gets unless its own environment
	// sets one (0: 1; negative: none, so Go uses every core). See baseEnv for why 1.
	HandlerGOMAXPROCS int
	// ExtraEnv is added to every handler process's environment: after the template's variables
	// and EnvOverrides, so it wins over them (the runner's egress proxy settings must hold even
	// when a template sets HTTPS_PROXY), and before Lambda's reserved variables, which it cannot
	// replace.
	ExtraEnv map[string]string
}

// Host runs the functions of one Config. It implements Invoker.
type Host struct {
	cfg             Config
	log             *slog.Logger
	out             *outputSink
	account, region string
	cacheDir        string
	initTimeout     time.Duration

	functions map[string]*function // by physical name
	byKey     map[string]*function // by access key id

	closed    chan struct{}
	closeOnce sync.Once
	mu        sync.Mutex     // orders instance registration against Close
	stopping  bool           // guarded by mu
	wg        sync.WaitGroup // one per live process
	copying   sync.WaitGroup // one per output pipe still being read
}

var _ Invoker = (*Host)(nil)

var errClosed = errors.New("lambda host is closed")

// New prepares a Host. It starts no process: instances start on the first invocation (or Warm).
// A function that cannot run here does not fail New; invoking it returns ErrNotRunnable.
func New(cfg Config) (*Host, error) {
	h := &Host{
		cfg:         cfg,
		log:         cfg.Logger,
		account:     cfg.Account,
		region:      cfg.Region,
		cacheDir:    cfg.CacheDir,
		initTimeout: cfg.InitTimeout,
		functions:   make(map[string]*function, len(cfg.Functions)),
		byKey:       make(map[string]*function, len(cfg.Functions)),
		closed:      make(chan struct{}),
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.account == "" {
		h.account = "123456789012"
	}
	if h.region == "" {
		h.region = "us-east-1"
	}
	if h.initTimeout <= 0 {
		h.initTimeout = DefaultInitTimeout
	}
	if h.cacheDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		h.cacheDir = filepath.Join(dir, "gatehouse")
	}
	maxInstances := cfg.MaxInstances
	if maxInstances <= 0 {
		maxInstances = DefaultMaxInstances
	}
	for _, f := range cfg.Functions {
		if f == nil || f.Name == "" {
			return nil, errors.New("creating lambda host: a function has no name")
		}
		if _, dup := h.functions[f.Name]; dup {
			return nil, fmt.Errorf("creating lambda host: function name %q is used twice (stack %q, resource %q)", f.Name, f.Stack, f.LogicalID)
		}
		fn := &function{h: h, cfg: f, live: map[*instance]struct{}{}}
		fn.arn = f.ARN
		if fn.arn == "" {
			fn.arn = "arn:aws:lambda:" + h.region + ":" + h.account + ":function:" + f.Name
		}
		fn.timeout = f.Timeout
		if fn.timeout <= 0 {
			fn.timeout = defaultTimeout
		}
		limit := maxInstances
		if f.ReservedConcurrency != nil {
			// Lambda throttles at reserved concurrency instead of queueing.
			limit, fn.throttle = max(*f.ReservedConcurrency, 0), true
		}
		fn.slots = make(chan struct{}, limit)
		fn.creds = newCredentials(h.account, f.Name)
		fn.env = h.baseEnv(f, fn.creds)
		h.functions[f.Name] = fn
		h.byKey[fn.creds.accessKeyID] = fn
	}
	out := cfg.Output
	if out == nil {
		out = os.Stderr
	}
	h.out = newOutputSink(out)
	return h, nil
}

// Invoke runs one synchronous invocation of the named function, as Lambda's Invoke API with
// RequestResponse does. Failures inside the function come back as Result.FunctionError; errors
// are for invocations that did not run (unknown, not runnable, throttled, too large, ctx done).
// When ctx ends while the function runs, Invoke returns at once and the invocation finishes in
// the background, as it would in Lambda.
func (h *Host) Invoke(ctx context.Context, function string, payload []byte) (*Result, error) {
	fn := h.functions[function]
	if fn == nil {
		return nil, fmt.Errorf("invoking function %q: %w", function, ErrUnknownFunction)
	}
	res, err := fn.invoke(ctx, payload)
	if err != nil {
		return nil, fmt.Errorf("invoking function %q: %w", function, err)
	}
	return res, nil
}

// Warm starts one instance of the function ahead of its first invocation and waits until it is
// ready, unless one is already idle or the function is at its limit.
func (h *Host) Warm(ctx context.Context, function string) error {
	fn := h.functions[function]
	if fn == nil {
		return fmt.Errorf("warming function %q: %w", function, ErrUnknownFunction)
	}
	if err := fn.warm(ctx); err != nil {
		return fmt.Errorf("warming function %q: %w", function, err)
	}
	return nil
}

// Credentials returns the AWS credentials the function's processes get in their environment.
func (h *Host) Credentials(function string) (accessKeyID, secretAccessKey, sessionToken string, ok bool) {
	fn := h.functions[function]
	if fn == nil {
		return "", "", "", false
	}
	return fn.creds.accessKeyID, fn.creds.secretAccessKey, fn.creds.sessionToken, true
}

// Function returns the function whose processes hold these credentials, so a request signed by
// a handler (to @connections, say) can be attributed to it.
func (h *Host) Function(accessKeyID string) (*model.Function, bool) {
	fn := h.byKey[accessKeyID]
	if fn == nil {
		return nil, false
	}
	return fn.cfg, true
}

// Close stops every instance (killing each process group) and frees their listeners. Invocations
// in flight end with a function error; later ones fail. Close is idempotent.
func (h *Host) Close() error {
	h.closeOnce.Do(func() {
		close(h.closed)
		h.mu.Lock()
		h.stopping = true
		h.mu.Unlock()
		for _, fn := range h.functions {
			fn.mu.Lock()
			for inst := range fn.live {
				inst.kill("the runner is stopping")
			}
			fn.mu.Unlock()
		}
		h.wg.Wait()
		// The pipes close when the killed groups are gone; a grandchild that escaped its group
		// (setsid) could hold one open forever, so this wait is bounded.
		drained := make(chan struct{})
		go func() { h.copying.Wait(); close(drained) }()
		select {
		case <-drained:
		case <-time.After(2 * time.Second):
		}
		h.out.close()
	})
	return nil
}

func (h *Host) isClosed() bool {
	select {
	case <-h.closed:
		return true
	default:
		return false
	}
}
