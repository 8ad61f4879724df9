package restapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
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

// fakeAuth stands in for the API's *authorizer.Set: it records each request and answers with
// decide's decision, so the server's side (order, refusals, what reaches the integration) is
// tested apart from the authorizers themselves.
type fakeAuth struct {
	mu       sync.Mutex
	requests []*authorizer.Request
	methods  []*model.Method
	decide   func(m *model.Method, r *authorizer.Request) authorizer.Decision
}

func (f *fakeAuth) AuthorizeMethod(_ context.Context, m *model.Method, r *authorizer.Request) authorizer.Decision {
	f.mu.Lock()
	f.requests = append(f.requests, r)
	f.methods = append(f.methods, m)
	f.mu.Unlock()
	return f.decide(m, r)
}

func (f *fakeAuth) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func deciding(d authorizer.Decision) *fakeAuth {
	return &fakeAuth{decide: func(*model.Method, *authorizer.Request) authorizer.Decision { return d }}
}

func withAuth(a Authorizer) func(*Options) { return func(o *Options) { o.Authorizers = a } }

// protected is a Lambda proxy method with an authorization type and authorizer.
func protected(verb, authType, authorizerID string) *model.Method {
	m := proxyMethod(verb)
	m.AuthorizationType, m.AuthorizerLogicalID = authType, authorizerID
	return m
}

// The refusals the authorizer package makes, as it makes them (status, type, message, x-amzn-
// ErrorType, body), for each kind of failure a method's authorization can end in.
var (
	refuseUnauthorized = &authorizer.Refusal{Status: 401, ResponseType: "UNAUTHORIZED", Message: "Unauthorized",
		ErrorType: "UnauthorizedException", Body: []byte(`{"message":"Unauthorized"}`)}
	refuseExplicitDeny = &authorizer.Refusal{Status: 403, ResponseType: "ACCESS_DENIED", Message: authorizer.MsgExplicitDeny,
		ErrorType: "AccessDeniedException", Body: []byte(`{"Message":"` + authorizer.MsgExplicitDeny + `"}`)}
	refuseImplicitDeny = &authorizer.Refusal{Status: 403, ResponseType: "ACCESS_DENIED", Message: authorizer.MsgImplicitDeny,
		ErrorType: "AccessDeniedException", Body: []byte(`{"Message":"` + authorizer.MsgImplicitDeny + `"}`)}
	refuseConfig = &authorizer.Refusal{Status: 500, ResponseType: "AUTHORIZER_CONFIGURATION_ERROR",
		ErrorType: "AuthorizerConfigurationException", Body: []byte(`{"message":null}`)}
	refuseFailure = &authorizer.Refusal{Status: 500, ResponseType: "AUTHORIZER_FAILURE",
		ErrorType: "AuthorizerFailureException", Body: []byte(`{"message":null}`)}
	refuseNoSignature = &authorizer.Refusal{Status: 403, ResponseType: "MISSING_AUTHENTICATION_TOKEN", Message: "Missing Authentication Token",
		ErrorType: "MissingAuthenticationTokenException", Body: []byte(`{"message":"Missing Authentication Token"}`)}
	refuseBadSignature = &authorizer.Refusal{Status: 403, ResponseType: "INVALID_SIGNATURE", Message: "The security token included in the request is invalid.",
		ErrorType: "UnrecognizedClientException", Body: []byte(`{"message":"The security token included in the request is invalid."}`)}
	refuseExpired = &authorizer.Refusal{Status: 403, ResponseType: "EXPIRED_TOKEN", Message: "The security token included in the request is expired",
		ErrorType: "ExpiredTokenException", Body: []byte(`{"message":"The security token included in the request is expired"}`)}
)

// TestAuthorizerRefusals: each refusal is answered with its status, body and x-amzn-ErrorType,
// the integration is never called, and the request id headers are there as on every answer.
func TestAuthorizerRefusals(t *testing.T) {
	for _, tc := range []struct {
		name     string
		authType string
		refusal  *authorizer.Refusal
	}{
		{"lambda token missing or refused", model.AuthorizationCustom, refuseUnauthorized},
		{"lambda policy with an explicit deny", model.AuthorizationCustom, refuseExplicitDeny},
		{"lambda policy that does not cover the method", model.AuthorizationCustom, refuseImplicitDeny},
		{"lambda authorizer that crashed", model.AuthorizationCustom, refuseConfig},
		{"authorizer failure", model.AuthorizationCustom, refuseFailure},
		{"cognito token invalid", model.AuthorizationCognito, refuseUnauthorized},
		{"cognito token without the method's scopes", model.AuthorizationCognito, refuseImplicitDeny},
		{"iam request not signed", model.AuthorizationIAM, refuseNoSignature},
		{"iam signed with an unknown key", model.AuthorizationIAM, refuseBadSignature},
		{"iam signature expired", model.AuthorizationIAM, refuseExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := &fakeInvoker{}
			auth := deciding(authorizer.Decision{AuthorizationType: tc.authType, Refusal: tc.refusal})
			s, _ := newTestServer(t, testAPI(res("/items", protected("GET", tc.authType, "Auth"))), inv, withAuth(auth))
			w := do(s, "GET", "/items", "")
			if w.Code != tc.refusal.Status || w.Body.String() != string(tc.refusal.Body) {
				t.Errorf("answered %d %s, want %d %s", w.Code, w.Body, tc.refusal.Status, tc.refusal.Body)
			}
			if got := w.Header().Get("X-Amzn-Errortype"); got != tc.refusal.ErrorType {
				t.Errorf("x-amzn-ErrorType %q, want %q", got, tc.refusal.ErrorType)
			}
			if w.Header().Get("Content-Type") != "application/json" || w.Header().Get("X-Amzn-Requestid") == "" {
				t.Errorf("headers %v", w.Header())
			}
			if inv.count() != 0 {
				t.Errorf("the integration ran %d times for a refused request", inv.count())
			}
			if auth.count() != 1 {
				t.Errorf("the authorizer was asked %d times", auth.count())
			}
		})
	}
}

