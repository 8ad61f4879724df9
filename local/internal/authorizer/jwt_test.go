package authorizer

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/jwtverify"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/issuer"
)

const testIssuer = "https://auth.example.com"

func mint(t *testing.T, iss *issuer.Issuer, c issuer.Claims) string {
	t.Helper()
	tok, err := iss.Mint(c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// jwtSet is an HTTP API with a JWT authorizer for testIssuer, audience "app", whose keys are
// those of iss (none when iss is nil). The log goes to the returned buffer.
func jwtSet(t testing.TB, keysOf *issuer.Issuer) (*Set, *bytes.Buffer) {
	t.Helper()
	a := &model.Authorizer{LogicalID: "Jwt", Name: "jwt", Type: model.AuthorizerJWT, Issuer: testIssuer,
		Audience: []string{"app"}, IdentitySource: []string{"$request.header.Authorization"}}
	api := &model.API{ID: "abc", LogicalID: "Api", Protocol: model.ProtocolHTTP, Authorizers: map[string]*model.Authorizer{"Jwt": a}}
	var logs bytes.Buffer
	opts := Options{Account: "123456789012", Region: "us-east-1", Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	if keysOf != nil {
		opts.JWKS = jwtverify.NewStore()
		if err := opts.JWKS.Add(testIssuer, keysOf.JWKS()); err != nil {
			t.Fatal(err)
		}
	}
	s, err := New(api, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, &logs
}

func TestJWT(t *testing.T) {
	iss, err := issuer.New(testIssuer)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := issuer.New(testIssuer) // same URL, another key: a forged signature
	good := issuer.Claims{Subject: "alice", Audience: []string{"app"}, Scopes: []string{"read", "write"}, Extra: map[string]any{"cognito:groups": []string{"admin", "users"}}}
	goodToken := mint(t, iss, good)
	parts := strings.Split(goodToken, ".")
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))

	cases := []struct {
		name   string
		token  string
		scopes []string
		status int
		www    string // part of WWW-Authenticate
	}{
		{"valid", "Bearer " + goodToken, nil, 0, ""},
		{"valid without Bearer", goodToken, nil, 0, ""},
		{"route scope held", "Bearer " + goodToken, []string{"admin", "write"}, 0, ""},
		{"no route scope held", "Bearer " + goodToken, []string{"admin"}, 403, `error="insufficient_scope"`},
		{"missing", "", nil, 401, ""},
		{"expired", "Bearer " + mint(t, iss, issuer.Claims{Audience: []string{"app"}, ExpiresIn: -time.Minute}), nil, 401, `error_description="the token has expired"`},
		{"wrong audience", "Bearer " + mint(t, iss, issuer.Claims{Audience: []string{"other"}}), nil, 401, `error_description="the token does not have a valid audience"`},
		{"wrong signature", "Bearer " + mint(t, other, good), nil, 401, `error="invalid_token"`},
		{"alg none", "Bearer " + noneHeader + "." + parts[1] + ".", nil, 401, `error="invalid_token"`},
		{"truncated signature", "Bearer " + goodToken[:len(goodToken)-5], nil, 401, `error="invalid_token"`},
		{"garbage", "Bearer x.y.z", nil, 401, `error="invalid_token"`},
	}
	s, _ := jwtSet(t, iss)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := s.Authorize(context.Background(), model.AuthorizationJWT, "Jwt", tc.scopes, httpRequest("GET", "/x", tc.token))
			if tc.status == 0 {
				if d.Refusal != nil {
					t.Fatalf("refused: %+v", d.Refusal)
				}
				return
			}
			if d.Refusal == nil || d.Refusal.Status != tc.status {
				t.Fatalf("got %+v, want %d", d.Refusal, tc.status)
			}
			if www := d.Refusal.Header.Get("Www-Authenticate"); !strings.Contains(www, tc.www) {
				t.Errorf("WWW-Authenticate %q, want %q in it", www, tc.www)
			}
		})
	}

	// What the integration sees: claims as strings (lists as API Gateway writes them), the
	// token's scopes.
	d := s.Authorize(context.Background(), model.AuthorizationJWT, "Jwt", nil, httpRequest("GET", "/x", "Bearer "+goodToken))
	b, _ := json.Marshal(d.HTTPV2())
	var v2 struct {
		JWT struct {
			Claims map[string]string `json:"claims"`
			Scopes []string          `json:"scopes"`
		} `json:"jwt"`
	}
	if err := json.Unmarshal(b, &v2); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if v2.JWT.Claims["sub"] != "alice" || v2.JWT.Claims["cognito:groups"] != "[admin users]" || !strings.HasPrefix(v2.JWT.Claims["exp"], "1") || strings.Join(v2.JWT.Scopes, " ") != "read write" {
		t.Errorf("HTTP 2.0 authorizer %s", b)
	}
	if v, _ := d.ContextVar("authorizer.claims.sub"); v != "alice" {
		t.Errorf("$context.authorizer.claims.sub = %q", v)
	}
}

