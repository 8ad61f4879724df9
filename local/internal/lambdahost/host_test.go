package lambdahost

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// handlers are the testdata main packages, built once for the whole test binary.
var handlers = []string{"echo", "fail", "panic", "sleep", "exitinit", "initerror", "garbage", "env", "huge", "crash"}

var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lambdahost-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	args := []string{"build", "-tags", "lambda.norpc", "-o", dir + "/"}
	for _, h := range handlers {
		args = append(args, "./testdata/"+h)
	}
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building test handlers: %v\n%s", err, out)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// watchBuffer collects handler output and lets a test wait for a line without sleeping.
type watchBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	waiters map[string][]chan struct{}
}

func (w *watchBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for s, chs := range w.waiters {
		if strings.Contains(w.buf.String(), s) {
			for _, ch := range chs {
				close(ch)
			}
			delete(w.waiters, s)
		}
	}
	return len(p), nil
}

func (w *watchBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// seen is closed once the output contains s.
func (w *watchBuffer) seen(s string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	ch := make(chan struct{})
	if strings.Contains(w.buf.String(), s) {
		close(ch)
		return ch
	}
	if w.waiters == nil {
		w.waiters = map[string][]chan struct{}{}
	}
	w.waiters[s] = append(w.waiters[s], ch)
	return ch
}

func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// testFunction makes a function whose code directory holds the named test handler as bootstrap.
func testFunction(t testing.TB, name, handler string) *model.Function {
	t.Helper()
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(binDir, handler), filepath.Join(dir, "bootstrap")); err != nil {
		t.Fatal(err)
	}
	return &model.Function{
		Stack: "Api", LogicalID: name + "Fn", Name: name, Runtime: "provided.al2023",
		Handler: "bootstrap", Architecture: model.ArchX8664, CodeDir: dir, MemoryMB: 256,
		Timeout: 5 * time.Second,
	}
}

type testHost struct {
	*Host
	out  *watchBuffer
	logs *watchBuffer
}

