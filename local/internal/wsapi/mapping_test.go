package wsapi

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/gorilla/websocket"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

func TestHTTPProxyWithDataMapping(t *testing.T) {
	type seen struct {
		method, path, query, body string
		header                    http.Header
	}
	got := make(chan seen, 1)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.Path, r.URL.RawQuery, string(b), r.Header}
		w.Write([]byte(`{"relayed":true}`))
	}))
	defer backend.Close()
	relay := &model.Route{LogicalID: "Relay", Key: "relay", RouteResponses: []*model.RouteResponse{{Key: "$default"}},
		Integration: &model.Integration{LogicalID: "RelayInteg", Type: model.IntegrationHTTPProxy, Method: "POST",
			URI: backend.URL + "/${stageVariables.color}/{room}",
			RequestParameters: map[string]string{
				"integration.request.header.x-conn":       "context.connectionId",
				"integration.request.header.x-static":     "'fixed'",
				"integration.request.header.x-stage":      "stageVariables.color",
				"integration.request.querystring.who":     "route.request.body.name",
				"integration.request.path.room":           "route.request.body.room",
				"integration.request.querystring.missing": "route.request.body.nothing",
			}}}
	a := newTestAPI(t, []*model.Route{relay, proxyRoute("$connect", "connect", false)}, Options{})
	a.lambda.fns["connect"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) { return reply("") }
	ws := dial(t, a.url, nil)
	id := a.lambda.last("$connect").RequestContext.ConnectionID

	msg := `{"action":"relay","name":"ann","room":"r 1"}`
	ws.WriteMessage(websocket.TextMessage, []byte(msg))
	if reply := readText(t, ws); reply != `{"relayed":true}` {
		t.Errorf("two-way HTTP route answered %q", reply)
	}
	s := <-got
	if s.method != "POST" || s.path != "/blue/r 1" || s.query != "who=ann" || s.body != msg {
		t.Errorf("backend saw %s %s ?%s body %q", s.method, s.path, s.query, s.body)
	}
	if s.header.Get("X-Conn") != id || s.header.Get("X-Static") != "fixed" || s.header.Get("X-Stage") != "blue" {
		t.Errorf("backend headers %v", s.header)
	}
}

func TestBadMappingRefusedAtStart(t *testing.T) {
	api := &model.API{ID: "x", RouteSelectionExpression: "$request.body.action", Routes: []*model.Route{{
		LogicalID: "R", Key: "send", Integration: &model.Integration{LogicalID: "I", Type: model.IntegrationHTTPProxy, URI: "http://127.0.0.1:1",
			RequestParameters: map[string]string{"integration.request.header.h": "route.request.querystring.q"}}}}}
	if _, err := New(api, newFakeLambda(), Options{}); err == nil {
		t.Error("a querystring source on a route other than $connect was accepted")
	}
}
