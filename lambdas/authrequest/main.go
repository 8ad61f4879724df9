// Command authrequest is a Lambda REQUEST authorizer for every kind of API: REST, WebSocket
// ($connect) and HTTP (payload 1.0, and 2.0 with simple responses, or IAM policies when
// TOKENAUTH_RESPONSE=iam). It reads an HS256 JWT from the Authorization header (TOKENAUTH_HEADER)
// or the "token" query string parameter (TOKENAUTH_QUERY) and verifies it with
// TOKENAUTH_SECRET; see package tokenauth.
package main

import "github.com/gatehouse-dev/gatehouse/lambdas/tokenauth"

func main() { tokenauth.Main(handler) }

// handler answers every kind of authorizer event (tokenauth.Config.Handler).
func handler(c tokenauth.Config) any { return c.Handler() }
