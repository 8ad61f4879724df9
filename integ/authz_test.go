package integ

// The authorizer example (examples/authz, stack GatehouseAuthExample) against the runner with
// real clients: HTTP, WebSocket (gorilla/websocket) and SigV4 (aws-sdk-go-v2's signer). HS256
// tokens for the Lambda authorizers are signed with the example's demo secret, as
// examples/authz/hstoken does; RS256 tokens for the JWT and Cognito authorizers come from local
// issuers whose keys the runner was started with (newIssuers, from TestMain).

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/gorilla/websocket"

	"github.com/gatehouse-dev/gatehouse/examples/authz/guarded"
	"github.com/gatehouse-dev/gatehouse/lambdas/tokenauth"
	"github.com/gatehouse-dev/gatehouse/local"
	"github.com/gatehouse-dev/gatehouse/local/issuer"
)

// issuers holds a local issuer for every JWT and Cognito issuer of the example app, by URL.
var issuers = map[string]*issuer.Issuer{}

// newIssuers makes a local issuer for every issuer the assembly's JWT and Cognito authorizers
// trust, and returns their keys for Options.JWKSData: what `make run` does with --jwks.
func newIssuers(assembly string) (map[string][]byte, error) {
	apis, _, err := local.Describe(local.Options{Assembly: assembly})
	if err != nil {
		return nil, fmt.Errorf("listing the authorizers' issuers: %w", err)
	}
	jwks := map[string][]byte{}
	for _, api := range apis {
		for _, a := range api.Authorizers {
			for _, url := range a.Issuers {
				if issuers[url] != nil {
					continue
				}
				iss, err := issuer.New(url)
				if err != nil {
					return nil, fmt.Errorf("making a local issuer for %s: %w", url, err)
				}
				issuers[url] = iss
				jwks[url] = iss.JWKS()
			}
		}
	}
	return jwks, nil
}

func authzAPI(t *testing.T, name string) local.APIInfo {
	t.Helper()
	api, ok := runner.APIByName(name)
	if !ok {
		t.Fatalf("the runner serves no API named %s", name)
	}
	return api
}

func authzURL(t *testing.T, name, stage string) string {
	t.Helper()
	s, ok := authzAPI(t, name).Stage(stage)
	if !ok {
		t.Fatalf("API %s has no stage %q", name, stage)
	}
	return s.URL
}

// authzAuthorizer finds an authorizer of an API of the example by name.
func authzAuthorizer(t *testing.T, api, name string) local.AuthorizerInfo {
	t.Helper()
	for _, a := range authzAPI(t, api).Authorizers {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("API %s has no authorizer %q", api, name)
	return local.AuthorizerInfo{}
}

// hsToken is an HS256 token the example's Lambda authorizers accept (until ttl has passed).
func hsToken(t *testing.T, sub string, ttl time.Duration, scopes ...string) string {
	t.Helper()
	now := time.Now()
	claims := map[string]any{"sub": sub, "iat": now.Unix(), "exp": now.Add(ttl).Unix()}
	if len(scopes) > 0 {
		claims["scope"] = strings.Join(scopes, " ")
	}
	tok, err := tokenauth.Sign([]byte(guarded.TokenSecret), claims)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// mint is an RS256 token of the local issuer for url.
func mint(t *testing.T, url string, c issuer.Claims) string {
	t.Helper()
	iss := issuers[url]
	if iss == nil {
		t.Fatalf("no local issuer for %s (the runner has keys for %v)", url, keysOf(issuers))
	}
	tok, err := iss.Mint(c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func keysOf(m map[string]*issuer.Issuer) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// cognito is the example's user pool as the runner resolves it: the issuer both Cognito
// authorizers trust and the app client id the HTTP API's USER_POOL authorizer wants.
func cognito(t *testing.T) (issuerURL, clientID string) {
	t.Helper()
	a := authzAuthorizer(t, guarded.HTTPApiName, "users")
	if len(a.Issuers) != 1 || len(a.Audience) != 1 {
		t.Fatalf("USER_POOL authorizer %+v: want one issuer and one audience (the app client)", a)
	}
	if rest := authzAuthorizer(t, guarded.RestApiName, "users"); !slices.Equal(rest.Issuers, a.Issuers) {
		t.Fatalf("the REST API's Cognito authorizer trusts %v, the HTTP API's %v: one pool", rest.Issuers, a.Issuers)
	}
	return a.Issuers[0], a.Audience[0]
}

// seen is lambdas/authecho's answer: what the handler saw of the caller.
type seen struct {
	API        string         `json:"api"`
	Route      string         `json:"route"`
	Stage      string         `json:"stage"`
	EventType  string         `json:"eventType"`
	Authorizer map[string]any `json:"authorizer"`
	Identity   map[string]any `json:"identity"`
}

func decodeSeen(t *testing.T, body string) seen {
	t.Helper()
	var s seen
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatalf("the handler's answer %q: %v", body, err)
	}
	return s
}

// path reads a value out of nested JSON objects: path(m, "jwt", "claims", "sub").
func path(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		o, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = o[k]
	}
	return v
}

// tamper changes a claim of a signed token and keeps its signature.
func tamper(t *testing.T, token, claim string, value any) string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatal(err)
	}
	claims[claim] = value
	b, _ := json.Marshal(claims)
	parts[1] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}