func newTestHost(t testing.TB, cfg Config) *testHost {
	t.Helper()
	th := &testHost{out: &watchBuffer{}, logs: &watchBuffer{}}
	cfg.Output = th.out
	cfg.Logger = slog.New(slog.NewTextHandler(th.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if cfg.CacheDir == "" {
		cfg.CacheDir = t.TempDir()
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	th.Host = h
	t.Cleanup(func() { h.Close() })
	return th
}

func invoke(t testing.TB, h *testHost, fn, payload string) *Result {
	t.Helper()
	res, err := h.Invoke(context.Background(), fn, []byte(payload))
	if err != nil {
		t.Fatalf("Invoke(%s): %v", fn, err)
	}
	return res
}

type echoReply struct {
	Event      json.RawMessage `json:"event"`
	PID        int             `json:"pid"`
	Count      int             `json:"count"`
	RequestID  string          `json:"requestId"`
	ARN        string          `json:"arn"`
	DeadlineMs int64           `json:"deadlineMs"`
	TraceID    string          `json:"traceId"`
}

func decodeEcho(t testing.TB, res *Result) echoReply {
	t.Helper()
	if res.FunctionError != nil {
		t.Fatalf("function error: %v", res.FunctionError)
	}
	var r echoReply
	if err := json.Unmarshal(res.Payload, &r); err != nil {
		t.Fatalf("decoding %q: %v", res.Payload, err)
	}
	return r
}

var traceIDPattern = regexp.MustCompile(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$`)
var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestInvokeEchoAndReuse(t *testing.T) {
	f := testFunction(t, "echo", "echo")
	f.ARN = "arn:aws:lambda:eu-west-1:111122223333:function:echo"
	h := newTestHost(t, Config{Functions: []*model.Function{f}})

	before := time.Now()
	res := invoke(t, h, "echo", `{"hello":"world"}`)
	r := decodeEcho(t, res)
	if string(r.Event) != `{"hello":"world"}` {
		t.Errorf("event = %s", r.Event)
	}
	if r.RequestID != res.RequestID || !uuidPattern.MatchString(r.RequestID) {
		t.Errorf("handler saw request id %q, result has %q", r.RequestID, res.RequestID)
	}
	if r.ARN != f.ARN {
		t.Errorf("invoked function ARN = %q, want %q", r.ARN, f.ARN)
	}
	if !traceIDPattern.MatchString(r.TraceID) {
		t.Errorf("trace id %q is not an X-Ray header", r.TraceID)
	}
	deadline := time.UnixMilli(r.DeadlineMs)
	if d := deadline.Sub(before); d < 4*time.Second || d > 6*time.Second {
		t.Errorf("deadline is %v after the invocation, want about the 5s timeout", d)
	}

	// A warm instance serves the next invocations.
	for i := 2; i <= 3; i++ {
		r2 := decodeEcho(t, invoke(t, h, "echo", `{}`))
		if r2.PID != r.PID || r2.Count != i {
			t.Errorf("invocation %d ran on pid %d (count %d), want warm pid %d (count %d)", i, r2.PID, r2.Count, r.PID, i)
		}
	}
}

func TestEnvironment(t *testing.T) {
	t.Setenv("GATEHOUSE_RUNNER_SECRET", "must not leak")
	f := testFunction(t, "envfn", "env")
	f.Environment = map[string]string{"TABLE": "from-template", "KEEP": "kept", "AWS_REGION": "xx-reserved-1"}
	h := newTestHost(t, Config{
		Functions: []*model.Function{f}, Account: "111122223333", Region: "eu-west-1",
		EnvOverrides: map[string]map[string]string{
			"Parameters": {"TABLE": "from-parameters", "UNDECLARED": "ignored"},
			"envfnFn":    {"TABLE": "from-logical-id"},
		},
		ExtraEnv: map[string]string{"HTTPS_PROXY": "http://127.0.0.1:9"},
	})
	res := invoke(t, h, "envfn", `{}`)
	if res.FunctionError != nil {
		t.Fatal(res.FunctionError)
	}
	var env map[string]string
	if err := json.Unmarshal(res.Payload, &env); err != nil {
		t.Fatal(err)
	}
	key, secret, token, ok := h.Credentials("envfn")
	if !ok {
		t.Fatal("no credentials for envfn")
	}
	want := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        "envfn",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_REGION":                      "eu-west-1",
		"AWS_DEFAULT_REGION":              "eu-west-1",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/envfn",
		"_HANDLER":                        "bootstrap",
		"LAMBDA_TASK_ROOT":                f.CodeDir,
		"LAMBDA_RUNTIME_DIR":              "/var/runtime",
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"TZ":                              ":UTC",
		"LANG":                            "en_US.UTF-8",
		"AWS_ACCESS_KEY_ID":               key,
		"AWS_SECRET_ACCESS_KEY":           secret,
		"AWS_SESSION_TOKEN":               token,
		"TABLE":                           "from-logical-id",
		"KEEP":                            "kept",
		"__CWD":                           f.CodeDir,
		"GOMAXPROCS":                      "1",
		"HTTPS_PROXY":                     "http://127.0.0.1:9",
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q", k, env[k], v)
		}
	}
	for _, k := range []string{"GATEHOUSE_RUNNER_SECRET", "UNDECLARED", "AWS_EXECUTION_ENV"} {
		if v, ok := env[k]; ok {
			t.Errorf("%s = %q is set, want it absent", k, v)
		}
	}
	if !regexp.MustCompile(`^\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}$`).MatchString(env["AWS_LAMBDA_LOG_STREAM_NAME"]) {
		t.Errorf("AWS_LAMBDA_LOG_STREAM_NAME = %q", env["AWS_LAMBDA_LOG_STREAM_NAME"])
	}
	if !regexp.MustCompile(`^127\.0\.0\.1:\d+$`).MatchString(env["AWS_LAMBDA_RUNTIME_API"]) {
		t.Errorf("AWS_LAMBDA_RUNTIME_API = %q", env["AWS_LAMBDA_RUNTIME_API"])
	}
	if !strings.HasPrefix(env["PATH"], lambdaPath+":") {
		t.Errorf("PATH = %q, want Lambda's then the runner's", env["PATH"])
	}
	if !regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`).MatchString(key) || len(secret) != 40 || len(token) < 100 {
		t.Errorf("credentials %q %q %q do not look like temporary AWS credentials", key, secret, token)
	}
	if got, ok := h.Function(key); !ok || got != f {
		t.Errorf("Function(%q) = %v, %v; want envfn", key, got, ok)
	}
	if _, ok := h.Function("ASIAUNKNOWN"); ok {
		t.Error("Function(unknown key) found a function")
	}
	// Deterministic: another host gives the same function the same keys.
	h2, _ := New(Config{Functions: []*model.Function{f}, Account: "111122223333", Region: "eu-west-1"})
	defer h2.Close()
	if k2, _, _, _ := h2.Credentials("envfn"); k2 != key {
		t.Errorf("credentials differ between hosts: %q vs %q", k2, key)
	}
}

// TestHandlerGOMAXPROCS checks the one variable the runner adds that Lambda does not: it yields
// to the function's own environment and to the configuration.
func TestHandlerGOMAXPROCS(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      int
		template map[string]string
		want     string // "" = unset
	}{
		{"default", 0, nil, "1"},
		{"configured", 4, nil, "4"},
		{"negative leaves Go's default", -1, nil, ""},
		{"template wins", 0, map[string]string{"GOMAXPROCS": "3"}, "3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &Host{cfg: Config{HandlerGOMAXPROCS: tc.cfg}, log: slog.New(slog.DiscardHandler), region: "us-east-1"}
			f := &model.Function{Name: "fn", Environment: tc.template}
			got, ok := h.baseEnv(f, credentials{})["GOMAXPROCS"]
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("GOMAXPROCS = %q (set %v), want %q", got, ok, tc.want)
			}
		})
	}
}

