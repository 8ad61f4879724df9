package integ

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatehouse-dev/gatehouse/local"
)

// exampleAPI is the example app's HTTP API as the runner serves it.
func exampleAPI(t *testing.T) local.APIInfo {
	t.Helper()
	api, ok := runner.APIByName("gatehouse-example")
	if !ok {
		t.Fatalf("the runner serves no API named gatehouse-example; it serves %+v", runner.APIs())
	}
	return api
}

func stageURL(t *testing.T, stage string) string {
	t.Helper()
	s, ok := exampleAPI(t).Stage(stage)
	if !ok {
		t.Fatalf("no stage %q", stage)
	}
	return s.URL
}

type result struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, method, u string, body string, header map[string]string) result {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if strings.EqualFold(k, "host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return result{resp.StatusCode, resp.Header, string(b)}
}

func TestExampleIsServedWithoutWarnings(t *testing.T) {
	api := exampleAPI(t)
	if api.Protocol != "HTTP" || api.Stack != "GatehouseHttpExample" {
		t.Errorf("API = %+v", api)
	}
	if len(api.Stages) != 2 {
		t.Errorf("stages = %+v, want $default and dev", api.Stages)
	}
	want := []string{"GET /hello", "GET /items/{id}", "POST /items", "ANY /legacy/{proxy+}", "ANY /echo/{proxy+}", "ANY /echo1/{proxy+}", "$default", "GET /proxied/{proxy+}", "GET /chat"}
	if strings.Join(api.Routes, ",") != strings.Join(want, ",") {
		t.Errorf("routes = %q, want %q", api.Routes, want)
	}
	// Every resource of the example app is one the runner serves faithfully, but for the
	// authorizer example's Cognito user pool and its resource server: the runner verifies the
	// pool's tokens, does not emulate sign-in, and says so, once for each.
	var other, cognito []string
	for _, w := range runner.Warnings() {
		if strings.Contains(w, `stack "GatehouseAuthExample"`) && strings.Contains(w, "(AWS::Cognito::") {
			cognito = append(cognito, w)
		} else {
			other = append(other, w)
		}
	}
	if len(other) != 0 || len(cognito) != 2 {
		t.Errorf("warnings for the example app: %q; want only the two about the authorizer example's Cognito resources, got %q", other, cognito)
	}
}

// TestExampleRoutes drives every route of the example through both stages and both ways of
// addressing an API, asserting on what API Gateway would answer.
func TestExampleRoutes(t *testing.T) {
	api := exampleAPI(t)
	def, dev := stageURL(t, "$default"), stageURL(t, "dev")
	u, _ := url.Parse(runner.URL())
	hostHeader := api.ID + ".execute-api.localhost:" + u.Port()

	tests := []struct {
		name       string
		method     string
		url        string
		body       string
		header     map[string]string
		wantStatus int
		wantHeader map[string]string // exact values
		wantBody   []string          // substrings
	}{
		{"2.0 response without statusCode is a 200 JSON body", "GET", def + "/hello", "", nil,
			200, map[string]string{"Content-Type": "application/json"}, []string{`"message":"hello"`, `"stage":"$default"`}},
		{"named stage with its stage variable", "GET", dev + "/hello", "", nil,
			200, nil, []string{`"message":"hello from dev"`, `"stage":"dev"`, `"path":"/dev/hello"`}},
		{"Host header addressing, named stage", "GET", runner.URL() + "/dev/hello", "", map[string]string{"Host": hostHeader},
			200, nil, []string{`"message":"hello from dev"`}},
		{"Host header addressing, $default stage", "GET", runner.URL() + "/hello", "", map[string]string{"Host": hostHeader},
			200, nil, []string{`"stage":"$default"`}},
		{"path parameter", "GET", def + "/items/1", "", nil,
			200, nil, []string{`"id":"1"`}},
		{"handler's own 404", "GET", def + "/items/404", "", nil,
			404, nil, []string{`item not found`}},
		{"payload 1.0 with multi-value headers", "GET", def + "/legacy/a/b", "", nil,
			200, nil, []string{`"resource":"/legacy/{proxy+}"`, `"proxy":"a/b"`}},
		{"unmatched method falls to $default", "DELETE", def + "/hello", "", nil,
			200, nil, []string{`"routeKey":"$default"`}},
		{"HTTP proxy integration to the API's own dev stage, with response mapping", "GET", def + "/proxied/hello", "", nil,
			200, map[string]string{"X-Gatehouse-Mapped": "yes"}, []string{`"message":"hello from dev"`}},
		{"unknown API id", "GET", runner.URL() + "/nosuchapi0/hello", "", nil,
			404, map[string]string{"Content-Type": "application/json"}, []string{`{"message":"Not Found"}`}},
		{"CORS preflight answered by API Gateway itself", "OPTIONS", def + "/items/1", "",
			map[string]string{"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"},
			204, map[string]string{"Access-Control-Allow-Origin": "http://localhost:5173", "Access-Control-Max-Age": "600"}, nil},
		{"CORS headers on an integration response", "GET", def + "/hello", "", map[string]string{"Origin": "http://localhost:5173"},
			200, map[string]string{"Access-Control-Allow-Origin": "http://localhost:5173", "Access-Control-Expose-Headers": "location"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := do(t, tc.method, tc.url, tc.body, tc.header)
			if got.status != tc.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", got.status, tc.wantStatus, got.body)
			}
			if got.header.Get("Apigw-Requestid") == "" {
				t.Errorf("no apigw-requestid header: %v", got.header)
			}
			for k, v := range tc.wantHeader {
				if g := strings.Join(got.header.Values(k), ","); g != v {
					t.Errorf("header %s = %q, want %q", k, g, v)
				}
			}
			for _, s := range tc.wantBody {
				if !strings.Contains(got.body, s) {
					t.Errorf("body %s does not contain %s", got.body, s)
				}
			}
		})
	}
}

