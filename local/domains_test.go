package local

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// capturingInvoker answers like recordingInvoker (the event is the response body) and keeps
// every event, for routes whose answer the test cannot read (WebSocket $connect).
type capturingInvoker struct {
	mu     sync.Mutex
	events [][]byte
}

func (c *capturingInvoker) Invoke(ctx context.Context, fn string, payload []byte) (*lambdahost.Result, error) {
	c.mu.Lock()
	c.events = append(c.events, append([]byte(nil), payload...))
	c.mu.Unlock()
	return recordingInvoker{}.Invoke(ctx, fn, payload)
}

func (c *capturingInvoker) last() map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.events) == 0 {
		return nil
	}
	var ev map[string]any
	json.Unmarshal(c.events[len(c.events)-1], &ev)
	return ev
}

// domainModel has four APIs behind six custom domains:
//
//	api.example.com     (none) → h1 $default, orders → h2 v1, catalog → r1 prod   (TLS_1_0)
//	multi.example.com   the guide's multi-level example: (none) → h1 prod, orders → h2 v1,
//	                    orders/v1/items → r1 prod, orders/v2/items → h1 $default,
//	                    orders/v2/items/categories → h2 v1
//	*.example.com       (none) → h1 prod
//	chat.example.com    live → w1 dev (WebSocket)
//	keyed.example.com   only → h1 prod, and no empty mapping
//	secure.example.com  (none) → h1 $default, with mutual TLS
func domainModel(echoURL string) *model.Model {
	lambda := func(version string) *model.Integration {
		return &model.Integration{Type: model.IntegrationAWSProxy, Function: "fn", PayloadFormatVersion: version}
	}
	route := func(key string, in *model.Integration) *model.Route {
		r := &model.Route{LogicalID: "R", Key: key, Integration: in}
		if method, path, ok := strings.Cut(key, " "); ok {
			r.Method, r.Path = method, path
		}
		return r
	}
	ctxProxy := &model.Integration{Type: model.IntegrationHTTPProxy, URI: echoURL, Method: "GET", PayloadFormatVersion: "1.0",
		RequestParameters: map[string]string{
			"overwrite:header.x-base":   "$context.customDomain.basePathMatched",
			"overwrite:header.x-domain": "$context.domainName",
			"overwrite:header.x-prefix": "$context.domainPrefix",
		}}
	mock := &model.Method{HTTPMethod: "GET", Integration: &model.Integration{Type: model.IntegrationMock,
		RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
		IntegrationResponses: []*model.IntegrationResponse{{StatusCode: "200", ResponseTemplates: map[string]string{
			// Shaped like a proxy event, so eventSummary reads it too.
			"application/json": `{"path":"$context.path","requestContext":{"apiId":"$context.apiId","stage":"$context.stage","domainName":"$context.domainName","domainPrefix":"$context.domainPrefix"}}`}}}}}
	mapping := func(api, stage, key string) *model.APIMapping {
		return &model.APIMapping{LogicalID: "M" + key, API: api, Stage: stage, Key: key}
	}
	return &model.Model{Account: "123456789012", Region: "us-east-1",
		APIs: []*model.API{
			{Stack: "S", LogicalID: "H1", ID: "h1", Name: "one", Protocol: model.ProtocolHTTP,
				Stages: []*model.Stage{{Name: "$default"}, {Name: "prod"}},
				Routes: []*model.Route{route("GET /", lambda("2.0")), route("GET /hello", lambda("2.0")), route("ANY /{proxy+}", lambda("2.0"))}},
			{Stack: "S", LogicalID: "H2", ID: "h2", Name: "two", Protocol: model.ProtocolHTTP, DisableExecuteAPIEndpoint: true,
				Stages: []*model.Stage{{Name: "v1"}},
				Routes: []*model.Route{route("GET /", lambda("1.0")), route("GET /ctx", ctxProxy), route("ANY /{proxy+}", lambda("1.0"))}},
			{Stack: "S", LogicalID: "R1", ID: "r1", Name: "rest", Protocol: model.ProtocolREST,
				Stages: []*model.Stage{{Name: "prod"}},
				Resources: []*model.Resource{{Path: "/", Methods: []*model.Method{mock}},
					{Path: "/{proxy+}", Methods: []*model.Method{{HTTPMethod: "ANY", Integration: &model.Integration{Type: model.IntegrationAWSProxy, Function: "fn"}}}}}},
			{Stack: "S", LogicalID: "W1", ID: "w1", Name: "chat", Protocol: model.ProtocolWebSocket,
				RouteSelectionExpression: "$request.body.action", Stages: []*model.Stage{{Name: "dev"}},
				Routes: []*model.Route{route("$connect", lambda("")), route("$default", lambda(""))}},
		},
		Domains: []*model.Domain{
			{Stack: "S", LogicalID: "Api", Name: "api.example.com", SecurityPolicy: "TLS_1_0",
				Mappings: []*model.APIMapping{mapping("h2", "v1", "orders"), mapping("r1", "prod", "catalog"), mapping("h1", "$default", "")}},
			{Stack: "S", LogicalID: "Multi", Name: "multi.example.com", SecurityPolicy: "TLS_1_2",
				Mappings: []*model.APIMapping{mapping("h1", "prod", ""), mapping("h2", "v1", "orders"), mapping("r1", "prod", "orders/v1/items"),
					mapping("h1", "$default", "orders/v2/items"), mapping("h2", "v1", "orders/v2/items/categories")}},
			{Stack: "S", LogicalID: "Wild", Name: "*.example.com", Mappings: []*model.APIMapping{mapping("h1", "prod", "")}},
			{Stack: "S", LogicalID: "Chat", Name: "chat.example.com", Mappings: []*model.APIMapping{mapping("w1", "dev", "live")}},
			{Stack: "S", LogicalID: "Keyed", Name: "keyed.example.com", Mappings: []*model.APIMapping{mapping("h1", "prod", "only")}},
			{Stack: "S", LogicalID: "Secure", Name: "secure.example.com", TruststoreURI: "s3://bucket/truststore.pem",
				Mappings: []*model.APIMapping{mapping("h1", "$default", "")}},
		},
	}
}

