// Command authtoken is a REST API TOKEN authorizer: it verifies the HS256 JWT in the header
// the authorizer names (see package tokenauth; configured by TOKENAUTH_SECRET and the other
// TOKENAUTH_* variables) and answers with an IAM policy for the stage, or Unauthorized (401).
package main

import "github.com/gatehouse-dev/gatehouse/lambdas/tokenauth"

func main() { tokenauth.Main(handler) }

// handler answers REST TOKEN events.
func handler(c tokenauth.Config) any { return c.AuthorizeToken }