// unsigned is a token with "alg": "none" and no signature, claiming whatever a valid token of
// that issuer would.
func unsigned(claims map[string]any) string {
	h, _ := json.Marshal(map[string]string{"alg": "none", "typ": "JWT"})
	c, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c) + "."
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

// callerCredentials are the credentials the runner issues for the example's caller role.
func callerCredentials(t *testing.T) aws.Credentials {
	t.Helper()
	creds, err := runner.Credentials(guarded.CallerRoleName)
	if err != nil {
		t.Fatal(err)
	}
	return creds
}

// sign signs req with SigV4 for execute-api, as an AWS SDK or `curl --aws-sigv4` would.
func sign(t *testing.T, req *http.Request, creds aws.Credentials) {
	t.Helper()
	sum := sha256.Sum256(nil)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "execute-api", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
}

// doSigned sends a bodiless request signed with creds.
func doSigned(t *testing.T, method, url string, creds aws.Credentials) result {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	sign(t, req, creds)
	h := map[string]string{}
	for k := range req.Header {
		h[k] = req.Header.Get(k)
	}
	return do(t, method, url, "", h)
}

func TestAuthzServed(t *testing.T) {
	want := map[string]map[string]string{
		guarded.HTTPApiName: {
			"GET /lambda": "CUSTOM lambda", "GET /admin": "CUSTOM admin",
			"GET /jwt": "JWT jwt [gatehouse/read]", "POST /jwt": "JWT jwt [gatehouse/write]",
			"GET /cognito": "JWT users [gatehouse/read]", "GET /iam": "AWS_IAM", "DELETE /iam": "AWS_IAM",
		},
		guarded.RestApiName: {
			"GET /token": "CUSTOM token", "GET /request": "CUSTOM request", "GET /vtl": "CUSTOM token",
			"GET /cognito": "COGNITO_USER_POOLS users [gatehouse/read]", "GET /iam": "AWS_IAM", "DELETE /iam": "AWS_IAM",
		},
		guarded.WebSocketApiName:    {"$connect": "CUSTOM token"},
		guarded.WebSocketIAMApiName: {"$connect": "AWS_IAM"},
	}
	for name, auth := range want {
		api := authzAPI(t, name)
		if api.Stack != guarded.StackName {
			t.Errorf("%s is in stack %s", name, api.Stack)
		}
		if fmt.Sprint(api.RouteAuth) != fmt.Sprint(auth) {
			t.Errorf("%s: routeAuth = %v\nwant %v", name, api.RouteAuth, auth)
		}
	}
	if a := authzAuthorizer(t, guarded.HTTPApiName, "jwt"); !slices.Equal(a.Issuers, []string{guarded.Issuer}) || !slices.Equal(a.Audience, []string{guarded.Audience}) {
		t.Errorf("JWT authorizer = %+v", a)
	}
	if a := authzAuthorizer(t, guarded.HTTPApiName, "lambda"); a.ResultTTLSeconds != 300 || a.Function == "" {
		t.Errorf("cached Lambda authorizer = %+v", a)
	}
	iss, client := cognito(t)
	if !strings.HasPrefix(iss, "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_") || client == "" {
		t.Errorf("user pool issuer %q, client %q", iss, client)
	}
}

