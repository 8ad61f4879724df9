// Command wsdisconnect is the $disconnect handler of the example's WebSocket API. API Gateway
// calls it, best effort, after a connection has closed; it logs who left and why (the close
// code and reason of the requestContext).
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, req events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	log.Print(describe(req.RequestContext))
	return events.APIGatewayProxyResponse{StatusCode: 200}, nil
}

// describe is the log line for a disconnect, e.g.
// "disconnected abc= (status 1001, reason \"Going away\")".
func describe(rc events.APIGatewayWebsocketProxyRequestContext) string {
	reason := "none given"
	if rc.DisconnectReason != nil && *rc.DisconnectReason != "" {
		reason = *rc.DisconnectReason
	}
	return fmt.Sprintf("disconnected %s (status %d, reason %q)", rc.ConnectionID, rc.DisconnectStatusCode, reason)
}

func main() { lambda.Start(handle) }
