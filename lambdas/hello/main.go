// Command hello is a payload format 2.0 handler that answers with a bare JSON object, without
// statusCode. API Gateway then infers a 200 response with the object as its JSON body, a rule
// the local runner has to reproduce; the stage and its "greeting" stage variable are echoed so
// tests can tell stages apart.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// greeting is deliberately not an events.APIGatewayV2HTTPResponse: a response without a
// statusCode field is what exercises the 200-inference rule.
type greeting struct {
	Message string `json:"message"`
	Stage   string `json:"stage"`
	Path    string `json:"path"`
}

func handle(_ context.Context, req events.APIGatewayV2HTTPRequest) (greeting, error) {
	msg := req.StageVariables["greeting"]
	if msg == "" {
		msg = "hello"
	}
	return greeting{Message: msg, Stage: req.RequestContext.Stage, Path: req.RawPath}, nil
}

func main() { lambda.Start(handle) }