// newDomainRunner assembles a runner for m without processes: every function answers with
// its event. The host exists for the @connections signature check.
func newDomainRunner(t testing.TB, m *model.Model, inv lambdahost.Invoker, opts Options) *Runner {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	if opts.Logger != nil {
		log = opts.Logger
	}
	host, err := lambdahost.New(lambdahost.Config{Functions: m.Functions, Account: m.Account, Region: m.Region, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{opts: opts, log: log, model: m, host: host, apis: map[string]*apiEntry{}, done: make(chan struct{})}
	client := &http.Client{Transport: &loopbackTransport{runner: r, next: http.DefaultTransport}}
	for _, api := range m.APIs {
		e, err := newAPIEntry(api, inv, client, m, log, opts, r.authorizeManagement)
		if err != nil {
			t.Fatal(err)
		}
		r.apis[api.ID] = e
	}
	r.ownNames = ownHostNames(opts.Host)
	if r.domains, err = buildDomainTable(m.Domains, r.apis, log); err != nil {
		t.Fatal(err)
	}
	if opts.TLS {
		if err := r.setupTLS(); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// listen serves r on 127.0.0.1 (and its TLS listener with opts.TLS) until the test ends.
func listen(t testing.TB, r *Runner) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if r.opts.TLS {
		tln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		r.serveTLS(tln)
	}
	r.serve(ln)
	t.Cleanup(func() { r.Close() })
}

// echoServer answers with the request's headers as JSON, for HTTP_PROXY integrations.
func echoServer(t testing.TB) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"headers": r.Header, "path": r.URL.Path})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// eventSummary pulls from an event (or a MOCK's answer) what the routing decided.
func eventSummary(ev map[string]any) (apiID, stage, path, domain, prefix string) {
	rc, _ := ev["requestContext"].(map[string]any)
	str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
	path = str(ev, "rawPath") // payload 2.0
	if path == "" {
		path = str(ev, "path") // 1.0, REST
	}
	return str(rc, "apiId"), str(rc, "stage"), path, str(rc, "domainName"), str(rc, "domainPrefix")
}

// TestDomainRouting is the table of Host and path to API, stage and the paths and names events
// report, with the guide's examples of single- and multi-level mappings.
func TestDomainRouting(t *testing.T) {
	r := newDomainRunner(t, domainModel(echoServer(t).URL), recordingInvoker{}, Options{})
	tests := []struct {
		name string
		host string // Host header
		path string // request path as sent
		// want: status, then for proxy events: API, stage, event path (2.0 rawPath, 1.0 and REST
		// path), requestContext.domainName and domainPrefix; for the router's own answers the
		// body.
		status                             int
		api, stage, evPath, domain, prefix string
		body                               string
	}{
		// api.example.com: single-level keys match whole segments.
		{"empty key takes the root", "api.example.com", "/", 200, "h1", "$default", "/", "api.example.com", "api", ""},
		{"empty key takes unmatched paths", "api.example.com", "/hello", 200, "h1", "$default", "/hello", "api.example.com", "api", ""},
		{"key: the stage is the mapping's, events keep the key", "api.example.com", "/orders/42", 200, "h2", "v1", "/orders/42", "api.example.com", "api", ""},
		{"key alone", "api.example.com", "/orders", 200, "h2", "v1", "/orders", "api.example.com", "api", ""},
		{"single-level: a longer segment is not the key", "api.example.com", "/ordersandmore", 200, "h1", "$default", "/ordersandmore", "api.example.com", "api", ""},
		{"REST: event path keeps the base path", "api.example.com", "/catalog/items/7", 200, "r1", "prod", "/catalog/items/7", "api.example.com", "api", ""},
		{"an API whose execute-api endpoint is off is served by its domain", "api.example.com:3000", "/orders/x", 200, "h2", "v1", "/orders/x", "api.example.com", "api", ""},
		{"Host is case-insensitive, trailing dot ignored", "API.Example.COM.", "/orders/x", 200, "h2", "v1", "/orders/x", "api.example.com", "api", ""},
		{"percent-encoded key", "api.example.com", "/%6Frders/x", 200, "h2", "v1", "/%6Frders/x", "api.example.com", "api", ""},

		// multi.example.com: the guide's table for multi-level mappings.
		{"guide: orders", "multi.example.com", "/orders", 200, "h2", "v1", "/orders", "multi.example.com", "multi", ""},
		{"guide: orders/v1/items", "multi.example.com", "/orders/v1/items", 200, "r1", "prod", "/orders/v1/items", "multi.example.com", "multi", ""},
		{"guide: orders/v2/items", "multi.example.com", "/orders/v2/items", 200, "h1", "$default", "/orders/v2/items", "multi.example.com", "multi", ""},
		{"guide: orders/v1/items/123", "multi.example.com", "/orders/v1/items/123", 200, "r1", "prod", "/orders/v1/items/123", "multi.example.com", "multi", ""},
		{"guide: orders/v2/items/categories/5", "multi.example.com", "/orders/v2/items/categories/5", 200, "h2", "v1", "/orders/v2/items/categories/5", "multi.example.com", "multi", ""},
		{"guide: customers goes to the empty mapping", "multi.example.com", "/customers", 200, "h1", "prod", "/customers", "multi.example.com", "multi", ""},
		{"guide: ordersandmore takes the longest prefix", "multi.example.com", "/ordersandmore", 200, "h2", "v1", "/ordersandmore", "multi.example.com", "multi", ""},

		// Wildcards, aliases.
		{"wildcard: one label deeper", "tenant1.example.com", "/hello", 200, "h1", "prod", "/hello", "tenant1.example.com", "tenant1", ""},
		{"an exact name wins over the wildcard", "keyed.example.com", "/only/x", 200, "h1", "prod", "/only/x", "keyed.example.com", "keyed", ""},
		{"*.localhost alias reports the real name", "api.example.com.localhost:3000", "/orders/1", 200, "h2", "v1", "/orders/1", "api.example.com", "api", ""},
		{"*.localhost alias of a wildcard", "t2.example.com.localhost", "/", 200, "h1", "prod", "/", "t2.example.com", "t2", ""},

		// What API Gateway refuses.
		{"wildcard: two labels deeper is unknown", "a.b.example.com", "/", 403, "", "", "", "", "", `{"message":"Forbidden"}`},
		{"the wildcard's parent is unknown", "example.com", "/", 403, "", "", "", "", "", `{"message":"Forbidden"}`},
		{"unknown host", "shop.test", "/h1/hello", 403, "", "", "", "", "", `{"message":"Forbidden"}`},
		{"no mapping matches and no empty mapping", "keyed.example.com", "/other", 403, "", "", "", "", "", `{"message":"Forbidden"}`},
		{"key must be a whole segment", "keyed.example.com", "/onlyx", 403, "", "", "", "", "", `{"message":"Forbidden"}`},
		{"WebSocket: the mapping's path only", "chat.example.com", "/live/other", 403, "", "", "", "", "", `{"message":"Forbidden"}`},
		{"WebSocket: no mapping", "chat.example.com", "/dev", 403, "", "", "", "", "", `{"message":"Forbidden"}`},

		// The runner's own addresses still route by path.
		{"path addressing on 127.0.0.1", "127.0.0.1:3000", "/h1/prod/hello", 200, "h1", "prod", "/prod/hello", "h1.execute-api.localhost", "h1", ""},
		{"path addressing on localhost", "localhost:3000", "/h1/hello", 200, "h1", "$default", "/hello", "h1.execute-api.localhost", "h1", ""},
		{"path addressing on [::1]", "[::1]:3000", "/h1/hello", 200, "h1", "$default", "/hello", "h1.execute-api.localhost", "h1", ""},
		{"execute-api host", "h1.execute-api.localhost", "/prod/hello", 200, "h1", "prod", "/prod/hello", "h1.execute-api.localhost", "h1", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "http://127.0.0.1"+tc.path, nil)
			req.Host = tc.host
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tc.status, rec.Body)
			}
			if tc.body != "" {
				if rec.Body.String() != tc.body {
					t.Errorf("body = %s, want %s", rec.Body, tc.body)
				}
				return
			}
			var ev map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &ev); err != nil {
				t.Fatalf("event: %v: %s", err, rec.Body)
			}
			api, stage, path, domain, prefix := eventSummary(ev)
			got := strings.Join([]string{api, stage, path, domain, prefix}, " | ")
			want := strings.Join([]string{tc.api, tc.stage, tc.evPath, tc.domain, tc.prefix}, " | ")
			if got != want {
				t.Errorf("api | stage | path | domainName | domainPrefix =\n  %s\nwant\n  %s", got, want)
			}
		})
	}
}

