package authorizer

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// fakeInvoker plays a Lambda authorizer function: it records each event and answers with
// respond's result, counting calls so tests can tell a cache hit from an invocation.
type fakeInvoker struct {
	mu      sync.Mutex
	calls   int
	events  [][]byte
	respond func(event []byte) (*lambdahost.Result, error)
}

func (f *fakeInvoker) Invoke(ctx context.Context, function string, payload []byte) (*lambdahost.Result, error) {
	f.mu.Lock()
	f.calls++
	f.events = append(f.events, payload)
	respond := f.respond
	f.mu.Unlock()
	return respond(payload)
}

func (f *fakeInvoker) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func (f *fakeInvoker) last() map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	var m map[string]any
	_ = json.Unmarshal(f.events[len(f.events)-1], &m)
	return m
}

// answering returns a respond func that always answers payload.
func answering(payload string) func([]byte) (*lambdahost.Result, error) {
	return func([]byte) (*lambdahost.Result, error) {
		return &lambdahost.Result{Payload: []byte(payload)}, nil
	}
}

// policy is an authorizer answer with one statement.
func policy(effect, resource string) string {
	b, _ := json.Marshal(map[string]any{
		"principalId": "user",
		"policyDocument": map[string]any{
			"Version":   "2012-10-17",
			"Statement": []any{map[string]any{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}},
		},
		"context": map[string]any{"stringKey": "value", "numberKey": 123, "booleanKey": true},
	})
	return string(b)
}

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

var testNow = time.Date(2024, 3, 12, 19, 3, 58, 0, time.UTC)

func newTestSet(t testing.TB, api *model.API, inv lambdahost.Invoker, clk *clock) *Set {
	t.Helper()
	opts := Options{Account: "123456789012", Region: "us-east-1", Invoker: inv}
	if clk != nil {
		opts.Now = clk.Now
	}
	s, err := New(api, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