// TestAuthzHTTP calls every route of the HTTP API with and without a valid identity, and
// checks where the authorizer's result lands in the payload 2.0 event.
func TestAuthzHTTP(t *testing.T) {
	base := authzURL(t, guarded.HTTPApiName, "$default")
	poolIssuer, client := cognito(t)
	jwtRead := mint(t, guarded.Issuer, issuer.Claims{Subject: "alice", Audience: []string{guarded.Audience}, Scopes: []string{guarded.ReadScope}})
	jwtBoth := mint(t, guarded.Issuer, issuer.Claims{Subject: "alice", Audience: []string{guarded.Audience}, Scopes: []string{guarded.ReadScope, guarded.WriteScope}})
	stranger, err := issuer.New(guarded.Issuer) // the right issuer URL, another key
	if err != nil {
		t.Fatal(err)
	}
	forged, _ := stranger.Mint(issuer.Claims{Subject: "mallory", Audience: []string{guarded.Audience}, Scopes: []string{guarded.ReadScope}})
	truncated := jwtRead[:len(jwtRead)-10]
	access := mint(t, poolIssuer, issuer.Claims{Subject: "carol", ClientID: client, TokenUse: "access", Scopes: []string{guarded.ReadScope}})
	idToken := mint(t, poolIssuer, issuer.Claims{Subject: "carol", Audience: []string{client}, TokenUse: "id"})
	otherClient := mint(t, poolIssuer, issuer.Claims{Subject: "carol", ClientID: "someotherclient", TokenUse: "access", Scopes: []string{guarded.ReadScope}})

	type check func(t *testing.T, s seen)
	authorizer := func(want string, keys ...string) check {
		return func(t *testing.T, s seen) {
			if got := fmt.Sprint(path(s.Authorizer, keys...)); got != want {
				t.Errorf("authorizer.%s = %s, want %s (authorizer %v)", strings.Join(keys, "."), got, want, s.Authorizer)
			}
		}
	}
	tests := []struct {
		name   string
		method string
		path   string
		header map[string]string
		status int
		checks []check
	}{
		{"open route", "GET", "/open", nil, 200, []check{func(t *testing.T, s seen) {
			if s.Authorizer != nil || s.API != "http" || s.Route != "GET /open" {
				t.Errorf("seen %+v", s)
			}
		}}},

		// Lambda, payload 2.0, simple responses: a refusal is a 403 (the function cannot ask
		// for 401); no identity at all is a 401 from API Gateway itself.
		{"lambda: allowed, context in authorizer.lambda", "GET", "/lambda", bearer(hsToken(t, "alice", time.Hour)), 200,
			[]check{authorizer("alice", "lambda", "user")}},
		{"lambda: missing identity", "GET", "/lambda", nil, 401, nil},
		{"lambda: garbage token", "GET", "/lambda", bearer("garbage"), 403, nil},
		{"lambda: expired token", "GET", "/lambda", bearer(hsToken(t, "alice", -time.Minute)), 403, nil},
		{"lambda: tampered token", "GET", "/lambda", bearer(tamper(t, hsToken(t, "alice", time.Hour), "sub", "root")), 403, nil},

		// Lambda, payload 1.0, IAM policy: Deny without the admin scope.
		{"admin: allowed by policy", "GET", "/admin", bearer(hsToken(t, "alice", time.Hour, guarded.AdminScope)), 200,
			[]check{authorizer("admin", "lambda", "scope")}},
		{"admin: denied by policy", "GET", "/admin", bearer(hsToken(t, "bob", time.Hour)), 403, nil},
		{"admin: missing identity", "GET", "/admin", nil, 401, nil},

		// JWT with route scopes.
		{"jwt: allowed, claims and scopes in authorizer.jwt", "GET", "/jwt", bearer(jwtRead), 200, []check{
			authorizer("alice", "jwt", "claims", "sub"), authorizer("["+guarded.ReadScope+"]", "jwt", "scopes"),
			authorizer(guarded.Issuer, "jwt", "claims", "iss"),
		}},
		{"jwt: the token without Bearer", "GET", "/jwt", map[string]string{"Authorization": jwtRead}, 200, nil},
		{"jwt: missing scope", "POST", "/jwt", bearer(jwtRead), 403, nil},
		{"jwt: one of the scopes", "POST", "/jwt", bearer(jwtBoth), 200, nil},
		{"jwt: missing identity", "GET", "/jwt", nil, 401, nil},
		{"jwt: expired", "GET", "/jwt", bearer(mint(t, guarded.Issuer, issuer.Claims{Subject: "alice", Audience: []string{guarded.Audience}, Scopes: []string{guarded.ReadScope}, ExpiresIn: -time.Minute})), 401, nil},
		{"jwt: not yet valid", "GET", "/jwt", bearer(mint(t, guarded.Issuer, issuer.Claims{Subject: "alice", Audience: []string{guarded.Audience}, Scopes: []string{guarded.ReadScope}, NotBefore: time.Now().Add(time.Hour)})), 401, nil},
		{"jwt: wrong audience", "GET", "/jwt", bearer(mint(t, guarded.Issuer, issuer.Claims{Subject: "alice", Audience: []string{"another-api"}, Scopes: []string{guarded.ReadScope}})), 401, nil},
		{"jwt: wrong issuer", "GET", "/jwt", bearer(mint(t, guarded.Issuer, issuer.Claims{Subject: "alice", Audience: []string{guarded.Audience}, Scopes: []string{guarded.ReadScope}, Extra: map[string]any{"iss": "https://evil.example"}})), 401, nil},
		{"jwt: tampered claims", "GET", "/jwt", bearer(tamper(t, jwtRead, "sub", "root")), 401, nil},
		{"jwt: signed by another key", "GET", "/jwt", bearer(forged), 401, nil},
		{"jwt: truncated signature", "GET", "/jwt", bearer(truncated), 401, nil},
		{"jwt: alg none", "GET", "/jwt", bearer(unsigned(map[string]any{
			"iss": guarded.Issuer, "aud": guarded.Audience, "sub": "root", "scope": guarded.ReadScope, "exp": time.Now().Add(time.Hour).Unix(),
		})), 401, nil},
		{"jwt: a Cognito token", "GET", "/jwt", bearer(access), 401, nil},

		// A Cognito user pool through a JWT authorizer: aud or client_id is the app client.
		{"cognito: access token", "GET", "/cognito", bearer(access), 200, []check{
			authorizer("carol", "jwt", "claims", "sub"), authorizer(client, "jwt", "claims", "client_id"),
		}},
		{"cognito: id token without the scope", "GET", "/cognito", bearer(idToken), 403, nil},
		{"cognito: another app client", "GET", "/cognito", bearer(otherClient), 401, nil},
		{"cognito: the JWT issuer's token", "GET", "/cognito", bearer(jwtRead), 401, nil},

		{"iam: unsigned", "GET", "/iam", nil, 403, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, tc.method, base+tc.path, "", tc.header)
			if r.status != tc.status {
				t.Fatalf("%s %s = %d %s, want %d", tc.method, tc.path, r.status, r.body, tc.status)
			}
			switch {
			case tc.status == 200:
				s := decodeSeen(t, r.body)
				if s.API != "http" || s.Route != tc.method+" "+tc.path {
					t.Errorf("the handler saw %+v", s)
				}
				for _, c := range tc.checks {
					c(t, s)
				}
			case tc.status == 401:
				if r.body != `{"message":"Unauthorized"}` {
					t.Errorf("body %s", r.body)
				}
			case tc.status == 403 && tc.path != "/iam":
				if r.body != `{"message":"Forbidden"}` {
					t.Errorf("body %s", r.body)
				}
			}
		})
	}
}

