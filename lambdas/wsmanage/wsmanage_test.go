package wsmanage

import (
	"context"
	"reflect"
	"strings"
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

func TestPostJSON(t *testing.T) {
	setLambdaEnv(t)
	fake := wsmanagetest.NewServer(t, "dev")
	fake.Connect("abc=")
	c, err := NewClient(fake.CallbackURL())
	if err != nil {
		t.Fatal(err)
	}
	if err := PostJSON(context.Background(), c, "abc=", map[string]string{"hello": "world"}); err != nil {
		t.Fatalf("PostJSON: %v", err)
	}
	want := []wsmanagetest.Post{{ConnectionID: "abc=", Body: `{"hello":"world"}`, Signed: true}}
	if got := fake.Posts(); !reflect.DeepEqual(got, want) {
		t.Errorf("posts = %+v, want %+v", got, want)
	}
	err = PostJSON(context.Background(), c, "gone", "x")
	if err == nil || !IsGone(err) {
		t.Errorf("post to a gone connection: err = %v, IsGone = %v", err, IsGone(err))
	}
}

func TestNewClientNeedsEndpointAndRegion(t *testing.T) {
	setLambdaEnv(t)
	if _, err := NewClient(""); err == nil {
		t.Error("NewClient(\"\") succeeded")
	}
	t.Setenv("AWS_REGION", "")
	if _, err := NewClient("https://example.com/dev"); err == nil || !strings.Contains(err.Error(), "AWS_REGION") {
		t.Errorf("NewClient without AWS_REGION: %v", err)
	}
}

func TestEventEndpoint(t *testing.T) {
	rc := events.APIGatewayWebsocketProxyRequestContext{DomainName: "abc123.execute-api.us-east-1.amazonaws.com", Stage: "dev"}
	if got := EventEndpoint(rc); got != "https://abc123.execute-api.us-east-1.amazonaws.com/dev" {
		t.Errorf("EventEndpoint = %q", got)
	}
}
