package main

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/gatehouse-dev/gatehouse/lambdas/tokenauth"
)

const secret = "0123456789abcdef0123456789abcdef"

// TestAuthrequest invokes the handler main starts with a REQUEST event of each kind of API,
// encoded as the Lambda runtime passes them.
func TestAuthrequest(t *testing.T) {
	t.Setenv(tokenauth.EnvSecret, secret)
	t.Setenv(tokenauth.EnvScope, "chat")
	h, err := tokenauth.HandlerFromEnv(handler)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(scope string) string {
		tok, err := tokenauth.Sign([]byte(secret), map[string]any{"sub": "bob", "scope": scope, "exp": time.Now().Add(time.Hour).Unix()})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	chat, other := sign("chat"), sign("other")
	tests := []struct {
		name  string
		event map[string]any
		want  string // the answer's effect, "true"/"false" for simple responses, "error" for Unauthorized
	}{
		{"websocket allowed", map[string]any{"type": "REQUEST", "methodArn": "arn:aws:execute-api:us-east-1:1:api/dev/$connect", "queryStringParameters": map[string]string{"token": chat}}, "Allow"},
		{"websocket wrong scope", map[string]any{"type": "REQUEST", "methodArn": "arn:aws:execute-api:us-east-1:1:api/dev/$connect", "queryStringParameters": map[string]string{"token": other}}, "Deny"},
		{"websocket no token", map[string]any{"type": "REQUEST", "methodArn": "arn:aws:execute-api:us-east-1:1:api/dev/$connect"}, "error"},
		{"rest allowed", map[string]any{"type": "REQUEST", "methodArn": "arn:aws:execute-api:us-east-1:1:api/prod/GET/x", "headers": map[string]string{"Authorization": "Bearer " + chat}}, "Allow"},
		{"http 2.0 allowed", map[string]any{"version": "2.0", "type": "REQUEST", "routeArn": "arn:aws:execute-api:us-east-1:1:api/$default/GET/x", "headers": map[string]string{"authorization": chat}}, "true"},
		{"http 2.0 refused", map[string]any{"version": "2.0", "type": "REQUEST", "routeArn": "arn:aws:execute-api:us-east-1:1:api/$default/GET/x", "headers": map[string]string{"authorization": "nope"}}, "false"},
		{"http 1.0 allowed", map[string]any{"version": "1.0", "type": "REQUEST", "methodArn": "arn:aws:execute-api:us-east-1:1:api/$default/GET/x", "headers": map[string]string{"Authorization": chat}}, "Allow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := json.Marshal(tt.event)
			out, err := lambda.NewHandler(h).Invoke(context.Background(), e)
			if tt.want == "error" {
				if err == nil || err.Error() != "Unauthorized" {
					t.Fatalf("answer %s, error %v; want Unauthorized", out, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var a struct {
				IsAuthorized   *bool `json:"isAuthorized"`
				PolicyDocument struct {
					Statement []struct{ Effect string }
				} `json:"policyDocument"`
			}
			if err := json.Unmarshal(out, &a); err != nil {
				t.Fatal(err)
			}
			got := ""
			switch {
			case a.IsAuthorized != nil:
				got = map[bool]string{true: "true", false: "false"}[*a.IsAuthorized]
			case len(a.PolicyDocument.Statement) == 1:
				got = a.PolicyDocument.Statement[0].Effect
			}
			if got != tt.want {
				t.Errorf("answer %s: got %q, want %q", out, got, tt.want)
			}
		})
	}
}
