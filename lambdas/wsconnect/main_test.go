package main

import (
	"context"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestConnect(t *testing.T) {
	h := handler{token: "letmein"}
	tests := []struct {
		name     string
		query    map[string]string
		headers  map[string]string
		status   int
		protocol string // expected Sec-WebSocket-Protocol answer; "" for none
	}{
		{"no token", nil, nil, 401, ""},
		{"empty token", map[string]string{"token": ""}, nil, 401, ""},
		{"wrong token", map[string]string{"token": "nope"}, nil, 403, ""},
		{"right token", map[string]string{"token": "letmein"}, nil, 200, ""},
		{"subprotocol echoed", map[string]string{"token": "letmein"}, map[string]string{"Sec-WebSocket-Protocol": "gatehouse-chat"}, 200, "gatehouse-chat"},
		{"first of several, any case", map[string]string{"token": "letmein"}, map[string]string{"sec-websocket-protocol": "chat1, chat2"}, 200, "chat1"},
		{"no answer when refused", map[string]string{"token": "x"}, map[string]string{"Sec-WebSocket-Protocol": "chat1"}, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := events.APIGatewayWebsocketProxyRequest{QueryStringParameters: tt.query, Headers: tt.headers}
			req.RequestContext.RouteKey = "$connect"
			resp, err := h.handle(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || resp.Headers["Sec-WebSocket-Protocol"] != tt.protocol {
				t.Errorf("got %d %v, want %d protocol %q", resp.StatusCode, resp.Headers, tt.status, tt.protocol)
			}
		})
	}
	// Without a configured token nothing is let in.
	if resp, _ := (handler{}).handle(context.Background(), events.APIGatewayWebsocketProxyRequest{QueryStringParameters: map[string]string{"token": "x"}}); resp.StatusCode != 403 {
		t.Errorf("unconfigured token: status %d, want 403", resp.StatusCode)
	}
}
