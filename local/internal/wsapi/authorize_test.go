package wsapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/gorilla/websocket"

	"github.com/gatehouse-dev/gatehouse/local/internal/authorizer"
	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// fakeAuth stands in for the API's *authorizer.Set: it records each request and answers with
// decide's decision, so the server's side (the handshake's answer, what every event of the
// connection carries) is tested apart from the authorizers themselves.
type fakeAuth struct {
	mu       sync.Mutex
	requests []*authorizer.Request
	decide   func(r *authorizer.Request) authorizer.Decision
}

func (f *fakeAuth) AuthorizeRoute(_ context.Context, route *model.Route, r *authorizer.Request) authorizer.Decision {
	f.mu.Lock()
	f.requests = append(f.requests, r)
	f.mu.Unlock()
	return f.decide(r)
}

func (f *fakeAuth) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func deciding(d authorizer.Decision) *fakeAuth {
	return &fakeAuth{decide: func(*authorizer.Request) authorizer.Decision { return d }}
}

// protectedRoutes are a $connect route guarded by authType, a two-way $default route, a MOCK
// route that answers with the authorizer's $context variables, and $disconnect.
func protectedRoutes(authType string) []*model.Route {
	connect := proxyRoute("$connect", "connect", false)
	connect.AuthorizationType, connect.AuthorizerLogicalID = authType, "Auth"
	if authType == model.AuthorizationIAM {
		connect.AuthorizerLogicalID = ""
	}
	whoami := twoWayRoute("whoami", &model.Integration{LogicalID: "Who", Type: model.IntegrationMock,
		RequestTemplates: map[string]string{"$default": `{"statusCode": 200}`},
		IntegrationResponses: []*model.IntegrationResponse{{Key: "$default", ResponseTemplates: map[string]string{
			"$default": `$!context.authorizer.principalId|$!context.authorizer.tier|$!context.identity.userArn|$!context.identity.caller`}}}})
	return []*model.Route{connect, proxyRoute("$default", "echo", true), whoami, proxyRoute("$disconnect", "disconnect", false)}
}

func okFunctions(a *testAPI) {
	ok := func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) { return reply("ok") }
	a.lambda.fns["connect"], a.lambda.fns["echo"], a.lambda.fns["disconnect"] = ok, ok, ok
}

