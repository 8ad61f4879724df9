package authorizer

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

func restAPI(a *model.Authorizer) *model.API {
	return &model.API{ID: "abc", LogicalID: "Api", Protocol: model.ProtocolREST, Authorizers: map[string]*model.Authorizer{a.LogicalID: a}}
}

func restRequest(method, path, token string) *Request {
	h := map[string][]string{}
	if token != "" {
		h["Authorization"] = []string{token}
	}
	return &Request{Protocol: model.ProtocolREST, Method: method, Path: path, Resource: path, Stage: "prod", Header: h,
		Context: RequestContext{RequestID: "r-1", Time: testNow}}
}

func tokenAuthorizer(ttl time.Duration) *model.Authorizer {
	return &model.Authorizer{LogicalID: "Tok", Name: "tok", Type: model.AuthorizerToken, Function: "authfn",
		IdentitySource: []string{"method.request.header.Authorization"}, ResultTTL: ttl}
}

// TestLambdaOutcomes: one request per row against a TOKEN authorizer whose function answers
// as the row says; the status, response type and whether the function ran.
func TestLambdaOutcomes(t *testing.T) {
	allowAll := policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:abc/*/GET/*")
	cases := []struct {
		name    string
		token   string
		respond func([]byte) (*lambdahost.Result, error)
		status  int    // 0: allowed
		rtype   string // gateway response type of the refusal
		invoked bool
	}{
		{"allow", "t", answering(allowAll), 0, "", true},
		{"explicit deny", "t", answering(policy("Deny", "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/pets")), 403, TypeAccessDenied, true},
		{"policy for another method: implicit deny", "t", answering(policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:abc/prod/POST/pets")), 403, TypeAccessDenied, true},
		{"wildcard stage and method", "t", answering(policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:abc/*/*")), 0, "", true},
		{"no token: 401 without invoking", "", answering(allowAll), 401, TypeUnauthorized, false},
		{"function says Unauthorized", "t", func([]byte) (*lambdahost.Result, error) {
			return &lambdahost.Result{FunctionError: &lambdahost.FunctionError{Type: "Error", Message: "Unauthorized"}}, nil
		}, 401, TypeUnauthorized, true},
		{"function crashes", "t", func([]byte) (*lambdahost.Result, error) {
			return &lambdahost.Result{FunctionError: &lambdahost.FunctionError{Type: "Runtime.ExitError", Message: "exit status 2"}}, nil
		}, 500, TypeAuthorizerConfigurationError, true},
		{"function times out", "t", func([]byte) (*lambdahost.Result, error) {
			return &lambdahost.Result{FunctionError: &lambdahost.FunctionError{Type: "Sandbox.Timedout", Message: "Unauthorized", Timeout: true}}, nil
		}, 500, TypeAuthorizerConfigurationError, true},
		{"invoke fails", "t", func([]byte) (*lambdahost.Result, error) { return nil, lambdahost.ErrThrottled }, 500, TypeAuthorizerConfigurationError, true},
		{"malformed: not JSON", "t", answering(`allow`), 500, TypeAuthorizerConfigurationError, true},
		{"malformed: no policy", "t", answering(`{"principalId":"u"}`), 500, TypeAuthorizerConfigurationError, true},
		{"malformed: bad effect", "t", answering(`{"principalId":"u","policyDocument":{"Statement":[{"Action":"execute-api:Invoke","Effect":"allow","Resource":"*"}]}}`), 500, TypeAuthorizerConfigurationError, true},
		{"malformed: object in REST context", "t", answering(`{"principalId":"u","policyDocument":{"Statement":{"Action":"*","Effect":"Allow","Resource":"*"}},"context":{"m":{"a":1}}}`), 500, TypeAuthorizerConfigurationError, true},
		{"single statement object, string action", "t", answering(`{"principalId":"u","policyDocument":{"Statement":{"Action":"execute-api:*","Effect":"Allow","Resource":"*"}}}`), 0, "", true},
		{"conditional allow grants nothing", "t", answering(`{"principalId":"u","policyDocument":{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"1.2.3.4"}}}]}}`), 403, TypeAccessDenied, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := &fakeInvoker{respond: tc.respond}
			s := newTestSet(t, restAPI(tokenAuthorizer(0)), inv, nil)
			d := s.Authorize(context.Background(), model.AuthorizationCustom, "Tok", nil, restRequest("GET", "/pets", tc.token))
			switch {
			case tc.status == 0 && d.Refusal != nil:
				t.Fatalf("refused: %+v", d.Refusal)
			case tc.status != 0 && d.Refusal == nil:
				t.Fatalf("allowed, want %d", tc.status)
			case tc.status != 0 && (d.Refusal.Status != tc.status || d.Refusal.ResponseType != tc.rtype):
				t.Fatalf("refusal %d %s (%s), want %d %s", d.Refusal.Status, d.Refusal.ResponseType, d.Refusal.Reason, tc.status, tc.rtype)
			}
			if got := inv.count() > 0; got != tc.invoked {
				t.Errorf("invoked: %v, want %v", got, tc.invoked)
			}
			if d.Refusal != nil && (d.Refusal.Authorizer != "tok" || d.Refusal.Reason == "" || len(d.Refusal.Body) == 0) {
				t.Errorf("refusal without authorizer, reason or body: %+v", d.Refusal)
			}
		})
	}
}