func TestMultiValueHeadersFromPayload10(t *testing.T) {
	got := do(t, "GET", stageURL(t, "$default")+"/legacy/x", "", nil)
	if v := got.header.Values("X-Legacy"); strings.Join(v, ",") != "one,two" {
		t.Errorf("X-Legacy = %q, want [one two]", v)
	}
}

// TestEventPayload20 asserts on the event the echo handler received, decoded into the
// aws-lambda-go type a Go handler uses.
func TestEventPayload20(t *testing.T) {
	got := do(t, "POST", stageURL(t, "dev")+"/echo/a%20b/c?x=1&x=2&y=z", `{"k":"v"}`, map[string]string{
		"Content-Type": "application/json",
		"Cookie":       "c1=v1; c2=v2",
		"X-Custom":     "hello",
	})
	if got.status != 200 {
		t.Fatalf("status %d: %s", got.status, got.body)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal([]byte(got.body), &ev); err != nil {
		t.Fatalf("the event does not decode into events.APIGatewayV2HTTPRequest: %v\n%s", err, got.body)
	}
	api := exampleAPI(t)
	checks := []struct{ name, got, want string }{
		{"version", ev.Version, "2.0"},
		{"routeKey", ev.RouteKey, "ANY /echo/{proxy+}"},
		{"rawPath", ev.RawPath, "/dev/echo/a%20b/c"},
		{"rawQueryString", ev.RawQueryString, "x=1&x=2&y=z"},
		{"queryStringParameters.x", ev.QueryStringParameters["x"], "1,2"},
		{"pathParameters.proxy", ev.PathParameters["proxy"], "a b/c"},
		{"stageVariables.greeting", ev.StageVariables["greeting"], "hello from dev"},
		{"headers.x-custom", ev.Headers["x-custom"], "hello"},
		{"cookies", strings.Join(ev.Cookies, "|"), "c1=v1|c2=v2"},
		{"body", ev.Body, `{"k":"v"}`},
		{"requestContext.stage", ev.RequestContext.Stage, "dev"},
		{"requestContext.apiId", ev.RequestContext.APIID, api.ID},
		{"requestContext.domainPrefix", ev.RequestContext.DomainPrefix, api.ID},
		{"requestContext.domainName", ev.RequestContext.DomainName, api.ID + ".execute-api.localhost"},
		{"requestContext.http.method", ev.RequestContext.HTTP.Method, "POST"},
		{"requestContext.http.path", ev.RequestContext.HTTP.Path, "/dev/echo/a%20b/c"},
		{"requestContext.http.sourceIp", ev.RequestContext.HTTP.SourceIP, "127.0.0.1"},
		{"requestContext.accountId", ev.RequestContext.AccountID, "123456789012"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if ev.IsBase64Encoded {
		t.Error("a JSON body was base64-encoded")
	}
	if ev.RequestContext.RequestID == "" || ev.RequestContext.RequestID != got.header.Get("Apigw-Requestid") {
		t.Errorf("requestId %q does not match the apigw-requestid header %q", ev.RequestContext.RequestID, got.header.Get("Apigw-Requestid"))
	}
	if ev.RequestContext.TimeEpoch == 0 || ev.RequestContext.Time == "" {
		t.Errorf("request time not set: %+v", ev.RequestContext)
	}
}

func TestEventPayload10(t *testing.T) {
	got := do(t, "GET", stageURL(t, "dev")+"/echo1/p/q?m=1&m=2", "", map[string]string{"X-Multi": "a"})
	if got.status != 200 {
		t.Fatalf("status %d: %s", got.status, got.body)
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal([]byte(got.body), &ev); err != nil {
		t.Fatalf("the event does not decode into events.APIGatewayProxyRequest: %v\n%s", err, got.body)
	}
	var raw map[string]any
	json.Unmarshal([]byte(got.body), &raw)
	if raw["version"] != "1.0" {
		t.Errorf("version = %v, want 1.0", raw["version"])
	}
	checks := []struct{ name, got, want string }{
		{"resource", ev.Resource, "/echo1/{proxy+}"},
		{"path", ev.Path, "/dev/echo1/p/q"},
		{"httpMethod", ev.HTTPMethod, "GET"},
		{"pathParameters.proxy", ev.PathParameters["proxy"], "p/q"},
		{"multiValueQueryStringParameters.m", strings.Join(ev.MultiValueQueryStringParameters["m"], ","), "1,2"},
		{"multiValueHeaders.x-multi", strings.Join(ev.MultiValueHeaders["x-multi"], ","), "a"},
		{"stageVariables.greeting", ev.StageVariables["greeting"], "hello from dev"},
		{"requestContext.stage", ev.RequestContext.Stage, "dev"},
		{"requestContext.resourcePath", ev.RequestContext.ResourcePath, "/echo1/{proxy+}"},
		{"requestContext.identity.sourceIp", ev.RequestContext.Identity.SourceIP, "127.0.0.1"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestItemsCreateThenRead(t *testing.T) {
	def := stageURL(t, "$default")
	created := do(t, "POST", def+"/items", `{"name":"lamp"}`, map[string]string{"Content-Type": "application/json"})
	if created.status != 201 {
		t.Fatalf("POST /items = %d: %s", created.status, created.body)
	}
	loc := created.header.Get("Location")
	if !strings.HasPrefix(loc, "/items/") {
		t.Fatalf("Location = %q", loc)
	}
	if c := created.header.Get("Set-Cookie"); !strings.HasPrefix(c, "last-item=") {
		t.Errorf("Set-Cookie = %q: cookies from a 2.0 response become Set-Cookie headers", c)
	}
	// Warm instances keep their memory, as in Lambda: the same instance (or one of its peers
	// that saw the write) answers. With one request at a time, the warm instance is reused.
	got := do(t, "GET", def+loc, "", nil)
	if got.status != 200 || !strings.Contains(got.body, `"name":"lamp"`) {
		t.Errorf("GET %s = %d %s", loc, got.status, got.body)
	}
}

// TestRouteThrottling: the dev stage limits POST /items to 10 requests a second with bursts of
// 5, so 20 requests in quick succession see 429s with API Gateway's body.
func TestRouteThrottling(t *testing.T) {
	dev := stageURL(t, "dev")
	var mu sync.Mutex
	statuses := map[int]int{}
	var bodies []string
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got := do(t, "POST", dev+"/items", `{"name":"x"}`, map[string]string{"Content-Type": "application/json"})
			mu.Lock()
			statuses[got.status]++
			if got.status == 429 {
				bodies = append(bodies, got.body)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[429] == 0 || statuses[201] == 0 || statuses[201] > 15 {
		t.Fatalf("statuses = %v, want some 201s (at most 15) and some 429s", statuses)
	}
	if bodies[0] != `{"message":"Too Many Requests"}` {
		t.Errorf("429 body = %s", bodies[0])
	}
}