// TestExtraEnv checks where the runner's own variables sit: over the template and --env-vars
// (the egress proxy must hold whatever a template says), under Lambda's reserved ones.
func TestExtraEnv(t *testing.T) {
	for _, tc := range []struct {
		name      string
		template  map[string]string
		overrides map[string]map[string]string
		extra     map[string]string
		variable  string
		want      string // "" = unset
	}{
		{"added", nil, nil, map[string]string{"HTTPS_PROXY": "http://127.0.0.1:1"}, "HTTPS_PROXY", "http://127.0.0.1:1"},
		{"over the template", map[string]string{"HTTPS_PROXY": "http://corp:3128"}, nil,
			map[string]string{"HTTPS_PROXY": "http://127.0.0.1:1"}, "HTTPS_PROXY", "http://127.0.0.1:1"},
		{"over --env-vars", map[string]string{"NO_PROXY": "t"}, map[string]map[string]string{"Parameters": {"NO_PROXY": "o"}},
			map[string]string{"NO_PROXY": "127.0.0.1"}, "NO_PROXY", "127.0.0.1"},
		{"template kept when not extra", map[string]string{"TABLE": "t"}, nil, map[string]string{"OTHER": "x"}, "TABLE", "t"},
		{"reserved wins", nil, nil, map[string]string{"AWS_REGION": "xx-extra-1"}, "AWS_REGION", "us-east-1"},
		{"reserved Lambda leaves unset stays unset", nil, nil, map[string]string{"AWS_EXECUTION_ENV": "x"}, "AWS_EXECUTION_ENV", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &Host{cfg: Config{ExtraEnv: tc.extra, EnvOverrides: tc.overrides}, log: slog.New(slog.DiscardHandler), region: "us-east-1"}
			f := &model.Function{Name: "fn", Environment: tc.template}
			got, ok := h.baseEnv(f, credentials{})[tc.variable]
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("%s = %q (set %v), want %q", tc.variable, got, ok, tc.want)
			}
		})
	}
}

