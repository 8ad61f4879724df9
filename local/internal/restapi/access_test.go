package restapi

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

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
		want    string // REQ stands for the request id, EXT for the extended one
	}{
		{"CLF", clfFormat, "GET", "/items/7", answer(`{"statusCode":201,"body":"created"}`),
			`prod 192.0.2.1 - - [21/Apr/2020:15:08:21 +0000] "GET /items/{id} HTTP/1.1" 201 7 REQ`},
		{"JSON", jsonFormat, "GET", "/items/7", answer(`{"statusCode":200,"body":"{\"id\":7}"}`),
			`prod {"requestId":"REQ","ip":"192.0.2.1","user":"-","caller":"-","requestTime":"21/Apr/2020:15:08:21 +0000","httpMethod":"GET","resourcePath":"/items/{id}","status":"200","protocol":"HTTP/1.1","responseLength":"8"}`},
		{"integration variables", `$context.extendedRequestId $context.status $context.integrationStatus $context.integration.status $context.integrationLatency $context.responseLatency $context.integration.error $context.error.responseType`,
			"GET", "/items/7", answer(`{"statusCode":418,"body":"teapot"}`),
			`prod EXT 418 200 418 0 0 - -`},
		{"function error", `$context.status $context.integrationStatus $context.integration.status $context.error.responseType $context.error.message $context.integration.error`,
			"GET", "/items/7", functionError("it broke"),
			`prod 502 200 - INTEGRATION_FAILURE Internal server error function "fn" failed: Error: it broke`},
		{"missing authentication token", `$context.status $context.responseLength $context.error.responseType $context.error.message $context.integrationLatency $context.resourcePath`,
			"GET", "/nothing", nil,
			`prod 403 42 MISSING_AUTHENTICATION_TOKEN Missing Authentication Token - -`},
		{"mock integration", `$context.status $context.responseLength $context.integrationStatus $context.integrationLatency`,
			"POST", "/mock", nil, `prod 200 9 - -`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := testAPI(res("/items/{id}", proxyMethod("GET")), res("/mock", mockMethod("POST", 200, `{"a":"b"}`)))
			api.Stages[0].AccessLogFormat = tt.format
			var got accessLines
			s, _ := newTestServer(t, api, &fakeInvoker{respond: tt.respond}, func(o *Options) { o.AccessLog = got.log })
			w := do(s, tt.method, tt.path, "")
			want := strings.ReplaceAll(tt.want, "REQ", w.Header().Get("X-Amzn-Requestid"))
			want = strings.ReplaceAll(want, "EXT", w.Header().Get("X-Amz-Apigw-Id"))
			if lines := got.all(); len(lines) != 1 || lines[0] != want {
				t.Errorf("access log\n got %q\nwant %q", lines, want)
			}
		})
	}
}

// A stage without a format logs nothing and gets no format, so Serve wraps nothing; without
// a hook nothing is compiled at all.
func TestAccessLogOff(t *testing.T) {
	api := testAPI(res("/items/{id}", proxyMethod("GET")))
	api.Stages[1].AccessLogFormat = clfFormat // dev logs; prod, which do serves, does not
	var got accessLines
	s, _ := newTestServer(t, api, &fakeInvoker{}, func(o *Options) { o.AccessLog = got.log })
	if s.accessFormats["prod"] != nil || s.accessFormats["dev"] == nil {
		t.Fatalf("formats compiled for %v, want dev only", s.accessFormats)
	}
	if w := do(s, "GET", "/items/7", ""); w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	if lines := got.all(); len(lines) != 0 {
		t.Errorf("a stage without a format logged %q", lines)
	}
	s, _ = newTestServer(t, api, &fakeInvoker{})
	if s.accessFormats != nil {
		t.Errorf("formats compiled without an AccessLog hook: %v", s.accessFormats)
	}
	s.Serve(httptest.NewRecorder(), httptest.NewRequest("GET", "/items/7", nil), Target{Stage: api.Stages[1], Path: "/items/7"})
}

// Through a custom domain the router passes the mapping key, which only the access log reports
// for REST APIs ($context.customDomain.basePathMatched).
func TestAccessLogBasePathMatched(t *testing.T) {
	api := testAPI(res("/mock", mockMethod("GET", 200, `{"a":"b"}`)))
	api.Stages[0].AccessLogFormat = `$context.requestId $context.customDomain.basePathMatched $context.domainName $context.status`
	var got accessLines
	s, _ := newTestServer(t, api, nil, func(o *Options) { o.AccessLog = got.log })
	r := httptest.NewRequest("GET", "http://api.example.com/orders/v2/mock", nil)
	w := httptest.NewRecorder()
	s.Serve(w, r, Target{Stage: api.Stages[0], Path: "/mock", RawPath: "/orders/v2/mock", EventPath: "/orders/v2/mock",
		DomainName: "api.example.com", BasePathMatched: "orders/v2"})
	want := w.Header().Get("X-Amzn-Requestid") + " orders/v2 api.example.com 200"
	if lines := got.all(); len(lines) != 1 || lines[0] != "prod "+want {
		t.Errorf("access log = %q, want %q", lines, "prod "+want)
	}
}