// TestDomainRoutesOnStrippedPath: the API's routes and resources see the path without the
// key (the route key, REST resource and proxy parameter tell), while events report it whole.
func TestDomainRoutesOnStrippedPath(t *testing.T) {
	r := newDomainRunner(t, domainModel(echoServer(t).URL), recordingInvoker{}, Options{})
	get := func(host, path string) map[string]any {
		t.Helper()
		req := httptest.NewRequest("GET", "http://127.0.0.1"+path, nil)
		req.Host = host
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		var ev map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &ev); err != nil || rec.Code != 200 {
			t.Fatalf("GET %s%s: %d %s", host, path, rec.Code, rec.Body)
		}
		return ev
	}
	for _, tc := range []struct {
		host, path string
		field      string // what shows the matched route
		want       string
	}{
		{"api.example.com", "/hello", "routeKey", "GET /hello"},
		{"multi.example.com", "/orders/v2/items/hello", "routeKey", "GET /hello"}, // key orders/v2/items → h1
		{"multi.example.com", "/orders/v2/items", "routeKey", "GET /"},
		{"api.example.com", "/orders/a/b", "resource", "/{proxy+}"},
		{"api.example.com", "/catalog/items/7", "resource", "/{proxy+}"},
		{"multi.example.com", "/ordersandmore", "resource", "/{proxy+}"},
	} {
		ev := get(tc.host, tc.path)
		if got, _ := ev[tc.field].(string); got != tc.want {
			t.Errorf("%s%s: %s = %q, want %q", tc.host, tc.path, tc.field, got, tc.want)
		}
	}
	// The proxy parameter is what follows the key; for the longest-prefix rule's cut inside a
	// segment, what follows it in that segment.
	for _, tc := range []struct{ host, path, proxy string }{
		{"api.example.com", "/catalog/items/7", "items/7"},
		{"api.example.com", "/orders/a/b", "a/b"},
		{"multi.example.com", "/ordersandmore", "andmore"},
	} {
		pp, _ := get(tc.host, tc.path)["pathParameters"].(map[string]any)
		if pp["proxy"] != tc.proxy {
			t.Errorf("%s%s: pathParameters.proxy = %v, want %q", tc.host, tc.path, pp["proxy"], tc.proxy)
		}
	}
	// A REST API's requestContext.path through a domain is the path as sent, without a stage.
	rc, _ := get("api.example.com", "/catalog/items/7")["requestContext"].(map[string]any)
	if rc["path"] != "/catalog/items/7" || rc["resourcePath"] != "/{proxy+}" {
		t.Errorf("REST requestContext.path = %v, resourcePath = %v", rc["path"], rc["resourcePath"])
	}
}

