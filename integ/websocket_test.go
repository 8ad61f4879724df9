package integ

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
	"github.com/aws/smithy-go"
	"github.com/gorilla/websocket"

	"github.com/gatehouse-dev/gatehouse/local"
)

const chatToken = "gatehouse-demo-token" // the example's CHAT_TOKEN

func chatStage(t *testing.T) local.StageInfo {
	t.Helper()
	api, ok := runner.APIByName("gatehouse-chat")
	if !ok {
		t.Fatalf("the runner serves no API named gatehouse-chat; it serves %+v", runner.APIs())
	}
	st, ok := api.Stage("dev")
	if !ok {
		t.Fatalf("gatehouse-chat has no dev stage: %+v", api.Stages)
	}
	return st
}

// chatClient is one WebSocket connection to the example's chat API.
type chatClient struct {
	t  *testing.T
	ws *websocket.Conn
	in chan string
}

func connectChat(t *testing.T, query string, h http.Header) *chatClient {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(chatStage(t).URL+"?"+query, h)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("connecting: %v (status %d)", err, status)
	}
	c := &chatClient{t: t, ws: ws, in: make(chan string, 32)}
	go func() {
		defer close(c.in)
		for {
			_, msg, err := ws.ReadMessage()
			if err != nil {
				return
			}
			c.in <- string(msg)
		}
	}()
	t.Cleanup(func() { ws.Close() })
	return c
}

func (c *chatClient) send(msg string) {
	c.t.Helper()
	if err := c.ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		c.t.Fatalf("sending %s: %v", msg, err)
	}
}

// next waits for the next frame that contains want.
func (c *chatClient) next(want string) string {
	c.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case msg, ok := <-c.in:
			if !ok {
				c.t.Fatalf("connection closed while waiting for %q", want)
			}
			if strings.Contains(msg, want) {
				return msg
			}
			c.t.Logf("skipping frame %s", msg)
		case <-timeout:
			c.t.Fatalf("no frame with %q within 10s", want)
		}
	}
}

func (c *chatClient) close() {
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "test done"), time.Now().Add(time.Second))
	for range c.in {
	}
}

func TestChatConnectRefusals(t *testing.T) {
	for _, tc := range []struct {
		query  string
		status int
	}{
		{"", http.StatusUnauthorized},
		{"token=wrong", http.StatusForbidden},
	} {
		_, resp, err := websocket.DefaultDialer.Dial(chatStage(t).URL+"?"+tc.query, nil)
		if err == nil || resp == nil || resp.StatusCode != tc.status {
			t.Errorf("connect with %q: %v %v, want status %d", tc.query, err, resp, tc.status)
		}
	}
}

