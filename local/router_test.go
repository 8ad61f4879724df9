package local

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/restapi"
)

// recordingInvoker answers every invocation with a 2.0 response whose body is the event, so a
// test can see which stage and path the router chose.
type recordingInvoker struct{}

func (recordingInvoker) Invoke(_ context.Context, fn string, payload []byte) (*lambdahost.Result, error) {
	body, _ := json.Marshal(map[string]any{"statusCode": 200, "body": string(payload)})
	return &lambdahost.Result{Payload: body}, nil
}

// testRunner serves two HTTP APIs without any process or assembly: "api1" with $default and dev
// stages, "api2" with only a prod stage, and "off" with the execute-api endpoint disabled.
func testRunner(t *testing.T) *Runner {
	t.Helper()
	route := func(key string) *model.Route {
		method, path, _ := strings.Cut(key, " ")
		r := &model.Route{LogicalID: "R", Key: key, Integration: &model.Integration{Type: model.IntegrationAWSProxy, Function: "fn", PayloadFormatVersion: "2.0"}}
		if key != "$default" {
			r.Method, r.Path = method, path
		}
		return r
	}
	m := &model.Model{Account: "123456789012", Region: "us-east-1", APIs: []*model.API{
		{Stack: "S", LogicalID: "Api1", ID: "api1", Name: "one", Protocol: model.ProtocolHTTP,
			Stages: []*model.Stage{{Name: "$default"}, {Name: "dev", Variables: map[string]string{"v": "dev"}}},
			Routes: []*model.Route{route("GET /"), route("GET /hello"), route("ANY /{proxy+}")}},
		{Stack: "S", LogicalID: "Api2", ID: "api2", Name: "two", Protocol: model.ProtocolHTTP,
			Stages: []*model.Stage{{Name: "prod"}},
			Routes: []*model.Route{route("GET /hello")}},
		{Stack: "S", LogicalID: "Off", ID: "off", Name: "off", Protocol: model.ProtocolHTTP, DisableExecuteAPIEndpoint: true,
			Stages: []*model.Stage{{Name: "$default"}}, Routes: []*model.Route{route("$default")}},
	}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r := &Runner{log: log, model: m, apis: map[string]*apiEntry{}, base: "127.0.0.1:3000", done: make(chan struct{})}
	for _, api := range m.APIs {
		e, err := newAPIEntry(api, recordingInvoker{}, http.DefaultClient, m, log, Options{}, r.authorizeManagement)
		if err != nil {
			t.Fatal(err)
		}
		r.apis[api.ID] = e
	}
	return r
}

func TestRouter(t *testing.T) {
	r := testRunner(t)
	tests := []struct {
		name       string
		host       string // Host header
		path       string // request path
		wantStatus int
		wantBody   string // exact body for the router's own answers
		// for requests that reach an API: the event's stage, route key, rawPath and domain
		stage, routeKey, rawPath, domain string
	}{
		{"path addressing, $default stage", "127.0.0.1:3000", "/api1/hello", 200, "", "$default", "GET /hello", "/hello", "api1.execute-api.localhost"},
		{"path addressing, named stage", "127.0.0.1:3000", "/api1/dev/hello", 200, "", "dev", "GET /hello", "/dev/hello", "api1.execute-api.localhost"},
		{"a stage name alone is the stage's root", "127.0.0.1:3000", "/api1/dev", 200, "", "dev", "GET /", "/dev", "api1.execute-api.localhost"},
		{"not a stage: $default gets the whole path", "127.0.0.1:3000", "/api1/other/hello", 200, "", "$default", "ANY /{proxy+}", "/other/hello", "api1.execute-api.localhost"},
		{"$default is not addressable by name", "127.0.0.1:3000", "/api1/$default/hello", 200, "", "$default", "ANY /{proxy+}", "/$default/hello", "api1.execute-api.localhost"},
		{"host addressing", "api1.execute-api.localhost:3000", "/dev/hello", 200, "", "dev", "GET /hello", "/dev/hello", "api1.execute-api.localhost"},
		{"host addressing is case-insensitive", "API1.Execute-API.localhost", "/hello", 200, "", "$default", "GET /hello", "/hello", "api1.execute-api.localhost"},
		{"AWS host form, as HTTP proxy integrations use it", "api1.execute-api.us-east-1.amazonaws.com", "/hello", 200, "", "$default", "GET /hello", "/hello", "api1.execute-api.us-east-1.amazonaws.com"},
		{"no $default stage and no stage in the path", "127.0.0.1:3000", "/api2/hello", 404, `{"message":"Not Found"}`, "", "", "", ""},
		{"the only stage", "127.0.0.1:3000", "/api2/prod/hello", 200, "", "prod", "GET /hello", "/prod/hello", "api2.execute-api.localhost"},
		{"unknown API id", "127.0.0.1:3000", "/nope/hello", 404, `{"message":"Not Found"}`, "", "", "", ""},
		{"unknown API host", "nope.execute-api.localhost", "/hello", 404, `{"message":"Not Found"}`, "", "", "", ""},
		{"execute-api endpoint disabled", "127.0.0.1:3000", "/off/x", 403, `{"message":"Forbidden"}`, "", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "http://"+tc.host+tc.path, nil)
			req.Host = tc.host
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tc.wantStatus, rec.Body)
			}
			if rec.Header().Get("Apigw-Requestid") == "" {
				t.Error("no apigw-requestid header")
			}
			if tc.wantBody != "" {
				if rec.Body.String() != tc.wantBody {
					t.Errorf("body = %s, want %s", rec.Body, tc.wantBody)
				}
				return
			}
			var ev events.APIGatewayV2HTTPRequest
			if err := json.Unmarshal(rec.Body.Bytes(), &ev); err != nil {
				t.Fatalf("event: %v: %s", err, rec.Body)
			}
			got := []string{ev.RequestContext.Stage, ev.RouteKey, ev.RawPath, ev.RequestContext.DomainName}
			want := []string{tc.stage, tc.routeKey, tc.rawPath, tc.domain}
			if strings.Join(got, " | ") != strings.Join(want, " | ") {
				t.Errorf("stage | route | rawPath | domain = %q, want %q", got, want)
			}
		})
	}
}