// TestAuthzIAM signs requests with the credentials the runner issues for the caller role,
// which its policy allows GET /iam and not DELETE /iam.
func TestAuthzIAM(t *testing.T) {
	creds := callerCredentials(t)
	wrongSecret := creds
	wrongSecret.SecretAccessKey = "not-the-secret"
	unknownKey := aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	roleARN := "arn:aws:sts::123456789012:assumed-role/" + guarded.CallerRoleName + "/gatehouse"
	httpBase := authzURL(t, guarded.HTTPApiName, "$default")
	restBase := authzURL(t, guarded.RestApiName, guarded.RestStage)
	for _, tc := range []struct {
		name, method, url string
		creds             aws.Credentials
		status            int
		body              string // a substring
	}{
		{"HTTP: allowed", "GET", httpBase + "/iam", creds, 200, `"userArn":"` + roleARN + `"`},
		{"HTTP: not allowed by the role's policy", "DELETE", httpBase + "/iam", creds, 403, "is not authorized to perform: execute-api:Invoke"},
		{"HTTP: wrong secret", "GET", httpBase + "/iam", wrongSecret, 403, ""},
		{"HTTP: a key the runner did not issue", "GET", httpBase + "/iam", unknownKey, 403, "The security token included in the request is invalid."},
		{"REST: allowed", "GET", restBase + "/iam", creds, 200, `"userArn":"` + roleARN + `"`},
		{"REST: not allowed by the role's policy", "DELETE", restBase + "/iam", creds, 403, `"type": "ACCESS_DENIED"`},
		{"REST: wrong secret", "GET", restBase + "/iam", wrongSecret, 403, ""},
		{"REST: a key the runner did not issue", "GET", restBase + "/iam", unknownKey, 403, "The security token included in the request is invalid."},
		{"REST: a signed request to an open method", "GET", restBase + "/open", creds, 200, `"authorizer":null`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := doSigned(t, tc.method, tc.url, tc.creds)
			if r.status != tc.status || !strings.Contains(r.body, tc.body) {
				t.Fatalf("%s %s = %d %s, want %d with %q", tc.method, tc.url, r.status, r.body, tc.status, tc.body)
			}
			if r.status != 200 || strings.HasSuffix(tc.url, "/open") {
				return
			}
			s := decodeSeen(t, r.body)
			// Payload 2.0 puts the caller in authorizer.iam, REST events in identity.
			id := s.Identity
			if s.API == "http" {
				id, _ = s.Authorizer["iam"].(map[string]any)
			}
			if id["accessKey"] != creds.AccessKeyID || id["accountId"] != "123456789012" || id["userArn"] != roleARN {
				t.Errorf("the handler saw the caller as %v", id)
			}
		})
	}
	// Unsigned: API Gateway's MISSING_AUTHENTICATION_TOKEN, which the example leaves as it is.
	r := do(t, "GET", restBase+"/iam", "", nil)
	if r.status != 403 || r.body != `{"message":"Missing Authentication Token"}` || r.header.Get("x-amzn-ErrorType") != "MissingAuthenticationTokenException" {
		t.Errorf("REST unsigned = %d %v %s", r.status, r.header, r.body)
	}
	// Refused by policy: the example's ACCESS_DENIED gateway response, which a browser on
	// Origin can read.
	r = doSigned(t, "DELETE", restBase+"/iam", creds)
	if r.status != 403 || r.header.Get("Access-Control-Allow-Origin") != guarded.Origin || r.header.Get("x-request-id") == "" {
		t.Errorf("REST denied = %d %v %s", r.status, r.header, r.body)
	}
}

