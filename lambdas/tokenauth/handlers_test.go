package tokenauth

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// event reads testdata/name with {{TOKEN}} replaced by tok.
func event(t *testing.T, name, tok string) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return json.RawMessage(strings.ReplaceAll(string(b), "{{TOKEN}}", tok))
}

// answer runs Handler on an event and returns its answer as decoded JSON, as API Gateway
// reads it.
func answer(t *testing.T, c Config, raw json.RawMessage) (map[string]any, error) {
	t.Helper()
	out, err := c.Handler()(context.Background(), raw)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m, nil
}

// policy is the answer an IAM policy response should be.
func policy(principal, effect, resource string, context map[string]any) map[string]any {
	p := map[string]any{
		"principalId": principal,
		"policyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Action": []any{"execute-api:Invoke"}, "Effect": effect, "Resource": []any{resource},
		}}},
	}
	if context != nil {
		p["context"] = context
	}
	return p
}

func TestHandler(t *testing.T) {
	cfg := Config{Secret: secret, Issuer: "https://issuer.example.com", Audience: "books", RequiredScope: "read", SimpleResponses: true, Now: func() time.Time { return now }}
	iamCfg := cfg
	iamCfg.SimpleResponses = false

	allowed := token(t, valid(nil))
	noScope := token(t, valid(map[string]any{"scope": "write"}))
	expired := token(t, valid(map[string]any{"exp": now.Unix() - 1}))
	wrongAud := token(t, valid(map[string]any{"aud": "films"}))
	ctxAlice := map[string]any{"user": "alice", "scope": "read write"}
	ctxNoScope := map[string]any{"user": "alice", "scope": "write"}

	const (
		restStage = "arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod/*"
		wsStage   = "arn:aws:execute-api:us-east-1:123456789012:abcdef123/dev/*"
		httpStage = "arn:aws:execute-api:us-east-1:123456789012:abcdef123/$default/*"
	)
	tests := []struct {
		name    string
		cfg     Config
		event   string
		token   string
		want    map[string]any // nil when an error is expected
		wantErr error
	}{
		{"REST TOKEN allowed", cfg, "rest-token.json", allowed, policy("alice", "Allow", restStage, ctxAlice), nil},
		{"REST TOKEN without the scope", cfg, "rest-token.json", noScope, policy("alice", "Deny", restStage, ctxNoScope), nil},
		{"REST TOKEN expired", cfg, "rest-token.json", expired, nil, ErrUnauthorized},
		{"REST TOKEN wrong audience", cfg, "rest-token.json", wrongAud, nil, ErrUnauthorized},
		{"REST TOKEN empty", cfg, "rest-token.json", "", nil, ErrUnauthorized},
		{"REST REQUEST allowed", cfg, "rest-request.json", allowed, policy("alice", "Allow", restStage, ctxAlice), nil},
		{"REST REQUEST garbage", cfg, "rest-request.json", "garbage", nil, ErrUnauthorized},
		{"WebSocket $connect allowed", cfg, "websocket-connect.json", allowed, policy("alice", "Allow", wsStage, ctxAlice), nil},
		{"WebSocket $connect without the scope", cfg, "websocket-connect.json", noScope, policy("alice", "Deny", wsStage, ctxNoScope), nil},
		{"WebSocket $connect no token", cfg, "websocket-connect.json", "", nil, ErrUnauthorized},
		{"HTTP 2.0 simple allowed", cfg, "http-v2.json", allowed, map[string]any{"isAuthorized": true, "context": ctxAlice}, nil},
		{"HTTP 2.0 simple without the scope", cfg, "http-v2.json", noScope, map[string]any{"isAuthorized": false, "context": ctxNoScope}, nil},
		{"HTTP 2.0 simple expired", cfg, "http-v2.json", expired, map[string]any{"isAuthorized": false}, nil},
		{"HTTP 2.0 policy allowed", iamCfg, "http-v2.json", allowed, policy("alice", "Allow", httpStage, ctxAlice), nil},
		{"HTTP 2.0 policy expired", iamCfg, "http-v2.json", expired, policy("anonymous", "Deny", httpStage, nil), nil},
		{"HTTP 1.0 allowed", cfg, "http-v1.json", allowed, policy("alice", "Allow", httpStage, ctxAlice), nil},
		{"HTTP 1.0 garbage", cfg, "http-v1.json", "garbage", policy("anonymous", "Deny", httpStage, nil), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := answer(t, tt.cfg, event(t, tt.event, tt.token))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || err.Error() != "Unauthorized" {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				gotJSON, _ := json.Marshal(got)
				wantJSON, _ := json.Marshal(tt.want)
				t.Errorf("answer\n got %s\nwant %s", gotJSON, wantJSON)
			}
		})
	}
}

