package wsapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/gorilla/websocket"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// accessLines collects what a server's AccessLog hook receives.
type accessLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *accessLines) log(st *model.Stage, line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, st.Name+" "+line)
}

// wait returns the lines once there are n of them.
func (l *accessLines) wait(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		l.mu.Lock()
		lines := append([]string(nil), l.lines...)
		l.mu.Unlock()
		if len(lines) >= n || time.Now().After(deadline) {
			return lines
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Each event of a connection is one line: CONNECT, a MESSAGE delivered, a MESSAGE whose
// integration failed, DISCONNECT. The formats are the guide's WebSocket CLF and JSON examples
// ("Logging WebSocket APIs").
func TestAccessLog(t *testing.T) {
	const when = "21/Apr/2020:15:08:21 +0000"
	tests := []struct {
		name, format string
		// want is one line per event; CID is the connection id, REQn the nth event's
		// request id, MSGn its message id.
		want []string
	}{
		{"CLF", `$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.eventType $context.routeKey $context.connectionId" $context.status $context.requestId`,
			[]string{
				`dev 127.0.0.1 - - [` + when + `] "CONNECT $connect CID" 200 REQ0`,
				`dev 127.0.0.1 - - [` + when + `] "MESSAGE $default CID" 200 REQ1`,
				`dev 127.0.0.1 - - [` + when + `] "MESSAGE fail CID" 500 REQ2`,
				`dev 127.0.0.1 - - [` + when + `] "DISCONNECT $disconnect CID" 200 REQ3`,
			}},
		{"JSON", `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","caller":"$context.identity.caller","user":"$context.identity.user","requestTime":"$context.requestTime","eventType":"$context.eventType","routeKey":"$context.routeKey","status":"$context.status","connectionId":"$context.connectionId"}`,
			[]string{
				`dev {"requestId":"REQ0","ip":"127.0.0.1","caller":"-","user":"-","requestTime":"` + when + `","eventType":"CONNECT","routeKey":"$connect","status":"200","connectionId":"CID"}`,
				`dev {"requestId":"REQ1","ip":"127.0.0.1","caller":"-","user":"-","requestTime":"` + when + `","eventType":"MESSAGE","routeKey":"$default","status":"200","connectionId":"CID"}`,
				`dev {"requestId":"REQ2","ip":"127.0.0.1","caller":"-","user":"-","requestTime":"` + when + `","eventType":"MESSAGE","routeKey":"fail","status":"500","connectionId":"CID"}`,
				`dev {"requestId":"REQ3","ip":"127.0.0.1","caller":"-","user":"-","requestTime":"` + when + `","eventType":"DISCONNECT","routeKey":"$disconnect","status":"200","connectionId":"CID"}`,
			}},
		{"access-only variables", `$context.eventType $context.messageId $context.status $context.integrationStatus $context.integration.status $context.integrationLatency $context.error.message $context.responseLength`,
			[]string{
				`dev CONNECT - 200 200 200 0 - -`,
				`dev MESSAGE MSG1 200 200 200 0 - -`,
				`dev MESSAGE MSG2 500 - - 0 Internal server error -`,
				`dev DISCONNECT - 200 200 200 0 - -`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got accessLines
			a := accessAPI(t, tt.format, got.log,
				proxyRoute("$connect", "connect", false),
				proxyRoute("$disconnect", "connect", false),
				proxyRoute("$default", "echo", true),
				proxyRoute("fail", "fail", false))
			a.lambda.fns["connect"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) { return reply("") }
			a.lambda.fns["echo"] = func(ev events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) { return reply(ev.Body) }
			a.lambda.fns["fail"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) {
				return nil, errors.New("Lambda is down")
			}

			ws := dial(t, a.url, nil)
			ws.WriteMessage(websocket.TextMessage, []byte("hi"))
			readText(t, ws)
			ws.WriteMessage(websocket.TextMessage, []byte(`{"action":"fail"}`))
			var frame struct{ RequestID string }
			json.Unmarshal([]byte(readText(t, ws)), &frame)
			ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
			lines := got.wait(t, 4)

			connect, msg, disconnect := a.lambda.last("$connect").RequestContext, a.lambda.last("$default").RequestContext, a.lambda.last("$disconnect").RequestContext
			failed := a.lambda.last("fail").RequestContext
			r := strings.NewReplacer("CID", connect.ConnectionID, "REQ0", connect.RequestID, "REQ1", msg.RequestID,
				"REQ2", frame.RequestID, "REQ3", disconnect.RequestID, "MSG1", msg.MessageID.(string), "MSG2", failed.MessageID.(string))
			if frame.RequestID != failed.RequestID {
				t.Errorf("error frame's request id %q, the event's %q", frame.RequestID, failed.RequestID)
			}
			var want []string
			for _, w := range tt.want {
				want = append(want, r.Replace(w))
			}
			if strings.Join(lines, "\n") != strings.Join(want, "\n") {
				t.Errorf("access log\n got %s\nwant %s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// A message no route takes is logged with API Gateway's 403 and no route key; a stage without
// a format logs nothing.
func TestAccessLogRefusalsAndOff(t *testing.T) {
	var got accessLines
	a := accessAPI(t, "", got.log, proxyRoute("only", "fn", false))
	if a.Server.accessFormats != nil {
		t.Fatalf("formats compiled for a stage without one: %v", a.Server.accessFormats)
	}
	ws := dial(t, a.url, nil)
	ws.WriteMessage(websocket.TextMessage, []byte(`{"action":"other"}`))
	readText(t, ws)
	ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
	readClose(t, ws)
	time.Sleep(50 * time.Millisecond) // DISCONNECT follows the close handshake
	if lines := got.wait(t, 0); len(lines) != 0 {
		t.Errorf("a stage without a format logged %q", lines)
	}

	b := accessAPI(t, `$context.eventType $context.routeKey $context.status $context.error.message $context.integrationLatency`, got.log,
		proxyRoute("only", "fn", false))
	ws = dial(t, b.url, http.Header{})
	ws.WriteMessage(websocket.TextMessage, []byte(`{"action":"other"}`))
	readText(t, ws)
	ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
	want := []string{"dev CONNECT $connect 200 - -", "dev MESSAGE - 403 Forbidden -", "dev DISCONNECT $disconnect 200 - -"}
	if lines := got.wait(t, 3); strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("access log\n got %q\nwant %q", lines, want)
	}
}

var testNow = time.Date(2020, 4, 21, 15, 8, 21, 67e6, time.UTC)

// accessAPI serves routes on stage "dev", whose access log format is format, on a fixed clock.
func accessAPI(t *testing.T, format string, log func(*model.Stage, string), routes ...*model.Route) *testAPI {
	t.Helper()
	stage := &model.Stage{Name: "dev", AccessLogFormat: format}
	api := &model.API{ID: "abc123", Protocol: model.ProtocolWebSocket, RouteSelectionExpression: "$request.body.action",
		Stages: []*model.Stage{stage}, Routes: routes}
	return serveTestAPI(t, api, Options{AccessLog: log, Now: func() time.Time { return testNow }})
}
