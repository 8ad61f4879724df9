package main

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestHello(t *testing.T) {
	tests := []struct {
		name string
		req  events.APIGatewayProxyRequest
		want string // the message
	}{
		{"defaults", events.APIGatewayProxyRequest{}, "hello, world!"},
		{"query name", events.APIGatewayProxyRequest{QueryStringParameters: map[string]string{"name": "ann"}}, "hello, ann!"},
		{"path name wins", events.APIGatewayProxyRequest{
			PathParameters:        map[string]string{"name": "bob"},
			QueryStringParameters: map[string]string{"name": "ann"},
		}, "hello, bob!"},
		{"stage greeting", events.APIGatewayProxyRequest{StageVariables: map[string]string{"greeting": "hi from v1"}}, "hi from v1, world!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := hello(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			var g greeting
			if err := json.Unmarshal([]byte(resp.Body), &g); err != nil || g.Message != tt.want || resp.StatusCode != 200 {
				t.Fatalf("got %d %s (%v), want message %q", resp.StatusCode, resp.Body, err, tt.want)
			}
		})
	}
}