// TestDomainContextVariables: $context.domainName, domainPrefix and (HTTP APIs)
// customDomain.basePathMatched in parameter mappings and REST templates.
func TestDomainContextVariables(t *testing.T) {
	r := newDomainRunner(t, domainModel(echoServer(t).URL), recordingInvoker{}, Options{})
	for _, tc := range []struct{ host, path, domain, prefix, base string }{
		{"api.example.com", "/orders/ctx", "api.example.com", "api", "orders"},
		{"multi.example.com", "/orders/v2/items/categories/ctx", "multi.example.com", "multi", "orders/v2/items/categories"},
		{"api.example.com.localhost", "/orders/ctx", "api.example.com", "api", "orders"},
	} {
		req := httptest.NewRequest("GET", "http://127.0.0.1"+tc.path, nil)
		req.Host = tc.host
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		var echo struct{ Headers http.Header }
		if err := json.Unmarshal(rec.Body.Bytes(), &echo); err != nil || rec.Code != 200 {
			t.Fatalf("%s%s: %d %s", tc.host, tc.path, rec.Code, rec.Body)
		}
		got := []string{echo.Headers.Get("X-Domain"), echo.Headers.Get("X-Prefix"), echo.Headers.Get("X-Base")}
		if want := []string{tc.domain, tc.prefix, tc.base}; strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s%s: domainName, domainPrefix, basePathMatched = %q, want %q", tc.host, tc.path, got, want)
		}
	}

	// A REST MOCK's template through a domain: the mapping's stage, the path as sent.
	req := httptest.NewRequest("GET", "http://127.0.0.1/catalog", nil)
	req.Host = "api.example.com"
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	if want := `{"path":"/catalog","requestContext":{"apiId":"r1","stage":"prod","domainName":"api.example.com","domainPrefix":"api"}}`; rec.Body.String() != want {
		t.Errorf("REST template through a domain = %d %s, want %s", rec.Code, rec.Body, want)
	}
}

