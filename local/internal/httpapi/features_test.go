package httpapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/eventfixture"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

func TestEventKeysMatchFixtures(t *testing.T) {
	t.Run("2.0", func(t *testing.T) {
		inv := &fakeInvoker{}
		s := newTestServer(t, testAPI(lambdaRoute("$default", "2.0")), inv)
		serve(s, httptest.NewRequest("GET", "/", nil))
		// authentication is there only for mutual TLS, which the runner does not serve.
		eventfixture.DiffKeys(t, eventfixture.KeyPaths(t, inv.last(t)), eventfixture.KeyPaths(t, eventfixture.Read(t, "apigw-v2-request-no-authorizer.json")),
			[]string{"requestContext.authentication"}, nil)
	})
	t.Run("1.0", func(t *testing.T) {
		inv := &fakeInvoker{}
		s := newTestServer(t, testAPI(lambdaRoute("POST /{proxy+}", "1.0")), inv)
		r := httptest.NewRequest("POST", "/prod/hello/world?name=me", strings.NewReader("{}"))
		r.Header.Set("Content-Type", "application/json")
		serve(s, r)
		// The fixture is a REST API event with a custom authorizer, API keys and a client
		// certificate; an HTTP API's 1.0 payload has a version, isBase64Encoded and the
		// principalOrgId identity field (the guide's example) instead.
		eventfixture.DiffKeys(t, eventfixture.KeyPaths(t, inv.last(t)), eventfixture.KeyPaths(t, eventfixture.Read(t, "apigw-request.json")),
			[]string{"requestContext.authorizer", "requestContext.identity.apiKey", "requestContext.identity.apiKeyId", "requestContext.identity.clientCert"},
			[]string{"version", "isBase64Encoded", "requestContext.identity.principalOrgId"})
	})
}

