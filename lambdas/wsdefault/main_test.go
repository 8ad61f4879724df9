package main

import (
	"context"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestEcho(t *testing.T) {
	for _, body := range []string{"plain text", `{"action":"unknown","x":1}`, ""} {
		resp, err := handle(context.Background(), events.APIGatewayWebsocketProxyRequest{Body: body})
		if err != nil || resp.StatusCode != 200 || resp.Body != body {
			t.Errorf("echo %q = %+v, %v", body, resp, err)
		}
	}
}
