// Command wsdomain is the WebSocket handler of the custom domain example (examples/domains).
// Behind the two-way $default route it answers every message with what API Gateway told it
// about the connection, the custom domain it came through included. Behind the "push" route,
// {"action":"push","message":"hi"}, it sends the message back through the @connections API at
// DOMAIN_CALLBACK_URL: the callback URL through the custom domain, https://{domain}/{key}.
//
// Through a domain the callback path is the mapping key, not the stage, so the URL cannot be
// built from the event as "https://" + domainName + "/" + stage (that is the execute-api
// form): the stack gives it to the function.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/gatehouse-dev/gatehouse/lambdas/wsmanage"
)

// CallbackEnv names the variable with the callback URL through the domain.
const CallbackEnv = "DOMAIN_CALLBACK_URL"

// seen is what the handler tells the client: a two-way reply ("reply") or a push ("push").
type seen struct {
	Type         string `json:"type"`
	Route        string `json:"route"`
	Message      string `json:"message"`
	ConnectionID string `json:"connectionId"`
	APIID        string `json:"apiId"`
	Stage        string `json:"stage"`
	DomainName   string `json:"domainName"`
	// CallbackURL is where a push was sent from (push only).
	CallbackURL string `json:"callbackUrl,omitempty"`
}

// pushRequest is the body of a message to the push route.
type pushRequest struct {
	Message string `json:"message"`
}

// handler pushes through callbackURL.
type handler struct {
	callbackURL string
}

func (h handler) handle(ctx context.Context, req events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	rc := req.RequestContext
	s := seen{
		Type: "reply", Route: rc.RouteKey, Message: req.Body, ConnectionID: rc.ConnectionID,
		APIID: rc.APIID, Stage: rc.Stage, DomainName: rc.DomainName,
	}
	if rc.RouteKey != "push" {
		body, err := json.Marshal(s)
		if err != nil {
			return events.APIGatewayProxyResponse{}, fmt.Errorf("encoding the reply: %w", err)
		}
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: string(body)}, nil
	}
	var p pushRequest
	if err := json.Unmarshal([]byte(req.Body), &p); err != nil {
		return events.APIGatewayProxyResponse{StatusCode: 400}, fmt.Errorf("reading the push request %q: %w", req.Body, err)
	}
	s.Type, s.Message, s.CallbackURL = "push", p.Message, h.callbackURL
	c, err := wsmanage.NewClient(h.callbackURL)
	if err != nil {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("%s: %w", CallbackEnv, err)
	}
	if err := wsmanage.PostJSON(ctx, c, rc.ConnectionID, s); err != nil {
		log.Print(err)
		return events.APIGatewayProxyResponse{StatusCode: 500}, nil
	}
	return events.APIGatewayProxyResponse{StatusCode: 200}, nil
}

func main() {
	lambda.Start(handler{callbackURL: os.Getenv(CallbackEnv)}.handle)
}
