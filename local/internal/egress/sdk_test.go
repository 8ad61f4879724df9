package egress

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
)

// TestSDKPostToConnection drives the real @connections client, configured the way a handler
// configures it (an endpoint from the event or from CDK's callbackUrl), through the proxy.
func TestSDKPostToConnection(t *testing.T) {
	f := newFixture(t)
	client := &http.Client{Transport: envTransport(t, f.Env())}
	for i, endpoint := range []string{
		"https://abc.execute-api.localhost/dev",               // "https://" + requestContext.domainName + "/" + stage
		"https://abc.execute-api.us-east-1.amazonaws.com/dev", // WebSocketStage.callbackUrl
	} {
		api := apigatewaymanagementapi.New(apigatewaymanagementapi.Options{
			Region:       "us-east-1",
			BaseEndpoint: aws.String(endpoint),
			Credentials:  credentials.NewStaticCredentialsProvider("ASIAEXAMPLE", "secret", "token"),
			HTTPClient:   client,
		})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := api.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{
			ConnectionId: aws.String("conn-1="),
			Data:         []byte(`{"hello":"world"}`),
		})
		cancel()
		if err != nil {
			t.Fatalf("PostToConnection via %s: %v", endpoint, err)
		}
		reqs := f.requests()
		if len(reqs) != i+1 {
			t.Fatalf("Handler saw %d requests, want %d", len(reqs), i+1)
		}
		s := reqs[i]
		host := strings.TrimPrefix(strings.TrimSuffix(endpoint, "/dev"), "https://")
		if s.method != "POST" || s.host != host || s.uri != "/dev/@connections/conn-1%3D" || s.body != `{"hello":"world"}` || !s.tls {
			t.Errorf("Handler saw %+v", s)
		}
		if !strings.Contains(s.auth, "Credential=ASIAEXAMPLE/") || !strings.Contains(s.auth, "/us-east-1/execute-api/aws4_request") {
			t.Errorf("Authorization %q is not a SigV4 signature for execute-api with the handler's key", s.auth)
		}
	}

	// An endpoint the runner does not serve fails at once with the proxy's reason.
	api := apigatewaymanagementapi.New(apigatewaymanagementapi.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String("https://zzz.execute-api.us-east-1.amazonaws.com/dev"),
		Credentials:      credentials.NewStaticCredentialsProvider("ASIAEXAMPLE", "secret", "token"),
		HTTPClient:       client,
		RetryMaxAttempts: 1,
	})
	_, err := api.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{
		ConnectionId: aws.String("c"), Data: []byte("x"),
	})
	if err == nil || !strings.Contains(err.Error(), "does not reach AWS") {
		t.Errorf("PostToConnection to an API the runner does not serve: %v", err)
	}
	if d := f.dialled(); len(d) != 0 {
		t.Errorf("dialled %v", d)
	}
}
