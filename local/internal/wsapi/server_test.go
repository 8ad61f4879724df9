package wsapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/gorilla/websocket"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// fakeLambda plays the functions of a test API: each function is a Go func over the decoded
// event, and every event it received is kept for assertions.
type fakeLambda struct {
	mu     sync.Mutex
	fns    map[string]func(ev events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error)
	events map[string][]events.APIGatewayWebsocketProxyRequest
	raw    map[string][]byte // the last payload per route key, as sent
	seen   chan string       // route keys, as events arrive
}

func newFakeLambda() *fakeLambda {
	return &fakeLambda{
		fns:    map[string]func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error){},
		events: map[string][]events.APIGatewayWebsocketProxyRequest{},
		raw:    map[string][]byte{},
		seen:   make(chan string, 4096),
	}
}

func (f *fakeLambda) Invoke(ctx context.Context, function string, payload []byte) (*lambdahost.Result, error) {
	var ev events.APIGatewayWebsocketProxyRequest
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	f.mu.Lock()
	fn := f.fns[function]
	f.events[ev.RequestContext.RouteKey] = append(f.events[ev.RequestContext.RouteKey], ev)
	f.raw[ev.RequestContext.RouteKey] = payload
	f.mu.Unlock()
	defer func() {
		select {
		case f.seen <- ev.RequestContext.RouteKey:
		default: // nobody is waiting for events this test
		}
	}()
	if fn == nil {
		return nil, lambdahost.ErrUnknownFunction
	}
	// Like the real host, give up when the caller's context ends.
	type result struct {
		res *lambdahost.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := fn(ev)
		done <- result{res, err}
	}()
	select {
	case r := <-done:
		return r.res, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (f *fakeLambda) last(routeKey string) events.APIGatewayWebsocketProxyRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	evs := f.events[routeKey]
	if len(evs) == 0 {
		return events.APIGatewayWebsocketProxyRequest{}
	}
	return evs[len(evs)-1]
}

// waitFor waits until an event for routeKey has been handled.
func (f *fakeLambda) waitFor(t *testing.T, routeKey string) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case k := <-f.seen:
			if k == routeKey {
				return
			}
		case <-timeout:
			t.Fatalf("no %s event within 5s", routeKey)
		}
	}
}

func reply(body string) (*lambdahost.Result, error) {
	b, _ := json.Marshal(map[string]any{"statusCode": 200, "body": body})
	return &lambdahost.Result{Payload: b}, nil
}

func proxyRoute(key, function string, twoWay bool) *model.Route {
	r := &model.Route{LogicalID: "R" + key, Key: key, Integration: &model.Integration{LogicalID: "I" + key, Type: model.IntegrationAWSProxy, Function: function}}
	if twoWay {
		r.RouteResponses = []*model.RouteResponse{{LogicalID: "RR" + key, Key: "$default"}}
	}
	return r
}

type testAPI struct {
	*Server
	lambda *fakeLambda
	url    string // ws://127.0.0.1:PORT/dev
	http   string // http://127.0.0.1:PORT/dev
}

// newTestAPI serves routes on stage "dev" of API "abc123" as the router would.
func newTestAPI(t *testing.T, routes []*model.Route, opts Options) *testAPI {
	t.Helper()
	stage := &model.Stage{Name: "dev", Variables: map[string]string{"color": "blue"}}
	api := &model.API{ID: "abc123", Protocol: model.ProtocolWebSocket, RouteSelectionExpression: "$request.body.action", APIKeySelectionExpression: "$request.header.x-api-key",
		Stages: []*model.Stage{stage}, Routes: routes}
	return serveTestAPI(t, api, opts)
}

// serveTestAPI serves api's first stage, "dev", as the router would.
func serveTestAPI(t *testing.T, api *model.API, opts Options) *testAPI {
	t.Helper()
	stage := api.Stages[0]
	fl := newFakeLambda()
	if opts.Account == "" {
		opts.Account, opts.Region = "123456789012", "us-east-1"
	}
	s, err := New(api, fl, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, ok := strings.CutPrefix(r.URL.Path, "/dev")
		if !ok {
			http.NotFound(w, r)
			return
		}
		if path == "" {
			path = "/"
		}
		s.Serve(w, r, Target{Stage: stage, Path: path, DomainName: "abc123.execute-api.localhost"})
	}))
	t.Cleanup(func() {
		s.Close()
		srv.Close()
	})
	base := strings.TrimPrefix(srv.URL, "http://")
	return &testAPI{Server: s, lambda: fl, url: "ws://" + base + "/dev", http: srv.URL + "/dev"}
}