func TestChatRoutes(t *testing.T) {
	d := websocket.Dialer{Subprotocols: []string{"gatehouse-chat", "other"}}
	ws, _, err := d.Dial(chatStage(t).URL+"?token="+chatToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ws.Subprotocol() != "gatehouse-chat" {
		t.Errorf("subprotocol %q, want the one $connect chose", ws.Subprotocol())
	}
	ws.Close()

	c := connectChat(t, "token="+chatToken, nil)
	// $default: two-way echo, also for text that is not JSON.
	c.send("plain text")
	c.next("plain text")

	// whoami builds its @connections client from the event ("https://" + domainName + "/" +
	// stage), which reaches the runner through its egress proxy, signed with the function's
	// own credentials and checked against its role.
	c.send(`{"action":"whoami"}`)
	who := c.next(`"type":"whoami"`)
	var info struct {
		ConnectionID, Stage, LastActiveAt, ConnectionError string
	}
	json.Unmarshal([]byte(who), &info)
	if info.ConnectionID == "" || info.Stage != "dev" || info.LastActiveAt == "" || info.ConnectionError != "" {
		t.Errorf("whoami pushed %s", who)
	}

	// sendmessage uses CALLBACK_URL (CDK's callbackUrl, an amazonaws.com URL) to push to the
	// room, which the sender joins. One message at a time: the function's reserved concurrency
	// is 1, and a second concurrent message would be throttled, as in AWS.
	c.send(`{"action":"sendmessage","message":"hello room"}`)
	c.next(`hello room`)

	// echohttp: an HTTP_PROXY integration with data mapping into headers and the query string.
	c.send(`{"action":"echohttp","x":"42"}`)
	echoed := c.next(`x-connection-id`)
	for _, want := range []string{`"x-connection-id":"` + info.ConnectionID + `"`, `"x-chat-room":"lobby"`, `"x-via":"gatehouse-chat"`, `"rawQueryString":"x=42"`} {
		if !strings.Contains(echoed, want) {
			t.Errorf("the HTTP backend's echo lacks %s: %s", want, echoed)
		}
	}

	// vip requires an API key, which this connection did not present.
	c.send(`{"action":"vip"}`)
	if got := c.next(`"message"`); !strings.Contains(got, `"message": "Forbidden"`) {
		t.Errorf("vip without a key answered %s", got)
	}

	// ping: a MOCK integration whose request template picks the status and whose integration
	// responses (2xx and $default) each have a response template.
	c.send(`{"action":"ping"}`)
	c.next(`{"pong":true}`)
	c.send(`{"action":"ping","message":"fail"}`)
	c.next(`{"pong":false}`)

	// echotemplate: an HTTP integration with a request template ($input, $context,
	// $stageVariables) and a response template over the backend's answer.
	c.send(`{"action":"echotemplate","message":"templated"}`)
	echoedT := c.next(`"echoed"`)
	if !strings.Contains(echoedT, `"echoed":`) {
		t.Errorf("echotemplate answered %s", echoedT)
	}

	c.close()
	waitForLog(t, "disconnected "+info.ConnectionID+" (status 1000")

	// With the example's API key (its usage plan covers the dev stage), vip answers.
	vip := connectChat(t, "token="+chatToken, http.Header{"X-Api-Key": {"gatehouse-chat-demo-key-0001"}})
	vip.send(`{"action":"vip"}`)
	if got := vip.next(`"vip"`); !strings.Contains(got, `"vip":true`) || strings.Contains(got, "$context") {
		t.Errorf("vip with the key answered %s", got)
	}
	vip.close()
}

// waitForLog waits until a handler has printed want.
func waitForLog(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(handlerLogs.String(), want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("no handler printed %q within 10s", want)
}

// TestChatManagementAPI drives the @connections API the way a developer's script would: the
// real SDK client at the stage's callback URL, signed with credentials of its own.
func TestChatManagementAPI(t *testing.T) {
	c := connectChat(t, "token="+chatToken, nil)
	c.send(`{"action":"whoami"}`)
	var info struct{ ConnectionID string }
	json.Unmarshal([]byte(c.next(`"type":"whoami"`)), &info)

	client := func(key string) *apigatewaymanagementapi.Client {
		return apigatewaymanagementapi.New(apigatewaymanagementapi.Options{
			Region: "us-east-1", BaseEndpoint: aws.String(chatStage(t).CallbackURL),
			Credentials: credentials.NewStaticCredentialsProvider(key, "developer-secret", ""),
		})
	}
	ctx := context.Background()
	id := aws.String(info.ConnectionID)
	if _, err := client("AKIADEVELOPER0000001").PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: id, Data: []byte("from a script")}); err != nil {
		t.Fatalf("PostToConnection: %v", err)
	}
	c.next("from a script")
	got, err := client("AKIADEVELOPER0000001").GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: id})
	if err != nil || got.ConnectedAt == nil || aws.ToString(got.Identity.SourceIp) != "127.0.0.1" {
		t.Errorf("GetConnection: %+v, %v", got, err)
	}

	// Unsigned: refused as in AWS.
	resp, err := http.Post(chatStage(t).CallbackURL+"/@connections/"+info.ConnectionID, "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned POST: %d, want 403", resp.StatusCode)
	}

	if _, err := client("AKIADEVELOPER0000001").DeleteConnection(ctx, &apigatewaymanagementapi.DeleteConnectionInput{ConnectionId: id}); err != nil {
		t.Fatalf("DeleteConnection: %v", err)
	}
	for range c.in { // the server closes the connection
	}
	var gone *types.GoneException
	if _, err := client("AKIADEVELOPER0000001").PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: id, Data: []byte("late")}); !errors.As(err, &gone) {
		var ae smithy.APIError
		errors.As(err, &ae)
		t.Errorf("PostToConnection after DELETE: %v, want GoneException", err)
	}
}