// TestConnectAuthorizerRefusals: a refusal refuses the handshake with its status and body,
// before the $connect integration runs, and no connection is left open.
func TestConnectAuthorizerRefusals(t *testing.T) {
	for _, tc := range []struct {
		name     string
		authType string
		refusal  *authorizer.Refusal
	}{
		{"no identity source or Unauthorized", model.AuthorizationCustom, &authorizer.Refusal{Status: 401, ResponseType: "UNAUTHORIZED",
			ErrorType: "UnauthorizedException", Body: []byte(`{"message":"Unauthorized"}`)}},
		{"policy denies $connect", model.AuthorizationCustom, &authorizer.Refusal{Status: 403, ResponseType: "ACCESS_DENIED",
			ErrorType: "AccessDeniedException", Body: []byte(`{"message":"Forbidden"}`)}},
		{"authorizer crashed", model.AuthorizationCustom, &authorizer.Refusal{Status: 500, ResponseType: "AUTHORIZER_CONFIGURATION_ERROR",
			ErrorType: "AuthorizerConfigurationException", Body: []byte(`{"message":"Internal server error"}`)}},
		{"upgrade not signed", model.AuthorizationIAM, &authorizer.Refusal{Status: 403, ResponseType: "MISSING_AUTHENTICATION_TOKEN",
			ErrorType: "MissingAuthenticationTokenException", Body: []byte(`{"message":"Missing Authentication Token"}`)}},
		{"signed with an unknown key", model.AuthorizationIAM, &authorizer.Refusal{Status: 403, ResponseType: "INVALID_SIGNATURE",
			ErrorType: "UnrecognizedClientException", Body: []byte(`{"message":"The security token included in the request is invalid."}`)}},
		{"role may not connect", model.AuthorizationIAM, &authorizer.Refusal{Status: 403, ResponseType: "ACCESS_DENIED",
			ErrorType: "AccessDeniedException", Body: []byte(`{"Message":"User: arn:aws:sts::123456789012:assumed-role/R/s is not authorized"}`)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			auth := deciding(authorizer.Decision{AuthorizationType: tc.authType, Refusal: tc.refusal})
			a := newTestAPI(t, protectedRoutes(tc.authType), Options{Authorizers: auth})
			okFunctions(a)
			_, resp, err := websocket.DefaultDialer.Dial(a.url, nil)
			if err == nil || resp == nil {
				t.Fatalf("dial: err %v, response %v; want a refused handshake", err, resp)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.refusal.Status || string(body) != string(tc.refusal.Body) {
				t.Errorf("refused with %d %s, want %d %s", resp.StatusCode, body, tc.refusal.Status, tc.refusal.Body)
			}
			if got := resp.Header.Get("X-Amzn-Errortype"); got != tc.refusal.ErrorType {
				t.Errorf("x-amzn-ErrorType %q", got)
			}
			if n := a.lambda.count("$connect"); n != 0 {
				t.Errorf("$connect ran %d times for a refused upgrade", n)
			}
			if a.Connections() != 0 || auth.count() != 1 {
				t.Errorf("%d connections open, authorizer asked %d times", a.Connections(), auth.count())
			}
		})
	}
}

// TestConnectAuthorizerRequest: the authorizer gets the upgrade request as the CONNECT event
// describes it.
func TestConnectAuthorizerRequest(t *testing.T) {
	auth := deciding(authorizer.Decision{AuthorizationType: model.AuthorizationCustom, PrincipalID: "me"})
	a := newTestAPI(t, protectedRoutes(model.AuthorizationCustom), Options{Authorizers: auth})
	okFunctions(a)
	dial(t, a.url+"?token=abc&token=def", http.Header{"Auth": {"secret"}, "User-Agent": {"ua"}, "X-Api-Key": {"k"}})
	connect := a.lambda.last("$connect").RequestContext
	r := auth.requests[0]
	rc := r.Context
	if r.Protocol != model.ProtocolWebSocket || r.RouteKey != "$connect" || r.Method != "GET" || r.Stage != "dev" ||
		r.StageVariables["color"] != "blue" || r.RawQuery != "token=abc&token=def" || r.HTTP == nil {
		t.Errorf("request %+v", r)
	}
	if rc.ConnectionID != connect.ConnectionID || rc.RequestID != connect.RequestID || rc.APIID != "abc123" ||
		rc.DomainName != "abc123.execute-api.localhost" || rc.SourceIP != "127.0.0.1" || rc.UserAgent != "ua" ||
		rc.APIKey != "k" || rc.AccountID != "123456789012" || rc.ConnectedAt.UnixMilli() != connect.ConnectedAt {
		t.Errorf("request context %+v; the CONNECT event's %+v", rc, connect)
	}
	if h := r.Header; len(h["Auth"]) != 1 || h["Auth"][0] != "secret" || h["Host"][0] != "abc123.execute-api.localhost" || len(h["X-Forwarded-For"]) == 0 {
		t.Errorf("headers %v", h)
	}
	if v := r.ContextVar("connectionId"); v != connect.ConnectionID {
		t.Errorf("ContextVar(connectionId) = %q", v)
	}
}

// TestAuthorizerOnEveryEvent: what the $connect authorizer decided is in requestContext of the
// CONNECT event and of every later MESSAGE and DISCONNECT event of the connection, and in
// $context for templates and data mapping.
func TestAuthorizerOnEveryEvent(t *testing.T) {
	var backendHeader http.Header
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		backendHeader = r.Header.Clone()
		w.Write([]byte("mapped"))
	}))
	defer backend.Close()
	for _, tc := range []struct {
		name       string
		decision   authorizer.Decision
		authorizer map[string]any // requestContext.authorizer as JSON decodes it
		identity   events.APIGatewayRequestIdentity
		whoami     string
		principal  string // X-Principal mapped from context.authorizer.principalId
	}{
		{"lambda", authorizer.Decision{AuthorizationType: model.AuthorizationCustom, PrincipalID: "user-1",
			Context: map[string]any{"tier": "gold", "n": float64(3), "admin": false}, Latency: 7 * time.Millisecond},
			map[string]any{"principalId": "user-1", "integrationLatency": float64(7), "tier": "gold", "n": "3", "admin": "false"},
			events.APIGatewayRequestIdentity{}, "user-1|gold||", "user-1"},
		{"iam", authorizer.Decision{AuthorizationType: model.AuthorizationIAM, IAM: &authorizer.IAMIdentity{
			AccessKey: "AKIDLOCAL", AccountID: "123456789012", CallerID: "AROALOCAL:s", UserID: "AROALOCAL:s",
			UserARN: "arn:aws:sts::123456789012:assumed-role/R/s"}},
			nil,
			events.APIGatewayRequestIdentity{AccessKey: "AKIDLOCAL", AccountID: "123456789012", Caller: "AROALOCAL:s", User: "AROALOCAL:s",
				UserArn: "arn:aws:sts::123456789012:assumed-role/R/s"},
			"||arn:aws:sts::123456789012:assumed-role/R/s|AROALOCAL:s", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			routes := append(protectedRoutes(tc.decision.AuthorizationType), twoWayRoute("mapped", &model.Integration{
				LogicalID: "Mapped", Type: model.IntegrationHTTPProxy, URI: backend.URL,
				RequestParameters: map[string]string{"integration.request.header.X-Principal": "context.authorizer.principalId"}}))
			a := newTestAPI(t, routes, Options{Authorizers: deciding(tc.decision)})
			okFunctions(a)
			ws := dial(t, a.url, http.Header{"User-Agent": {"ua"}})
			ws.WriteMessage(websocket.TextMessage, []byte(`{"action":"anything"}`))
			if got := readText(t, ws); got != "ok" {
				t.Fatalf("$default answered %q", got)
			}
			ws.WriteMessage(websocket.TextMessage, []byte(`{"action":"whoami"}`))
			if got := readText(t, ws); got != tc.whoami {
				t.Errorf("template read %q, want %q", got, tc.whoami)
			}
			ws.WriteMessage(websocket.TextMessage, []byte(`{"action":"mapped"}`))
			if got := readText(t, ws); got != "mapped" {
				t.Errorf("mapped route answered %q", got)
			}
			if got := backendHeader.Get("X-Principal"); got != tc.principal {
				t.Errorf("data mapping sent X-Principal %q, want %q", got, tc.principal)
			}
			ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(1000, ""))
			a.lambda.waitFor(t, "$disconnect")
			for _, key := range []string{"$connect", "$default", "$disconnect"} {
				rc := a.lambda.last(key).RequestContext
				if !jsonEqual(rc.Authorizer, tc.authorizer) {
					t.Errorf("%s: requestContext.authorizer = %v, want %v", key, rc.Authorizer, tc.authorizer)
				}
				id := rc.Identity
				id.SourceIP, id.UserAgent = "", ""
				if id != tc.identity {
					t.Errorf("%s: requestContext.identity = %+v, want %+v", key, id, tc.identity)
				}
			}
		})
	}
}