func dial(t *testing.T, url string, h http.Header) *websocket.Conn {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(url, h)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", url, err, status)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

func readText(t *testing.T, ws *websocket.Conn) string {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	kind, msg, err := ws.ReadMessage()
	if err != nil {
		t.Fatalf("reading: %v", err)
	}
	if kind != websocket.TextMessage {
		t.Fatalf("got a frame of kind %d, want text", kind)
	}
	return string(msg)
}

// readClose reads until the server's close frame and returns its code.
func readClose(t *testing.T, ws *websocket.Conn) int {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := ws.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		if err != nil {
			t.Fatalf("reading: %v, want a close frame", err)
		}
	}
}

func TestConnectMessageDisconnect(t *testing.T) {
	a := newTestAPI(t, []*model.Route{
		proxyRoute("$connect", "connect", false),
		proxyRoute("$disconnect", "disconnect", false),
		proxyRoute("$default", "echo", true),
		proxyRoute("sendmessage", "send", false),
	}, Options{})
	a.lambda.fns["connect"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) { return reply("") }
	a.lambda.fns["disconnect"] = a.lambda.fns["connect"]
	a.lambda.fns["echo"] = func(ev events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) {
		return reply("echo: " + ev.Body)
	}
	a.lambda.fns["send"] = func(ev events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) {
		return reply("one-way: never sent")
	}

	ws := dial(t, a.url+"?name=me&tag=a&tag=b", http.Header{"User-Agent": {"gatehouse-test"}, "X-Custom": {"v"}})
	connect := a.lambda.last("$connect")
	rc := connect.RequestContext
	if rc.EventType != "CONNECT" || rc.RouteKey != "$connect" || rc.Stage != "dev" || rc.APIID != "abc123" ||
		rc.DomainName != "abc123.execute-api.localhost" || rc.ConnectionID == "" || rc.ConnectedAt == 0 ||
		rc.RequestTimeEpoch == 0 || rc.MessageDirection != "IN" || rc.Identity.SourceIP != "127.0.0.1" ||
		rc.Identity.UserAgent != "gatehouse-test" || rc.RequestID == "" || rc.ExtendedRequestID != rc.RequestID {
		t.Errorf("CONNECT requestContext = %+v", rc)
	}
	if connect.QueryStringParameters["tag"] != "b" || len(connect.MultiValueQueryStringParameters["tag"]) != 2 {
		t.Errorf("CONNECT query = %v / %v", connect.QueryStringParameters, connect.MultiValueQueryStringParameters)
	}
	if connect.Headers["X-Custom"] != "v" || connect.Headers["Host"] != "abc123.execute-api.localhost" ||
		connect.Headers["Sec-Websocket-Key"] == "" || connect.Headers["X-Forwarded-Proto"] != "http" {
		t.Errorf("CONNECT headers = %v", connect.Headers)
	}
	if connect.StageVariables["color"] != "blue" || connect.Body != "" {
		t.Errorf("CONNECT stageVariables %v, body %q", connect.StageVariables, connect.Body)
	}

	// $default is two-way: the answer comes back. A non-JSON message goes to $default.
	ws.WriteMessage(websocket.TextMessage, []byte("plain text"))
	if got := readText(t, ws); got != "echo: plain text" {
		t.Errorf("$default answered %q", got)
	}
	msg := a.lambda.last("$default").RequestContext
	if msg.EventType != "MESSAGE" || msg.MessageID == nil || msg.MessageID == "" || msg.ConnectionID != rc.ConnectionID || msg.ConnectedAt != rc.ConnectedAt {
		t.Errorf("MESSAGE requestContext = %+v", msg)
	}
	// sendmessage is one-way: nothing comes back, so the next thing read is $default's answer.
	ws.WriteMessage(websocket.TextMessage, []byte(`{"action":"sendmessage","text":"hi"}`))
	a.lambda.waitFor(t, "sendmessage")
	ws.WriteMessage(websocket.TextMessage, []byte(`{"action":"nosuchroute"}`))
	if got := readText(t, ws); got != `echo: {"action":"nosuchroute"}` {
		t.Errorf("unknown action answered %q", got)
	}
	if got := a.lambda.last("sendmessage").Body; got != `{"action":"sendmessage","text":"hi"}` {
		t.Errorf("sendmessage body %q", got)
	}

	ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4001, "bye now"))
	a.lambda.waitFor(t, "$disconnect")
	d := a.lambda.last("$disconnect")
	if d.RequestContext.EventType != "DISCONNECT" || d.RequestContext.DisconnectStatusCode != 4001 ||
		d.RequestContext.DisconnectReason == nil || *d.RequestContext.DisconnectReason != "bye now" ||
		d.RequestContext.ConnectionID != rc.ConnectionID || d.Headers["Host"] != "abc123.execute-api.localhost" {
		t.Errorf("DISCONNECT event = %+v", d)
	}
	if a.Connections() != 0 {
		t.Errorf("%d connections left after the close", a.Connections())
	}
}

