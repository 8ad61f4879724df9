package main

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatehouse-dev/gatehouse/lambdas/wsmanage/wsmanagetest"
)

func setLambdaEnv(t *testing.T) {
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "ASIATESTTESTTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "token")
}

func from(id, body string) events.APIGatewayWebsocketProxyRequest {
	req := events.APIGatewayWebsocketProxyRequest{Body: body}
	req.RequestContext.ConnectionID = id
	req.RequestContext.RouteKey = "sendmessage"
	return req
}

func TestRoom(t *testing.T) {
	setLambdaEnv(t)
	fake := wsmanagetest.NewServer(t, "dev")
	fake.Connect("a", "b")
	r := newRoom(fake.CallbackURL())
	steps := []struct {
		req       events.APIGatewayWebsocketProxyRequest
		status    int
		wantPosts []wsmanagetest.Post // posts this step adds
	}{
		// b joins silently; a's first message reaches both, sorted by id.
		{from("b", `{"action":"sendmessage"}`), 200, nil},
		{from("a", `{"action":"sendmessage","message":"hi"}`), 200, []wsmanagetest.Post{
			{ConnectionID: "a", Body: `{"type":"message","from":"a","message":"hi"}`, Signed: true},
			{ConnectionID: "b", Body: `{"type":"message","from":"a","message":"hi"}`, Signed: true},
		}},
		// A direct message reaches only its target.
		{from("b", `{"action":"sendmessage","message":"psst","to":"a"}`), 200, []wsmanagetest.Post{
			{ConnectionID: "a", Body: `{"type":"message","from":"b","message":"psst"}`, Signed: true},
		}},
		// A gone target is reported back to the sender.
		{from("a", `{"action":"sendmessage","message":"x","to":"zzz"}`), 200, []wsmanagetest.Post{
			{ConnectionID: "a", Body: `{"type":"error","message":"connection zzz is gone"}`, Signed: true},
		}},
		// A body that is not JSON gets an error back.
		{from("a", `not json`), 400, []wsmanagetest.Post{
			{ConnectionID: "a", Body: `{"type":"error","message":"sendmessage needs a JSON body: invalid character 'o' in literal null (expecting 'u')"}`, Signed: true},
		}},
	}
	var want []wsmanagetest.Post
	for i, s := range steps {
		resp, err := r.handle(context.Background(), s.req)
		if err != nil || resp.StatusCode != s.status {
			t.Fatalf("step %d: %+v, %v; want status %d", i, resp, err, s.status)
		}
		want = append(want, s.wantPosts...)
		if got := fake.Posts(); !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d: posts\n got %+v\nwant %+v", i, got, want)
		}
	}
	// A member that has gone leaves the room at the next broadcast.
	r.join("c") // never connected on the fake: posts to it are 410
	if _, err := r.handle(context.Background(), from("a", `{"message":"again"}`)); err != nil {
		t.Fatal(err)
	}
	if got := r.join("a"); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("room after a gone member = %q, want [a b]", got)
	}
}

func TestRoomWithoutCallbackURL(t *testing.T) {
	setLambdaEnv(t)
	if _, err := newRoom("").handle(context.Background(), from("a", `{"message":"x"}`)); err == nil {
		t.Fatal("no error without CALLBACK_URL")
	}
}