func TestIndexListsAPIs(t *testing.T) {
	r := testRunner(t)
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1:3000/", nil))
	var idx struct {
		APIs []APIInfo `json:"apis"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &idx); err != nil || len(idx.APIs) != 3 {
		t.Fatalf("index = %s (%v)", rec.Body, err)
	}
	dev, ok := idx.APIs[0].Stage("dev")
	if !ok || dev.URL != "http://127.0.0.1:3000/api1/dev" || dev.HostURL != "http://api1.execute-api.localhost:3000/dev" {
		t.Errorf("dev stage = %+v", dev)
	}
}

// TestLoopbackTransport: an HTTP proxy integration that names an API of the assembly is served
// in-process; any other AWS host is refused without a connection.
func TestLoopbackTransport(t *testing.T) {
	r := testRunner(t)
	client := &http.Client{Transport: &loopbackTransport{runner: r, next: http.DefaultTransport}}
	resp, err := client.Get("https://api1.execute-api.us-east-1.amazonaws.com/dev/hello")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"stage":"dev"`) {
		t.Errorf("in-process call = %d %s", resp.StatusCode, body)
	}
	for _, u := range []string{"https://sqs.us-east-1.amazonaws.com/", "https://other.execute-api.us-east-1.amazonaws.com/x", "http://169.254.169.254/latest/meta-data/"} {
		if _, err := client.Get(u); err == nil || !strings.Contains(err.Error(), "does not contact AWS") {
			t.Errorf("GET %s: err = %v, want a refusal", u, err)
		}
	}
}

func FuzzRouter(f *testing.F) {
	r := testRunner(&testing.T{})
	for _, s := range []string{"/api1/dev/hello", "/api1/%2F/x", "//", "/api2/prod", "/off/", "/api1/dev/%zz"} {
		f.Add("127.0.0.1:3000", s)
		f.Add("api1.execute-api.localhost", s)
	}
	f.Fuzz(func(t *testing.T, host, path string) {
		req, err := http.NewRequest("GET", "http://127.0.0.1:3000/", nil)
		if err != nil {
			t.Skip()
		}
		req.Host = host
		req.URL.Path = path
		req.URL.RawPath = ""
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req) // must not panic, and must answer
		if rec.Code == 0 {
			t.Fatal("no status")
		}
	})
}