// count is how many events for routeKey the functions have received.
func (f *fakeLambda) count(routeKey string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.events[routeKey])
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestUnprotectedConnectHasNoAuthorizer: without authorization, events carry no authorizer
// and the authorizers are not asked.
func TestUnprotectedConnectHasNoAuthorizer(t *testing.T) {
	auth := deciding(authorizer.Decision{Refusal: &authorizer.Refusal{Status: 401}})
	a := newTestAPI(t, protectedRoutes(model.AuthorizationNone), Options{Authorizers: auth})
	okFunctions(a)
	dial(t, a.url, nil)
	if rc := a.lambda.last("$connect").RequestContext; rc.Authorizer != nil || auth.count() != 0 {
		t.Errorf("authorizer %v; asked %d times", rc.Authorizer, auth.count())
	}
	var raw map[string]map[string]any
	a.lambda.mu.Lock()
	json.Unmarshal(a.lambda.raw["$connect"], &raw)
	a.lambda.mu.Unlock()
	if _, ok := raw["requestContext"]["authorizer"]; ok {
		t.Errorf("the CONNECT event has an authorizer key")
	}
}

// TestNoAuthorizersRefusesConnect: a server given no authorizers refuses a protected $connect.
func TestNoAuthorizersRefusesConnect(t *testing.T) {
	for _, authType := range []string{model.AuthorizationCustom, model.AuthorizationIAM, "JWT"} {
		a := newTestAPI(t, protectedRoutes(authType), Options{})
		okFunctions(a)
		_, resp, err := websocket.DefaultDialer.Dial(a.url, nil)
		if err == nil || resp == nil || resp.StatusCode != 500 {
			t.Errorf("%s: dial err %v, response %v; want 500", authType, err, resp)
		}
		if n := a.lambda.count("$connect"); n != 0 {
			t.Errorf("%s: $connect ran", authType)
		}
	}
}

