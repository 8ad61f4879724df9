// Package authorizer decides, for every request to a protected route or method, what API
// Gateway's authorizers would decide: Lambda authorizers (REST TOKEN and REQUEST, HTTP API
// payload 1.0 and 2.0 with IAM-policy or simple responses, WebSocket $connect), JWT authorizers
// (HTTP APIs), Amazon Cognito user pool authorizers (REST APIs) and IAM authorization (SigV4,
// every API kind).
//
// The three servers (httpapi, wsapi, restapi) build one [Set] per API with [New], fill a
// [Request] once the route or method is selected, and call [Set.Authorize]. A [Decision] with a
// nil Refusal lets the request through and carries what the integration sees; a Refusal carries
// API Gateway's status, gateway response type and message. Authorize logs every refusal itself,
// naming the authorizer and the reason, so the servers only answer.
//
// Nothing is ever waved through: an authorizer the runner cannot run (its function missing,
// no keys for the issuer, a malformed response) refuses the request with the status AWS gives a
// broken authorizer, and says why in the log.
//
// # Example
//
//	d := set.Authorize(ctx, route.AuthorizationType, route.AuthorizerLogicalID, route.AuthorizationScopes, &authorizer.Request{
//		Protocol: model.ProtocolHTTP, Method: r.Method, Path: rawPath, ARNPath: path,
//		RouteKey: route.Key, Resource: route.Path, Stage: stage.Name, StageVariables: stage.Variables,
//		Header: header, RawQuery: r.URL.RawQuery, PathParameters: params, Context: rc, HTTP: r, Body: body,
//	})
//	if d.Refusal != nil {
//		// HTTP and WebSocket APIs answer Status, Header and Body; REST APIs render the
//		// gateway response of d.Refusal.ResponseType with d.Refusal.Message.
//		writeJSON(w, d.Refusal.Status, d.Refusal.Header, d.Refusal.Body)
//		return
//	}
//	event.RequestContext.Authorizer = d.HTTPV2()
//
// # Caching
//
// Lambda authorizer answers are cached per authorizer and identity-source values for the
// authorizer's ResultTTL, as API Gateway caches them; the cached policy is evaluated against
// each request's own ARN, so a cached policy that does not cover another method denies it.
package authorizer
