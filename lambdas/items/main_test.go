package main

import (
	"context"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func request(method, id, body string) events.APIGatewayV2HTTPRequest {
	req := events.APIGatewayV2HTTPRequest{Body: body}
	req.RequestContext.HTTP.Method = method
	if id != "" {
		req.PathParameters = map[string]string{"id": id}
	}
	return req
}

func TestItems(t *testing.T) {
	s := newStore()
	tests := []struct {
		name     string
		req      events.APIGatewayV2HTTPRequest
		status   int
		location string // expected Location header; "" for none
		cookie   bool   // whether a cookie is expected
	}{
		{"get seeded", request("GET", "1", ""), 200, "", false},
		{"get missing", request("GET", "99", ""), 404, "", false},
		{"post", request("POST", "", `{"name":"second"}`), 201, "/items/2", true},
		{"get posted", request("GET", "2", ""), 200, "", false},
		{"post bad body", request("POST", "", `nope`), 400, "", false},
		{"delete", request("DELETE", "1", ""), 405, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := s.handle(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d (body %s)", resp.StatusCode, tt.status, resp.Body)
			}
			if got := resp.Headers["Location"]; got != tt.location {
				t.Errorf("Location %q, want %q", got, tt.location)
			}
			if got := len(resp.Cookies) > 0; got != tt.cookie {
				t.Errorf("cookies %v, want some: %v", resp.Cookies, tt.cookie)
			}
		})
	}
}