// TestAPIKeyFromAuthorizer: with the API key selection expression
// $context.authorizer.usageIdentifierKey, a $connect route that requires an API key takes the
// authorizer's usageIdentifierKey, not a header.
func TestAPIKeyFromAuthorizer(t *testing.T) {
	key := &model.APIKey{ID: "key1", Value: "authorizer-chosen-key-01", Enabled: true, Stages: []model.APIStage{{APIID: "abc123", Stage: "dev"}}}
	for _, tc := range []struct {
		name   string
		chosen string
		header string
		status int
	}{
		{"the authorizer's key", key.Value, "", 101},
		{"an unknown key", "nope", key.Value, 403},
		{"no key from the authorizer", "", key.Value, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			routes := protectedRoutes(model.AuthorizationCustom)
			routes[0].APIKeyRequired = true
			api := &model.API{ID: "abc123", Protocol: model.ProtocolWebSocket, RouteSelectionExpression: "$request.body.action",
				APIKeySelectionExpression: "$context.authorizer.usageIdentifierKey",
				Stages:                    []*model.Stage{{Name: "dev"}}, Routes: routes}
			auth := deciding(authorizer.Decision{AuthorizationType: model.AuthorizationCustom, PrincipalID: "u", UsageIdentifierKey: tc.chosen})
			a := serveTestAPI(t, api, Options{Authorizers: auth, APIKeys: []*model.APIKey{key}})
			okFunctions(a)
			ws, resp, err := websocket.DefaultDialer.Dial(a.url, http.Header{"X-Api-Key": {tc.header}})
			if resp == nil || resp.StatusCode != tc.status {
				t.Fatalf("dial: %v, response %v; want %d", err, resp, tc.status)
			}
			if tc.status != 101 {
				return
			}
			defer ws.Close()
			if id := a.lambda.last("$connect").RequestContext.Identity; id.APIKey != key.Value {
				t.Errorf("CONNECT identity %+v", id)
			}
		})
	}
}

