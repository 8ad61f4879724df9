package restapi

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

var testNow = time.Date(2020, 4, 21, 15, 8, 21, 67e6, time.UTC)

// fakeInvoker records every payload and answers with respond (or a fixed proxy response).
type fakeInvoker struct {
	mu       sync.Mutex
	payloads [][]byte
	names    []string
	respond  func(ctx context.Context, payload []byte) (*lambdahost.Result, error)
}

func (f *fakeInvoker) Invoke(ctx context.Context, name string, payload []byte) (*lambdahost.Result, error) {
	f.mu.Lock()
	f.payloads = append(f.payloads, payload)
	f.names = append(f.names, name)
	f.mu.Unlock()
	if f.respond == nil {
		return &lambdahost.Result{Payload: []byte(`{"statusCode":200,"body":"ok"}`)}, nil
	}
	return f.respond(ctx, payload)
}

func (f *fakeInvoker) last(t testing.TB) []byte {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.payloads) == 0 {
		t.Fatal("the function was not invoked")
	}
	return f.payloads[len(f.payloads)-1]
}

func (f *fakeInvoker) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.payloads)
}

func answer(payload string) func(context.Context, []byte) (*lambdahost.Result, error) {
	return func(context.Context, []byte) (*lambdahost.Result, error) {
		return &lambdahost.Result{Payload: []byte(payload)}, nil
	}
}

func functionError(msg string) func(context.Context, []byte) (*lambdahost.Result, error) {
	return func(context.Context, []byte) (*lambdahost.Result, error) {
		return &lambdahost.Result{FunctionError: &lambdahost.FunctionError{Type: "Error", Message: msg,
			Payload: []byte(`{"errorMessage":` + quoteJSON(msg) + `,"errorType":"Error","stackTrace":[]}`)}}, nil
	}
}

func quoteJSON(s string) string { return compactJSON(s) }

// res builds a resource with methods.
func res(path string, methods ...*model.Method) *model.Resource {
	return &model.Resource{LogicalID: "R" + path, Path: path, Methods: methods}
}

func proxyMethod(verb string) *model.Method {
	return &model.Method{LogicalID: "M" + verb, HTTPMethod: verb, AuthorizationType: "NONE",
		Integration: &model.Integration{Type: model.IntegrationAWSProxy, Function: "fn", URI: "arn:aws:lambda:us-east-1:123456789012:function:fn"}}
}

// mockMethod is a MOCK method answering status with a response template body.
func mockMethod(verb string, status int, tmpl string) *model.Method {
	code := strconv.Itoa(status)
	return &model.Method{LogicalID: "M" + verb, HTTPMethod: verb,
		MethodResponses: []*model.MethodResponse{{StatusCode: code}},
		Integration: &model.Integration{Type: model.IntegrationMock,
			RequestTemplates: map[string]string{"application/json": `{"statusCode": ` + code + `}`},
			IntegrationResponses: []*model.IntegrationResponse{{StatusCode: code,
				ResponseTemplates: map[string]string{"application/json": tmpl}}}}}
}

func testAPI(resources ...*model.Resource) *model.API {
	return &model.API{
		LogicalID: "Api", ID: "abcdef1234", Name: "api", Protocol: model.ProtocolREST, Resources: resources,
		Stages: []*model.Stage{
			{Name: "prod", Variables: map[string]string{"env": "production"}},
			{Name: "dev"},
		},
	}
}

// logBuffer collects the server's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newTestServer(t testing.TB, api *model.API, inv lambdahost.Invoker, opts ...func(*Options)) (*Server, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	o := Options{Account: "123456789012", Region: "us-east-1", Now: func() time.Time { return testNow },
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	for _, f := range opts {
		f(&o)
	}
	s, err := New(api, inv, o)
	if err != nil {
		t.Fatal(err)
	}
	return s, logs
}

// do sends one request to stage "prod" (or the stage named by the path's first segment when
// it is one of the API's) and returns the recorded response.
func do(s *Server, method, target string, body string, header ...string) *httptest.ResponseRecorder {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, "http://abcdef1234.execute-api.localhost"+target, rd)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	return serve(s, r)
}

func serve(s *Server, r *http.Request) *httptest.ResponseRecorder {
	stage := s.api.Stages[0]
	path := r.URL.EscapedPath()
	w := httptest.NewRecorder()
	s.Serve(w, r, Target{Stage: stage, Path: path, RawPath: "/" + stage.Name + path, DomainName: "abcdef1234.execute-api.localhost"})
	return w
}
