// Package wsmanage gives the example's WebSocket handlers an API Gateway Management API client
// (the @connections API) and a way to push JSON to a connection.
//
// Credentials and region come from the variables Lambda sets for every function
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION) and nothing else:
// the SDK's default chain would fall back to the instance metadata service, which a handler run
// by the local runner must never reach.
package wsmanage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
)

// NewClient returns a client for the @connections API under endpoint, a stage's callback URL
// such as "https://{api-id}.execute-api.{region}.amazonaws.com/{stage}".
func NewClient(endpoint string) (*apigatewaymanagementapi.Client, error) {
	if endpoint == "" {
		return nil, errors.New("no @connections endpoint: the callback URL is empty")
	}
	region := os.Getenv("AWS_REGION")
	if region == "" {
		return nil, errors.New("AWS_REGION is not set")
	}
	creds := credentials.NewStaticCredentialsProvider(os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"))
	return apigatewaymanagementapi.New(apigatewaymanagementapi.Options{
		BaseEndpoint: aws.String(endpoint),
		Region:       region,
		Credentials:  aws.NewCredentialsCache(creds),
	}), nil
}

// EventEndpoint is the callback URL of the stage an event came through, built as the guide
// does: "https://" + domainName + "/" + stage.
func EventEndpoint(rc events.APIGatewayWebsocketProxyRequestContext) string {
	return "https://" + rc.DomainName + "/" + rc.Stage
}

// PostJSON sends v, as JSON, to one connection.
func PostJSON(ctx context.Context, c *apigatewaymanagementapi.Client, connectionID string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding the message for %s: %w", connectionID, err)
	}
	_, err = c.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{
		ConnectionId: aws.String(connectionID),
		Data:         data,
	})
	if err != nil {
		return fmt.Errorf("posting to connection %s: %w", connectionID, err)
	}
	return nil
}

// IsGone reports whether err says the connection no longer exists (410 GoneException).
func IsGone(err error) bool {
	var gone *types.GoneException
	return errors.As(err, &gone)
}