// TestAuthorizationOffConnectRefused: authorization on a route other than $connect is what API
// Gateway refuses to deploy; New says so rather than serve the route open.
func TestAuthorizationOffConnectRefused(t *testing.T) {
	for _, authType := range []string{model.AuthorizationCustom, model.AuthorizationIAM} {
		r := proxyRoute("sendmessage", "fn", false)
		r.AuthorizationType = authType
		api := &model.API{ID: "abc123", Protocol: model.ProtocolWebSocket, RouteSelectionExpression: "$request.body.action",
			Stages: []*model.Stage{{Name: "dev"}}, Routes: []*model.Route{r}}
		if _, err := New(api, newFakeLambda(), Options{}); err == nil || !strings.Contains(err.Error(), "only its $connect route") {
			t.Errorf("%s on sendmessage: New answered %v", authType, err)
		}
	}
}

// invokerFunc is a Lambda host made of one function, for the authorizer package's Set.
type invokerFunc func(ctx context.Context, function string, payload []byte) (*lambdahost.Result, error)

func (f invokerFunc) Invoke(ctx context.Context, function string, payload []byte) (*lambdahost.Result, error) {
	return f(ctx, function, payload)
}

// TestLambdaRequestAuthorizerEndToEnd runs a real authorizer.Set with a REQUEST authorizer on
// $connect: allow (its context reaches a later MESSAGE), deny, a missing identity source (401
// without invoking) and a crashing authorizer (500).
func TestLambdaRequestAuthorizerEndToEnd(t *testing.T) {
	routes := protectedRoutes(model.AuthorizationCustom)
	api := &model.API{ID: "abc123", Protocol: model.ProtocolWebSocket, RouteSelectionExpression: "$request.body.action",
		Stages: []*model.Stage{{Name: "dev"}}, Routes: routes,
		Authorizers: map[string]*model.Authorizer{"Auth": {LogicalID: "Auth", Name: "ws-auth", Type: model.AuthorizerRequest,
			Function: "authfn", IdentitySource: []string{"route.request.header.Auth"}}}}
	var mu sync.Mutex
	calls := 0
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return calls
	}
	set, err := authorizer.New(api, authorizer.Options{Account: "123456789012", Region: "us-east-1",
		Invoker: invokerFunc(func(_ context.Context, fn string, payload []byte) (*lambdahost.Result, error) {
			mu.Lock()
			calls++
			mu.Unlock()
			var ev events.APIGatewayCustomAuthorizerRequestTypeRequest
			if err := json.Unmarshal(payload, &ev); err != nil {
				return nil, err
			}
			token := ev.Headers["Auth"]
			if token == "crash" {
				return &lambdahost.Result{FunctionError: &lambdahost.FunctionError{Type: "Error", Message: "boom"}}, nil
			}
			effect := "Allow"
			if token == "deny" {
				effect = "Deny"
			}
			b, _ := json.Marshal(map[string]any{"principalId": "user-" + token,
				"policyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
					"Action": "execute-api:Invoke", "Effect": effect, "Resource": ev.MethodArn}}},
				"context": map[string]any{"tier": "gold"}})
			return &lambdahost.Result{Payload: b}, nil
		})})
	if err != nil {
		t.Fatal(err)
	}
	a := serveTestAPI(t, api, Options{Authorizers: set})
	okFunctions(a)

	ws := dial(t, a.url, http.Header{"Auth": {"alice"}})
	ws.WriteMessage(websocket.TextMessage, []byte(`{"action":"whoami"}`))
	if got := readText(t, ws); got != "user-alice|gold||" {
		t.Errorf("whoami answered %q", got)
	}
	ws.WriteMessage(websocket.TextMessage, []byte(`{"action":"other"}`))
	readText(t, ws)
	if au := a.lambda.last("$default").RequestContext.Authorizer; au == nil {
		t.Errorf("the MESSAGE event has no authorizer")
	} else if m := au.(map[string]any); m["principalId"] != "user-alice" || m["tier"] != "gold" {
		t.Errorf("the MESSAGE event's authorizer is %v", m)
	}
	for _, tc := range []struct {
		auth   string
		status int
	}{{"deny", 403}, {"", 401}, {"crash", 500}} {
		before := count()
		h := http.Header{}
		if tc.auth != "" {
			h.Set("Auth", tc.auth)
		}
		_, resp, err := websocket.DefaultDialer.Dial(a.url, h)
		if err == nil || resp == nil || resp.StatusCode != tc.status {
			t.Errorf("Auth %q: dial %v, response %v; want %d", tc.auth, err, resp, tc.status)
		}
		if tc.auth == "" && count() != before {
			t.Errorf("the authorizer ran for a request without its identity source")
		}
	}
	if n := a.lambda.count("$connect"); n != 1 {
		t.Errorf("$connect ran %d times; only the allowed connection should reach it", n)
	}
}

