package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/gatehouse-dev/gatehouse/lambdas/tokenauth"
)

const secret = "0123456789abcdef0123456789abcdef"

// TestAuthtoken invokes the handler main starts with TOKEN events, encoded as the Lambda
// runtime passes them.
func TestAuthtoken(t *testing.T) {
	t.Setenv(tokenauth.EnvSecret, secret)
	h, err := tokenauth.HandlerFromEnv(handler)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenauth.Sign([]byte(secret), map[string]any{"sub": "alice", "scope": "read", "exp": time.Now().Add(time.Hour).Unix()})
	if err != nil {
		t.Fatal(err)
	}
	invoke := func(token string) ([]byte, error) {
		e, _ := json.Marshal(map[string]string{"type": "TOKEN", "authorizationToken": token, "methodArn": "arn:aws:execute-api:us-east-1:1:api/prod/GET/x"})
		return lambda.NewHandler(h).Invoke(context.Background(), e)
	}
	out, err := invoke("Bearer " + tok)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"principalId":"alice"`, `"Effect":"Allow"`, `"Resource":["arn:aws:execute-api:us-east-1:1:api/prod/*"]`, `"context":{"scope":"read","user":"alice"}`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("answer %s lacks %s", out, want)
		}
	}
	if _, err := invoke(tok + "x"); err == nil || err.Error() != "Unauthorized" {
		t.Errorf("bad signature: error %v, want Unauthorized", err)
	}
}

func TestAuthtokenNeedsSecret(t *testing.T) {
	t.Setenv(tokenauth.EnvSecret, "")
	if _, err := tokenauth.HandlerFromEnv(handler); err == nil {
		t.Error("handler started without a secret")
	}
}