// TestMultiLevelHeaderNames: through a domain with multi-level mappings API Gateway passes
// header names in lower case; elsewhere a REST API keeps the client's spelling.
func TestMultiLevelHeaderNames(t *testing.T) {
	r := newDomainRunner(t, domainModel(echoServer(t).URL), recordingInvoker{}, Options{})
	headers := func(host, path string) map[string]any {
		req := httptest.NewRequest("GET", "http://127.0.0.1"+path, nil)
		req.Host = host
		req.Header.Set("X-Custom-Thing", "1")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		var ev map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &ev); err != nil {
			t.Fatalf("%s%s: %d %s", host, path, rec.Code, rec.Body)
		}
		h, _ := ev["headers"].(map[string]any)
		return h
	}
	multi := headers("multi.example.com", "/orders/v1/items/123") // REST, multi-level domain
	for _, name := range []string{"x-custom-thing", "host", "x-forwarded-for", "x-forwarded-proto"} {
		if _, ok := multi[name]; !ok {
			t.Errorf("multi-level domain: header %q missing; headers %v", name, multi)
		}
	}
	for name := range multi {
		if name != strings.ToLower(name) {
			t.Errorf("multi-level domain: header %q is not lower case", name)
		}
	}
	single := headers("api.example.com", "/catalog/items/7") // REST, single-level domain
	if _, ok := single["X-Custom-Thing"]; !ok {
		t.Errorf("single-level domain: the client's spelling X-Custom-Thing is gone: %v", single)
	}
}