// TestAuthzREST covers the REST API's TOKEN, REQUEST and Cognito authorizers, their context
// in the proxy event and in a mapping template, and the gateway responses.
func TestAuthzREST(t *testing.T) {
	base := authzURL(t, guarded.RestApiName, guarded.RestStage)
	poolIssuer, client := cognito(t)
	tok := hsToken(t, "dave", time.Hour, "reports")
	access := mint(t, poolIssuer, issuer.Claims{Subject: "erin", ClientID: client, TokenUse: "access", Scopes: []string{guarded.ReadScope}})

	tests := []struct {
		name   string
		path   string
		header map[string]string
		status int
		body   []string // substrings
	}{
		{"open", "/open", nil, 200, []string{`"authorizer":null`}},
		{"token: allowed, principalId and context", "/token", bearer(tok), 200, []string{`"principalId":"dave"`, `"user":"dave"`, `"scope":"reports"`}},
		{"token: missing identity", "/token", nil, 401, []string{`"type": "UNAUTHORIZED"`}},
		{"token: fails the validation expression", "/token", map[string]string{"Authorization": tok}, 401, []string{`"type": "UNAUTHORIZED"`}},
		{"token: expired", "/token", bearer(hsToken(t, "dave", -time.Minute)), 401, []string{`"message": "Unauthorized"`}},
		{"token: tampered", "/token", bearer(tamper(t, tok, "sub", "root")), 401, nil},
		{"token: alg none", "/token", bearer(unsigned(map[string]any{"sub": "root", "exp": time.Now().Add(time.Hour).Unix()})), 401, nil},
		{"request: allowed", "/request?token=" + tok, nil, 200, []string{`"principalId":"dave"`, `"user":"dave"`}},
		// With caching off API Gateway runs a REQUEST authorizer without checking its identity
		// sources: the function itself refuses a request without a token (401), and finds one
		// in the Authorization header too.
		{"request: no token, refused by the function", "/request", nil, 401, nil},
		{"request: the token in a header reaches the function", "/request", bearer(tok), 200, []string{`"principalId":"dave"`}},
		{"vtl: $context.authorizer in a mapping template", "/vtl", bearer(tok), 200, []string{`"principalId": "dave"`, `"user": "dave"`, `"scope": "reports"`, `"stage": "v1"`}},
		{"vtl: missing identity", "/vtl", nil, 401, nil},
		{"cognito: access token with the scope, claims in authorizer.claims", "/cognito", bearer(access), 200, []string{`"claims":{`, `"sub":"erin"`, `"client_id":"` + client + `"`}},
		{"cognito: the token without Bearer", "/cognito", map[string]string{"Authorization": access}, 200, nil},
		{"cognito: missing scope", "/cognito", bearer(mint(t, poolIssuer, issuer.Claims{Subject: "erin", ClientID: client, TokenUse: "access", Scopes: []string{guarded.WriteScope}})), 401, nil},
		{"cognito: an id token where scopes want an access token", "/cognito", bearer(mint(t, poolIssuer, issuer.Claims{Subject: "erin", Audience: []string{client}, TokenUse: "id"})), 401, nil},
		{"cognito: expired", "/cognito", bearer(mint(t, poolIssuer, issuer.Claims{Subject: "erin", ClientID: client, TokenUse: "access", Scopes: []string{guarded.ReadScope}, ExpiresIn: -time.Minute})), 401, nil},
		{"cognito: tampered", "/cognito", bearer(tamper(t, access, "scope", guarded.ReadScope+" admin")), 401, nil},
		{"cognito: the JWT issuer's token", "/cognito", bearer(mint(t, guarded.Issuer, issuer.Claims{Subject: "erin", ClientID: client, TokenUse: "access", Scopes: []string{guarded.ReadScope}})), 401, nil},
		{"cognito: missing identity", "/cognito", nil, 401, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, "GET", base+tc.path, "", tc.header)
			if r.status != tc.status {
				t.Fatalf("GET %s = %d %s, want %d", tc.path, r.status, r.body, tc.status)
			}
			for _, want := range tc.body {
				if !strings.Contains(r.body, want) {
					t.Errorf("body %s lacks %s", r.body, want)
				}
			}
			if got := r.header.Get("Access-Control-Allow-Origin"); got != guarded.Origin {
				t.Errorf("Access-Control-Allow-Origin = %q: refusals and answers alike must carry it", got)
			}
			if tc.status == 401 {
				// The UNAUTHORIZED gateway response: its own header and the request id.
				if r.header.Get("WWW-Authenticate") != `Bearer realm="gatehouse-authz"` || r.header.Get("x-request-id") == "" {
					t.Errorf("401 headers %v", r.header)
				}
			}
		})
	}
}

