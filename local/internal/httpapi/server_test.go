package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

var testNow = time.Date(2020, 4, 21, 15, 8, 21, 67e6, time.UTC)

// fakeInvoker records every payload and answers with respond (or a fixed payload).
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

func (f *fakeInvoker) last(t *testing.T) []byte {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.payloads) == 0 {
		t.Fatal("the function was not invoked")
	}
	return f.payloads[len(f.payloads)-1]
}

func answer(payload string) func(context.Context, []byte) (*lambdahost.Result, error) {
	return func(context.Context, []byte) (*lambdahost.Result, error) {
		return &lambdahost.Result{Payload: []byte(payload)}, nil
	}
}

func lambdaRoute(key, version string) *model.Route {
	r := &model.Route{LogicalID: "R" + key, Key: key, Integration: &model.Integration{
		LogicalID: "I" + key, Type: model.IntegrationAWSProxy, Function: "fn", PayloadFormatVersion: version,
	}}
	if key != "$default" {
		r.Method, r.Path, _ = strings.Cut(key, " ")
	}
	return r
}

func testAPI(routes ...*model.Route) *model.API {
	return &model.API{
		LogicalID: "Api", ID: "aaaaaaaaaa", Name: "api", Protocol: model.ProtocolHTTP, Routes: routes,
		Stages: []*model.Stage{
			{Name: model.DefaultStage},
			{Name: "prod", Variables: map[string]string{"env": "production", "backend": "127.0.0.1"}},
		},
	}
}

