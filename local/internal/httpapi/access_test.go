package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/authorizer"
	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// The CDK's AccessLogFormat.clf() and jsonWithStandardFields() as the guide's "CloudWatch log
// formats for API Gateway" writes them.
const (
	clfFormat  = `$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId`
	jsonFormat = `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","user":"$context.identity.user","caller":"$context.identity.caller","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength"}`
)

// accessLines collects what a server's AccessLog hook receives.
type accessLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *accessLines) log(st *model.Stage, line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, st.Name+" "+line)
}

func (l *accessLines) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

func TestAccessLog(t *testing.T) {
	tests := []struct {
		name    string
		format  string
		method  string
		path    string
		respond func(context.Context, []byte) (*lambdahost.Result, error)
		want    string // REQ stands for the request id
	}{
		{"CLF", clfFormat, "GET", "/prod/items/7", answer(`{"statusCode":201,"body":"created"}`),
			`prod 192.0.2.1 - - [21/Apr/2020:15:08:21 +0000] "GET - HTTP/1.1" 201 7 REQ`},
		{"JSON", jsonFormat, "GET", "/prod/items/7", answer(`{"statusCode":200,"body":"{\"id\":7}"}`),
			`prod {"requestId":"REQ","ip":"192.0.2.1","user":"-","caller":"-","requestTime":"21/Apr/2020:15:08:21 +0000","httpMethod":"GET","resourcePath":"-","status":"200","protocol":"HTTP/1.1","responseLength":"8"}`},
		{"integration variables", `$context.routeKey $context.status $context.integrationStatus $context.integration.status $context.integrationLatency $context.responseLatency $context.integration.error $context.error.message`,
			"GET", "/prod/items/7", answer(`{"statusCode":418,"body":"teapot"}`),
			`prod GET /items/{id} 418 200 418 0 0 - -`},
		{"function error", `$context.status $context.integrationStatus $context.integration.status $context.error.message $context.error.messageString $context.integrationErrorMessage`,
			"GET", "/prod/items/7",
			func(context.Context, []byte) (*lambdahost.Result, error) {
				return &lambdahost.Result{FunctionError: &lambdahost.FunctionError{Type: "Boom", Message: "it broke"}}, nil
			},
			`prod 500 200 - Internal Server Error "Internal Server Error" function "fn" failed: Boom: it broke`},
		{"Lambda refuses the invocation", `$context.status $context.integrationStatus $context.integration.error`,
			"GET", "/prod/items/7",
			func(context.Context, []byte) (*lambdahost.Result, error) { return nil, errors.New("throttled") },
			`prod 500 - invoking function "fn": throttled`},
		{"no route", `$context.requestId $context.status $context.responseLength $context.routeKey $context.integrationLatency $context.error.message`,
			"GET", "/prod/nothing", nil,
			`prod REQ 404 23 - - Not Found`},
		{"HEAD sends no body", `$context.status $context.responseLength`, "HEAD", "/prod/items/7", nil, `prod 200 0`},
		{"$default stage", `$context.stage $context.path $context.status`, "GET", "/items/7", nil, `$default $default /items/7 200`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := testAPI(lambdaRoute("GET /items/{id}", "2.0"), lambdaRoute("HEAD /items/{id}", "2.0"))
			for _, st := range api.Stages {
				st.AccessLogFormat = tt.format
			}
			var got accessLines
			s, err := New(api, &fakeInvoker{respond: tt.respond}, Options{Now: func() time.Time { return testNow }, AccessLog: got.log})
			if err != nil {
				t.Fatal(err)
			}
			resp := serve(s, httptest.NewRequest(tt.method, tt.path, nil))
			want := strings.ReplaceAll(tt.want, "REQ", resp.Header.Get("Apigw-Requestid"))
			lines := got.all()
			if len(lines) != 1 || lines[0] != want {
				t.Errorf("access log\n got %q\nwant %q", lines, want)
			}
		})
	}
}

// A Lambda authorizer's refusal is logged with the authorization variables.
func TestAccessLogAuthorizer(t *testing.T) {
	route := lambdaRoute("GET /items/{id}", "2.0")
	route.AuthorizationType = model.AuthorizationCustom
	api := testAPI(route)
	api.Stage("prod").AccessLogFormat = `$context.status $context.authorize.status $context.authorizer.status $context.authorizer.error $context.error.message $context.integrationLatency`
	var got accessLines
	s, err := New(api, &fakeInvoker{}, Options{Now: func() time.Time { return testNow }, AccessLog: got.log, Authorizer: refuseAll{}})
	if err != nil {
		t.Fatal(err)
	}
	serve(s, httptest.NewRequest("GET", "/prod/items/7", nil))
	want := []string{"prod 403 403 403 User is not authorized Forbidden -"}
	if lines := got.all(); strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("access log\n got %q\nwant %q", lines, want)
	}
}

// A stage without a format logs nothing, and its requests are written straight to the
// client's ResponseWriter: no format is compiled for it, so Serve wraps nothing.
func TestAccessLogOff(t *testing.T) {
	api := testAPI(lambdaRoute("GET /items/{id}", "2.0"))
	api.Stage("prod").AccessLogFormat = clfFormat
	var got accessLines
	s, err := New(api, &fakeInvoker{}, Options{Now: func() time.Time { return testNow }, AccessLog: got.log})
	if err != nil {
		t.Fatal(err)
	}
	if s.accessFormats[model.DefaultStage] != nil || s.accessFormats["prod"] == nil {
		t.Fatalf("formats compiled for %v, want prod only", s.accessFormats)
	}
	serve(s, httptest.NewRequest("GET", "/items/7", nil))
	if lines := got.all(); len(lines) != 0 {
		t.Errorf("a stage without a format logged %q", lines)
	}
	// Without a hook nothing is compiled at all, formats or not.
	s, err = New(api, &fakeInvoker{}, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if s.accessFormats != nil {
		t.Errorf("formats compiled without an AccessLog hook: %v", s.accessFormats)
	}
	w := &plainWriter{ResponseRecorder: httptest.NewRecorder()}
	s.Serve(w, httptest.NewRequest("GET", "/prod/items/7", nil), Target{Stage: api.Stage("prod"), Path: "/items/7"})
	if w.Code != http.StatusOK {
		t.Errorf("status %d", w.Code)
	}
}

// plainWriter is a ResponseWriter of the test's own type.
type plainWriter struct{ *httptest.ResponseRecorder }

// refuseAll is an authorizer that answers every route with a Lambda authorizer's Deny.
type refuseAll struct{}

func (refuseAll) AuthorizeRoute(context.Context, *model.Route, *authorizer.Request) authorizer.Decision {
	return authorizer.Decision{AuthorizationType: model.AuthorizationCustom,
		Authorizer: &model.Authorizer{Type: model.AuthorizerRequest},
		Refusal:    &authorizer.Refusal{Status: 403, Message: "User is not authorized", Body: []byte(`{"message":"Forbidden"}`)}}
}
