// Command authecho is the protected handler of the authorizer example (examples/authz). The
// example puts it behind an open route and behind every kind of authorizer of every kind of
// API, and it answers with what API Gateway told it about the caller: requestContext.authorizer
// (a Lambda authorizer's principalId and context, a JWT's claims and scopes, an IAM caller) and,
// for REST and WebSocket events, requestContext.identity. So each route shows where its
// authorizer's result lands in the event, and the figures compare the same handler with and
// without an authorizer in front of it.
//
// One function serves HTTP API (payload 2.0 and 1.0), REST API and WebSocket events; it tells
// them apart by the event's version and connection id, and decodes requestContext.authorizer
// and identity into the aws-lambda-go types of that kind of event, so a result the runner put
// in the wrong shape fails the decode.
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

// Brief is the answer to a request with the query string parameter brief (HTTP and REST
// APIs): the same few bytes behind every authorizer, whether it was there (Authorized), so that
// `make bench` compares the cost of the authorizers rather than of echoing their claims.
type Brief struct {
	API        string `json:"api"`
	Route      string `json:"route"`
	Stage      string `json:"stage"`
	Authorized bool   `json:"authorized"`
}

// event is what the handler reads of any of the events, in one pass. The part this example is
// about, requestContext.authorizer, is then decoded into the aws-lambda-go type of the event's
// kind, so an authorizer result the runner put in the wrong shape fails the decode. Reading
// the rest of the event into its full type would double the handler's cost for the big events
// that JWT authorizers make (the token is in the headers) and blur the figures.
type event struct {
	Version               string            `json:"version"`  // "2.0" or "1.0" for HTTP APIs
	RouteKey              string            `json:"routeKey"` // HTTP API payload 2.0
	Resource              string            `json:"resource"`
	HTTPMethod            string            `json:"httpMethod"`
	QueryStringParameters map[string]string `json:"queryStringParameters"`
	RequestContext        struct {
		Stage        string `json:"stage"`
		RouteKey     string `json:"routeKey"` // WebSocket
		EventType    string `json:"eventType"`
		ConnectionID string `json:"connectionId"`
		// Authorizer is decoded by kind: events.APIGatewayV2HTTPRequestContextAuthorizerDescription
		// (payload 2.0), map[string]any (REST and 1.0), any (WebSocket).
		Authorizer json.RawMessage                   `json:"authorizer"`
		Identity   *events.APIGatewayRequestIdentity `json:"identity"`
	} `json:"requestContext"`
}

// handler answers every kind of event. allowOrigin, when set, is the
// Access-Control-Allow-Origin of REST answers: Lambda proxy integrations set CORS headers
// themselves.
type handler struct {
	allowOrigin string
}

func (h handler) handle(_ context.Context, raw json.RawMessage) (any, error) {
	var e event
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, fmt.Errorf("authecho: decoding the event: %w", err)
	}
	rc := e.RequestContext
	present := len(rc.Authorizer) > 0 && string(rc.Authorizer) != "null"
	switch {
	case e.Version == "2.0":
		s := Seen{API: "http", Route: e.RouteKey, Stage: rc.Stage}
		if present {
			var a events.APIGatewayV2HTTPRequestContextAuthorizerDescription
			if err := json.Unmarshal(rc.Authorizer, &a); err != nil {
				return nil, fmt.Errorf("authecho: decoding a payload 2.0 event's requestContext.authorizer: %w", err)
			}
			s.Authorizer = &a
		}
		body, err := answer(s, e.QueryStringParameters)
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: string(body)}, err
	case rc.ConnectionID != "":
		s := Seen{API: "websocket", Route: rc.RouteKey, Stage: rc.Stage, EventType: rc.EventType, Identity: rc.Identity}
		if present {
			var a any
			if err := json.Unmarshal(rc.Authorizer, &a); err != nil {
				return nil, fmt.Errorf("authecho: decoding a WebSocket event's requestContext.authorizer: %w", err)
			}
			s.Authorizer = a
		}
		body, err := json.Marshal(s)
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: string(body)}, err
	default:
		// REST APIs and HTTP APIs' payload 1.0 share the event type; only 1.0 has a version.
		s := Seen{API: "rest", Route: e.HTTPMethod + " " + e.Resource, Stage: rc.Stage, Identity: rc.Identity}
		if e.Version == "1.0" {
			s.API = "http-1.0"
		}
		if present {
			var a map[string]any
			if err := json.Unmarshal(rc.Authorizer, &a); err != nil {
				return nil, fmt.Errorf("authecho: decoding a proxy event's requestContext.authorizer: %w", err)
			}
			s.Authorizer = a
		}
		body, err := answer(s, e.QueryStringParameters)
		headers := map[string]string{"Content-Type": "application/json"}
		if h.allowOrigin != "" {
			headers["Access-Control-Allow-Origin"] = h.allowOrigin
		}
		return events.APIGatewayProxyResponse{StatusCode: 200, Headers: headers, Body: string(body)}, err
	}
}

// answer is the body: s, or its Brief when the query string asks for it.
func answer(s Seen, query map[string]string) ([]byte, error) {
	if _, brief := query["brief"]; brief {
		return json.Marshal(Brief{API: s.API, Route: s.Route, Stage: s.Stage, Authorized: s.Authorizer != nil || (s.Identity != nil && s.Identity.UserArn != "")})
	}
	return json.Marshal(s)
}

func main() {
	lambda.Start(handler{allowOrigin: os.Getenv("ALLOW_ORIGIN")}.handle)
}