// handlerLines counts the lines a function printed through the runner's output so far.
func handlerLines(function, contains string) int {
	n := 0
	for _, line := range strings.Split(handlerLogs.String(), "\n") {
		if strings.HasPrefix(line, "["+function+"] ") && strings.Contains(line, contains) {
			n++
		}
	}
	return n
}

// TestAuthzCache counts a Lambda authorizer's invocations by the line lambdas/tokenauth logs
// for each decision: a cached authorizer runs once per identity within its TTL, an uncached
// one for every request.
func TestAuthzCache(t *testing.T) {
	httpBase := authzURL(t, guarded.HTTPApiName, "$default")
	restBase := authzURL(t, guarded.RestApiName, guarded.RestStage)
	for _, tc := range []struct {
		name, api, authorizer, url string
		header                     func(tok string) map[string]string
		cached                     bool
	}{
		{"HTTP simple, cached 300 s", guarded.HTTPApiName, "lambda", httpBase + "/lambda", func(tok string) map[string]string { return bearer(tok) }, true},
		{"HTTP payload 1.0, not cached", guarded.HTTPApiName, "admin", httpBase + "/admin", func(tok string) map[string]string { return bearer(tok) }, false},
		{"REST TOKEN, cached 300 s", guarded.RestApiName, "token", restBase + "/token", func(tok string) map[string]string { return bearer(tok) }, true},
		{"REST REQUEST, not cached", guarded.RestApiName, "request", "", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn := authzAuthorizer(t, tc.api, tc.authorizer).Function
			invocations := func() int { return handlerLines(fn, "tokenauth: ") }
			// Each token is new to the cache: a unique subject.
			tok := hsToken(t, fmt.Sprintf("cache-%d", time.Now().UnixNano()), time.Hour, guarded.AdminScope)
			call := func() {
				t.Helper()
				url, header := tc.url, map[string]string(nil)
				if tc.header != nil {
					header = tc.header(tok)
				} else {
					url = restBase + "/request?token=" + tok
				}
				if r := do(t, "GET", url, "", header); r.status != 200 {
					t.Fatalf("GET %s = %d %s", url, r.status, r.body)
				}
			}
			before := invocations()
			const calls = 5
			for i := 0; i < calls; i++ {
				call()
			}
			want := before + calls
			if tc.cached {
				want = before + 1
			}
			// The line is printed before the authorizer answers, but reaches the runner's output
			// through a pipe: wait for the expected count, then a moment for any extra.
			waitForHandlerOutput(5*time.Second, func(string) bool { return invocations() >= want })
			time.Sleep(200 * time.Millisecond)
			if got := invocations() - before; got != want-before {
				t.Errorf("%d requests ran %s %d times, want %d", calls, fn, got, want-before)
			}
			if !tc.cached {
				return
			}
			// Another identity is a cache miss.
			tok = hsToken(t, fmt.Sprintf("cache-other-%d", time.Now().UnixNano()), time.Hour)
			call()
			waitForHandlerOutput(5*time.Second, func(string) bool { return invocations() >= want+1 })
			if got := invocations() - before; got != 2 {
				t.Errorf("a second identity: %s ran %d times in all, want 2", fn, got)
			}
		})
	}
}