// TestHandlerNotAnAuthorizerEvent: an event of no known kind is an error (a 500), never an
// answer that could allow.
func TestHandlerNotAnAuthorizerEvent(t *testing.T) {
	cfg := Config{Secret: secret, Now: func() time.Time { return now }}
	for _, raw := range []string{`{"type":"COOKIE"}`, `{"type":"REQUEST","version":"3.0"}`, `{"version":"2.0"}`, `[]`, `nope`} {
		if out, err := cfg.Handler()(context.Background(), json.RawMessage(raw)); err == nil {
			t.Errorf("event %s: answered %v, want an error", raw, out)
		}
	}
}

// TestHandlerMisconfigured: a Config that cannot verify fails every event (a 500), so the
// mistake shows instead of passing for a client error.
func TestHandlerMisconfigured(t *testing.T) {
	cfg := Config{Secret: []byte("short"), SimpleResponses: true}
	for _, name := range []string{"rest-token.json", "rest-request.json", "websocket-connect.json", "http-v2.json", "http-v1.json"} {
		if _, err := answer(t, cfg, event(t, name, "x")); err == nil || errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "at least 32") {
			t.Errorf("%s: error = %v, want the configuration error", name, err)
		}
	}
	cfg.SimpleResponses = false
	if _, err := answer(t, cfg, event(t, "http-v2.json", "x")); err == nil || !strings.Contains(err.Error(), "at least 32") {
		t.Errorf("HTTP 2.0 policy: error = %v, want the configuration error", err)
	}
}

func TestTokenFrom(t *testing.T) {
	c := Config{Header: "X-Token", Query: "access_token"}
	tests := []struct {
		headers, query map[string]string
		want           string
	}{
		{map[string]string{"x-token": "Bearer abc"}, nil, "abc"},
		{map[string]string{"X-TOKEN": "bearer  abc "}, nil, "abc"},
		{map[string]string{"X-Token": "abc"}, map[string]string{"access_token": "q"}, "abc"},
		{map[string]string{"X-Token": ""}, map[string]string{"access_token": "q"}, "q"},
		{map[string]string{"Authorization": "abc"}, nil, ""},
		{nil, map[string]string{"token": "q"}, ""},
	}
	for _, tt := range tests {
		if got := c.tokenFrom(tt.headers, tt.query); got != tt.want {
			t.Errorf("tokenFrom(%v, %v) = %q, want %q", tt.headers, tt.query, got, tt.want)
		}
	}
	if got := (Config{}).tokenFrom(map[string]string{"authorization": "Bearer h"}, map[string]string{"token": "q"}); got != "h" {
		t.Errorf("default header: got %q", got)
	}
	if got := (Config{}).tokenFrom(nil, map[string]string{"token": "q"}); got != "q" {
		t.Errorf("default query parameter: got %q", got)
	}
}

func TestStageResource(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:execute-api:us-east-1:1:api/prod/GET/products/42": "arn:aws:execute-api:us-east-1:1:api/prod/*",
		"arn:aws:execute-api:us-east-1:1:api/dev/$connect":         "arn:aws:execute-api:us-east-1:1:api/dev/*",
		"arn:aws:execute-api:us-east-1:1:api/$default/GET/":        "arn:aws:execute-api:us-east-1:1:api/$default/*",
		"not-an-arn": "not-an-arn",
	} {
		if got := StageResource(arn); got != want {
			t.Errorf("StageResource(%q) = %q, want %q", arn, got, want)
		}
	}
}

func TestFromEnv(t *testing.T) {
	t.Setenv(EnvSecret, string(secret))
	t.Setenv(EnvResponse, "IAM")
	t.Setenv(EnvScope, "read")
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if c.SimpleResponses || c.RequiredScope != "read" || string(c.Secret) != string(secret) {
		t.Errorf("FromEnv = %+v", c)
	}
	t.Setenv(EnvResponse, "both")
	if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), "want simple or iam") {
		t.Errorf("TOKENAUTH_RESPONSE=both: %v", err)
	}
	t.Setenv(EnvResponse, "")
	t.Setenv(EnvSecret, "")
	if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), "at least 32") {
		t.Errorf("no secret: %v", err)
	}
}