func TestCORS(t *testing.T) {
	maxAge := 300
	api := testAPI(lambdaRoute("GET /a", "2.0"))
	api.CORS = &model.CORS{AllowOrigins: []string{"https://example.com", "http://*"}, AllowMethods: []string{"GET", "POST"},
		AllowHeaders: []string{"content-type", "x-api"}, ExposeHeaders: []string{"x-id"}, AllowCredentials: true, MaxAge: &maxAge}
	inv := &fakeInvoker{respond: answer(`{"statusCode":200,"headers":{"access-control-allow-origin":"https://evil"},"body":"x"}`)}
	s := newTestServer(t, api, inv)
	for _, tc := range []struct {
		name       string
		method     string
		header     map[string]string
		wantStatus int
		want       map[string]string // "" means absent
	}{
		{"preflight without an OPTIONS route", "OPTIONS", map[string]string{"Origin": "https://example.com", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Content-Type"}, 204,
			map[string]string{"Access-Control-Allow-Origin": "https://example.com", "Access-Control-Allow-Methods": "GET,POST", "Access-Control-Allow-Headers": "content-type,x-api", "Access-Control-Max-Age": "300", "Access-Control-Allow-Credentials": "true"}},
		{"preflight from a wildcard scheme origin", "OPTIONS", map[string]string{"Origin": "http://localhost:8080", "Access-Control-Request-Method": "GET"}, 204,
			map[string]string{"Access-Control-Allow-Origin": "http://localhost:8080"}},
		{"preflight from another origin", "OPTIONS", map[string]string{"Origin": "https://other.com", "Access-Control-Request-Method": "GET"}, 204,
			map[string]string{"Access-Control-Allow-Origin": ""}},
		{"preflight for a method not allowed", "OPTIONS", map[string]string{"Origin": "https://example.com", "Access-Control-Request-Method": "DELETE"}, 204,
			map[string]string{"Access-Control-Allow-Origin": ""}},
		{"actual request: the integration's CORS headers are replaced", "GET", map[string]string{"Origin": "https://example.com"}, 200,
			map[string]string{"Access-Control-Allow-Origin": "https://example.com", "Access-Control-Expose-Headers": "x-id", "Access-Control-Allow-Credentials": "true"}},
		{"no Origin, no CORS headers", "GET", nil, 200, map[string]string{"Access-Control-Allow-Origin": ""}},
		{"plain OPTIONS is routed", "OPTIONS", map[string]string{"Origin": "https://example.com"}, 404, map[string]string{"Access-Control-Allow-Origin": "https://example.com"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/a", nil)
			for k, v := range tc.header {
				r.Header.Set(k, v)
			}
			resp := serve(s, r)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			for k, v := range tc.want {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestParameterMapping(t *testing.T) {
	r := lambdaRoute("POST /users/{id}", "2.0")
	r.Integration.RequestParameters = map[string]string{
		"append:header.header2":        "$request.header.header1",
		"remove:header.header1":        "''",
		"overwrite:header.x-mix":       "${request.path.id}-$context.stage-${stageVariables.env}",
		"append:header.x-body":         "$request.body.user.name",
		"overwrite:querystring.q":      "fixed",
		"remove:querystring.drop":      "",
		"append:querystring.fromquery": "$request.querystring.keep",
	}
	r.Integration.ResponseParameters = map[string]map[string]string{
		"500": {"overwrite:statuscode": "403", "append:header.header1": "$context.requestId"},
		"200": {"overwrite:header.x-from": "$response.header.x-up $response.body.n", "remove:header.x-secret": "''"},
	}
	inv := &fakeInvoker{respond: answer(`{"statusCode":200,"headers":{"x-up":"U","x-secret":"s"},"body":"{\"n\":5}"}`)}
	s := newTestServer(t, testAPI(r), inv)
	req := httptest.NewRequest("POST", "/prod/users/42?q=a&drop=1&keep=k", strings.NewReader(`{"user":{"name":"ann"}}`))
	req.Header.Set("Header1", "h1")
	req.Header.Set("Content-Type", "application/json")
	resp := serve(s, req)
	var ev struct {
		Headers        map[string]string `json:"headers"`
		RawQueryString string            `json:"rawQueryString"`
	}
	if err := json.Unmarshal(inv.last(t), &ev); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"header2": "h1", "header1": "", "x-mix": "42-prod-production", "x-body": "ann"} {
		if ev.Headers[k] != want {
			t.Errorf("event header %s = %q, want %q", k, ev.Headers[k], want)
		}
	}
	if ev.RawQueryString != "q=fixed&keep=k&fromquery=k" {
		t.Errorf("rawQueryString = %q", ev.RawQueryString)
	}
	if resp.StatusCode != 200 || resp.Header.Get("X-From") != "U 5" || resp.Header.Get("X-Secret") != "" {
		t.Errorf("response %d %v", resp.StatusCode, resp.Header)
	}

	inv.respond = answer(`{"statusCode":500,"body":"err"}`)
	resp = serve(s, httptest.NewRequest("POST", "/users/1", nil))
	if resp.StatusCode != 403 || resp.Header.Get("Header1") != resp.Header.Get("Apigw-Requestid") {
		t.Errorf("mapped 500: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestParameterMappingRejected(t *testing.T) {
	for _, params := range []map[string]string{
		{"append:header.authorization": "x"},
		{"overwrite:header.x-amz-date": "x"},
		{"overwrite:header.access-control-allow-origin": "x"},
		{"append:path": "x"},
		{"overwrite:body": "x"},
		{"append:header.x": "$response.header.y"},
	} {
		r := lambdaRoute("GET /a", "2.0")
		r.Integration.RequestParameters = params
		if _, err := New(testAPI(r), &fakeInvoker{}, Options{}); err == nil || !strings.Contains(err.Error(), `route "RGET /a"`) {
			t.Errorf("%v: error %v, want one naming the route", params, err)
		}
	}
}

func TestHTTPProxy(t *testing.T) {
	type seen struct {
		method, uri, body string
		header            http.Header
	}
	got := make(chan seen, 1)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.RequestURI, string(b), r.Header}
		w.Header().Set("X-Backend", "yes")
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, "from backend")
	}))
	defer backend.Close()
	host := strings.TrimPrefix(backend.URL, "http://")

	proxy := &model.Route{LogicalID: "P", Key: "ANY /svc/{proxy+}", Method: "ANY", Path: "/svc/{proxy+}", Integration: &model.Integration{
		LogicalID: "PI", Type: model.IntegrationHTTPProxy, Method: "ANY", URI: "http://${stageVariables.backend}:" + strings.Split(host, ":")[1] + "/base/{proxy}?fixed=1"}}
	def := &model.Route{LogicalID: "D", Key: "$default", Integration: &model.Integration{
		LogicalID: "DI", Type: model.IntegrationHTTPProxy, Method: "POST", URI: backend.URL}}
	s := newTestServer(t, testAPI(proxy, def), nil)

	for _, tc := range []struct {
		name, method, path  string
		wantMethod, wantURI string
	}{
		{"path variable and stage variable", "PUT", "/prod/svc/a/b%20c?x=1", "PUT", "/base/a/b%20c?fixed=1&x=1"},
		{"$default sends the full path with the integration method", "GET", "/store/checkout?y=2", "POST", "/store/checkout?y=2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.path, strings.NewReader("payload"))
			r.Header.Set("Connection", "close")
			r.Header.Set("X-Client", "c")
			resp := serve(s, r)
			if resp.StatusCode != http.StatusTeapot || body(t, resp) != "from backend" || resp.Header.Get("X-Backend") != "yes" {
				t.Fatalf("response %d %v", resp.StatusCode, resp.Header)
			}
			b := <-got
			if b.method != tc.wantMethod || b.uri != tc.wantURI || b.body != "payload" {
				t.Errorf("backend saw %s %s %q", b.method, b.uri, b.body)
			}
			if b.header.Get("X-Client") != "c" || b.header.Get("X-Forwarded-For") != "192.0.2.1" || b.header.Get("X-Forwarded-Proto") != "http" {
				t.Errorf("backend headers %v", b.header)
			}
		})
	}
}

func TestHTTPProxyFailures(t *testing.T) {
	block := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(block)
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	for _, tc := range []struct {
		name, uri  string
		wantStatus int
	}{
		{"timeout", slow.URL, 503},
		{"unreachable", closedURL, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			def := &model.Route{LogicalID: "D", Key: "$default", Integration: &model.Integration{
				LogicalID: "DI", Type: model.IntegrationHTTPProxy, URI: tc.uri, Timeout: 50 * time.Millisecond}}
			s := newTestServer(t, testAPI(def), nil)
			if resp := serve(s, httptest.NewRequest("GET", "/x", nil)); resp.StatusCode != tc.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.wantStatus)
			}
		})
	}
}