// FuzzConnectAuthorizer: no upgrade request and no authorizer answer can crash the server, and
// only an answer that allows lets $connect run. The recorder cannot be hijacked, so an allowed
// upgrade ends in a failed handshake after $connect, which is enough to see the decision.
func FuzzConnectAuthorizer(f *testing.F) {
	routes := protectedRoutes(model.AuthorizationCustom)
	api := &model.API{ID: "abc123", Protocol: model.ProtocolWebSocket, RouteSelectionExpression: "$request.body.action",
		APIKeySelectionExpression: "$context.authorizer.usageIdentifierKey",
		Stages:                    []*model.Stage{{Name: "dev"}}, Routes: routes,
		Authorizers: map[string]*model.Authorizer{"Auth": {LogicalID: "Auth", Type: model.AuthorizerRequest, Function: "authfn",
			IdentitySource: []string{"route.request.header.Auth", "route.request.querystring.t"}}}}
	var mu sync.Mutex
	answer := ""
	set, err := authorizer.New(api, authorizer.Options{Account: "123456789012", Region: "us-east-1",
		Invoker: invokerFunc(func(context.Context, string, []byte) (*lambdahost.Result, error) {
			mu.Lock()
			defer mu.Unlock()
			return &lambdahost.Result{Payload: []byte(answer)}, nil
		})})
	if err != nil {
		f.Fatal(err)
	}
	fl := newFakeLambda()
	fl.fns["connect"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) { return reply("") }
	s, err := New(api, fl, Options{Account: "123456789012", Region: "us-east-1", Authorizers: set})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(s.Close)
	f.Add("secret", "t=1", `{"principalId":"u","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"*"}]},"context":{"a.b":"c","":1}}`)
	f.Add("secret", "t=1&t=2", `{"principalId":"u","policyDocument":{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}}`)
	f.Add("", "", `null`)
	f.Add("\x00", "t=%zz", `{"principalId":"u","policyDocument":{"Statement":{"Effect":"Allow","Action":"execute-api:*","Resource":"arn:*"}},"usageIdentifierKey":"k"}`)
	f.Fuzz(func(t *testing.T, auth, query, ans string) {
		mu.Lock()
		answer = ans
		mu.Unlock()
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.RawQuery = query
		req.Header.Set("Connection", "Upgrade")
		req.Header.Set("Upgrade", "websocket")
		req.Header.Set("Sec-WebSocket-Version", "13")
		req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
		req.Header["Auth"] = []string{auth}
		fl.mu.Lock()
		before := len(fl.events["$connect"])
		fl.mu.Unlock()
		w := httptest.NewRecorder()
		s.Serve(w, req, Target{Stage: api.Stages[0], Path: "/", DomainName: "abc123.execute-api.localhost"})
		if w.Code < 100 || w.Code > 599 {
			t.Fatalf("status %d", w.Code)
		}
		fl.mu.Lock()
		after := len(fl.events["$connect"])
		fl.mu.Unlock()
		if after != before && !strings.Contains(ans, "Allow") {
			t.Fatalf("answer %q let $connect run", ans)
		}
	})
}