func newTestServer(t testing.TB, api *model.API, inv lambdahost.Invoker) *Server {
	t.Helper()
	s, err := New(api, inv, Options{Account: "123456789012", Region: "us-east-1", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// serve sends one request; a path starting with "/prod" goes to the prod stage.
func serve(s *Server, r *http.Request) *http.Response {
	t := Target{Stage: s.api.Stage(model.DefaultStage), Path: r.URL.EscapedPath(), DomainName: "aaaaaaaaaa.execute-api.localhost", DomainPrefix: "aaaaaaaaaa"}
	if rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/prod"); ok {
		t.Stage, t.Path, t.RawPath = s.api.Stage("prod"), rest, r.URL.EscapedPath()
		if t.Path == "" {
			t.Path = "/"
		}
	}
	w := httptest.NewRecorder()
	s.Serve(w, r, t)
	return w.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEventV2(t *testing.T) {
	inv := &fakeInvoker{}
	s := newTestServer(t, testAPI(lambdaRoute("POST /items/{id}", "2.0")), inv)
	r := httptest.NewRequest("POST", "/prod/items/a%20b?x=1&x=2&y=%C3%A9", strings.NewReader(`{"a":1}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Add("X-Multi", "one")
	r.Header.Add("X-Multi", "two")
	r.Header.Set("Cookie", "c1=v1; c2=v2")
	r.Header.Set("User-Agent", "test-agent")
	resp := serve(s, r)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body(t, resp))
	}
	var ev events.APIGatewayV2HTTPRequest
	dec := json.NewDecoder(bytes.NewReader(inv.last(t)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		t.Fatal(err)
	}
	rid := resp.Header.Get("Apigw-Requestid")
	for _, c := range []struct{ name, got, want string }{
		{"version", ev.Version, "2.0"},
		{"routeKey", ev.RouteKey, "POST /items/{id}"},
		{"rawPath", ev.RawPath, "/prod/items/a%20b"},
		{"rawQueryString", ev.RawQueryString, "x=1&x=2&y=%C3%A9"},
		{"query x", ev.QueryStringParameters["x"], "1,2"},
		{"query y", ev.QueryStringParameters["y"], "é"},
		{"path id", ev.PathParameters["id"], "a b"},
		{"stage var", ev.StageVariables["env"], "production"},
		{"x-multi", ev.Headers["x-multi"], "one,two"},
		{"content-type", ev.Headers["content-type"], "application/json"},
		{"content-length", ev.Headers["content-length"], "7"},
		{"host", ev.Headers["host"], "example.com"},
		{"x-forwarded-for", ev.Headers["x-forwarded-for"], "192.0.2.1"},
		{"x-forwarded-proto", ev.Headers["x-forwarded-proto"], "http"},
		{"cookie header", ev.Headers["cookie"], ""},
		{"cookies", strings.Join(ev.Cookies, "|"), "c1=v1|c2=v2"},
		{"body", ev.Body, `{"a":1}`},
		{"accountId", ev.RequestContext.AccountID, "123456789012"},
		{"apiId", ev.RequestContext.APIID, "aaaaaaaaaa"},
		{"domainName", ev.RequestContext.DomainName, "aaaaaaaaaa.execute-api.localhost"},
		{"domainPrefix", ev.RequestContext.DomainPrefix, "aaaaaaaaaa"},
		{"http.method", ev.RequestContext.HTTP.Method, "POST"},
		{"http.path", ev.RequestContext.HTTP.Path, "/prod/items/a%20b"},
		{"http.protocol", ev.RequestContext.HTTP.Protocol, "HTTP/1.1"},
		{"http.sourceIp", ev.RequestContext.HTTP.SourceIP, "192.0.2.1"},
		{"http.userAgent", ev.RequestContext.HTTP.UserAgent, "test-agent"},
		{"requestId", ev.RequestContext.RequestID, rid},
		{"ctx routeKey", ev.RequestContext.RouteKey, "POST /items/{id}"},
		{"stage", ev.RequestContext.Stage, "prod"},
		{"time", ev.RequestContext.Time, "21/Apr/2020:15:08:21 +0000"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if ev.IsBase64Encoded || ev.RequestContext.TimeEpoch != 1587481701067 || len(rid) != 16 {
		t.Errorf("isBase64Encoded %v, timeEpoch %d, request id %q", ev.IsBase64Encoded, ev.RequestContext.TimeEpoch, rid)
	}
	if !strings.HasPrefix(ev.Headers["x-amzn-trace-id"], "Root=1-5e9f0c65-") {
		t.Errorf("trace id %q", ev.Headers["x-amzn-trace-id"])
	}
}

func TestEventV2Body(t *testing.T) {
	for _, tc := range []struct {
		contentType, body string
		wantBody          string
		wantB64           bool
	}{
		{"application/json", `{"a":1}`, `{"a":1}`, false},
		{"text/plain; charset=utf-8", "hi", "hi", false},
		{"application/vnd.api+json", "{}", "{}", false},
		{"application/octet-stream", "\x00\x01", "AAE=", true},
		{"application/x-www-form-urlencoded", "a=b", "YT1i", true},
		{"", "raw", "cmF3", true},
		{"application/json", "", "", false},
	} {
		inv := &fakeInvoker{}
		s := newTestServer(t, testAPI(lambdaRoute("$default", "2.0")), inv)
		r := httptest.NewRequest("PUT", "/x", strings.NewReader(tc.body))
		if tc.contentType != "" {
			r.Header.Set("Content-Type", tc.contentType)
		}
		serve(s, r)
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(inv.last(t), &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Body != tc.wantBody || ev.IsBase64Encoded != tc.wantB64 {
			t.Errorf("%q %q: body %q base64 %v, want %q %v", tc.contentType, tc.body, ev.Body, ev.IsBase64Encoded, tc.wantBody, tc.wantB64)
		}
		if ev.RouteKey != "$default" || ev.PathParameters != nil {
			t.Errorf("routeKey %q params %v", ev.RouteKey, ev.PathParameters)
		}
	}
}

func TestEventV1(t *testing.T) {
	inv := &fakeInvoker{respond: answer(`{"statusCode":201,"body":"made"}`)}
	s := newTestServer(t, testAPI(lambdaRoute("ANY /pets/{proxy+}", "1.0")), inv)
	r := httptest.NewRequest("POST", "/pets/a/b?q=1&q=2", strings.NewReader("hello"))
	r.Header.Set("Content-Type", "text/plain")
	r.Header.Add("X-Multi", "one")
	r.Header.Add("X-Multi", "two")
	resp := serve(s, r)
	if resp.StatusCode != 201 || body(t, resp) != "made" {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var ev events.APIGatewayProxyRequest
	dec := json.NewDecoder(bytes.NewReader(inv.last(t)))
	if err := dec.Decode(&ev); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"resource", ev.Resource, "/pets/{proxy+}"},
		{"path", ev.Path, "/pets/a/b"},
		{"httpMethod", ev.HTTPMethod, "POST"},
		{"x-multi", ev.Headers["x-multi"], "two"},
		{"multi x-multi", strings.Join(ev.MultiValueHeaders["x-multi"], "|"), "one|two"},
		{"q", ev.QueryStringParameters["q"], "1"},
		{"multi q", strings.Join(ev.MultiValueQueryStringParameters["q"], "|"), "1|2"},
		{"proxy", ev.PathParameters["proxy"], "a/b"},
		{"body", ev.Body, "hello"},
		{"resourcePath", ev.RequestContext.ResourcePath, "/pets/{proxy+}"},
		{"stage", ev.RequestContext.Stage, "$default"},
		{"requestTime", ev.RequestContext.RequestTime, "21/Apr/2020:15:08:21 +0000"},
		{"sourceIp", ev.RequestContext.Identity.SourceIP, "192.0.2.1"},
		{"extendedRequestId", ev.RequestContext.ExtendedRequestID, resp.Header.Get("Apigw-Requestid")},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if ev.StageVariables != nil {
		t.Errorf("stageVariables = %v, want null on $default", ev.StageVariables)
	}
}

func TestV2Response(t *testing.T) {
	for _, tc := range []struct {
		name       string
		payload    string
		wantStatus int
		wantBody   string
		wantHeader map[string]string
		wantCookie []string
	}{
		{"object without statusCode is a JSON body", `{"message":"hi"}`, 200, `{"message":"hi"}`, map[string]string{"Content-Type": "application/json"}, nil},
		{"string output is the body", `"Hello from Lambda!"`, 200, "Hello from Lambda!", map[string]string{"Content-Type": "application/json"}, nil},
		{"number", `42`, 200, "42", nil, nil},
		{"structured", `{"statusCode":404,"headers":{"x-a":"1","x-n":3},"body":"nope"}`, 404, "nope", map[string]string{"X-A": "1", "X-N": "3"}, nil},
		{"base64", `{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`, 200, "hi", nil, nil},
		{"cookies", `{"statusCode":200,"cookies":["a=1","b=2; Path=/"]}`, 200, "", nil, []string{"a=1", "b=2; Path=/"}},
		{"multiValueHeaders", `{"statusCode":200,"multiValueHeaders":{"x-m":["1","2"]}}`, 200, "", map[string]string{"X-M": "1"}, nil},
		{"not JSON", `hello`, 500, `{"message":"Internal Server Error"}`, map[string]string{"Content-Type": "application/json"}, nil},
		{"statusCode string", `{"statusCode":"200"}`, 500, `{"message":"Internal Server Error"}`, nil, nil},
		{"statusCode out of range", `{"statusCode":700}`, 500, `{"message":"Internal Server Error"}`, nil, nil},
		{"body not a string", `{"statusCode":200,"body":{"a":1}}`, 500, `{"message":"Internal Server Error"}`, nil, nil},
		{"bad base64", `{"statusCode":200,"body":"%%%","isBase64Encoded":true}`, 500, `{"message":"Internal Server Error"}`, nil, nil},
		{"header object", `{"statusCode":200,"headers":{"x":{}}}`, 500, `{"message":"Internal Server Error"}`, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, testAPI(lambdaRoute("$default", "2.0")), &fakeInvoker{respond: answer(tc.payload)})
			resp := serve(s, httptest.NewRequest("GET", "/", nil))
			if got := body(t, resp); resp.StatusCode != tc.wantStatus || got != tc.wantBody {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, got, tc.wantStatus, tc.wantBody)
			}
			for k, v := range tc.wantHeader {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if tc.wantCookie != nil && strings.Join(resp.Header.Values("Set-Cookie"), "|") != strings.Join(tc.wantCookie, "|") {
				t.Errorf("Set-Cookie = %q, want %q", resp.Header.Values("Set-Cookie"), tc.wantCookie)
			}
			if resp.Header.Get("Apigw-Requestid") == "" {
				t.Error("no apigw-requestid")
			}
		})
	}
}

func TestV1ResponseNeedsStatusCode(t *testing.T) {
	s := newTestServer(t, testAPI(lambdaRoute("$default", "1.0")), &fakeInvoker{respond: answer(`{"body":"x"}`)})
	if resp := serve(s, httptest.NewRequest("GET", "/", nil)); resp.StatusCode != 500 {
		t.Errorf("status %d, want 500", resp.StatusCode)
	}
}

func TestGatewayErrors(t *testing.T) {
	slow := func(ctx context.Context, _ []byte) (*lambdahost.Result, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	for _, tc := range []struct {
		name       string
		routes     []*model.Route
		respond    func(context.Context, []byte) (*lambdahost.Result, error)
		method     string
		body       io.Reader
		header     map[string]string
		wantStatus int
		wantBody   string
	}{
		{"no route", []*model.Route{lambdaRoute("GET /a", "2.0")}, nil, "GET", nil, nil, 404, `{"message":"Not Found"}`},
		{"function error", nil, func(context.Context, []byte) (*lambdahost.Result, error) {
			return &lambdahost.Result{FunctionError: &lambdahost.FunctionError{Type: "errorString", Message: "boom"}}, nil
		}, "GET", nil, nil, 500, `{"message":"Internal Server Error"}`},
		{"throttled function", nil, func(context.Context, []byte) (*lambdahost.Result, error) { return nil, lambdahost.ErrThrottled }, "GET", nil, nil, 500, `{"message":"Internal Server Error"}`},
		{"integration timeout", []*model.Route{func() *model.Route {
			r := lambdaRoute("$default", "2.0")
			r.Integration.Timeout = 20 * time.Millisecond
			return r
		}()}, slow, "GET", nil, nil, 503, `{"message":"Service Unavailable"}`},
		{"panic in invoker", nil, func(context.Context, []byte) (*lambdahost.Result, error) { panic("bad") }, "GET", nil, nil, 500, `{"message":"Internal Server Error"}`},
		{"body too large", nil, nil, "POST", io.LimitReader(zeros{}, maxPayload+1), nil, 413, `{"message":"Request Entity Too Large"}`},
		{"headers too large", nil, nil, "GET", nil, map[string]string{"X-Big": strings.Repeat("a", 10300)}, 431, `{"message":"Request Header Fields Too Large"}`},
		{"no integration", []*model.Route{{LogicalID: "R", Key: "$default"}}, nil, "GET", nil, nil, 500, `{"message":"Internal Server Error"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			routes := tc.routes
			if routes == nil {
				routes = []*model.Route{lambdaRoute("$default", "2.0")}
			}
			s := newTestServer(t, testAPI(routes...), &fakeInvoker{respond: tc.respond})
			r := httptest.NewRequest(tc.method, "/b", tc.body)
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			resp := serve(s, r)
			if got := body(t, resp); resp.StatusCode != tc.wantStatus || got != tc.wantBody {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, got, tc.wantStatus, tc.wantBody)
			}
			if resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("Apigw-Requestid") == "" {
				t.Errorf("headers %v", resp.Header)
			}
		})
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }
