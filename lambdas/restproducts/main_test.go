package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func request(method, resource, id string) events.APIGatewayProxyRequest {
	req := events.APIGatewayProxyRequest{HTTPMethod: method, Resource: resource}
	if id != "" {
		req.PathParameters = map[string]string{"id": id}
	}
	req.RequestContext.Stage = "v1"
	return req
}

func TestProducts(t *testing.T) {
	h := &handler{store: newStore(), allowOrigin: "http://localhost:5173"}
	post := request("POST", "/products", "")
	post.Body = `{"name":"Gopher mug","price":9.5,"category":"games","tags":["go"]}`
	list := request("GET", "/products", "")
	list.QueryStringParameters = map[string]string{"category": "games"}
	list.MultiValueQueryStringParameters = map[string][]string{"category": {"games"}, "tag": {"go", "toys"}}
	search := request("GET", "/search", "")
	search.QueryStringParameters = map[string]string{"q": "GOPHER"}
	png := placeholderPNG("x")
	upload := request("PUT", "/products/{id}/image", "2")
	upload.Body, upload.IsBase64Encoded = base64.StdEncoding.EncodeToString(png), true
	notPNG := request("PUT", "/products/{id}/image", "2")
	notPNG.Body = "hello"

	tests := []struct {
		name     string
		req      events.APIGatewayProxyRequest
		status   int
		body     string // substring of the body
		location string // expected Location; "" for none
	}{
		{"list all", request("GET", "/products", ""), 200, `"id":"1"`, ""},
		{"list by category and every tag", list, 200, `[{"id":"2","name":"Gopher plush"`, ""},
		{"get", request("GET", "/products/{id}", "3"), 200, `"name":"Cable tester"`, ""},
		{"get missing", request("GET", "/products/{id}", "99"), 404, `"message":"product 99 not found"`, ""},
		{"create", post, 201, `"id":"4"`, "/v1/products/4"},
		{"get created", request("GET", "/products/{id}", "4"), 200, `"Gopher mug"`, ""},
		{"search ignores case", search, 200, `"Gopher plush"`, ""},
		{"create bad body", request("POST", "/products", ""), 400, "body must be", ""},
		{"upload", upload, 200, `"bytes":` + itoa(len(png)), ""},
		{"upload not a PNG", notPNG, 415, "must be a PNG", ""},
		{"delete", request("DELETE", "/products/{id}", "1"), 204, "", ""},
		{"delete again", request("DELETE", "/products/{id}", "1"), 404, "not found", ""},
		{"unknown route", request("PATCH", "/products/{id}", "2"), 404, "no route for PATCH /products/{id}", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := h.handle(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || !strings.Contains(resp.Body, tt.body) {
				t.Fatalf("got %d %s, want %d with %q", resp.StatusCode, resp.Body, tt.status, tt.body)
			}
			if resp.Headers["Location"] != tt.location {
				t.Errorf("Location = %q, want %q", resp.Headers["Location"], tt.location)
			}
			if resp.Headers["Access-Control-Allow-Origin"] != "http://localhost:5173" {
				t.Errorf("no CORS origin: %v", resp.Headers)
			}
		})
	}
}

func TestImageIsBase64PNG(t *testing.T) {
	h := &handler{store: newStore()}
	resp, err := h.handle(context.Background(), request("GET", "/products/{id}/image", "1"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := base64.StdEncoding.DecodeString(resp.Body)
	if err != nil || !resp.IsBase64Encoded || resp.Headers["Content-Type"] != "image/png" || !isPNG(img) {
		t.Fatalf("image response = %+v (decode error %v)", resp, err)
	}
	// The response round-trips through the events type, as the runner reads it.
	b, _ := json.Marshal(resp)
	var back events.APIGatewayProxyResponse
	if err := json.Unmarshal(b, &back); err != nil || !back.IsBase64Encoded {
		t.Fatalf("round trip: %s (%v)", b, err)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
