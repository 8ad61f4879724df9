package main

import (
	"context"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestDescribe(t *testing.T) {
	reason := "Client-side close frame status not set"
	tests := []struct {
		rc   events.APIGatewayWebsocketProxyRequestContext
		want string
	}{
		{events.APIGatewayWebsocketProxyRequestContext{ConnectionID: "abc=", DisconnectStatusCode: 1005, DisconnectReason: &reason},
			`disconnected abc= (status 1005, reason "Client-side close frame status not set")`},
		{events.APIGatewayWebsocketProxyRequestContext{ConnectionID: "abc=", DisconnectStatusCode: 1001},
			`disconnected abc= (status 1001, reason "none given")`},
	}
	for _, tt := range tests {
		if got := describe(tt.rc); got != tt.want {
			t.Errorf("describe = %q, want %q", got, tt.want)
		}
	}
	if resp, err := handle(context.Background(), events.APIGatewayWebsocketProxyRequest{}); err != nil || resp.StatusCode != 200 {
		t.Errorf("handle = %+v, %v", resp, err)
	}
}
