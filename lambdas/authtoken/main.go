// Command authtoken is a REST API TOKEN authorizer: it verifies the HS256 JWT in the header
// the authorizer names (see package tokenauth; configured by TOKENAUTH_SECRET and the other
// TOKENAUTH_* variables) and answers with an IAM policy for the stage, or Unauthorized (401).
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
	return cfg.AuthorizeToken, nil
}