func TestThrottling(t *testing.T) {
	api := testAPI(lambdaRoute("GET /a", "2.0"), lambdaRoute("GET /b", "2.0"))
	api.Stages[0].DefaultRouteThrottle = &model.Throttle{RateLimit: 1, BurstLimit: 2}
	api.Stages[0].RouteThrottle = map[string]*model.Throttle{"GET /b": {RateLimit: 0, BurstLimit: 0}}
	now := testNow
	s, err := New(api, &fakeInvoker{}, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	statuses := func(path string, n int) []int {
		var out []int
		for range n {
			out = append(out, serve(s, httptest.NewRequest("GET", path, nil)).StatusCode)
		}
		return out
	}
	if got := statuses("/a", 3); !slices.Equal(got, []int{200, 200, 429}) {
		t.Errorf("burst of 2: %v", got)
	}
	now = now.Add(time.Second)
	if got := statuses("/a", 2); !slices.Equal(got, []int{200, 429}) {
		t.Errorf("after 1s at 1 rps: %v", got)
	}
	if got := statuses("/b", 1); !slices.Equal(got, []int{429}) {
		t.Errorf("zero limit: %v", got)
	}
	resp := serve(s, httptest.NewRequest("GET", "/b", nil))
	if b := body(t, resp); b != `{"message":"Too Many Requests"}` {
		t.Errorf("body %q", b)
	}
}

func BenchmarkServeV2(b *testing.B) {
	inv := &fakeInvoker{respond: answer(`{"statusCode":200,"headers":{"content-type":"text/plain"},"body":"hello"}`)}
	s := newTestServer(b, testAPI(lambdaRoute("GET /items/{id}", "2.0"), lambdaRoute("$default", "2.0")), inv)
	r := httptest.NewRequest("GET", "/items/42?x=1", nil)
	r.Header.Set("User-Agent", "bench")
	r.Header.Set("Accept", "*/*")
	t := Target{Stage: s.api.Stages[0], Path: "/items/42"}
	b.ReportAllocs()
	for b.Loop() {
		inv.payloads = inv.payloads[:0]
		inv.names = inv.names[:0]
		s.Serve(httptest.NewRecorder(), r, t)
	}
}