// TestAuthorizerRefusalGatewayResponses: refusals go through the API's gateway responses:
// UNAUTHORIZED customised by its own response, ACCESS_DENIED by DEFAULT_4XX's (a CORS header
// set there reaches an authorizer's 403), AUTHORIZER_CONFIGURATION_ERROR by DEFAULT_5XX's.
func TestAuthorizerRefusalGatewayResponses(t *testing.T) {
	api := testAPI(res("/items", protected("GET", model.AuthorizationCustom, "Auth")))
	api.GatewayResponses = []*model.GatewayResponse{
		{ResponseType: "UNAUTHORIZED", StatusCode: "401",
			ResponseParameters: map[string]string{"gatewayresponse.header.WWW-Authenticate": "'Bearer realm=\"items\"'"},
			ResponseTemplates:  map[string]string{"application/json": `{"error":"$context.error.message","type":"$context.error.responseType","stage":"$context.stage"}`}},
		{ResponseType: "DEFAULT_4XX", ResponseParameters: map[string]string{"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}},
		{ResponseType: "DEFAULT_5XX", StatusCode: "503"},
	}
	for _, tc := range []struct {
		refusal    *authorizer.Refusal
		status     int
		body       string
		header     string // name: value that must be set
		errorType  string
		noCORSSent bool
	}{
		{refuseUnauthorized, 401, `{"error":"Unauthorized","type":"UNAUTHORIZED","stage":"prod"}`, "Www-Authenticate: Bearer realm=\"items\"", "UnauthorizedException", false},
		{refuseExplicitDeny, 403, string(refuseExplicitDeny.Body), "Access-Control-Allow-Origin: *", "AccessDeniedException", false},
		{refuseConfig, 503, `{"message":null}`, "", "AuthorizerConfigurationException", true},
	} {
		t.Run(tc.refusal.ResponseType, func(t *testing.T) {
			s, _ := newTestServer(t, api, &fakeInvoker{}, withAuth(deciding(authorizer.Decision{AuthorizationType: model.AuthorizationCustom, Refusal: tc.refusal})))
			w := do(s, "GET", "/items", "")
			if w.Code != tc.status || w.Body.String() != tc.body {
				t.Errorf("answered %d %s, want %d %s", w.Code, w.Body, tc.status, tc.body)
			}
			if name, value, ok := strings.Cut(tc.header, ": "); ok && w.Header().Get(name) != value {
				t.Errorf("%s: %q, want %q", name, w.Header().Get(name), value)
			}
			if tc.noCORSSent && w.Header().Get("Access-Control-Allow-Origin") != "" {
				t.Errorf("DEFAULT_4XX's header on a 5XX answer")
			}
			if got := w.Header().Get("X-Amzn-Errortype"); got != tc.errorType {
				t.Errorf("x-amzn-ErrorType %q, want %q", got, tc.errorType)
			}
		})
	}
}

// TestAuthorizerRequest: the authorizer is asked after resource and method matching, with
// what the authorizer package needs to build its event and check identity sources.
func TestAuthorizerRequest(t *testing.T) {
	auth := deciding(authorizer.Decision{AuthorizationType: model.AuthorizationCustom, PrincipalID: "me"})
	m := protected("POST", model.AuthorizationCustom, "Auth")
	s, _ := newTestServer(t, testAPI(res("/items/{id}", m)), &fakeInvoker{}, withAuth(auth))
	w := do(s, "POST", "/items/42?tag=a&tag=b", `{"a":1}`, "Authorization", "allow", "X-Api-Key", "k1", "User-Agent", "ua")
	if w.Code != 200 {
		t.Fatalf("answered %d %s", w.Code, w.Body)
	}
	// Missing paths and verbs are refused before any authorizer runs.
	if w := do(s, "GET", "/items/42", ""); w.Code != 403 || !strings.Contains(w.Body.String(), "Missing Authentication Token") {
		t.Errorf("GET answered %d %s", w.Code, w.Body)
	}
	if w := do(s, "POST", "/nothing", ""); w.Code != 403 {
		t.Errorf("unknown path answered %d", w.Code)
	}
	if auth.count() != 1 {
		t.Fatalf("the authorizer was asked %d times, want once", auth.count())
	}
	r, got := auth.requests[0], auth.methods[0]
	if got != m {
		t.Errorf("asked about method %v", got)
	}
	rc := r.Context
	if r.Protocol != model.ProtocolREST || r.Method != "POST" || r.Path != "/items/42" || r.ARNPath != "/items/42" ||
		r.Resource != "/items/{id}" || r.ResourceID == "" || r.Stage != "prod" || r.StageVariables["env"] != "production" ||
		r.RawQuery != "tag=a&tag=b" || r.PathParameters["id"] != "42" || r.HTTP == nil {
		t.Errorf("request %+v", r)
	}
	if rc.AccountID != "123456789012" || rc.APIID != "abcdef1234" || rc.DomainName != "abcdef1234.execute-api.localhost" ||
		rc.DomainPrefix != "abcdef1234" || rc.RequestID == "" || rc.ExtendedRequestID == "" || rc.SourceIP == "" ||
		rc.UserAgent != "ua" || rc.APIKey != "k1" || !rc.Time.Equal(testNow) {
		t.Errorf("request context %+v", rc)
	}
	if h := r.Header; len(h["Authorization"]) != 1 || h["Authorization"][0] != "allow" || len(h["X-Forwarded-For"]) == 0 || len(h["Host"]) == 0 {
		t.Errorf("headers %v", h)
	}
	if v := r.ContextVar("requestId"); v != rc.RequestID {
		t.Errorf("ContextVar(requestId) = %q, want %q", v, rc.RequestID)
	}
	if v := r.ContextVar("identity.sourceIp"); v != rc.SourceIP {
		t.Errorf("ContextVar(identity.sourceIp) = %q", v)
	}
	if r.Body != nil {
		t.Errorf("a Lambda authorizer was given the body (%q); only IAM reads it", r.Body)
	}
}

// TestIAMReadsBody: SigV4 signs the payload, so an AWS_IAM method's authorizer gets the body,
// and the integration still gets it afterwards.
func TestIAMReadsBody(t *testing.T) {
	auth := deciding(authorizer.Decision{AuthorizationType: model.AuthorizationIAM, IAM: &authorizer.IAMIdentity{AccessKey: "AKID"}})
	inv := &fakeInvoker{}
	s, _ := newTestServer(t, testAPI(res("/items", protected("POST", model.AuthorizationIAM, ""))), inv, withAuth(auth))
	if w := do(s, "POST", "/items", `{"signed":true}`); w.Code != 200 {
		t.Fatalf("answered %d %s", w.Code, w.Body)
	}
	if string(auth.requests[0].Body) != `{"signed":true}` {
		t.Errorf("the authorizer got body %q", auth.requests[0].Body)
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(inv.last(t), &ev); err != nil || ev.Body != `{"signed":true}` {
		t.Errorf("the integration got body %q (%v)", ev.Body, err)
	}
	// A body over the quota is refused before the signature is looked at.
	big := strings.Repeat("x", maxPayload+1)
	if w := do(s, "POST", "/items", big); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over 10 MB answered %d", w.Code)
	}
	if auth.count() != 1 {
		t.Errorf("the authorizer was asked about the oversized request")
	}
}

// TestNoAuthorizersRefuses: a server given no authorizers never lets a protected method
// through, whatever its authorization type; NONE methods still work.
func TestNoAuthorizersRefuses(t *testing.T) {
	for _, authType := range []string{model.AuthorizationCustom, model.AuthorizationCognito, model.AuthorizationIAM, "SOMETHING_ELSE"} {
		inv := &fakeInvoker{}
		s, logs := newTestServer(t, testAPI(res("/items", protected("GET", authType, "Auth"), proxyMethod("POST"))), inv)
		w := do(s, "GET", "/items", "")
		if w.Code != 500 || w.Body.String() != `{"message":null}` || inv.count() != 0 {
			t.Errorf("%s: answered %d %s, integration ran %d times", authType, w.Code, w.Body, inv.count())
		}
		if !strings.Contains(logs.String(), "no authorizers") {
			t.Errorf("%s: no log line says why: %s", authType, logs)
		}
		if w := do(s, "POST", "/items", ""); w.Code != 200 {
			t.Errorf("an unprotected method answered %d", w.Code)
		}
	}
}

// TestAuthorizerBeforeAPIKey: the authorizer runs before the API key check (the guide's
// workflow: authorize, then the usage plan), so a request with neither gets the authorizer's
// 401; with apiKeySource AUTHORIZER the key is the authorizer's usageIdentifierKey and the
// X-API-Key header is ignored.
func TestAuthorizerBeforeAPIKey(t *testing.T) {
	key := &model.APIKey{ID: "kid1", Value: "good-key-value-0123456789", Enabled: true,
		Stages: []model.APIStage{{APIID: "abcdef1234", Stage: "prod"}}}
	m := protected("GET", model.AuthorizationCustom, "Auth")
	m.APIKeyRequired = true
	for _, tc := range []struct {
		name     string
		source   string
		decision authorizer.Decision
		header   string // X-API-Key sent
		status   int
		apiKeyID string // the event's identity.apiKeyId when let through
	}{
		{"refused before the key is checked", "HEADER", authorizer.Decision{AuthorizationType: "CUSTOM", Refusal: refuseUnauthorized}, "", 401, ""},
		{"header key after the authorizer", "HEADER", authorizer.Decision{AuthorizationType: "CUSTOM", PrincipalID: "u"}, key.Value, 200, "kid1"},
		{"header key missing", "HEADER", authorizer.Decision{AuthorizationType: "CUSTOM", PrincipalID: "u"}, "", 403, ""},
		{"authorizer's key", "AUTHORIZER", authorizer.Decision{AuthorizationType: "CUSTOM", PrincipalID: "u", UsageIdentifierKey: key.Value}, "", 200, "kid1"},
		{"authorizer's unknown key", "AUTHORIZER", authorizer.Decision{AuthorizationType: "CUSTOM", PrincipalID: "u", UsageIdentifierKey: "nope"}, key.Value, 403, ""},
		{"authorizer gave no key; the header does not count", "AUTHORIZER", authorizer.Decision{AuthorizationType: "CUSTOM", PrincipalID: "u"}, key.Value, 403, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := testAPI(res("/items", m))
			api.APIKeySource = tc.source
			inv := &fakeInvoker{}
			s, _ := newTestServer(t, api, inv, withAuth(deciding(tc.decision)), func(o *Options) { o.APIKeys = []*model.APIKey{key} })
			var w = do(s, "GET", "/items", "")
			if tc.header != "" {
				w = do(s, "GET", "/items", "", "X-Api-Key", tc.header)
			}
			if w.Code != tc.status {
				t.Fatalf("answered %d %s, want %d", w.Code, w.Body, tc.status)
			}
			if tc.status != 200 {
				if inv.count() != 0 {
					t.Errorf("the integration ran")
				}
				return
			}
			var ev events.APIGatewayProxyRequest
			if err := json.Unmarshal(inv.last(t), &ev); err != nil {
				t.Fatal(err)
			}
			if ev.RequestContext.Identity.APIKeyID != tc.apiKeyID || ev.RequestContext.Identity.APIKey != key.Value {
				t.Errorf("identity %+v", ev.RequestContext.Identity)
			}
		})
	}
}

// TestAuthorizerInProxyEvent: what each kind of authorizer decided reaches a Lambda proxy
// integration where API Gateway puts it (events.APIGatewayProxyRequest decodes it).
func TestAuthorizerInProxyEvent(t *testing.T) {
	for _, tc := range []struct {
		name       string
		decision   authorizer.Decision
		authorizer map[string]any // requestContext.authorizer, as JSON decodes it
		identity   events.APIGatewayRequestIdentity
	}{
		{"lambda", authorizer.Decision{AuthorizationType: model.AuthorizationCustom, PrincipalID: "user-1",
			Context: map[string]any{"stringKey": "value", "numberKey": float64(1), "booleanKey": true}, Latency: 42 * time.Millisecond},
			map[string]any{"principalId": "user-1", "integrationLatency": float64(42), "stringKey": "value", "numberKey": "1", "booleanKey": "true"},
			events.APIGatewayRequestIdentity{}},
		{"lambda from the cache", authorizer.Decision{AuthorizationType: model.AuthorizationCustom, PrincipalID: "user-1", Cached: true},
			map[string]any{"principalId": "user-1", "integrationLatency": float64(0)},
			events.APIGatewayRequestIdentity{}},
		{"cognito", authorizer.Decision{AuthorizationType: model.AuthorizationCognito,
			Claims: map[string]any{"sub": "abc", "email_verified": true, "exp": float64(1680629979), "custom:role": "admin"}},
			map[string]any{"claims": map[string]any{"sub": "abc", "email_verified": "true", "exp": "Tue Apr 04 17:39:39 UTC 2023", "custom:role": "admin"}},
			events.APIGatewayRequestIdentity{}},
		{"iam", authorizer.Decision{AuthorizationType: model.AuthorizationIAM, IAM: &authorizer.IAMIdentity{
			AccessKey: "AKIDLOCAL", AccountID: "123456789012", CallerID: "AROALOCAL:session", UserID: "AROALOCAL:session",
			UserARN: "arn:aws:sts::123456789012:assumed-role/Caller/session"}},
			nil,
			events.APIGatewayRequestIdentity{AccessKey: "AKIDLOCAL", AccountID: "123456789012", Caller: "AROALOCAL:session",
				User: "AROALOCAL:session", UserArn: "arn:aws:sts::123456789012:assumed-role/Caller/session"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := &fakeInvoker{}
			s, _ := newTestServer(t, testAPI(res("/items", protected("GET", tc.decision.AuthorizationType, "Auth"))), inv, withAuth(deciding(tc.decision)))
			if w := do(s, "GET", "/items", "", "User-Agent", "ua"); w.Code != 200 {
				t.Fatalf("answered %d %s", w.Code, w.Body)
			}
			var ev events.APIGatewayProxyRequest
			if err := json.Unmarshal(inv.last(t), &ev); err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(ev.RequestContext.Authorizer, tc.authorizer) {
				t.Errorf("requestContext.authorizer = %v, want %v", ev.RequestContext.Authorizer, tc.authorizer)
			}
			id := ev.RequestContext.Identity
			id.SourceIP, id.UserAgent = "", ""
			if id != tc.identity {
				t.Errorf("requestContext.identity = %+v, want %+v", id, tc.identity)
			}
			// Without IAM the IAM identity fields stay null, as for any anonymous caller.
			var raw struct {
				RequestContext struct {
					Identity map[string]any `json:"identity"`
				} `json:"requestContext"`
			}
			_ = json.Unmarshal(inv.last(t), &raw)
			if tc.decision.IAM == nil && raw.RequestContext.Identity["userArn"] != nil {
				t.Errorf("identity.userArn = %v, want null", raw.RequestContext.Identity["userArn"])
			}
		})
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestAuthorizerInTemplates: mapping templates and parameter mappings read the decision as
// $context.authorizer.* and $context.identity.*.
func TestAuthorizerInTemplates(t *testing.T) {
	// Quiet references: a variable the decision does not set renders empty rather than as
	// its own text.
	tmpl := `{"p":"$!context.authorizer.principalId","k":"$!context.authorizer.key","n":"$!context.authorizer.numKey",` +
		`"sub":"$!context.authorizer.claims.sub","role":"$!context.authorizer.claims['custom:role']",` +
		`"arn":"$!context.identity.userArn","caller":"$!context.identity.caller"}`
	for _, tc := range []struct {
		name     string
		decision authorizer.Decision
		want     string
	}{
		{"lambda", authorizer.Decision{AuthorizationType: model.AuthorizationCustom, PrincipalID: "me",
			Context: map[string]any{"key": "value", "numKey": float64(1)}},
			`{"p":"me","k":"value","n":"1","sub":"","role":"","arn":"","caller":""}`},
		{"cognito", authorizer.Decision{AuthorizationType: model.AuthorizationCognito,
			Claims: map[string]any{"sub": "abc", "custom:role": "admin"}},
			`{"p":"","k":"","n":"","sub":"abc","role":"admin","arn":"","caller":""}`},
		{"iam", authorizer.Decision{AuthorizationType: model.AuthorizationIAM,
			IAM: &authorizer.IAMIdentity{CallerID: "AROA:s", UserARN: "arn:aws:sts::123456789012:assumed-role/R/s"}},
			`{"p":"","k":"","n":"","sub":"","role":"","arn":"arn:aws:sts::123456789012:assumed-role/R/s","caller":"AROA:s"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mockMethod("GET", 200, tmpl)
			m.AuthorizationType, m.AuthorizerLogicalID = tc.decision.AuthorizationType, "Auth"
			m.Integration.IntegrationResponses[0].ResponseParameters = map[string]string{
				"method.response.header.X-Principal": "context.authorizer.principalId",
			}
			m.MethodResponses[0].ResponseParameters = map[string]bool{"method.response.header.X-Principal": false}
			s, _ := newTestServer(t, testAPI(res("/t", m)), &fakeInvoker{}, withAuth(deciding(tc.decision)))
			w := do(s, "GET", "/t", "")
			if w.Code != 200 || w.Body.String() != tc.want {
				t.Errorf("answered %d %s, want %s", w.Code, w.Body, tc.want)
			}
			if got := w.Header().Get("X-Principal"); got != tc.decision.PrincipalID {
				t.Errorf("X-Principal %q, want %q", got, tc.decision.PrincipalID)
			}
		})
	}
}

// invokerFunc is a Lambda host made of one function, for the authorizer package's Set.
type invokerFunc func(ctx context.Context, function string, payload []byte) (*lambdahost.Result, error)

func (f invokerFunc) Invoke(ctx context.Context, function string, payload []byte) (*lambdahost.Result, error) {
	return f(ctx, function, payload)
}

// TestLambdaTokenAuthorizerEndToEnd runs a real authorizer.Set with a TOKEN authorizer function
// in front of a Lambda proxy method: allow, deny, no token, a crashing authorizer, and the
// answer reused from the cache.
func TestLambdaTokenAuthorizerEndToEnd(t *testing.T) {
	api := testAPI(res("/items", protected("GET", model.AuthorizationCustom, "TokenAuth")))
	api.Authorizers = map[string]*model.Authorizer{"TokenAuth": {LogicalID: "TokenAuth", Name: "token-auth", Type: model.AuthorizerToken,
		Function: "authfn", IdentitySource: []string{"method.request.header.Authorization"}, ResultTTL: 300 * time.Second}}
	var mu sync.Mutex
	calls := 0
	set, err := authorizer.New(api, authorizer.Options{Account: "123456789012", Region: "us-east-1",
		Invoker: invokerFunc(func(_ context.Context, fn string, payload []byte) (*lambdahost.Result, error) {
			mu.Lock()
			calls++
			mu.Unlock()
			var ev events.APIGatewayCustomAuthorizerRequest
			if err := json.Unmarshal(payload, &ev); err != nil || fn != "authfn" {
				return nil, err
			}
			effect := "Allow"
			switch ev.AuthorizationToken {
			case "crash":
				return &lambdahost.Result{FunctionError: &lambdahost.FunctionError{Type: "Error", Message: "boom"}}, nil
			case "deny":
				effect = "Deny"
			}
			b, _ := json.Marshal(map[string]any{"principalId": "user-" + ev.AuthorizationToken,
				"policyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
					"Action": "execute-api:Invoke", "Effect": effect, "Resource": ev.MethodArn}}},
				"context": map[string]any{"tier": "gold", "n": 3}})
			return &lambdahost.Result{Payload: b}, nil
		})})
	if err != nil {
		t.Fatal(err)
	}
	inv := &fakeInvoker{}
	s, _ := newTestServer(t, api, inv, withAuth(set))

	w := do(s, "GET", "/items", "", "Authorization", "alice")
	if w.Code != 200 {
		t.Fatalf("allowed token answered %d %s", w.Code, w.Body)
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(inv.last(t), &ev); err != nil {
		t.Fatal(err)
	}
	if a := ev.RequestContext.Authorizer; a["principalId"] != "user-alice" || a["tier"] != "gold" || a["n"] != "3" || a["integrationLatency"] == nil {
		t.Errorf("requestContext.authorizer = %v", a)
	}
	if w := do(s, "GET", "/items", "", "Authorization", "alice"); w.Code != 200 {
		t.Errorf("second request answered %d", w.Code)
	}
	mu.Lock()
	n := calls
	mu.Unlock()
	if n != 1 {
		t.Errorf("the authorizer ran %d times for one token within its TTL", n)
	}
	for _, tc := range []struct {
		token  string
		status int
		body   string
	}{
		{"deny", 403, `{"Message":"User is not authorized to access this resource with an explicit deny"}`},
		{"", 401, `{"message":"Unauthorized"}`},
		{"crash", 500, `{"message":null}`},
	} {
		before := inv.count()
		var w = do(s, "GET", "/items", "")
		if tc.token != "" {
			w = do(s, "GET", "/items", "", "Authorization", tc.token)
		}
		if w.Code != tc.status || w.Body.String() != tc.body {
			t.Errorf("token %q answered %d %s, want %d %s", tc.token, w.Code, w.Body, tc.status, tc.body)
		}
		if inv.count() != before {
			t.Errorf("token %q reached the integration", tc.token)
		}
	}
}

// FuzzAuthorizedServe: no request and no authorizer answer can crash the server, and a request
// is let through only when the authorizer's answer allows it (an answer without "Allow" never
// reaches the integration).
func FuzzAuthorizedServe(f *testing.F) {
	var answerMu sync.Mutex
	answerNow := ""
	set, err := authorizer.New(fuzzAuthAPI(), authorizer.Options{Account: "123456789012", Region: "us-east-1",
		Invoker: invokerFunc(func(context.Context, string, []byte) (*lambdahost.Result, error) {
			answerMu.Lock()
			defer answerMu.Unlock()
			return &lambdahost.Result{Payload: []byte(answerNow)}, nil
		})})
	if err != nil {
		f.Fatal(err)
	}
	inv := &fakeInvoker{}
	s, _ := newTestServer(f, fuzzAuthAPI(), inv, withAuth(set))
	allow := `{"principalId":"u","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"*"}]},"context":{"a.b":"c","claims.x":1,"":true}}`
	f.Add("GET", "/token/1", "tok", allow)
	f.Add("POST", "/request/x%2Fy", "tok", `{"principalId":"u","policyDocument":{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}}`)
	f.Add("GET", "/token/1", "", `{"principalId":`)
	f.Add("GET", "/request/1", "\x00", `{"principalId":"u","policyDocument":{"Statement":{"Effect":"Allow","Action":"execute-api:*","Resource":["arn:aws:execute-api:*"]}},"usageIdentifierKey":7}`)
	f.Add("GET", "/token/1", "t", `{"principalId":"u","policyDocument":{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]},"context":{"x":{"nested":1}}}`)
	f.Fuzz(func(t *testing.T, method, path, token, answer string) {
		answerMu.Lock()
		answerNow = answer
		answerMu.Unlock()
		req := httptest.NewRequest("GET", "/", nil)
		req.Method = method
		req.Header.Set("Authorization", token)
		before := inv.count()
		w := httptest.NewRecorder()
		s.Serve(w, req, Target{Stage: s.api.Stages[0], Path: path})
		if w.Code < 100 || w.Code > 599 || w.Header().Get("X-Amzn-Requestid") == "" {
			t.Fatalf("status %d, headers %v", w.Code, w.Header())
		}
		if inv.count() != before && !strings.Contains(answer, "Allow") {
			t.Fatalf("answer %q let %s %s through (%d)", answer, method, path, w.Code)
		}
	})
}

// fuzzAuthAPI has a method behind a TOKEN authorizer and one behind a REQUEST authorizer, both
// uncached so every request asks the function.
func fuzzAuthAPI() *model.API {
	api := testAPI(
		res("/token/{id}", protected("GET", model.AuthorizationCustom, "Token")),
		res("/request/{proxy+}", protected("ANY", model.AuthorizationCustom, "Request")),
	)
	api.Authorizers = map[string]*model.Authorizer{
		"Token": {LogicalID: "Token", Type: model.AuthorizerToken, Function: "authfn",
			IdentitySource: []string{"method.request.header.Authorization"}, IdentityValidationExpression: "^[^x]*$"},
		"Request": {LogicalID: "Request", Type: model.AuthorizerRequest, Function: "authfn"},
	}
	return api
}

// TestIAMEndToEnd runs a real authorizer.Set for an AWS_IAM method: a request signed with
// SigV4 (body included) by a principal the runner issued credentials to reaches the
// integration with its identity; unsigned, unknown-key, tampered and not-allowed requests get
// API Gateway's IAM answers.
func TestIAMEndToEnd(t *testing.T) {
	api := testAPI(res("/items", protected("POST", model.AuthorizationIAM, "")))
	principals := map[string]*authorizer.Principal{
		"AKIDALLOWED": {AccessKeyID: "AKIDALLOWED", Secret: "secret-allowed", AccountID: "123456789012", UserID: "AROAALLOWED:s",
			ARN:        "arn:aws:sts::123456789012:assumed-role/Allowed/s",
			Statements: []*model.Statement{{Effect: "Allow", Actions: []string{"execute-api:Invoke"}, Resources: []string{"arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/POST/items"}}}},
		"AKIDOTHER": {AccessKeyID: "AKIDOTHER", Secret: "secret-other", AccountID: "123456789012", UserID: "AROAOTHER:s",
			ARN:        "arn:aws:sts::123456789012:assumed-role/Other/s",
			Statements: []*model.Statement{{Effect: "Allow", Actions: []string{"execute-api:Invoke"}, Resources: []string{"arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/*"}}}},
	}
	set, err := authorizer.New(api, authorizer.Options{Account: "123456789012", Region: "us-east-1", Now: func() time.Time { return testNow },
		Principals: func(id string) (*authorizer.Principal, bool) { p, ok := principals[id]; return p, ok }})
	if err != nil {
		t.Fatal(err)
	}
	inv := &fakeInvoker{}
	s, _ := newTestServer(t, api, inv, withAuth(set))
	request := func(key, secret, signedBody, sentBody string) *http.Request {
		r := httptest.NewRequest("POST", "http://abcdef1234.execute-api.localhost/items", strings.NewReader(sentBody))
		if key != "" {
			sum := sha256.Sum256([]byte(signedBody))
			if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}, r,
				hex.EncodeToString(sum[:]), "execute-api", "us-east-1", testNow); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	w := serve(s, request("AKIDALLOWED", "secret-allowed", `{"n":1}`, `{"n":1}`))
	if w.Code != 200 {
		t.Fatalf("signed request answered %d %s", w.Code, w.Body)
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(inv.last(t), &ev); err != nil {
		t.Fatal(err)
	}
	if id := ev.RequestContext.Identity; id.UserArn != "arn:aws:sts::123456789012:assumed-role/Allowed/s" || id.AccessKey != "AKIDALLOWED" ||
		id.Caller != "AROAALLOWED:s" || id.User != "AROAALLOWED:s" || id.AccountID != "123456789012" || ev.Body != `{"n":1}` {
		t.Errorf("identity %+v, body %q", id, ev.Body)
	}
	for _, tc := range []struct {
		name      string
		req       *http.Request
		status    int
		errorType string
		body      string // a prefix of the answer
	}{
		{"unsigned", request("", "", "", "{}"), 403, "MissingAuthenticationTokenException", `{"message":"Missing Authentication Token"}`},
		{"a key the runner did not issue", request("AKIDUNKNOWN", "x", "{}", "{}"), 403, "UnrecognizedClientException", `{"message":"The security token included in the request is invalid."}`},
		{"a body other than the one signed", request("AKIDALLOWED", "secret-allowed", `{"n":1}`, `{"n":2}`), 403, "InvalidSignatureException", `{"message":"The request signature we calculated does not match`},
		{"a principal not allowed on this method", request("AKIDOTHER", "secret-other", "{}", "{}"), 403, "AccessDeniedException", `{"Message":"User: arn:aws:sts::123456789012:assumed-role/Other/s is not authorized to perform: execute-api:Invoke`},
	} {
		before := inv.count()
		w := serve(s, tc.req)
		if w.Code != tc.status || !strings.HasPrefix(w.Body.String(), tc.body) || w.Header().Get("X-Amzn-Errortype") != tc.errorType {
			t.Errorf("%s: answered %d %s (%s), want %d %s… (%s)", tc.name, w.Code, w.Body, w.Header().Get("X-Amzn-Errortype"), tc.status, tc.body, tc.errorType)
		}
		if inv.count() != before {
			t.Errorf("%s: reached the integration", tc.name)
		}
	}
}

// TestCognitoEndToEnd runs a real authorizer.Set for a COGNITO_USER_POOLS method with keys
// from a local issuer: an identity token's claims reach the integration as strings under
// requestContext.authorizer.claims and templates as $context.authorizer.claims.*; an expired
// token, a token of another issuer and no token get 401.
func TestCognitoEndToEnd(t *testing.T) {
	pool, err := issuer.New("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Local")
	if err != nil {
		t.Fatal(err)
	}
	other, err := issuer.New("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other")
	if err != nil {
		t.Fatal(err)
	}
	keys := jwtverify.NewStore()
	if err := keys.Add(pool.URL(), pool.JWKS()); err != nil {
		t.Fatal(err)
	}
	if err := keys.Add(other.URL(), other.JWKS()); err != nil {
		t.Fatal(err)
	}
	who := mockMethod("GET", 200, `$context.authorizer.claims.sub $context.authorizer.claims['custom:role']`)
	who.AuthorizationType, who.AuthorizerLogicalID = model.AuthorizationCognito, "Pool"
	api := testAPI(res("/items", protected("GET", model.AuthorizationCognito, "Pool")), res("/who", who))
	api.Authorizers = map[string]*model.Authorizer{"Pool": {LogicalID: "Pool", Type: model.AuthorizerCognito, Issuers: []string{pool.URL()},
		ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Local"}, IdentitySource: []string{"method.request.header.Authorization"}}}
	set, err := authorizer.New(api, authorizer.Options{Account: "123456789012", Region: "us-east-1", JWKS: keys})
	if err != nil {
		t.Fatal(err)
	}
	inv := &fakeInvoker{}
	s, _ := newTestServer(t, api, inv, withAuth(set))
	mint := func(iss *issuer.Issuer, expiresIn time.Duration) string {
		tok, err := iss.Mint(issuer.Claims{Subject: "user-1", Audience: []string{"client1"}, TokenUse: "id", ExpiresIn: expiresIn,
			Extra: map[string]any{"custom:role": "admin", "email_verified": true}})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	good := mint(pool, time.Hour)
	if w := do(s, "GET", "/items", "", "Authorization", good); w.Code != 200 {
		t.Fatalf("a valid identity token answered %d %s", w.Code, w.Body)
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(inv.last(t), &ev); err != nil {
		t.Fatal(err)
	}
	claims, _ := ev.RequestContext.Authorizer["claims"].(map[string]any)
	if claims["sub"] != "user-1" || claims["custom:role"] != "admin" || claims["email_verified"] != "true" || claims["token_use"] != "id" {
		t.Errorf("requestContext.authorizer = %v", ev.RequestContext.Authorizer)
	}
	if exp, _ := claims["exp"].(string); !strings.HasSuffix(exp, " UTC "+strconv.Itoa(time.Now().Add(time.Hour).UTC().Year())) {
		t.Errorf("claims.exp = %v, want a date as API Gateway writes it", claims["exp"])
	}
	if w := do(s, "GET", "/who", "", "Authorization", good); w.Code != 200 || w.Body.String() != "user-1 admin" {
		t.Errorf("template answered %d %q", w.Code, w.Body)
	}
	for _, tc := range []struct{ name, token string }{
		{"expired", mint(pool, -time.Minute)},
		{"another pool's", mint(other, time.Hour)},
		{"garbage", "not.a.token"},
		{"none", ""},
	} {
		before := inv.count()
		var w = do(s, "GET", "/items", "")
		if tc.token != "" {
			w = do(s, "GET", "/items", "", "Authorization", tc.token)
		}
		if w.Code != 401 || w.Body.String() != `{"message":"Unauthorized"}` || inv.count() != before {
			t.Errorf("%s token: answered %d %s", tc.name, w.Code, w.Body)
		}
	}
}
