// Command hstoken prints an HS256 token that the authorizer example's Lambda authorizers
// (lambdas/tokenauth, with the example's demo secret guarded.TokenSecret) accept: the token
// for GET /lambda, /admin, the REST API's /token, /request and /vtl, and the WebSocket API's
// ?token=. JWT and Cognito routes take RS256 tokens from `gatehouse token` instead.
//
//	go run ./examples/authz/hstoken -sub alice                # allowed where no scope is needed
//	go run ./examples/authz/hstoken -sub alice -scope admin   # GET /admin too
//	go run ./examples/authz/hstoken -ttl -1m                  # an expired token
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/examples/authz/guarded"
	"github.com/gatehouse-dev/gatehouse/lambdas/tokenauth"
)

func main() {
	sub := flag.String("sub", "alice", "subject, the sub claim: the user the authorizers pass on")
	var scopes []string
	flag.Func("scope", "a scope of the scope claim (repeatable); GET /admin needs "+guarded.AdminScope, func(s string) error {
		scopes = append(scopes, s)
		return nil
	})
	ttl := flag.Duration("ttl", time.Hour, "time to expiry (negative: an expired token)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "hstoken: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	now := time.Now()
	claims := map[string]any{"sub": *sub, "iat": now.Unix(), "exp": now.Add(*ttl).Unix()}
	if len(scopes) > 0 {
		claims["scope"] = strings.Join(scopes, " ")
	}
	token, err := tokenauth.Sign([]byte(guarded.TokenSecret), claims)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hstoken: signing:", err)
		os.Exit(1)
	}
	fmt.Println(token)
}