func TestConnectRefusals(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fn     func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error)
		status int
	}{
		{"non-2xx refuses with that status", func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) {
			return &lambdahost.Result{Payload: []byte(`{"statusCode":401,"body":"no token"}`)}, nil
		}, 401},
		{"function error is a 500", func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) {
			return &lambdahost.Result{FunctionError: &lambdahost.FunctionError{Type: "errorString", Message: "boom"}}, nil
		}, 500},
		{"invoke failure is a 500", func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) {
			return nil, lambdahost.ErrThrottled
		}, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestAPI(t, []*model.Route{proxyRoute("$connect", "connect", false), proxyRoute("$disconnect", "disconnect", false)}, Options{})
			a.lambda.fns["connect"] = tc.fn
			_, resp, err := websocket.DefaultDialer.Dial(a.url, nil)
			if err == nil || resp == nil || resp.StatusCode != tc.status {
				t.Fatalf("dial: err %v, response %v; want status %d", err, resp, tc.status)
			}
			if a.Connections() != 0 || len(a.lambda.events["$disconnect"]) != 0 {
				t.Error("a refused connection was registered or disconnected")
			}
		})
	}
}

func TestSubprotocol(t *testing.T) {
	a := newTestAPI(t, []*model.Route{proxyRoute("$connect", "connect", false)}, Options{})
	a.lambda.fns["connect"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) {
		return &lambdahost.Result{Payload: []byte(`{"statusCode":200,"headers":{"Sec-WebSocket-Protocol":"chat.v2"}}`)}, nil
	}
	d := websocket.Dialer{Subprotocols: []string{"chat.v1", "chat.v2"}}
	ws, _, err := d.Dial(a.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if ws.Subprotocol() != "chat.v2" {
		t.Errorf("agreed subprotocol %q, want chat.v2", ws.Subprotocol())
	}
}

func TestMessageErrors(t *testing.T) {
	a := newTestAPI(t, []*model.Route{proxyRoute("fail", "fail", true), proxyRoute("ok", "ok", true)}, Options{})
	a.lambda.fns["fail"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) {
		return &lambdahost.Result{FunctionError: &lambdahost.FunctionError{Type: "errorString", Message: "boom"}}, nil
	}
	a.lambda.fns["ok"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) {
		return &lambdahost.Result{Payload: []byte(`"not a proxy response"`)}, nil
	}
	ws := dial(t, a.url, nil)
	frame := func(send string) map[string]string {
		ws.WriteMessage(websocket.TextMessage, []byte(send))
		var m map[string]string
		got := readText(t, ws)
		if err := json.Unmarshal([]byte(got), &m); err != nil {
			t.Fatalf("%s: answer %q is not JSON", send, got)
		}
		return m
	}
	if m := frame(`{"action":"nothing"}`); m["message"] != "Forbidden" || m["connectionId"] == "" || m["requestId"] == "" {
		t.Errorf("no route and no $default: %v", m)
	}
	if m := frame(`not json`); m["message"] != "Forbidden" {
		t.Errorf("non-JSON without $default: %v", m)
	}
	if m := frame(`{"action":"fail"}`); m["message"] != "Internal server error" {
		t.Errorf("function error: %v", m)
	}
	ws.WriteMessage(websocket.TextMessage, []byte(`{"action":"ok"}`))
	if got := readText(t, ws); got != `"not a proxy response"` {
		t.Errorf("a payload that is not a proxy response is sent whole: got %q", got)
	}
}

func TestQuotaCloses(t *testing.T) {
	for _, tc := range []struct {
		name string
		send func(ws *websocket.Conn)
		code int
	}{
		{"binary frame", func(ws *websocket.Conn) { ws.WriteMessage(websocket.BinaryMessage, []byte{1, 2}) }, 1003},
		{"message over 128 KB", func(ws *websocket.Conn) {
			w, _ := ws.NextWriter(websocket.TextMessage)
			for i := 0; i < 5; i++ { // five frames of 30 KB: each under the frame quota
				w.Write([]byte(strings.Repeat("a", 30<<10)))
			}
			w.Close()
		}, 1009},
		{"frame over 32 KB", func(ws *websocket.Conn) { ws.WriteMessage(websocket.TextMessage, []byte(strings.Repeat("a", 33<<10))) }, 1009},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestAPI(t, []*model.Route{proxyRoute("$default", "echo", true), proxyRoute("$disconnect", "disconnect", false)}, Options{})
			a.lambda.fns["echo"] = func(ev events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) { return reply("ok") }
			a.lambda.fns["disconnect"] = a.lambda.fns["echo"]
			// gorilla's writer splits messages into frames of its write buffer size.
			d := websocket.Dialer{WriteBufferSize: 40 << 10}
			ws, _, err := d.Dial(a.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer ws.Close()
			tc.send(ws)
			if code := readClose(t, ws); code != tc.code {
				t.Errorf("close code %d, want %d", code, tc.code)
			}
			a.lambda.waitFor(t, "$disconnect")
			if got := a.lambda.last("$disconnect").RequestContext.DisconnectStatusCode; got != int64(tc.code) {
				t.Errorf("$disconnect status %d, want %d", got, tc.code)
			}
		})
	}
}

