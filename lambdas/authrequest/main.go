// Command authrequest is a Lambda REQUEST authorizer for every kind of API: REST, WebSocket
// ($connect) and HTTP (payload 1.0, and 2.0 with simple responses, or IAM policies when
// TOKENAUTH_RESPONSE=iam). It reads an HS256 JWT from the Authorization header (TOKENAUTH_HEADER)
// or the "token" query string parameter (TOKENAUTH_QUERY) and verifies it with
// TOKENAUTH_SECRET; see package tokenauth.
package main

import (
	"log"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/gatehouse-dev/gatehouse/lambdas/tokenauth"
)

func main() {
	h, err := handler()
	if err != nil {
		// Failing to start makes every request a 500: an authorizer that cannot verify must
		// not answer at all.
		log.Fatal(err)
	}
	lambda.Start(h)
}

// handler is the configured handler main starts.
func handler() (any, error) {
	cfg, err := tokenauth.FromEnv()
	if err != nil {
		return nil, err
	}
	return cfg.Handler(), nil
}
