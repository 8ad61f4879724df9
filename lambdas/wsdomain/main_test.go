package main

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatehouse-dev/gatehouse/lambdas/wsmanage/wsmanagetest"
)

func request(route, body string) events.APIGatewayWebsocketProxyRequest {
	req := events.APIGatewayWebsocketProxyRequest{Body: body}
	rc := &req.RequestContext
	rc.RouteKey, rc.ConnectionID, rc.APIID, rc.Stage = route, "me=", "abc123", "live"
	rc.DomainName = "chat.example.com"
	return req
}

func TestReply(t *testing.T) {
	resp, err := handler{}.handle(context.Background(), request("$default", "hello"))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("handle = %+v, %v", resp, err)
	}
	var got seen
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
		t.Fatalf("the reply is not JSON: %v: %s", err, resp.Body)
	}
	want := seen{Type: "reply", Route: "$default", Message: "hello", ConnectionID: "me=", APIID: "abc123", Stage: "live", DomainName: "chat.example.com"}
	if got != want {
		t.Errorf("reply %+v\nwant  %+v", got, want)
	}
}

func TestPush(t *testing.T) {
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "ASIATESTTESTTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "token")
	// The fake serves /{path}/@connections: here the mapping key stands where a stage would.
	fake := wsmanagetest.NewServer(t, "chat")
	fake.Connect("me=")
	h := handler{callbackURL: fake.CallbackURL()}

	resp, err := h.handle(context.Background(), request("push", `{"action":"push","message":"hi"}`))
	if err != nil || resp.StatusCode != 200 || resp.Body != "" {
		t.Fatalf("handle = %+v, %v; want 200 with no reply", resp, err)
	}
	posts := fake.Posts()
	if len(posts) != 1 || posts[0].ConnectionID != "me=" || !posts[0].Signed {
		t.Fatalf("posts = %+v, want one signed post to me=", posts)
	}
	var got seen
	if err := json.Unmarshal([]byte(posts[0].Body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Type != "push" || got.Message != "hi" || got.CallbackURL != fake.CallbackURL() || got.DomainName != "chat.example.com" {
		t.Errorf("pushed %+v", got)
	}

	// A gone connection: the post fails and the route answers 500.
	if resp, _ := h.handle(context.Background(), func() events.APIGatewayWebsocketProxyRequest {
		r := request("push", `{"message":"x"}`)
		r.RequestContext.ConnectionID = "gone="
		return r
	}()); resp.StatusCode != 500 {
		t.Errorf("push to a gone connection: status %d, want 500", resp.StatusCode)
	}
	// Not JSON: an error, as API Gateway reports a failed integration.
	if _, err := h.handle(context.Background(), request("push", "not json")); err == nil {
		t.Error("push with a body that is not JSON: no error")
	}
	// No callback URL: an error naming the variable.
	if _, err := (handler{}).handle(context.Background(), request("push", `{"message":"x"}`)); err == nil {
		t.Error("push without " + CallbackEnv + ": no error")
	}
}
