package wsapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
	"github.com/aws/smithy-go"
	"github.com/gorilla/websocket"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// managementClient is the real SDK client pointed at the test API's callback URL. Region,
// endpoint and credentials are explicit so it never looks anything up.
func managementClient(endpoint string) *apigatewaymanagementapi.Client {
	return apigatewaymanagementapi.New(apigatewaymanagementapi.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		HTTPClient:   &http.Client{Timeout: 5 * time.Second},
	})
}

func TestManagementAPI(t *testing.T) {
	var gotAction, gotResource string
	a := newTestAPI(t, []*model.Route{proxyRoute("$connect", "connect", false), proxyRoute("$disconnect", "disconnect", false)}, Options{
		Authorize: func(r *http.Request, body []byte, action, resource string) *Refusal {
			gotAction, gotResource = action, resource
			return nil
		},
	})
	a.lambda.fns["connect"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) { return reply("") }
	a.lambda.fns["disconnect"] = a.lambda.fns["connect"]
	ws := dial(t, a.url, http.Header{"User-Agent": {"ua-1"}})
	id := a.lambda.last("$connect").RequestContext.ConnectionID
	client := managementClient(a.http)
	ctx := context.Background()

	if _, err := client.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(id), Data: []byte("pushed")}); err != nil {
		t.Fatalf("PostToConnection: %v", err)
	}
	if got := readText(t, ws); got != "pushed" {
		t.Errorf("client got %q, want the pushed data", got)
	}
	if gotAction != "execute-api:ManageConnections" || gotResource != "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/@connections/"+id {
		t.Errorf("authorized %q on %q", gotAction, gotResource)
	}

	info, err := client.GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: aws.String(id)})
	if err != nil {
		t.Fatalf("GetConnection: %v", err)
	}
	if info.ConnectedAt == nil || time.Since(*info.ConnectedAt) > time.Minute || info.LastActiveAt == nil ||
		info.Identity == nil || aws.ToString(info.Identity.SourceIp) != "127.0.0.1" || aws.ToString(info.Identity.UserAgent) != "ua-1" {
		t.Errorf("GetConnection = %+v", info)
	}

	if _, err := client.DeleteConnection(ctx, &apigatewaymanagementapi.DeleteConnectionInput{ConnectionId: aws.String(id)}); err != nil {
		t.Fatalf("DeleteConnection: %v", err)
	}
	if code := readClose(t, ws); code != 1000 {
		t.Errorf("close code after DELETE %d, want 1000", code)
	}
	a.lambda.waitFor(t, "$disconnect")

	var gone *types.GoneException
	_, err = client.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(id), Data: []byte("late")})
	if !errors.As(err, &gone) {
		t.Errorf("PostToConnection after the close: %v, want GoneException", err)
	}
	_, err = client.GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: aws.String("bm90LWFuLWlkIQ==")})
	if !errors.As(err, &gone) {
		t.Errorf("GetConnection of an unknown id: %v, want GoneException", err)
	}

	ws2 := dial(t, a.url, nil)
	id2 := a.lambda.last("$connect").RequestContext.ConnectionID
	var tooLarge *types.PayloadTooLargeException
	_, err = client.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(id2), Data: make([]byte, MaxMessage+1)})
	if !errors.As(err, &tooLarge) {
		t.Errorf("PostToConnection over 128 KB: %v, want PayloadTooLargeException", err)
	}
	ws2.SetWriteDeadline(time.Now().Add(time.Second))
	if err := ws2.WriteMessage(websocket.PingMessage, nil); err != nil {
		t.Errorf("the connection did not survive a refused push: %v", err)
	}
}

func TestManagementAPIRefusals(t *testing.T) {
	for _, tc := range []struct {
		name      string
		authorize func(*http.Request, []byte, string, string) *Refusal
		check     func(error) bool
	}{
		{"no authorizer: refused as unsigned", nil, func(err error) bool {
			var ae smithy.APIError
			return errors.As(err, &ae) && ae.ErrorCode() == "MissingAuthenticationTokenException" && ae.ErrorMessage() == "Missing Authentication Token"
		}},
		{"authorizer refuses", func(*http.Request, []byte, string, string) *Refusal {
			return &Refusal{Status: 403, Type: "AccessDeniedException", Body: []byte(`{"Message":"User: x is not authorized to perform: execute-api:ManageConnections"}`)}
		}, func(err error) bool {
			var ae smithy.APIError
			return errors.As(err, &ae) && ae.ErrorCode() == "AccessDeniedException" && strings.Contains(ae.ErrorMessage(), "not authorized")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestAPI(t, nil, Options{Authorize: tc.authorize})
			ws := dial(t, a.url, nil)
			_ = ws
			_, err := managementClient(a.http).PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String("AAAAAAAAAAAAAAA="), Data: []byte("x")})
			if err == nil || !tc.check(err) {
				t.Errorf("PostToConnection: %v", err)
			}
		})
	}
}
