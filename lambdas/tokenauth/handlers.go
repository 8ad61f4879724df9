package tokenauth

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/aws/aws-lambda-go/events"
)

// AuthorizeToken answers a REST API TOKEN authorizer event: the token is the header the
// authorizer names, with or without "Bearer ". No valid token: ErrUnauthorized (401); valid
// without the required scope: a Deny policy (403); else an Allow policy for the stage.
func (c Config) AuthorizeToken(_ context.Context, e events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	if err := c.check(); err != nil {
		return events.APIGatewayCustomAuthorizerResponse{}, err
	}
	d := c.Decide(bearer(e.AuthorizationToken))
	log.Printf("tokenauth: TOKEN %s: %s", e.MethodArn, d.Reason)
	return policyFor(d, e.MethodArn, false)
}

// AuthorizeRequest answers a REQUEST authorizer event of a REST API, or of a WebSocket API's
// $connect route (the same shape, with methodArn ".../{stage}/$connect"), as AuthorizeToken
// does; the token is the Config's header or query string parameter.
func (c Config) AuthorizeRequest(_ context.Context, e events.APIGatewayCustomAuthorizerRequestTypeRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	if err := c.check(); err != nil {
		return events.APIGatewayCustomAuthorizerResponse{}, err
	}
	d := c.Decide(c.tokenFrom(e.Headers, e.QueryStringParameters))
	log.Printf("tokenauth: REQUEST %s: %s", e.MethodArn, d.Reason)
	return policyFor(d, e.MethodArn, false)
}

// AuthorizeHTTPSimple answers an HTTP API payload 2.0 event for an authorizer with simple
// responses: {"isAuthorized": bool, "context": {"user", "scope"}}. HTTP APIs have no way for
// a Lambda authorizer to ask for 401, so anything but an allowed token is a 403.
func (c Config) AuthorizeHTTPSimple(_ context.Context, e events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
	if err := c.check(); err != nil {
		return events.APIGatewayV2CustomAuthorizerSimpleResponse{}, err
	}
	d := c.Decide(c.tokenFrom(e.Headers, e.QueryStringParameters))
	log.Printf("tokenauth: HTTP %s: %s", e.RouteArn, d.Reason)
	return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: d.Allow, Context: Context(d.Claims)}, nil
}

// AuthorizeHTTPPolicy answers an HTTP API payload 2.0 event for an authorizer without simple
// responses with an IAM policy for the stage (Deny for anything but an allowed token).
func (c Config) AuthorizeHTTPPolicy(_ context.Context, e events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerIAMPolicyResponse, error) {
	if err := c.check(); err != nil {
		return events.APIGatewayV2CustomAuthorizerIAMPolicyResponse{}, err
	}
	d := c.Decide(c.tokenFrom(e.Headers, e.QueryStringParameters))
	log.Printf("tokenauth: HTTP %s: %s", e.RouteArn, d.Reason)
	p, err := policyFor(d, e.RouteArn, true)
	return events.APIGatewayV2CustomAuthorizerIAMPolicyResponse{PrincipalID: p.PrincipalID, PolicyDocument: p.PolicyDocument, Context: p.Context}, err
}

// AuthorizeHTTPV1 answers an HTTP API payload 1.0 event, which always takes an IAM policy.
func (c Config) AuthorizeHTTPV1(_ context.Context, e events.APIGatewayV2CustomAuthorizerV1Request) (events.APIGatewayCustomAuthorizerResponse, error) {
	if err := c.check(); err != nil {
		return events.APIGatewayCustomAuthorizerResponse{}, err
	}
	d := c.Decide(c.tokenFrom(e.Headers, e.QueryStringParameters))
	log.Printf("tokenauth: HTTP 1.0 %s: %s", e.MethodArn, d.Reason)
	return policyFor(d, e.MethodArn, true)
}

// eventKind is what Handler reads of an event to tell the authorizer kinds apart.
type eventKind struct {
	Type    string `json:"type"`
	Version string `json:"version"`
}

// Every Authorize method fails (API Gateway answers 500) rather than decide with a Config
// that cannot verify tokens.

// Handler answers any authorizer event: REST TOKEN ("type": "TOKEN"), HTTP API payload 2.0
// ("version": "2.0"; simple or IAM per SimpleResponses) and 1.0 ("version": "1.0"), and REST
// or WebSocket REQUEST ("type": "REQUEST" without a version). One function can so back
// every authorizer of an app; an event of no known kind is an error (500), never an Allow.
func (c Config) Handler() func(context.Context, json.RawMessage) (any, error) {
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		var k eventKind
		if err := json.Unmarshal(raw, &k); err != nil {
			return nil, fmt.Errorf("tokenauth: decoding the event: %w", err)
		}
		switch {
		case k.Type == "TOKEN":
			var e events.APIGatewayCustomAuthorizerRequest
			if err := json.Unmarshal(raw, &e); err != nil {
				return nil, fmt.Errorf("tokenauth: decoding a TOKEN event: %w", err)
			}
			return c.AuthorizeToken(ctx, e)
		case k.Type == "REQUEST" && k.Version == "2.0":
			var e events.APIGatewayV2CustomAuthorizerV2Request
			if err := json.Unmarshal(raw, &e); err != nil {
				return nil, fmt.Errorf("tokenauth: decoding an HTTP API 2.0 event: %w", err)
			}
			if c.SimpleResponses {
				return c.AuthorizeHTTPSimple(ctx, e)
			}
			return c.AuthorizeHTTPPolicy(ctx, e)
		case k.Type == "REQUEST" && k.Version == "1.0":
			var e events.APIGatewayV2CustomAuthorizerV1Request
			if err := json.Unmarshal(raw, &e); err != nil {
				return nil, fmt.Errorf("tokenauth: decoding an HTTP API 1.0 event: %w", err)
			}
			return c.AuthorizeHTTPV1(ctx, e)
		case k.Type == "REQUEST" && k.Version == "":
			var e events.APIGatewayCustomAuthorizerRequestTypeRequest
			if err := json.Unmarshal(raw, &e); err != nil {
				return nil, fmt.Errorf("tokenauth: decoding a REQUEST event: %w", err)
			}
			return c.AuthorizeRequest(ctx, e)
		}
		return nil, fmt.Errorf("tokenauth: not an authorizer event (type %q, version %q)", k.Type, k.Version)
	}
}