// TestJWTWithoutKeys: no JWKS for the issuer refuses every token, and the log names the flag.
func TestJWTWithoutKeys(t *testing.T) {
	iss, _ := issuer.New(testIssuer)
	s, logs := jwtSet(t, nil)
	d := s.Authorize(context.Background(), model.AuthorizationJWT, "Jwt", nil, httpRequest("GET", "/x", "Bearer "+mint(t, iss, issuer.Claims{Audience: []string{"app"}})))
	if d.Refusal == nil || d.Refusal.Status != 401 {
		t.Fatalf("%+v", d.Refusal)
	}
	if !strings.Contains(logs.String(), "--jwks "+testIssuer+"=FILE") || !strings.Contains(logs.String(), "authorizer jwt") {
		t.Errorf("log does not say which --jwks is missing: %s", logs)
	}
}

func TestCognito(t *testing.T) {
	const poolIssuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool"
	iss, err := issuer.New(poolIssuer)
	if err != nil {
		t.Fatal(err)
	}
	keys := jwtverify.NewStore()
	if err := keys.Add(poolIssuer, iss.JWKS()); err != nil {
		t.Fatal(err)
	}
	a := &model.Authorizer{LogicalID: "Pool", Type: model.AuthorizerCognito, Issuers: []string{poolIssuer},
		IdentitySource: []string{"method.request.header.Authorization"}}
	s, err := New(restAPI(a), Options{Account: "123456789012", Region: "us-east-1", JWKS: keys})
	if err != nil {
		t.Fatal(err)
	}
	idToken := mint(t, iss, issuer.Claims{Subject: "u1", Audience: []string{"client1"}, TokenUse: "id", Extra: map[string]any{"email": "a@example.com"}})
	accessToken := mint(t, iss, issuer.Claims{Subject: "u1", ClientID: "client1", TokenUse: "access", Scopes: []string{"https://api.example.com/cats.read"}})
	cases := []struct {
		name   string
		token  string
		scopes []string
		status int
	}{
		{"id token, no scopes", idToken, nil, 0},
		{"access token, no scopes", accessToken, nil, 401},
		{"access token with the scope", accessToken, []string{"https://api.example.com/cats.read"}, 0},
		{"access token without the scope", accessToken, []string{"https://api.example.com/cats.write"}, 401},
		{"id token where scopes are required", idToken, []string{"https://api.example.com/cats.read"}, 401},
		{"missing", "", nil, 401},
		{"garbage", "abc", nil, 401},
	}
	for _, tc := range cases {
		d := s.Authorize(context.Background(), model.AuthorizationCognito, "Pool", tc.scopes, restRequest("GET", "/cats", tc.token))
		got := 0
		if d.Refusal != nil {
			got = d.Refusal.Status
			if d.Refusal.ResponseType != TypeUnauthorized || string(d.Refusal.Body) != `{"message":"Unauthorized"}` {
				t.Errorf("%s: %+v", tc.name, d.Refusal)
			}
		}
		if got != tc.status {
			t.Errorf("%s: status %d, want %d (%+v)", tc.name, got, tc.status, d.Refusal)
		}
	}
	d := s.Authorize(context.Background(), model.AuthorizationCognito, "Pool", nil, restRequest("GET", "/cats", idToken))
	claims := d.REST()["claims"].(map[string]string)
	if claims["email"] != "a@example.com" || !strings.HasSuffix(claims["exp"], " UTC "+time.Now().UTC().Format("2006")) || claims["token_use"] != "id" {
		t.Errorf("REST claims %v", claims)
	}
	if v, _ := d.ContextVar("authorizer.claims.email"); v != "a@example.com" {
		t.Errorf("$context.authorizer.claims.email = %q", v)
	}

	// The token validation expression checks an id token's aud.
	a.IdentityValidationExpression = "client[0-9]"
	s, _ = New(restAPI(a), Options{Account: "123456789012", Region: "us-east-1", JWKS: keys})
	if d := s.Authorize(context.Background(), model.AuthorizationCognito, "Pool", nil, restRequest("GET", "/", idToken)); d.Refusal != nil {
		t.Errorf("matching aud refused: %+v", d.Refusal)
	}
	a.IdentityValidationExpression = "other"
	s, _ = New(restAPI(a), Options{Account: "123456789012", Region: "us-east-1", JWKS: keys})
	if d := s.Authorize(context.Background(), model.AuthorizationCognito, "Pool", nil, restRequest("GET", "/", idToken)); d.Refusal == nil || d.Refusal.Status != 401 {
		t.Errorf("aud not matching the expression: %+v", d.Refusal)
	}
}
