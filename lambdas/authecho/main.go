// Command authecho is the protected handler of the authorizer example (examples/authz). The
// example puts it behind an open route and behind every kind of authorizer of every kind of
// API, and it answers with what API Gateway told it about the caller: requestContext.authorizer
// (a Lambda authorizer's principalId and context, a JWT's claims and scopes, an IAM caller) and,
// for REST and WebSocket events, requestContext.identity. So each route shows where its
// authorizer's result lands in the event, and the figures compare the same handler with and
// without an authorizer in front of it.
//
// One function serves HTTP API (payload 2.0 and 1.0), REST API and WebSocket events; it tells
// them apart by the event's version and connection id and decodes each into its aws-lambda-go
// type, so a field the runner put in the wrong place or shape fails the decode.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// Seen is the response body: what the handler saw of the caller.
type Seen struct {
	// API is the kind of event: "http" (payload 2.0), "http-1.0", "rest" or "websocket".
	API string `json:"api"`
	// Route is the route key ("GET /jwt", "$default"), or for REST "METHOD /resource".
	Route string `json:"route"`
	Stage string `json:"stage"`
	// EventType is a WebSocket event's CONNECT, MESSAGE or DISCONNECT.
	EventType string `json:"eventType,omitempty"`
	// Authorizer is requestContext.authorizer as decoded; null behind an open route.
	Authorizer any `json:"authorizer"`
	// Identity is requestContext.identity of REST, payload 1.0 and WebSocket events (an IAM
	// caller's user, userArn and accessKey). Payload 2.0 events have none: an IAM caller is in
	// authorizer.iam.
	Identity *events.APIGatewayRequestIdentity `json:"identity,omitempty"`
}

// kind is what the handler reads of an event to tell the kinds apart.
type kind struct {
	Version        string `json:"version"`
	RequestContext struct {
		ConnectionID string `json:"connectionId"`
	} `json:"requestContext"`
}

// handler answers every kind of event. allowOrigin, when set, is the
// Access-Control-Allow-Origin of REST answers: Lambda proxy integrations set CORS headers
// themselves.
type handler struct {
	allowOrigin string
}

func (h handler) handle(_ context.Context, raw json.RawMessage) (any, error) {
	var k kind
	if err := json.Unmarshal(raw, &k); err != nil {
		return nil, fmt.Errorf("authecho: decoding the event: %w", err)
	}
	switch {
	case k.Version == "2.0":
		var e events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("authecho: decoding a payload 2.0 event: %w", err)
		}
		s := Seen{API: "http", Route: e.RouteKey, Stage: e.RequestContext.Stage}
		if e.RequestContext.Authorizer != nil {
			s.Authorizer = e.RequestContext.Authorizer
		}
		body, err := json.Marshal(s)
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: string(body)}, err
	case k.RequestContext.ConnectionID != "":
		var e events.APIGatewayWebsocketProxyRequest
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("authecho: decoding a WebSocket event: %w", err)
		}
		rc := e.RequestContext
		id := rc.Identity
		body, err := json.Marshal(Seen{API: "websocket", Route: rc.RouteKey, Stage: rc.Stage, EventType: rc.EventType, Authorizer: rc.Authorizer, Identity: &id})
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: string(body)}, err
	default:
		// REST APIs and HTTP APIs' payload 1.0 share the event type; only 1.0 has a version.
		var e events.APIGatewayProxyRequest
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("authecho: decoding a proxy event: %w", err)
		}
		rc := e.RequestContext
		s := Seen{API: "rest", Route: e.HTTPMethod + " " + e.Resource, Stage: rc.Stage, Identity: &rc.Identity}
		if k.Version == "1.0" {
			s.API = "http-1.0"
		}
		if rc.Authorizer != nil {
			s.Authorizer = rc.Authorizer
		}
		body, err := json.Marshal(s)
		headers := map[string]string{"Content-Type": "application/json"}
		if h.allowOrigin != "" {
			headers["Access-Control-Allow-Origin"] = h.allowOrigin
		}
		return events.APIGatewayProxyResponse{StatusCode: 200, Headers: headers, Body: string(body)}, err
	}
}

func main() {
	lambda.Start(handler{allowOrigin: os.Getenv("ALLOW_ORIGIN")}.handle)
}
