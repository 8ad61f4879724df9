// Command wsdefault is the $default route of the example's WebSocket API: it receives every
// message no other route matches (including non-JSON text) and echoes it. The route is two-way,
// so API Gateway sends the returned body back to the client.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, req events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: req.Body}, nil
}

func main() { lambda.Start(handle) }
