package wsapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/gorilla/websocket"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

func twoWayRoute(key string, in *model.Integration) *model.Route {
	return &model.Route{LogicalID: "R" + key, Key: key, Integration: in, RouteResponses: []*model.RouteResponse{{Key: "$default"}}}
}

func TestNonProxyIntegrations(t *testing.T) {
	var backendGot struct {
		body, ctype string
	}
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		backendGot.body, backendGot.ctype = string(b), r.Header.Get("Content-Type")
		if strings.Contains(string(b), "fail") {
			w.WriteHeader(502)
		}
		w.Write([]byte(`{"n": 7, "items": ["a", "b"]}`))
	}))
	defer backend.Close()

	mockResponses := []*model.IntegrationResponse{
		{Key: `/2\d\d/`, ResponseTemplates: map[string]string{"$default": `{"pong": true, "stage": "$stageVariables.color", "conn": "$context.connectionId"}`}},
		{Key: "$default", ResponseTemplates: map[string]string{"$default": `{"pong": false}`}},
	}
	routes := []*model.Route{
		twoWayRoute("ping", &model.Integration{LogicalID: "Mock", Type: model.IntegrationMock,
			TemplateSelectionExpression: "${request.body.mode}",
			RequestTemplates:            map[string]string{"$default": `{"statusCode": 200}`, "broken": `{"statusCode": 500}`},
			IntegrationResponses:        mockResponses}),
		twoWayRoute("http", &model.Integration{LogicalID: "Http", Type: model.IntegrationHTTP, URI: backend.URL, Method: "POST",
			TemplateSelectionExpression: `\$default`,
			RequestTemplates:            map[string]string{"$default": `{"said": $input.json('$.text'), "count": $input.path('$.list').size()}`},
			IntegrationResponses: []*model.IntegrationResponse{
				{Key: `/2\d\d/`, ResponseTemplates: map[string]string{"$default": `#set($r = $input.path('$'))n=$r.n#foreach($i in $r.items) $i#end`}},
				{Key: "$default", ResponseTemplates: map[string]string{"$default": `backend failed`}},
			}}),
		twoWayRoute("strict", &model.Integration{LogicalID: "Strict", Type: model.IntegrationHTTP, URI: backend.URL,
			TemplateSelectionExpression: "$request.body.kind", PassthroughBehavior: "NEVER",
			RequestTemplates: map[string]string{"known": `{}`}}),
		twoWayRoute("custom", &model.Integration{LogicalID: "Custom", Type: model.IntegrationAWS, Function: "custom",
			RequestTemplates: map[string]string{"$default": `{"who": "$context.connectionId", "text": $input.json('$.text')}`},
			IntegrationResponses: []*model.IntegrationResponse{
				{Key: "$default", ResponseTemplates: map[string]string{"$default": `ok: $input.body`}},
				{Key: "/.*denied.*/", ResponseTemplates: map[string]string{"$default": `{"error": "denied"}`}},
			}}),
		{LogicalID: "Rvip", Key: "vip", APIKeyRequired: true, RouteResponses: []*model.RouteResponse{{Key: "$default"}},
			Integration: &model.Integration{LogicalID: "Vip", Type: model.IntegrationMock, RequestTemplates: map[string]string{"$default": `{"statusCode": 200}`},
				IntegrationResponses: []*model.IntegrationResponse{{Key: "$default", ResponseTemplates: map[string]string{"$default": `{"vip": "$context.identity.apiKeyId"}`}}}}},
	}
	a := newTestAPI(t, routes, Options{APIKeys: []*model.APIKey{{ID: "key1", Value: "secret-key-value-0001", Enabled: true,
		Stages: []model.APIStage{{APIID: "abc123", Stage: "dev"}}}}})
	a.lambda.fns["custom"] = func(ev events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) {
		// A custom integration gets the template's output, which the fake decodes as an event:
		// check the raw shape instead through the body the fake received.
		return &lambdahost.Result{Payload: []byte(`"done"`)}, nil
	}
	ws := dial(t, a.url, http.Header{"X-Api-Key": {"secret-key-value-0001"}})
	ask := func(msg string) string {
		ws.WriteMessage(websocket.TextMessage, []byte(msg))
		return readText(t, ws)
	}
	if got := ask(`{"action":"ping"}`); !strings.HasPrefix(got, `{"pong": true, "stage": "blue", "conn": "`) {
		t.Errorf("MOCK 200 answered %s", got)
	}
	if got := ask(`{"action":"ping","mode":"broken"}`); got != `{"pong": false}` {
		t.Errorf("MOCK 500 answered %s", got)
	}
	if got := ask(`{"action":"http","text":"hi","list":[1,2,3]}`); got != "n=7 a b" {
		t.Errorf("HTTP answered %q", got)
	}
	if backendGot.body != `{"said": "hi", "count": 3}` || backendGot.ctype != "application/json" {
		t.Errorf("HTTP backend got %q (%s)", backendGot.body, backendGot.ctype)
	}
	if got := ask(`{"action":"http","text":"fail"}`); got != "backend failed" {
		t.Errorf("HTTP 502 answered %q", got)
	}
	var frame map[string]string
	if err := json.Unmarshal([]byte(ask(`{"action":"strict","kind":"unknown"}`)), &frame); err != nil || frame["message"] != "Internal server error" {
		t.Errorf("passthrough NEVER without a matching template: %v", frame)
	}
	if got := ask(`{"action":"custom","text":"x"}`); got != `ok: "done"` {
		t.Errorf("Lambda custom integration answered %q", got)
	}
	if got := ask(`{"action":"vip"}`); got != `{"vip": "key1"}` {
		t.Errorf("vip with a valid key answered %q", got)
	}
}
