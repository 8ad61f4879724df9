// Package tokenauth is a reusable API Gateway Lambda authorizer for HMAC-SHA256 (HS256)
// signed JSON Web Tokens, for REST, HTTP and WebSocket APIs.
//
// It verifies a token with a shared secret ([Verify]: the HS256 signature, "none" and every
// other algorithm refused, exp required, nbf and iat, "sub" required), applies an optional
// issuer, audience and required scope ([Config.Decide]), and answers in the shape each kind of
// authorizer takes, with the context {"user": sub, "scope": scope} for the integration:
//
//   - REST TOKEN ([Config.AuthorizeToken]) and REST or WebSocket $connect REQUEST
//     ([Config.AuthorizeRequest]) authorizers: an IAM policy, or [ErrUnauthorized] (401) when
//     there is no valid token; a valid token without the required scope gets a Deny (403).
//   - HTTP API authorizers, payload 2.0 with simple responses ([Config.AuthorizeHTTPSimple]),
//     2.0 with IAM policies ([Config.AuthorizeHTTPPolicy]) and 1.0 ([Config.AuthorizeHTTPV1]):
//     HTTP APIs give a Lambda authorizer no way to ask for 401, so refusals are 403s (a request
//     missing the identity source gets 401 from API Gateway itself).
//
// Policies allow or deny the whole stage ([StageResource]), since API Gateway caches an answer
// per identity and reuses it for the caller's other methods. [Config.Handler] answers any of
// these events, telling them apart by their "type" and "version".
//
// [Sign] makes tokens, for tests and for the service that issues them.
//
// # Example
//
//	func main() {
//		cfg, err := tokenauth.FromEnv() // TOKENAUTH_SECRET, _ISSUER, _AUDIENCE, _SCOPE, _RESPONSE
//		if err != nil {
//			log.Fatal(err)
//		}
//		lambda.Start(cfg.Handler())
//	}
//
// The commands lambdas/authtoken (REST TOKEN) and lambdas/authrequest (every REQUEST
// authorizer) are such mains.
package tokenauth