// TestIAMConnectEndToEnd runs a real authorizer.Set for an AWS_IAM $connect: an upgrade signed
// with SigV4 by a principal the runner issued credentials to connects, and its identity is in
// the connection's events; unsigned, unknown-key and not-allowed upgrades are refused.
func TestIAMConnectEndToEnd(t *testing.T) {
	api := &model.API{ID: "abc123", Protocol: model.ProtocolWebSocket, RouteSelectionExpression: "$request.body.action",
		Stages: []*model.Stage{{Name: "dev"}}, Routes: protectedRoutes(model.AuthorizationIAM)}
	principals := map[string]*authorizer.Principal{
		"AKIDALLOWED": {AccessKeyID: "AKIDALLOWED", Secret: "secret-allowed", AccountID: "123456789012", UserID: "AROAALLOWED:s",
			ARN:        "arn:aws:sts::123456789012:assumed-role/Allowed/s",
			Statements: []*model.Statement{{Effect: "Allow", Actions: []string{"execute-api:Invoke"}, Resources: []string{"arn:aws:execute-api:us-east-1:123456789012:abc123/dev/$connect"}}}},
		"AKIDOTHER": {AccessKeyID: "AKIDOTHER", Secret: "secret-other", AccountID: "123456789012", UserID: "AROAOTHER:s",
			ARN:        "arn:aws:sts::123456789012:assumed-role/Other/s",
			Statements: []*model.Statement{{Effect: "Allow", Actions: []string{"execute-api:Invoke"}, Resources: []string{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*"}}}},
	}
	set, err := authorizer.New(api, authorizer.Options{Account: "123456789012", Region: "us-east-1",
		Principals: func(id string) (*authorizer.Principal, bool) { p, ok := principals[id]; return p, ok }})
	if err != nil {
		t.Fatal(err)
	}
	a := serveTestAPI(t, api, Options{Authorizers: set})
	okFunctions(a)
	signedHeader := func(key, secret string) http.Header {
		req := httptest.NewRequest("GET", strings.Replace(a.url, "ws://", "http://", 1), nil)
		req.Host = req.URL.Host
		sum := sha256.Sum256(nil)
		if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}, req,
			hex.EncodeToString(sum[:]), "execute-api", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		return http.Header{"Authorization": req.Header["Authorization"], "X-Amz-Date": req.Header["X-Amz-Date"]}
	}

	ws := dial(t, a.url, signedHeader("AKIDALLOWED", "secret-allowed"))
	ws.WriteMessage(websocket.TextMessage, []byte(`{"action":"whoami"}`))
	if got := readText(t, ws); got != "||arn:aws:sts::123456789012:assumed-role/Allowed/s|AROAALLOWED:s" {
		t.Errorf("whoami answered %q", got)
	}
	if id := a.lambda.last("$connect").RequestContext.Identity; id.UserArn != "arn:aws:sts::123456789012:assumed-role/Allowed/s" ||
		id.AccessKey != "AKIDALLOWED" || id.AccountID != "123456789012" || id.Caller != "AROAALLOWED:s" {
		t.Errorf("CONNECT identity %+v", id)
	}
	for _, tc := range []struct {
		name   string
		header http.Header
		status int
	}{
		{"unsigned", nil, 403},
		{"a key the runner did not issue", signedHeader("AKIDUNKNOWN", "x"), 403},
		{"a wrong secret", signedHeader("AKIDALLOWED", "wrong"), 403},
		{"a principal not allowed on this stage", signedHeader("AKIDOTHER", "secret-other"), 403},
	} {
		_, resp, err := websocket.DefaultDialer.Dial(a.url, tc.header)
		if err == nil || resp == nil || resp.StatusCode != tc.status {
			t.Errorf("%s: dial %v, response %v; want %d", tc.name, err, resp, tc.status)
		}
	}
	if n := a.lambda.count("$connect"); n != 1 {
		t.Errorf("$connect ran %d times; only the allowed connection should reach it", n)
	}
}