func TestLIFOReuse(t *testing.T) {
	f := testFunction(t, "sleeper", "sleep")
	h := newTestHost(t, Config{Functions: []*model.Function{f}})
	var wg sync.WaitGroup
	results := make([]string, 2)
	for i, ms := range []int{50, 400} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := invoke(t, h, "sleeper", fmt.Sprintf(`{"ms":%d}`, ms))
			results[i] = string(res.Payload)
		}()
	}
	wg.Wait()
	if results[0] == results[1] {
		t.Fatalf("concurrent invocations shared an instance: %v", results)
	}
	// The instance that finished last is the most recently idle one.
	next := string(invoke(t, h, "sleeper", `{"ms":0}`).Payload)
	if next != results[1] {
		t.Errorf("next invocation ran %s, want the most recently idle instance %s", next, results[1])
	}
}

func TestConcurrencyLimits(t *testing.T) {
	t.Run("MaxInstances waits", func(t *testing.T) {
		f := testFunction(t, "capped", "sleep")
		h := newTestHost(t, Config{Functions: []*model.Function{f}, MaxInstances: 1})
		started := h.out.seen("[capped] sleeping 300")
		done := make(chan string)
		go func() { done <- string(invoke(t, h, "capped", `{"ms":300}`).Payload) }()
		waitFor(t, started, "the first invocation to start")

		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if _, err := h.Invoke(ctx, "capped", []byte(`{}`)); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("invocation past the cap with a short ctx: err = %v, want deadline exceeded", err)
		}
		second := string(invoke(t, h, "capped", `{"ms":0}`).Payload) // waits for the instance
		if first := <-done; first != second {
			t.Errorf("with MaxInstances 1, invocations ran on two instances: %s, %s", first, second)
		}
	})
	t.Run("reserved concurrency throttles", func(t *testing.T) {
		f := testFunction(t, "reserved", "sleep")
		f.ReservedConcurrency = new(int)
		*f.ReservedConcurrency = 1
		zero := testFunction(t, "zero", "sleep")
		zero.ReservedConcurrency = new(int)
		h := newTestHost(t, Config{Functions: []*model.Function{f, zero}})
		started := h.out.seen("[reserved] sleeping 300")
		done := make(chan struct{})
		go func() { invoke(t, h, "reserved", `{"ms":300}`); close(done) }()
		waitFor(t, started, "the first invocation to start")
		if _, err := h.Invoke(context.Background(), "reserved", []byte(`{}`)); !errors.Is(err, ErrThrottled) {
			t.Errorf("second concurrent invocation: err = %v, want ErrThrottled", err)
		}
		<-done
		if res := invoke(t, h, "reserved", `{"ms":0}`); res.FunctionError != nil {
			t.Errorf("after the first finished: %v", res.FunctionError)
		}
		if _, err := h.Invoke(context.Background(), "zero", []byte(`{}`)); !errors.Is(err, ErrThrottled) {
			t.Errorf("reserved concurrency 0: err = %v, want ErrThrottled", err)
		}
	})
}

func processGone(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	// A zombie has been killed; only its parent has not reaped it yet.
	_, rest, _ := strings.Cut(string(b), ") ")
	return strings.HasPrefix(rest, "Z")
}

