// Command wswhoami is the "whoami" route of the example's WebSocket API. It answers the sender
// through the @connections API, with a client built from the event itself as the guide shows
// ("https://" + domainName + "/" + stage), rather than from configuration: what it pushes is
// the connection as API Gateway sees it, from the event and from GetConnection.
package main

import (
	"context"
	"log"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"

	"github.com/gatehouse-dev/gatehouse/lambdas/wsmanage"
)

// whoami is what the sender receives.
type whoami struct {
	Type         string `json:"type"` // "whoami"
	ConnectionID string `json:"connectionId"`
	ApiID        string `json:"apiId"`
	Stage        string `json:"stage"`
	DomainName   string `json:"domainName"`
	SourceIP     string `json:"sourceIp"`
	ConnectedAt  int64  `json:"connectedAt"` // epoch milliseconds, from the event
	// LastActiveAt is from GetConnection; empty when that failed (ConnectionError says why).
	LastActiveAt    string `json:"lastActiveAt,omitempty"`
	ConnectionError string `json:"connectionError,omitempty"`
}

// handler builds its @connections endpoint from the event; tests swap endpointFor.
type handler struct {
	endpointFor func(events.APIGatewayWebsocketProxyRequestContext) string
}

func (h handler) handle(ctx context.Context, req events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	rc := req.RequestContext
	c, err := wsmanage.NewClient(h.endpointFor(rc))
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	me := whoami{
		Type: "whoami", ConnectionID: rc.ConnectionID, ApiID: rc.APIID, Stage: rc.Stage,
		DomainName: rc.DomainName, SourceIP: rc.Identity.SourceIP, ConnectedAt: rc.ConnectedAt,
	}
	conn, err := c.GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: aws.String(rc.ConnectionID)})
	if err != nil {
		me.ConnectionError = err.Error()
	} else if conn.LastActiveAt != nil {
		me.LastActiveAt = conn.LastActiveAt.UTC().Format(time.RFC3339)
	}
	if err := wsmanage.PostJSON(ctx, c, rc.ConnectionID, me); err != nil {
		log.Print(err)
		return events.APIGatewayProxyResponse{StatusCode: 500}, nil
	}
	return events.APIGatewayProxyResponse{StatusCode: 200}, nil
}

func main() {
	lambda.Start(handler{endpointFor: wsmanage.EventEndpoint}.handle)
}
