package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gatehouse-dev/gatehouse/local/internal/authorizer"
	"github.com/gatehouse-dev/gatehouse/local/internal/jwtverify"
	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/issuer"
)

// functions answers each function by name and records what each received.
type functions struct {
	mu       sync.Mutex
	answers  map[string]string
	received map[string][][]byte
}

func (f *functions) Invoke(_ context.Context, name string, payload []byte) (*lambdahost.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.received == nil {
		f.received = map[string][][]byte{}
	}
	f.received[name] = append(f.received[name], payload)
	a, ok := f.answers[name]
	if !ok {
		return nil, lambdahost.ErrUnknownFunction
	}
	return &lambdahost.Result{Payload: []byte(a)}, nil
}

func (f *functions) calls(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.received[name])
}

func (f *functions) last(t *testing.T, name string) []byte {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.received[name]) == 0 {
		t.Fatalf("function %s was not invoked", name)
	}
	return f.received[name][len(f.received[name])-1]
}

// protectedServer serves api with its authorizers decided by a real authorizer.Set.
func protectedServer(t *testing.T, api *model.API, fns *functions, opts authorizer.Options) *Server {
	t.Helper()
	opts.Account, opts.Region, opts.Invoker = "123456789012", "us-east-1", fns
	set, err := authorizer.New(api, opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(api, fns, Options{Account: "123456789012", Region: "us-east-1", Now: func() time.Time { return testNow }, Authorizer: set})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func lambdaAuthorizer(simple bool, ttl time.Duration) *model.Authorizer {
	return &model.Authorizer{LogicalID: "Auth", Name: "auth", Type: model.AuthorizerRequest, Function: "authfn",
		PayloadFormatVersion: "2.0", EnableSimpleResponses: simple, ResultTTL: ttl,
		IdentitySource: []string{"$request.header.Authorization"}}
}

func protect(r *model.Route, typ, authorizerID string, scopes ...string) *model.Route {
	r.AuthorizationType, r.AuthorizerLogicalID, r.AuthorizationScopes = typ, authorizerID, scopes
	return r
}

func TestLambdaAuthorizerRoute(t *testing.T) {
	api := testAPI(protect(lambdaRoute("GET /items/{id}", "2.0"), model.AuthorizationCustom, "Auth"))
	api.Authorizers = map[string]*model.Authorizer{"Auth": lambdaAuthorizer(true, time.Minute)}
	fns := &functions{answers: map[string]string{
		"authfn": `{"isAuthorized":true,"context":{"user":"alice","n":1,"obj":{"a":"b"}}}`,
		"fn":     `{"statusCode":200,"body":"ok"}`,
	}}
	s := protectedServer(t, api, fns, authorizer.Options{})

	req := httptest.NewRequest("GET", "/items/7", nil)
	req.Header.Set("Authorization", "secret")
	resp := serve(s, req)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body(t, resp))
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(fns.last(t, "fn"), &ev); err != nil {
		t.Fatal(err)
	}
	if a := ev.RequestContext.Authorizer; a == nil || a.Lambda["user"] != "alice" || a.Lambda["n"] != float64(1) || a.Lambda["obj"] == nil {
		t.Errorf("requestContext.authorizer %+v", ev.RequestContext.Authorizer)
	}
	// The authorizer saw the route's ARN and the identity source.
	var aev events.APIGatewayV2CustomAuthorizerV2Request
	if err := json.Unmarshal(fns.last(t, "authfn"), &aev); err != nil {
		t.Fatal(err)
	}
	if aev.RouteArn != "arn:aws:execute-api:us-east-1:123456789012:aaaaaaaaaa/$default/GET/items/7" || strings.Join(aev.IdentitySource, ",") != "secret" || aev.PathParameters["id"] != "7" {
		t.Errorf("authorizer event %+v", aev)
	}

	// Within the TTL the authorizer is not invoked again.
	serve(s, req)
	if n := fns.calls("authfn"); n != 1 {
		t.Errorf("authorizer invoked %d times", n)
	}

	// No identity source: 401 without invoking anything.
	resp = serve(s, httptest.NewRequest("GET", "/items/7", nil))
	if got := body(t, resp); resp.StatusCode != 401 || got != `{"message":"Unauthorized"}` || resp.Header.Get("Apigw-Requestid") == "" {
		t.Errorf("missing identity: %d %s %v", resp.StatusCode, got, resp.Header)
	}
	if fns.calls("authfn") != 1 || fns.calls("fn") != 2 {
		t.Errorf("calls: authorizer %d, integration %d", fns.calls("authfn"), fns.calls("fn"))
	}
}

func TestLambdaAuthorizerDenies(t *testing.T) {
	cases := []struct {
		name   string
		answer string
		status int
		body   string
	}{
		{"isAuthorized false", `{"isAuthorized":false}`, 403, `{"message":"Forbidden"}`},
		{"malformed", `{"isAuthorized":"yes"}`, 500, `{"message":"Internal Server Error"}`},
	}
	for _, tc := range cases {
		api := testAPI(protect(lambdaRoute("GET /x", "2.0"), model.AuthorizationCustom, "Auth"))
		api.Authorizers = map[string]*model.Authorizer{"Auth": lambdaAuthorizer(true, 0)}
		fns := &functions{answers: map[string]string{"authfn": tc.answer, "fn": `{"statusCode":200}`}}
		s := protectedServer(t, api, fns, authorizer.Options{})
		req := httptest.NewRequest("GET", "/x", nil)
		req.Header.Set("Authorization", "t")
		resp := serve(s, req)
		if got := body(t, resp); resp.StatusCode != tc.status || got != tc.body {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, got)
		}
		if fns.calls("fn") != 0 {
			t.Errorf("%s: the integration ran", tc.name)
		}
	}
}