// wsClient reads frames into a channel so that tests can wait with a timeout.
type wsClient struct {
	t  *testing.T
	ws *websocket.Conn
	in chan string
}

func dialAuthz(t *testing.T, url string, h http.Header) (*wsClient, *http.Response, error) {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(url, h)
	if err != nil {
		return nil, resp, err
	}
	c := &wsClient{t: t, ws: ws, in: make(chan string, 8)}
	go func() {
		defer close(c.in)
		for {
			_, msg, err := ws.ReadMessage()
			if err != nil {
				return
			}
			c.in <- string(msg)
		}
	}()
	t.Cleanup(func() { ws.Close() })
	return c, resp, nil
}

// roundTrip sends msg and returns the echo of what the handler saw.
func (c *wsClient) roundTrip(msg string) seen {
	c.t.Helper()
	if err := c.ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		c.t.Fatalf("sending %s: %v", msg, err)
	}
	select {
	case got, ok := <-c.in:
		if !ok {
			c.t.Fatalf("the connection closed instead of answering %s", msg)
		}
		return decodeSeen(c.t, got)
	case <-time.After(10 * time.Second):
		c.t.Fatalf("no answer to %s within 10s", msg)
	}
	return seen{}
}

// TestAuthzWebSocket: the $connect authorizer decides the upgrade, and what it allowed is in
// every later message's requestContext.
func TestAuthzWebSocket(t *testing.T) {
	url := authzURL(t, guarded.WebSocketApiName, guarded.WebSocketStage)
	for _, tc := range []struct {
		name   string
		query  string
		status int
	}{
		{"missing identity", "", 401},
		{"garbage token", "?token=garbage", 401},
		{"expired token", "?token=" + hsToken(t, "frank", -time.Minute), 401},
		{"tampered token", "?token=" + tamper(t, hsToken(t, "frank", time.Hour), "sub", "root"), 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, resp, err := dialAuthz(t, url+tc.query, nil)
			if err == nil || resp == nil || resp.StatusCode != tc.status {
				t.Fatalf("dial: %v, response %v; want the handshake refused with %d", err, resp, tc.status)
			}
		})
	}

	c, _, err := dialAuthz(t, url+"?token="+hsToken(t, "frank", time.Hour, "chat"), nil)
	if err != nil {
		t.Fatalf("connecting with a valid token: %v", err)
	}
	for i := 0; i < 2; i++ {
		s := c.roundTrip(fmt.Sprintf(`{"n":%d}`, i))
		if s.API != "websocket" || s.Route != "$default" || s.EventType != "MESSAGE" {
			t.Errorf("message %d: the handler saw %+v", i, s)
		}
		if s.Authorizer["principalId"] != "frank" || s.Authorizer["user"] != "frank" || s.Authorizer["scope"] != "chat" {
			t.Errorf("message %d: requestContext.authorizer = %v, want the $connect authorizer's principalId and context", i, s.Authorizer)
		}
	}
}

