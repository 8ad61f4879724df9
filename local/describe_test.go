package local

import (
	"reflect"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

func TestDescribeWebSocketAndKeys(t *testing.T) {
	m := &model.Model{
		APIs: []*model.API{{Stack: "S", LogicalID: "Ws", ID: "ws1", Name: "chat", Protocol: model.ProtocolWebSocket,
			Stages: []*model.Stage{{Name: "dev"}, {Name: "prod"}}, Routes: []*model.Route{{Key: "$connect"}, {Key: "send"}}}},
		APIKeys: []*model.APIKey{
			{Name: "k1", Value: "v1", Enabled: true, Stages: []model.APIStage{{APIID: "ws1", Stage: "dev"}, {APIID: "other", Stage: "x"}}},
			{Name: "off", Value: "v2", Enabled: false, Stages: []model.APIStage{{APIID: "ws1", Stage: "dev"}}},
			{Name: "elsewhere", Value: "v3", Enabled: true, Stages: []model.APIStage{{APIID: "other", Stage: "dev"}}},
		},
	}
	got := describe(m, "127.0.0.1:3000")
	if len(got) != 1 {
		t.Fatalf("%d APIs", len(got))
	}
	dev, _ := got[0].Stage("dev")
	want := StageInfo{Name: "dev", URL: "ws://127.0.0.1:3000/ws1/dev", HostURL: "ws://ws1.execute-api.localhost:3000/dev", CallbackURL: "http://127.0.0.1:3000/ws1/dev"}
	if dev != want {
		t.Errorf("dev stage = %+v, want %+v", dev, want)
	}
	if keys := got[0].APIKeys; !reflect.DeepEqual(keys, []APIKeyInfo{{Name: "k1", Value: "v1", Stages: []string{"dev"}}}) {
		t.Errorf("API keys = %+v; want only the enabled key, with this API's stages", keys)
	}
}

func TestDescribeRESTRoutes(t *testing.T) {
	m := &model.Model{APIs: []*model.API{{Stack: "S", LogicalID: "Rest", ID: "r1", Name: "shop", Protocol: model.ProtocolREST,
		Stages: []*model.Stage{{Name: "prod"}},
		Resources: []*model.Resource{
			{Path: "/", Methods: []*model.Method{{HTTPMethod: "GET"}}},
			{Path: "/items/{id}", Methods: []*model.Method{{HTTPMethod: "ANY"}, {HTTPMethod: "GET"}}},
		}}}}
	got := describe(m, "127.0.0.1:3000")[0]
	if want := []string{"GET /", "ANY /items/{id}", "GET /items/{id}"}; !reflect.DeepEqual(got.Routes, want) {
		t.Errorf("routes = %q, want %q", got.Routes, want)
	}
	if prod, _ := got.Stage("prod"); prod.URL != "http://127.0.0.1:3000/r1/prod" || prod.CallbackURL != "" {
		t.Errorf("prod stage = %+v", prod)
	}
}