// TestProtectedRouteWithoutAuthorizers: a server given no authorizers refuses protected
// routes rather than serving them open.
func TestProtectedRouteWithoutAuthorizers(t *testing.T) {
	inv := &fakeInvoker{}
	s := newTestServer(t, testAPI(protect(lambdaRoute("GET /x", "2.0"), model.AuthorizationJWT, "J")), inv)
	resp := serve(s, httptest.NewRequest("GET", "/x", nil))
	if resp.StatusCode != 500 || len(inv.payloads) != 0 {
		t.Errorf("%d, %d invocations", resp.StatusCode, len(inv.payloads))
	}
}

// TestPreflightBypassesAuthorizers: with CORS configured, an OPTIONS preflight is answered
// by API Gateway before any authorizer; the actual request is authorized.
func TestPreflightBypassesAuthorizers(t *testing.T) {
	api := testAPI(protect(lambdaRoute("ANY /x", "2.0"), model.AuthorizationCustom, "Auth"))
	api.Authorizers = map[string]*model.Authorizer{"Auth": lambdaAuthorizer(true, 0)}
	api.CORS = &model.CORS{AllowOrigins: []string{"https://app.example.com"}, AllowMethods: []string{"GET"}}
	fns := &functions{answers: map[string]string{"authfn": `{"isAuthorized":false}`, "fn": `{"statusCode":200}`}}
	s := protectedServer(t, api, fns, authorizer.Options{})
	pre := httptest.NewRequest("OPTIONS", "/x", nil)
	pre.Header.Set("Origin", "https://app.example.com")
	pre.Header.Set("Access-Control-Request-Method", "GET")
	if resp := serve(s, pre); resp.StatusCode != 204 || fns.calls("authfn") != 0 {
		t.Errorf("preflight: %d, authorizer calls %d", resp.StatusCode, fns.calls("authfn"))
	}
	get := httptest.NewRequest("GET", "/x", nil)
	get.Header.Set("Origin", "https://app.example.com")
	get.Header.Set("Authorization", "t")
	resp := serve(s, get)
	if resp.StatusCode != 403 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("denied request: %d, CORS %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
}

// TestJWTRoute: claims reach a payload 1.0 event and parameter mappings
// ($context.authorizer.claims.sub); a bad token gets WWW-Authenticate.
func TestJWTRoute(t *testing.T) {
	iss, err := issuer.New("https://auth.example.com")
	if err != nil {
		t.Fatal(err)
	}
	keys := jwtverify.NewStore()
	if err := keys.Add(iss.URL(), iss.JWKS()); err != nil {
		t.Fatal(err)
	}
	route := protect(lambdaRoute("GET /me", "1.0"), model.AuthorizationJWT, "Jwt", "read")
	route.Integration.RequestParameters = map[string]string{"append:header.x-user": "$context.authorizer.claims.sub"}
	api := testAPI(route)
	api.Authorizers = map[string]*model.Authorizer{"Jwt": {LogicalID: "Jwt", Type: model.AuthorizerJWT, Issuer: iss.URL(),
		Audience: []string{"app"}, IdentitySource: []string{"$request.header.Authorization"}}}
	fns := &functions{answers: map[string]string{"fn": `{"statusCode":200}`}}
	s := protectedServer(t, api, fns, authorizer.Options{JWKS: keys})

	token, _ := iss.Mint(issuer.Claims{Subject: "alice", Audience: []string{"app"}, Scopes: []string{"read"}})
	req := httptest.NewRequest("GET", "/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if resp := serve(s, req); resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body(t, resp))
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(fns.last(t, "fn"), &ev); err != nil {
		t.Fatal(err)
	}
	claims, _ := ev.RequestContext.Authorizer["claims"].(map[string]any)
	if claims["sub"] != "alice" || ev.Headers["x-user"] != "alice" {
		t.Errorf("authorizer %v, x-user %q", ev.RequestContext.Authorizer, ev.Headers["x-user"])
	}

	other, _ := iss.Mint(issuer.Claims{Subject: "bob", Audience: []string{"someone-else"}})
	req.Header.Set("Authorization", "Bearer "+other)
	resp := serve(s, req)
	if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("Www-Authenticate"), "the token does not have a valid audience") {
		t.Errorf("%d %v", resp.StatusCode, resp.Header)
	}
}

// TestIAMRoute: a signed request reaches the integration with the caller in the event.
func TestIAMRoute(t *testing.T) {
	p := &authorizer.Principal{AccessKeyID: "AKIALOCAL", Secret: "s3cret", ARN: "arn:aws:sts::123456789012:assumed-role/Caller/gatehouse",
		AccountID: "123456789012", UserID: "AROACALLER:gatehouse",
		Statements: []*model.Statement{{Effect: "Allow", Actions: []string{"execute-api:Invoke"}, Resources: []string{"arn:aws:execute-api:*:*:aaaaaaaaaa/prod/GET/*"}}}}
	api := testAPI(protect(lambdaRoute("GET /x", "1.0"), model.AuthorizationIAM, ""))
	fns := &functions{answers: map[string]string{"fn": `{"statusCode":200}`}}
	s := protectedServer(t, api, fns, authorizer.Options{
		Now:        func() time.Time { return testNow },
		Principals: func(id string) (*authorizer.Principal, bool) { return p, id == p.AccessKeyID },
	})
	sign := func(path string) *http.Request {
		req := httptest.NewRequest("GET", path, nil)
		sum := sha256.Sum256(nil)
		if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.Secret},
			req, hex.EncodeToString(sum[:]), "execute-api", "us-east-1", testNow); err != nil {
			t.Fatal(err)
		}
		return req
	}
	if resp := serve(s, sign("/prod/x")); resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body(t, resp))
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(fns.last(t, "fn"), &ev); err != nil {
		t.Fatal(err)
	}
	if id := ev.RequestContext.Identity; id.UserArn != p.ARN || id.AccessKey != p.AccessKeyID || id.Caller != p.UserID {
		t.Errorf("identity %+v", id)
	}
	// The $default stage is not in the caller's policy.
	resp := serve(s, sign("/x"))
	if got := body(t, resp); resp.StatusCode != 403 || !strings.Contains(got, "is not authorized to perform: execute-api:Invoke") {
		t.Errorf("%d %s", resp.StatusCode, got)
	}
}