// TestAuthzWebSocketIAM: a SigV4-signed handshake by the caller role, which may connect; the
// caller's identity is in later messages.
func TestAuthzWebSocketIAM(t *testing.T) {
	url := authzURL(t, guarded.WebSocketIAMApiName, guarded.WebSocketStage)
	creds := callerCredentials(t)
	signedHeader := func(creds aws.Credentials) http.Header {
		req, err := http.NewRequest("GET", strings.Replace(url, "ws://", "http://", 1), nil)
		if err != nil {
			t.Fatal(err)
		}
		sign(t, req, creds)
		h := http.Header{}
		for _, k := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token"} {
			if v := req.Header.Get(k); v != "" {
				h.Set(k, v)
			}
		}
		return h
	}
	wrong := creds
	wrong.SecretAccessKey = "not-the-secret"
	for _, tc := range []struct {
		name   string
		header http.Header
	}{
		{"unsigned", nil},
		{"wrong secret", signedHeader(wrong)},
		{"a key the runner did not issue", signedHeader(aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "x"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, resp, err := dialAuthz(t, url, tc.header)
			if err == nil || resp == nil || resp.StatusCode != 403 {
				t.Fatalf("dial: %v, response %v; want the handshake refused with 403", err, resp)
			}
		})
	}
	c, resp, err := dialAuthz(t, url, signedHeader(creds))
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("connecting signed by the caller role: %v (status %d)", err, status)
	}
	s := c.roundTrip(`{"hello":"iam"}`)
	if s.Identity["userArn"] != "arn:aws:sts::123456789012:assumed-role/"+guarded.CallerRoleName+"/gatehouse" || s.Identity["accessKey"] != creds.AccessKeyID {
		t.Errorf("requestContext.identity of a later message = %v", s.Identity)
	}
}

// TestAuthzConcurrentFirstRequests: many clients with one new token at once all get in, and
// none is let through without one, while the cache fills.
func TestAuthzConcurrentFirstRequests(t *testing.T) {
	base := authzURL(t, guarded.HTTPApiName, "$default")
	tok := hsToken(t, fmt.Sprintf("burst-%d", time.Now().UnixNano()), time.Hour)
	var ok, refused atomic.Int32
	done := make(chan struct{})
	for i := 0; i < 16; i++ {
		go func(i int) {
			defer func() { done <- struct{}{} }()
			header := bearer(tok)
			if i%4 == 0 {
				header = bearer("garbage")
			}
			req, _ := http.NewRequest("GET", base+"/lambda", nil)
			for k, v := range header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return
			}
			resp.Body.Close()
			switch {
			case i%4 != 0 && resp.StatusCode == 200:
				ok.Add(1)
			case i%4 == 0 && resp.StatusCode == 403:
				refused.Add(1)
			}
		}(i)
	}
	for i := 0; i < 16; i++ {
		<-done
	}
	if ok.Load() != 12 || refused.Load() != 4 {
		t.Errorf("%d of 12 valid requests allowed, %d of 4 garbage ones refused", ok.Load(), refused.Load())
	}
}