func TestRouterWebSocket(t *testing.T) {
	m := &model.Model{Account: "123456789012", Region: "us-east-1", APIs: []*model.API{
		{Stack: "S", LogicalID: "Ws", ID: "ws1", Name: "chat", Protocol: model.ProtocolWebSocket,
			RouteSelectionExpression: "$request.body.action", Stages: []*model.Stage{{Name: "dev"}}},
	}}
	log := slog.New(slog.DiscardHandler)
	r := &Runner{log: log, model: m, apis: map[string]*apiEntry{}, base: "127.0.0.1:3000", done: make(chan struct{})}
	e, err := newAPIEntry(m.APIs[0], recordingInvoker{}, http.DefaultClient, m, log, Options{}, r.authorizeManagement)
	if err != nil {
		t.Fatal(err)
	}
	r.apis["ws1"] = e
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/ws1/dev", http.StatusUpgradeRequired}, // the WebSocket endpoint, without an upgrade
		{"/ws1/dev/other", http.StatusForbidden},
		{"/ws1/prod", http.StatusNotFound}, // no such stage, and WebSocket APIs have no $default
	} {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1:3000"+tc.path, nil))
		if rec.Code != tc.status {
			t.Errorf("GET %s: %d, want %d (%s)", tc.path, rec.Code, tc.status, rec.Body)
		}
	}
	for host, want := range map[string]bool{
		"ws1.execute-api.localhost":                true,
		"nope.execute-api.localhost":               true, // answered by the router with 404
		"ws1.execute-api.us-east-1.amazonaws.com":  true,
		"nope.execute-api.us-east-1.amazonaws.com": false, // a real AWS API: the proxy refuses it
		"dynamodb.us-east-1.amazonaws.com":         false,
		"example.com":                              false,
	} {
		if got := r.servesHost(host); got != want {
			t.Errorf("servesHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// restRunner serves one REST API, "rest1", with stages prod and dev: a Lambda proxy method on
// /items/{id} and a MOCK method on the root, and a second REST API, "rest2", whose method
// requires an API key that a usage plan covering both APIs limits to one request a day.
func restRunner(t *testing.T) *Runner {
	t.Helper()
	mock := &model.Method{HTTPMethod: "GET", Integration: &model.Integration{Type: model.IntegrationMock,
		RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
		IntegrationResponses: []*model.IntegrationResponse{{StatusCode: "200",
			ResponseTemplates: map[string]string{"application/json": `{"stage": "$context.stage", "path": "$context.path"}`}}}}}
	proxy := &model.Method{HTTPMethod: "GET", Integration: &model.Integration{Type: model.IntegrationAWSProxy, Function: "fn"}}
	keyed := &model.Method{HTTPMethod: "GET", APIKeyRequired: true, Integration: mock.Integration}
	both := []model.APIStage{{APIID: "rest1", Stage: "prod"}, {APIID: "rest2", Stage: "prod"}}
	keyed1 := &model.Method{HTTPMethod: "POST", APIKeyRequired: true, Integration: mock.Integration}
	m := &model.Model{Account: "123456789012", Region: "us-east-1",
		APIs: []*model.API{
			{Stack: "S", LogicalID: "Rest1", ID: "rest1", Name: "rest", Protocol: model.ProtocolREST,
				Stages:    []*model.Stage{{Name: "prod"}, {Name: "dev"}},
				Resources: []*model.Resource{{Path: "/", Methods: []*model.Method{mock, keyed1}}, {Path: "/items"}, {Path: "/items/{id}", Methods: []*model.Method{proxy}}}},
			{Stack: "S", LogicalID: "Rest2", ID: "rest2", Name: "rest2", Protocol: model.ProtocolREST,
				Stages: []*model.Stage{{Name: "prod"}}, Resources: []*model.Resource{{Path: "/", Methods: []*model.Method{keyed}}}},
		},
		APIKeys:    []*model.APIKey{{ID: "k", Value: "key-0123456789abcdefghij", Enabled: true, Stages: both}},
		UsagePlans: []*model.UsagePlan{{LogicalID: "P", Stages: both, Quota: &model.Quota{Limit: 1, Period: "DAY"}, Keys: []string{"key-0123456789abcdefghij"}}},
	}
	log := slog.New(slog.DiscardHandler)
	r := &Runner{log: log, model: m, apis: map[string]*apiEntry{}, base: "127.0.0.1:3000", done: make(chan struct{})}
	usage := restapi.NewUsage()
	for _, api := range m.APIs {
		e, err := newAPIEntryWithUsage(api, recordingInvoker{}, http.DefaultClient, m, log, Options{}, r.authorizeManagement, usage)
		if err != nil {
			t.Fatal(err)
		}
		r.apis[api.ID] = e
	}
	return r
}

func TestRouterREST(t *testing.T) {
	r := restRunner(t)
	for _, tc := range []struct {
		name       string
		host, url  string
		wantStatus int
		wantBody   string // exact body, for MOCK and the router's own answers
		// for the Lambda proxy: the event's path, requestContext.path, stage and pathParameters.id
		path, contextPath, stage, id string
	}{
		{"MOCK at a stage's root", "127.0.0.1:3000", "/rest1/prod", 200, `{"stage": "prod", "path": "/prod"}`, "", "", "", ""},
		{"MOCK at the root with a slash", "127.0.0.1:3000", "/rest1/dev/", 200, `{"stage": "dev", "path": "/dev/"}`, "", "", "", ""},
		{"Lambda proxy by path", "127.0.0.1:3000", "/rest1/prod/items/7", 200, "", "/items/7", "/prod/items/7", "prod", "7"},
		{"Lambda proxy by host", "rest1.execute-api.localhost:3000", "/dev/items/a%2Fb", 200, "", "/items/a%2Fb", "/dev/items/a%2Fb", "dev", "a/b"},
		{"no such stage", "127.0.0.1:3000", "/rest1/staging/items/7", 403, `{"message":"Forbidden"}`, "", "", "", ""},
		{"no stage at all", "127.0.0.1:3000", "/rest1", 403, `{"message":"Forbidden"}`, "", "", "", ""},
		{"no such resource", "127.0.0.1:3000", "/rest1/prod/nothing", 403, `{"message":"Missing Authentication Token"}`, "", "", "", ""},
		{"a resource without methods", "127.0.0.1:3000", "/rest1/prod/items", 403, `{"message":"Missing Authentication Token"}`, "", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "http://"+tc.host+tc.url, nil)
			req.Host = tc.host
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tc.wantStatus, rec.Body)
			}
			if tc.wantBody != "" {
				if rec.Body.String() != tc.wantBody {
					t.Errorf("body = %s, want %s", rec.Body, tc.wantBody)
				}
				return
			}
			var ev events.APIGatewayProxyRequest
			if err := json.Unmarshal(rec.Body.Bytes(), &ev); err != nil {
				t.Fatalf("event: %v: %s", err, rec.Body)
			}
			got := []string{ev.Path, ev.RequestContext.Path, ev.RequestContext.Stage, ev.PathParameters["id"]}
			want := []string{tc.path, tc.contextPath, tc.stage, tc.id}
			if strings.Join(got, " | ") != strings.Join(want, " | ") {
				t.Errorf("path | requestContext.path | stage | id = %q, want %q", got, want)
			}
			if rec.Header().Get("X-Amzn-Requestid") == "" {
				t.Error("no x-amzn-RequestId")
			}
		})
	}

	// A usage plan over two APIs counts a key's requests across both.
	call := func(path string, method string) int {
		req := httptest.NewRequest(method, "http://127.0.0.1:3000"+path, nil)
		req.Header.Set("X-Api-Key", "key-0123456789abcdefghij")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		return rec.Code
	}
	if a, b := call("/rest2/prod", "GET"), call("/rest1/prod", "POST"); a != 200 || b != 429 {
		t.Errorf("quota across APIs: %d then %d, want 200 then 429", a, b)
	}
}