func TestTimeoutKillsAndReplaces(t *testing.T) {
	f := testFunction(t, "slow", "sleep")
	f.Timeout = 300 * time.Millisecond
	h := newTestHost(t, Config{Functions: []*model.Function{f}})
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	res := invoke(t, h, "slow", fmt.Sprintf(`{"ms":60000,"pidFile":%q}`, pidFile))
	fe := res.FunctionError
	if fe == nil || fe.Type != "Sandbox.Timedout" || !fe.Timeout ||
		fe.Message != "RequestId: "+res.RequestID+" Error: Task timed out after 0.30 seconds" {
		t.Fatalf("result = %+v, want a Sandbox.Timedout function error", fe)
	}
	if !json.Valid(fe.Payload) {
		t.Errorf("error payload %q is not JSON", fe.Payload)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	child, _ := strconv.Atoi(string(b))
	deadline := time.Now().Add(5 * time.Second)
	for !processGone(child) { // another process's state: nothing to wait on but polling
		if time.Now().After(deadline) {
			t.Fatalf("the handler's child %d survived the timeout", child)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The next invocation gets a fresh instance.
	if res := invoke(t, h, "slow", `{"ms":0}`); res.FunctionError != nil {
		t.Errorf("invocation after a timeout: %v", res.FunctionError)
	}
	if !strings.Contains(h.logs.String(), "function timed out") {
		t.Errorf("no log line about the timeout in %q", h.logs.String())
	}
}

func TestFunctionFailures(t *testing.T) {
	recoverFile := filepath.Join(t.TempDir(), "recover")
	exitInit := testFunction(t, "exitinit", "exitinit")
	exitInit.Environment = map[string]string{"RECOVER_FILE": recoverFile}
	h := newTestHost(t, Config{Functions: []*model.Function{
		testFunction(t, "fail", "fail"), testFunction(t, "panic", "panic"),
		testFunction(t, "crash", "crash"), testFunction(t, "initerror", "initerror"),
		testFunction(t, "huge", "huge"), testFunction(t, "garbage", "garbage"), exitInit,
	}})

	tests := []struct {
		fn, payload string
		wantType    string
		wantMessage string // regexp; {id} is the request id
	}{
		{"fail", `{}`, "errorString", `^something broke$`},
		{"panic", `{}`, "string", `^handler panicked$`},
		{"panic", `{}`, "string", `^handler panicked$`}, // a fresh instance after the panic exit
		{"crash", `{}`, "Runtime.ExitError", `^RequestId: {id} Error: Runtime exited with error: exit status 3$`},
		{"crash", `{}`, "Runtime.ExitError", `^RequestId: {id} Error: Runtime exited with error: exit status 3$`},
		{"initerror", `{}`, "Runtime.ImportModuleError", `^Cannot load handler: config missing$`},
		{"exitinit", `{}`, "Runtime.ExitError", `^RequestId: {id} Error: Runtime exited with error: exit status 1$`},
		{"huge", `{"bytes":7000000}`, "Function.ResponseSizeTooLarge", `^Response payload size exceeded maximum allowed payload size \(6291556 bytes\)\.$`},
	}
	for _, tt := range tests {
		res := invoke(t, h, tt.fn, tt.payload)
		fe := res.FunctionError
		if fe == nil {
			t.Errorf("%s: payload %.100q, want a function error", tt.fn, res.Payload)
			continue
		}
		want := strings.ReplaceAll(tt.wantMessage, "{id}", regexp.QuoteMeta(res.RequestID))
		if fe.Type != tt.wantType || !regexp.MustCompile(want).MatchString(fe.Message) {
			t.Errorf("%s: error %q %q, want %q %s", tt.fn, fe.Type, fe.Message, tt.wantType, want)
		}
		var decoded FunctionError
		if err := json.Unmarshal(fe.Payload, &decoded); err != nil || decoded.Type != fe.Type {
			t.Errorf("%s: error payload %q does not carry errorType %q", tt.fn, fe.Payload, fe.Type)
		}
	}

	// Init failure, then recovery on a fresh instance once the cause is fixed.
	if err := os.WriteFile(recoverFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if res := invoke(t, h, "exitinit", `{}`); res.FunctionError != nil || string(res.Payload) != `"recovered"` {
		t.Errorf("after fixing init: %v %s", res.FunctionError, res.Payload)
	}
	if !strings.Contains(h.logs.String(), "function init failed") {
		t.Errorf("init failure not logged: %s", h.logs.String())
	}

	// A response that is not JSON passes through verbatim; API Gateway judges it, not Lambda.
	res := invoke(t, h, "garbage", `{}`)
	if res.FunctionError != nil || string(res.Payload) != "this is {not json" {
		t.Errorf("garbage: %v %q", res.FunctionError, res.Payload)
	}
	// Small payloads under the limit still work on the huge handler's warm instance.
	if res := invoke(t, h, "huge", `{"bytes":5}`); string(res.Payload) != `"aaaaa"` {
		t.Errorf("huge with 5 bytes: %v %q", res.FunctionError, res.Payload)
	}
	h.Close()
	out := h.out.String()
	for _, want := range []string{
		"[crash] about to crash\n",
		"[exitinit] init: configuration missing, giving up\n",
		"[garbage] bin\x00\xff\xfe garbage\n",
		"[garbage] partial without newline\n",
		"[garbage] long:xxxx",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, line := range strings.SplitAfter(out, "\n") {
		if line != "" && (!strings.HasPrefix(line, "[") || len(line) > maxLine+64) {
			t.Errorf("output line not prefixed or not split: %.80q (%d bytes)", line, len(line))
		}
	}
}

func TestInitTimeout(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bootstrap"), []byte("#!/bin/sh\nexec sleep 60\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	f := &model.Function{Name: "hang", Runtime: "provided.al2", CodeDir: dir, Timeout: time.Second}
	h := newTestHost(t, Config{Functions: []*model.Function{f}, InitTimeout: 200 * time.Millisecond})
	res := invoke(t, h, "hang", `{}`)
	if fe := res.FunctionError; fe == nil || fe.Type != "Sandbox.Timedout" || !strings.HasSuffix(fe.Message, "Task timed out after 0.20 seconds") {
		t.Errorf("init that never calls /next: %+v", res.FunctionError)
	}
}

func TestInvokeErrors(t *testing.T) {
	missing := testFunction(t, "missing", "echo")
	missing.CodeDir = t.TempDir()
	h := newTestHost(t, Config{Functions: []*model.Function{
		testFunction(t, "echo", "echo"),
		{Name: "node", Runtime: "nodejs20.x", Handler: "index.handler", CodeDir: t.TempDir()},
		{Name: "nocode", Runtime: "provided.al2023"},
		missing,
	}})
	tests := []struct {
		fn      string
		payload []byte
		want    error
		mention string
	}{
		{"nope", []byte(`{}`), ErrUnknownFunction, `"nope"`},
		{"node", []byte(`{}`), ErrNotRunnable, "nodejs20.x"},
		{"nocode", []byte(`{}`), ErrNotRunnable, "code was not found"},
		{"missing", []byte(`{}`), ErrNotRunnable, "no bootstrap"},
		{"echo", bytes.Repeat([]byte("a"), MaxRequestPayload+1), ErrRequestTooLarge, `"echo"`},
	}
	for _, tt := range tests {
		_, err := h.Invoke(context.Background(), tt.fn, tt.payload)
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("Invoke(%s) = %v, want %v mentioning %s", tt.fn, err, tt.want, tt.mention)
		}
	}
	if _, err := New(Config{Functions: []*model.Function{{Name: "a"}, {Name: "a"}}}); err == nil {
		t.Error("New accepted a duplicate function name")
	}
}

func TestWarmCancelAndClose(t *testing.T) {
	h := newTestHost(t, Config{Functions: []*model.Function{testFunction(t, "echo", "echo"), testFunction(t, "sleeper", "sleep")}})
	if err := h.Warm(context.Background(), "echo"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.logs.String(), "function instance started") {
		t.Error("Warm started no instance")
	}
	if r := decodeEcho(t, invoke(t, h, "echo", `{}`)); r.Count != 1 {
		t.Errorf("first invocation after Warm: count %d", r.Count)
	}
	if err := h.Warm(context.Background(), "nope"); !errors.Is(err, ErrUnknownFunction) {
		t.Errorf("Warm(unknown) = %v", err)
	}

	// A caller that gives up gets its ctx error at once; the invocation finishes in the
	// background and the instance serves again afterwards.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := h.Invoke(ctx, "sleeper", []byte(`{"ms":300}`)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Invoke with a short ctx: %v", err)
	}
	if res := invoke(t, h, "sleeper", `{"ms":0}`); res.FunctionError != nil {
		t.Errorf("after an abandoned invocation: %v", res.FunctionError)
	}

	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if err := h.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := h.Invoke(context.Background(), "echo", []byte(`{}`)); err == nil {
		t.Error("Invoke after Close succeeded")
	}
}