func TestIdleAndMaxDuration(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"idle timeout", Options{IdleTimeout: 200 * time.Millisecond}},
		{"maximum duration", Options{MaxDuration: 300 * time.Millisecond}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestAPI(t, []*model.Route{proxyRoute("$disconnect", "disconnect", false)}, tc.opts)
			a.lambda.fns["disconnect"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) { return reply("") }
			ws := dial(t, a.url, nil)
			start := time.Now()
			if code := readClose(t, ws); code != 1001 {
				t.Errorf("close code %d, want 1001", code)
			}
			if el := time.Since(start); el < 150*time.Millisecond {
				t.Errorf("closed after %s, before the limit", el)
			}
			a.lambda.waitFor(t, "$disconnect")
			if got := a.lambda.last("$disconnect").RequestContext.DisconnectStatusCode; got != 1001 {
				t.Errorf("$disconnect status %d, want 1001", got)
			}
		})
	}
}

func TestClientVanishes(t *testing.T) {
	a := newTestAPI(t, []*model.Route{proxyRoute("$disconnect", "disconnect", false)}, Options{})
	a.lambda.fns["disconnect"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) { return reply("") }
	ws := dial(t, a.url, nil)
	ws.UnderlyingConn().Close() // no close frame
	a.lambda.waitFor(t, "$disconnect")
	if got := a.lambda.last("$disconnect").RequestContext.DisconnectStatusCode; got != 1006 {
		t.Errorf("$disconnect status %d, want 1006", got)
	}
}

func TestPlainHTTPAndOtherPaths(t *testing.T) {
	a := newTestAPI(t, nil, Options{})
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"", http.StatusUpgradeRequired},
		{"/other", http.StatusForbidden},
	} {
		resp, err := http.Get(a.http + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("GET %q: %d, want %d", tc.path, resp.StatusCode, tc.status)
		}
	}
}

// TestFloodAndCloseWithHangingIntegration: a client that sends faster than its integration
// answers is refused beyond the in-flight cap, and closing the server does not wait for an
// integration that hangs.
func TestFloodAndCloseWithHangingIntegration(t *testing.T) {
	a := newTestAPI(t, []*model.Route{proxyRoute("$default", "hang", true)}, Options{})
	release := make(chan struct{})
	a.lambda.fns["hang"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) {
		<-release
		return reply("late")
	}
	ws := dial(t, a.url, nil)
	for i := 0; i < maxInFlight+5; i++ {
		ws.WriteMessage(websocket.TextMessage, []byte("x"))
	}
	if got := readText(t, ws); !strings.Contains(got, `"message": "Too Many Requests"`) {
		t.Errorf("over the in-flight cap: %s", got)
	}
	done := make(chan struct{})
	go func() {
		a.Server.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Error("Close waited for hanging integrations")
	}
	close(release)
}