// TestDomainTableRefusesConflicts: what API Gateway would refuse to create never reaches the
// routing table, and says why.
func TestDomainTableRefusesConflicts(t *testing.T) {
	m := domainModel("http://127.0.0.1:1")
	r := newDomainRunner(t, m, recordingInvoker{}, Options{})
	mp := func(api, stage, key string) *model.APIMapping {
		return &model.APIMapping{LogicalID: "M" + strings.ReplaceAll(key, "/", ""), API: api, Stage: stage, Key: key}
	}
	for _, tc := range []struct {
		name    string
		domains []*model.Domain
		want    string
	}{
		{"two mappings with one key", []*model.Domain{{Name: "a.test", LogicalID: "A", Mappings: []*model.APIMapping{mp("h1", "prod", "x"), mp("h2", "v1", "/x/")}}}, `both use the key "x"`},
		{"two empty mappings", []*model.Domain{{Name: "a.test", LogicalID: "A", Mappings: []*model.APIMapping{mp("h1", "prod", ""), mp("h2", "v1", "")}}}, `both use the key ""`},
		{"a name declared twice", []*model.Domain{{Name: "a.test", LogicalID: "A"}, {Name: "A.test", LogicalID: "B"}}, "declared twice"},
		{"a wildcard declared twice", []*model.Domain{{Name: "*.a.test", LogicalID: "A"}, {Name: "*.a.test", LogicalID: "B"}}, "declared twice"},
		{"WebSocket beside HTTP", []*model.Domain{{Name: "a.test", LogicalID: "A", Mappings: []*model.APIMapping{mp("h1", "prod", "x"), mp("w1", "dev", "y")}}}, "WebSocket API and the HTTP or REST API"},
		{"multi-level WebSocket key", []*model.Domain{{Name: "a.test", LogicalID: "A", Mappings: []*model.APIMapping{mp("w1", "dev", "a/b")}}}, "multi-level key"},
		{"a wildcard inside a name", []*model.Domain{{Name: "a.*.test", LogicalID: "A"}}, "whole first label"},
		{"a bare wildcard", []*model.Domain{{Name: "*.", LogicalID: "A"}}, "whole first label"},
		{"no name", []*model.Domain{{LogicalID: "A"}}, "has no name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := buildDomainTable(tc.domains, r.apis, slog.New(slog.DiscardHandler))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}

	// A mapping to an API or stage the runner does not serve is left out (with a warning),
	// and its requests get 403.
	var logged strings.Builder
	tbl, err := buildDomainTable([]*model.Domain{{Name: "a.test", LogicalID: "A", Mappings: []*model.APIMapping{mp("nope", "prod", "x"), mp("h1", "staging", "y")}}},
		r.apis, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := tbl.lookup("a.test"); d == nil || len(d.bySegment) != 0 || d.root != nil {
		t.Errorf("unservable mappings were kept: %+v", d)
	}
	if !strings.Contains(logged.String(), "names an API this assembly does not serve") || !strings.Contains(logged.String(), "names a stage the API does not have") {
		t.Errorf("log = %s", logged.String())
	}
}

// TestUnknownHostIsLogged: the 403 for an unknown name comes with one log line naming the
// domains the assembly has.
func TestUnknownHostIsLogged(t *testing.T) {
	var logged strings.Builder
	r := newDomainRunner(t, domainModel("http://127.0.0.1:1"), recordingInvoker{}, Options{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	for range 3 {
		req := httptest.NewRequest("GET", "http://127.0.0.1/x", nil)
		req.Host = "shop.test"
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		if rec.Code != 403 || rec.Body.String() != `{"message":"Forbidden"}` {
			t.Fatalf("unknown host: %d %s", rec.Code, rec.Body)
		}
	}
	if n := strings.Count(logged.String(), "shop.test is not a custom domain name of this assembly"); n != 1 {
		t.Errorf("logged %d times, want once:\n%s", n, logged.String())
	}
	if !strings.Contains(logged.String(), "api.example.com") {
		t.Errorf("the log line does not name the assembly's domains: %s", logged.String())
	}
}

// TestDomainServesHost: handlers' requests to the assembly's domains (a @connections callback
// through a domain) go to the runner through the egress proxy and the loopback transport.
func TestDomainServesHost(t *testing.T) {
	r := newDomainRunner(t, domainModel("http://127.0.0.1:1"), recordingInvoker{}, Options{})
	for host, want := range map[string]bool{
		"api.example.com":           true,
		"tenant.example.com":        true,
		"api.example.com.localhost": true,
		"a.b.example.com":           false,
		"example.org":               false,
	} {
		if got := r.servesHost(host); got != want {
			t.Errorf("servesHost(%q) = %v, want %v", host, got, want)
		}
	}
	client := &http.Client{Transport: &loopbackTransport{runner: r, next: http.DefaultTransport}}
	resp, err := client.Get("https://api.example.com/orders/7")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"domainName":"api.example.com"`) {
		t.Errorf("in-process call through a domain = %d %s", resp.StatusCode, body)
	}
}

func FuzzDomainRouting(f *testing.F) {
	r := newDomainRunner(f, domainModel("http://127.0.0.1:1"), recordingInvoker{}, Options{})
	for _, host := range []string{"api.example.com", "multi.example.com", "x.example.com", "chat.example.com.localhost", "keyed.example.com", "[::1]", "a..example.com", ".example.com", "*.example.com"} {
		for _, path := range []string{"/", "", "/orders", "/orders/v1/items/x", "/ordersandmore", "/%6F", "/live/@connections/abc", "//", "/%zz", "/o"} {
			f.Add(host, path)
		}
	}
	f.Fuzz(func(t *testing.T, host, path string) {
		req, err := http.NewRequest("GET", "http://127.0.0.1:3000/", nil)
		if err != nil {
			t.Skip()
		}
		req.Host = host
		req.URL.Path = path
		req.URL.RawPath = ""
		req.Body = http.NoBody // as a server's requests always have
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req) // must not panic, and must answer
		if rec.Code == 0 {
			t.Fatal("no status")
		}
		// The table's own invariants: whatever matches strips to a path.
		if d, _ := r.domains.lookup(hostname(host)); d != nil {
			if m, rest := d.match(req.URL.EscapedPath()); m != nil && !strings.HasPrefix(rest, "/") {
				t.Fatalf("match(%q) left %q", req.URL.EscapedPath(), rest)
			}
		}
	})
}