// staticInvoker answers every function with its fixed payload, recording nothing.
type staticInvoker map[string][]byte

func (s staticInvoker) Invoke(_ context.Context, name string, _ []byte) (*lambdahost.Result, error) {
	return &lambdahost.Result{Payload: s[name]}, nil
}

// benchServe serves GET /items/42 on route, protected as protectRoute says, against the
// same request as BenchmarkServeV2, for the figures: a cached Lambda authorizer
// and a JWT authorizer next to the unprotected route.
func benchServe(b *testing.B, api *model.API, opts authorizer.Options, header string) {
	inv := staticInvoker{
		"fn":     []byte(`{"statusCode":200,"headers":{"content-type":"text/plain"},"body":"hello"}`),
		"authfn": []byte(`{"principalId":"u","policyDocument":{"Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"arn:aws:execute-api:*:*:*/*/GET/*"}]},"context":{"user":"alice"}}`),
	}
	opts.Account, opts.Region, opts.Invoker = "123456789012", "us-east-1", inv
	set, err := authorizer.New(api, opts)
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(api, inv, Options{Account: "123456789012", Region: "us-east-1", Now: func() time.Time { return testNow }, Authorizer: set})
	if err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/items/42?x=1", nil)
	r.Header.Set("User-Agent", "bench")
	r.Header.Set("Accept", "*/*")
	if header != "" {
		r.Header.Set("Authorization", header)
	}
	t := Target{Stage: s.api.Stages[0], Path: "/items/42"}
	w := httptest.NewRecorder()
	s.Serve(w, r, t)
	if w.Code != 200 {
		b.Fatalf("%d %s", w.Code, w.Body)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Serve(httptest.NewRecorder(), r, t)
	}
}