// TestDenyMessages: REST names an explicit deny; HTTP APIs answer {"message":"Forbidden"}.
func TestDenyMessages(t *testing.T) {
	inv := &fakeInvoker{respond: answering(policy("Deny", "*"))}
	s := newTestSet(t, restAPI(tokenAuthorizer(0)), inv, nil)
	d := s.Authorize(context.Background(), model.AuthorizationCustom, "Tok", nil, restRequest("GET", "/pets", "t"))
	if got := string(d.Refusal.Body); got != `{"Message":"User is not authorized to access this resource with an explicit deny"}` {
		t.Errorf("REST explicit deny body %s", got)
	}
	inv.respond = answering(policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:abc/prod/POST/*"))
	d = s.Authorize(context.Background(), model.AuthorizationCustom, "Tok", nil, restRequest("GET", "/pets", "t"))
	if d.Refusal.Message != MsgImplicitDeny {
		t.Errorf("REST implicit deny message %q", d.Refusal.Message)
	}

	a := &model.Authorizer{LogicalID: "L", Type: model.AuthorizerRequest, Function: "fn", PayloadFormatVersion: "2.0", IdentitySource: []string{"$request.header.Authorization"}}
	hs := newTestSet(t, &model.API{ID: "abc", Protocol: model.ProtocolHTTP, Authorizers: map[string]*model.Authorizer{"L": a}}, &fakeInvoker{respond: answering(policy("Deny", "*"))}, nil)
	d = hs.Authorize(context.Background(), model.AuthorizationCustom, "L", nil, httpRequest("GET", "/x", "t"))
	if d.Refusal == nil || d.Refusal.Status != 403 || string(d.Refusal.Body) != `{"message":"Forbidden"}` {
		t.Errorf("HTTP deny %+v", d.Refusal)
	}
}

func httpRequest(method, path, token string) *Request {
	h := map[string][]string{}
	if token != "" {
		h["authorization"] = []string{token}
	}
	return &Request{Protocol: model.ProtocolHTTP, Method: method, Path: path, Resource: path, RouteKey: method + " " + path,
		Stage: "$default", Header: h, Context: RequestContext{RequestID: "r-1", Time: testNow}}
}

// TestCache: within the TTL the function is not invoked again for the same token; the cached
// policy is evaluated against each request's own ARN; after the TTL it runs again; another
// token is another entry.
func TestCache(t *testing.T) {
	clk := &clock{now: testNow}
	inv := &fakeInvoker{respond: answering(policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/pets"))}
	s := newTestSet(t, restAPI(tokenAuthorizer(300*time.Second)), inv, clk)
	ctx := context.Background()
	authorize := func(method, path, token string) Decision {
		return s.Authorize(ctx, model.AuthorizationCustom, "Tok", nil, restRequest(method, path, token))
	}

	if d := authorize("GET", "/pets", "a"); !d.Allowed() || d.Cached {
		t.Fatalf("first: %+v", d)
	}
	if d := authorize("GET", "/pets", "a"); !d.Allowed() || !d.Cached || d.Latency != 0 {
		t.Fatalf("second: %+v", d)
	}
	if inv.count() != 1 {
		t.Fatalf("invoked %d times within the TTL", inv.count())
	}
	// The cached policy covers GET /pets only: another method is denied without invoking.
	if d := authorize("POST", "/pets", "a"); d.Allowed() || d.Refusal.Status != 403 || !d.Cached {
		t.Fatalf("other method from cache: %+v", d)
	}
	if inv.count() != 1 {
		t.Fatalf("invoked again for another method: %d", inv.count())
	}
	authorize("GET", "/pets", "b")
	if inv.count() != 2 {
		t.Fatalf("another token did not invoke: %d", inv.count())
	}
	clk.advance(301 * time.Second)
	if d := authorize("GET", "/pets", "a"); !d.Allowed() || d.Cached {
		t.Fatalf("after the TTL: %+v", d)
	}
	if inv.count() != 3 {
		t.Fatalf("expired entry not re-invoked: %d", inv.count())
	}
}

// TestCacheSkipsFailures: errors and 401s are not cached; a deny policy is.
func TestCacheSkipsFailures(t *testing.T) {
	inv := &fakeInvoker{respond: func([]byte) (*lambdahost.Result, error) {
		return &lambdahost.Result{FunctionError: &lambdahost.FunctionError{Type: "Error", Message: "Unauthorized"}}, nil
	}}
	s := newTestSet(t, restAPI(tokenAuthorizer(time.Minute)), inv, &clock{now: testNow})
	for range 2 {
		s.Authorize(context.Background(), model.AuthorizationCustom, "Tok", nil, restRequest("GET", "/", "t"))
	}
	if inv.count() != 2 {
		t.Errorf("a 401 was cached: %d calls", inv.count())
	}
	inv.respond = answering(policy("Deny", "*"))
	for range 2 {
		s.Authorize(context.Background(), model.AuthorizationCustom, "Tok", nil, restRequest("GET", "/", "t"))
	}
	if inv.count() != 3 {
		t.Errorf("a deny policy was not cached: %d calls", inv.count())
	}
}

// TestCacheKeyedByIdentitySources: a REQUEST authorizer's cache key is every identity source.
func TestCacheKeyedByIdentitySources(t *testing.T) {
	a := &model.Authorizer{LogicalID: "L", Type: model.AuthorizerRequest, Function: "fn", PayloadFormatVersion: "2.0",
		EnableSimpleResponses: true, ResultTTL: time.Minute,
		IdentitySource: []string{"$request.header.X-Key", "$request.querystring.k", "$context.routeKey", "$stageVariables.v"}}
	inv := &fakeInvoker{respond: answering(`{"isAuthorized":true,"context":{"n":1,"o":{"a":[1,2]}}}`)}
	s := newTestSet(t, &model.API{ID: "abc", Protocol: model.ProtocolHTTP, Authorizers: map[string]*model.Authorizer{"L": a}}, inv, &clock{now: testNow})
	req := func(key, q, route string) *Request {
		r := httpRequest("GET", "/x", "")
		r.Header["x-key"] = []string{key}
		r.RawQuery = "k=" + q
		r.StageVariables = map[string]string{"v": "1"}
		r.ContextVar = func(name string) string {
			if name == "routeKey" {
				return route
			}
			return ""
		}
		return r
	}
	ctx := context.Background()
	for _, r := range []*Request{req("a", "1", "GET /x"), req("a", "1", "GET /x"), req("a", "2", "GET /x"), req("a", "1", "GET /y"), req("a,1", "", "GET /x")} {
		d := s.Authorize(ctx, model.AuthorizationCustom, "L", nil, r)
		if r.RawQuery == "k=" {
			if d.Refusal == nil || d.Refusal.Status != 401 {
				t.Errorf("empty query identity source: %+v", d)
			}
			continue
		}
		if !d.Allowed() {
			t.Fatalf("refused: %+v", d.Refusal)
		}
		if got := d.HTTPV2().(map[string]any)["lambda"].(map[string]any)["o"]; got == nil {
			t.Errorf("HTTP context lost its object: %v", d.Context)
		}
	}
	if inv.count() != 3 {
		t.Errorf("%d invocations, want 3 (one per distinct identity)", inv.count())
	}
}

// TestMissingIdentitySources: HTTP and WebSocket APIs refuse a request missing an identity
// source with 401 without invoking; REST REQUEST authorizers only when caching is on.
func TestMissingIdentitySources(t *testing.T) {
	cases := []struct {
		name    string
		p       model.Protocol
		source  string
		ttl     time.Duration
		invoked bool
	}{
		{"HTTP", model.ProtocolHTTP, "$request.header.Auth", 0, false},
		{"WebSocket", model.ProtocolWebSocket, "route.request.querystring.token", 0, false},
		{"REST with caching", model.ProtocolREST, "method.request.header.Auth", time.Minute, false},
		{"REST without caching passes the request on", model.ProtocolREST, "method.request.header.Auth", 0, true},
	}
	for _, tc := range cases {
		a := &model.Authorizer{LogicalID: "L", Type: model.AuthorizerRequest, Function: "fn", PayloadFormatVersion: "2.0", IdentitySource: []string{tc.source}, ResultTTL: tc.ttl}
		inv := &fakeInvoker{respond: answering(policy("Allow", "*"))}
		s := newTestSet(t, &model.API{ID: "abc", Protocol: tc.p, Authorizers: map[string]*model.Authorizer{"L": a}}, inv, nil)
		r := &Request{Protocol: tc.p, Method: "GET", Path: "/", RouteKey: "$connect", Stage: "prod", Header: map[string][]string{"Auth": {""}}}
		d := s.Authorize(context.Background(), model.AuthorizationCustom, "L", nil, r)
		if got := inv.count() > 0; got != tc.invoked {
			t.Errorf("%s: invoked %v", tc.name, got)
		}
		if !tc.invoked && (d.Refusal == nil || d.Refusal.Status != http.StatusUnauthorized || string(d.Refusal.Body) != `{"message":"Unauthorized"}`) {
			t.Errorf("%s: %+v", tc.name, d.Refusal)
		}
	}
}

// TestIdentityValidationExpression: a token that does not match is refused without invoking.
func TestIdentityValidationExpression(t *testing.T) {
	a := tokenAuthorizer(0)
	a.IdentityValidationExpression = `Bearer [a-z]+`
	inv := &fakeInvoker{respond: answering(policy("Allow", "*"))}
	s := newTestSet(t, restAPI(a), inv, nil)
	for token, want := range map[string]bool{"Bearer abc": true, "Bearer abc1": false, "xBearer abc": false} {
		d := s.Authorize(context.Background(), model.AuthorizationCustom, "Tok", nil, restRequest("GET", "/", token))
		if d.Allowed() != want {
			t.Errorf("%q: allowed %v", token, d.Allowed())
		}
	}
	if inv.count() != 1 {
		t.Errorf("invoked %d times", inv.count())
	}
}

// TestNeverOpen: every way an authorizer cannot run refuses the request.
func TestNeverOpen(t *testing.T) {
	inv := &fakeInvoker{respond: answering(policy("Allow", "*"))}
	cases := []struct {
		name   string
		a      *model.Authorizer
		typ    string
		id     string
		status int
	}{
		{"unknown authorizer id", tokenAuthorizer(0), model.AuthorizationCustom, "Nope", 500},
		{"function missing", &model.Authorizer{LogicalID: "Tok", Type: model.AuthorizerToken, IdentitySource: []string{"method.request.header.A"}}, model.AuthorizationCustom, "Tok", 500},
		{"bad identity source", &model.Authorizer{LogicalID: "Tok", Type: model.AuthorizerRequest, Function: "f", IdentitySource: []string{"$request.header.A"}}, model.AuthorizationCustom, "Tok", 500},
		{"bad validation expression", &model.Authorizer{LogicalID: "Tok", Type: model.AuthorizerToken, Function: "f", IdentitySource: []string{"method.request.header.A"}, IdentityValidationExpression: "("}, model.AuthorizationCustom, "Tok", 500},
		{"unknown authorization type", tokenAuthorizer(0), "MAGIC", "Tok", 500},
		{"JWT type on a Lambda authorizer", tokenAuthorizer(0), model.AuthorizationJWT, "Tok", 500},
		{"unknown authorizer type", &model.Authorizer{LogicalID: "Tok", Type: "SAML", Function: "f"}, model.AuthorizationCustom, "Tok", 500},
	}
	for _, tc := range cases {
		s := newTestSet(t, restAPI(tc.a), inv, nil)
		r := restRequest("GET", "/", "t")
		r.Header["A"] = []string{"x"}
		d := s.Authorize(context.Background(), tc.typ, tc.id, nil, r)
		if d.Refusal == nil || d.Refusal.Status != tc.status {
			t.Errorf("%s: %+v", tc.name, d.Refusal)
		}
	}
	if inv.count() != 0 {
		t.Errorf("a broken authorizer invoked its function")
	}
	// NONE lets everything through untouched.
	s := newTestSet(t, restAPI(tokenAuthorizer(0)), inv, nil)
	if d := s.Authorize(context.Background(), model.AuthorizationNone, "", nil, restRequest("GET", "/", "")); !d.Allowed() || d.HTTPV2() != nil || d.REST() != nil {
		t.Errorf("NONE: %+v", d)
	}
}

// TestContextPropagation: principalId, context and latency, where each event kind puts them.
func TestContextPropagation(t *testing.T) {
	inv := &fakeInvoker{respond: func([]byte) (*lambdahost.Result, error) {
		time.Sleep(2 * time.Millisecond)
		return &lambdahost.Result{Payload: []byte(policy("Allow", "*"))}, nil
	}}
	s := newTestSet(t, restAPI(tokenAuthorizer(0)), inv, nil)
	d := s.Authorize(context.Background(), model.AuthorizationCustom, "Tok", nil, restRequest("GET", "/", "t"))
	rest := d.REST()
	if rest["principalId"] != "user" || rest["numberKey"] != "123" || rest["booleanKey"] != "true" || rest["stringKey"] != "value" {
		t.Errorf("REST authorizer %v", rest)
	}
	if lat, _ := rest["integrationLatency"].(int64); lat < 2 {
		t.Errorf("integrationLatency %v", rest["integrationLatency"])
	}
	vars := d.ContextVars()
	if vars["authorizer.principalId"] != "user" || vars["authorizer.numberKey"] != "123" {
		t.Errorf("context vars %v", vars)
	}
	if v, ok := d.ContextVar("authorizer.booleanKey"); !ok || v != "true" {
		t.Errorf("$context.authorizer.booleanKey = %q", v)
	}
	b, _ := json.Marshal(d.HTTPV1())
	if !strings.Contains(string(b), `"numberKey":123`) || !strings.Contains(string(b), `"principalId":"user"`) {
		t.Errorf("HTTP 1.0 authorizer %s", b)
	}
}

// TestSimpleResponses: isAuthorized decides; a policy where a simple response is expected is
// malformed.
func TestSimpleResponses(t *testing.T) {
	a := &model.Authorizer{LogicalID: "L", Type: model.AuthorizerRequest, Function: "fn", PayloadFormatVersion: "2.0",
		EnableSimpleResponses: true, IdentitySource: []string{"$request.header.Authorization"}}
	api := &model.API{ID: "abc", Protocol: model.ProtocolHTTP, Authorizers: map[string]*model.Authorizer{"L": a}}
	for payload, status := range map[string]int{
		`{"isAuthorized":true}`:                         0,
		`{"isAuthorized":false,"context":{"a":"b"}}`:    403,
		`{"isAuthorized":"true"}`:                       500,
		policy("Allow", "*"):                            500,
		`{"isAuthorized":true,"context":["not a map"]}`: 500,
	} {
		s := newTestSet(t, api, &fakeInvoker{respond: answering(payload)}, nil)
		d := s.Authorize(context.Background(), model.AuthorizationCustom, "L", nil, httpRequest("GET", "/", "t"))
		got := 0
		if d.Refusal != nil {
			got = d.Refusal.Status
		}
		if got != status {
			t.Errorf("%s: %d, want %d", payload, got, status)
		}
	}
}

// TestAuthorizerHangs: a function that never answers is cut off by the request's context and
// refused with 500.
func TestAuthorizerHangs(t *testing.T) {
	inv := &fakeInvoker{}
	inv.respond = func([]byte) (*lambdahost.Result, error) { return nil, context.DeadlineExceeded }
	s := newTestSet(t, restAPI(tokenAuthorizer(0)), inv, nil)
	d := s.Authorize(context.Background(), model.AuthorizationCustom, "Tok", nil, restRequest("GET", "/", "t"))
	if d.Refusal == nil || d.Refusal.Status != 500 || !strings.Contains(d.Refusal.Reason, "did not answer") {
		t.Errorf("%+v", d.Refusal)
	}
}
