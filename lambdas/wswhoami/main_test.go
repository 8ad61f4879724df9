package main

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatehouse-dev/gatehouse/lambdas/wsmanage"
	"github.com/gatehouse-dev/gatehouse/lambdas/wsmanage/wsmanagetest"
)

func TestWhoami(t *testing.T) {
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "ASIATESTTESTTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "token")
	fake := wsmanagetest.NewServer(t, "dev")
	fake.Connect("me=")

	var endpointFromEvent string
	h := handler{endpointFor: func(rc events.APIGatewayWebsocketProxyRequestContext) string {
		endpointFromEvent = wsmanage.EventEndpoint(rc)
		return fake.CallbackURL()
	}}
	req := events.APIGatewayWebsocketProxyRequest{}
	rc := &req.RequestContext
	rc.ConnectionID, rc.APIID, rc.Stage, rc.ConnectedAt = "me=", "abc123", "dev", 1700000000000
	rc.DomainName = "abc123.execute-api.us-east-1.amazonaws.com"
	rc.Identity.SourceIP = "192.0.2.1"

	resp, err := h.handle(context.Background(), req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("handle = %+v, %v", resp, err)
	}
	if endpointFromEvent != "https://abc123.execute-api.us-east-1.amazonaws.com/dev" {
		t.Errorf("endpoint from the event = %q", endpointFromEvent)
	}
	posts := fake.Posts()
	if len(posts) != 1 || posts[0].ConnectionID != "me=" || !posts[0].Signed {
		t.Fatalf("posts = %+v, want one signed post to me=", posts)
	}
	var got whoami
	if err := json.Unmarshal([]byte(posts[0].Body), &got); err != nil {
		t.Fatal(err)
	}
	want := whoami{Type: "whoami", ConnectionID: "me=", ApiID: "abc123", Stage: "dev", DomainName: rc.DomainName,
		SourceIP: "192.0.2.1", ConnectedAt: 1700000000000, LastActiveAt: "2026-01-02T03:04:06Z"}
	if got != want {
		t.Errorf("pushed %+v\nwant   %+v", got, want)
	}

	// A connection the API no longer has: GetConnection and the post fail with Gone.
	rc.ConnectionID = "gone="
	if resp, _ := h.handle(context.Background(), req); resp.StatusCode != 500 {
		t.Errorf("whoami for a gone connection: status %d, want 500", resp.StatusCode)
	}
}