func BenchmarkServeV2CachedLambdaAuthorizer(b *testing.B) {
	a := lambdaAuthorizer(false, time.Hour)
	api := testAPI(protect(lambdaRoute("GET /items/{id}", "2.0"), model.AuthorizationCustom, "Auth"))
	api.Authorizers = map[string]*model.Authorizer{"Auth": a}
	benchServe(b, api, authorizer.Options{}, "secret")
}

func BenchmarkServeV2JWTAuthorizer(b *testing.B) {
	iss, err := issuer.New("https://auth.example.com")
	if err != nil {
		b.Fatal(err)
	}
	keys := jwtverify.NewStore()
	if err := keys.Add(iss.URL(), iss.JWKS()); err != nil {
		b.Fatal(err)
	}
	token, _ := iss.Mint(issuer.Claims{Subject: "alice", Audience: []string{"app"}, Scopes: []string{"read"}, ExpiresIn: time.Hour})
	api := testAPI(protect(lambdaRoute("GET /items/{id}", "2.0"), model.AuthorizationJWT, "Jwt", "read"))
	api.Authorizers = map[string]*model.Authorizer{"Jwt": {LogicalID: "Jwt", Type: model.AuthorizerJWT, Issuer: iss.URL(),
		Audience: []string{"app"}, IdentitySource: []string{"$request.header.Authorization"}}}
	benchServe(b, api, authorizer.Options{JWKS: keys}, "Bearer "+token)
}

func BenchmarkServeV2Unprotected(b *testing.B) {
	benchServe(b, testAPI(lambdaRoute("GET /items/{id}", "2.0")), authorizer.Options{}, "")
}
