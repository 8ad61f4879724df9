package payloadv1

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestMarshalNulls(t *testing.T) {
	key, keyID := "k", "id"
	tests := []struct {
		name string
		ev   Event
		want map[string]any // top-level or requestContext.identity keys and their decoded values
	}{
		{"empty maps are null", Event{PathParameters: map[string]string{}, StageVariables: map[string]string{}},
			map[string]any{"pathParameters": nil, "stageVariables": nil, "headers": nil, "multiValueHeaders": nil,
				"queryStringParameters": nil, "multiValueQueryStringParameters": nil, "body": nil}},
		{"HTTP API: version, no API key fields", Event{Version: "1.0"},
			map[string]any{"version": "1.0", "identity.apiKey": absent, "identity.apiKeyId": absent, "resourceId": nil}},
		{"REST API without a key: no version, null API key fields",
			Event{RequestContext: Context{Identity: Identity{KeyIdentity: &KeyIdentity{}}}},
			map[string]any{"version": absent, "identity.apiKey": nil, "identity.apiKeyId": nil}},
		{"REST API with a key",
			Event{RequestContext: Context{Identity: Identity{KeyIdentity: &KeyIdentity{APIKey: &key, APIKeyID: &keyID}}}},
			map[string]any{"identity.apiKey": "k", "identity.apiKeyId": "id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pp := tt.ev.PathParameters
			b, err := Marshal(&tt.ev)
			if err != nil {
				t.Fatal(err)
			}
			if pp != nil && tt.ev.PathParameters == nil {
				t.Error("Marshal changed the event")
			}
			var doc map[string]any
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			rc := doc["requestContext"].(map[string]any)
			id := rc["identity"].(map[string]any)
			for k, want := range tt.want {
				m, name := doc, k
				switch {
				case k == "resourceId":
					m = rc
				case len(k) > 9 && k[:9] == "identity.":
					m, name = id, k[9:]
				}
				got, ok := m[name]
				if want == absent {
					if ok {
						t.Errorf("%s = %v, want it absent", k, got)
					}
					continue
				}
				if !ok || !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %v (present %v), want %v", k, got, ok, want)
				}
			}
		})
	}
}

// absent marks a key that must not be in the JSON at all.
var absent = &struct{}{}

func TestSetQuery(t *testing.T) {
	values := map[string][]string{"a": {"1", "2"}, "b": {"x"}}
	for _, tc := range []struct {
		pick Pick
		want map[string]string
	}{
		{First, map[string]string{"a": "1", "b": "x"}},
		{Last, map[string]string{"a": "2", "b": "x"}},
	} {
		var ev Event
		ev.SetQuery(values, tc.pick)
		if !maps.Equal(ev.QueryStringParameters, tc.want) {
			t.Errorf("pick %d: %v, want %v", tc.pick, ev.QueryStringParameters, tc.want)
		}
		if !maps.EqualFunc(ev.MultiValueQueryStringParameters, values, slices.Equal) {
			t.Errorf("pick %d: multi %v", tc.pick, ev.MultiValueQueryStringParameters)
		}
	}
	var ev Event
	ev.SetQuery(nil, Last)
	if ev.QueryStringParameters != nil || ev.MultiValueQueryStringParameters != nil {
		t.Error("no query: want null maps")
	}
}

func TestSetHeaders(t *testing.T) {
	var ev Event
	ev.SetHeaders(map[string][]string{"X-A": {"1", "2"}, "x-b": {"y"}, "X-Empty": {}})
	if want := map[string]string{"X-A": "2", "x-b": "y"}; !maps.Equal(ev.Headers, want) {
		t.Errorf("headers %v, want %v", ev.Headers, want)
	}
	if len(ev.MultiValueHeaders) != 2 || !slices.Equal(ev.MultiValueHeaders["X-A"], []string{"1", "2"}) {
		t.Errorf("multiValueHeaders %v", ev.MultiValueHeaders)
	}
	ev = Event{}
	ev.SetHeaders(nil)
	if ev.Headers != nil || ev.MultiValueHeaders != nil {
		t.Error("no headers: want null maps")
	}
}

// TestRoundTrip: what Lambda handlers decode with aws-lambda-go's type is what was built.
func TestRoundTrip(t *testing.T) {
	key, body, id := "k", "hi", "abc123"
	ev := Event{
		Resource: "/items/{id}", Path: "/items/7", HTTPMethod: "POST",
		PathParameters: map[string]string{"id": "7"}, StageVariables: map[string]string{"v": "1"},
		RequestContext: Context{
			AccountID: "123456789012", APIID: "api", DomainName: "api.example", DomainPrefix: "api",
			ExtendedRequestID: "ext", HTTPMethod: "POST", Path: "/prod/items/7", Protocol: "HTTP/1.1",
			RequestID: "req", RequestTime: "09/Apr/2015:12:34:56 +0000", RequestTimeEpoch: 1428582896000,
			ResourceID: &id, ResourcePath: "/items/{id}", Stage: "prod",
			Identity: Identity{KeyIdentity: &KeyIdentity{APIKey: &key}, SourceIP: "127.0.0.1", UserAgent: "ua"},
		},
		Body: &body,
	}
	ev.SetHeaders(map[string][]string{"Accept": {"a", "b"}})
	ev.SetQuery(map[string][]string{"q": {"1", "2"}}, Last)
	b, err := Marshal(&ev)
	if err != nil {
		t.Fatal(err)
	}
	var got events.APIGatewayProxyRequest
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	rc := got.RequestContext
	for _, c := range [][2]string{
		{got.Resource, ev.Resource}, {got.Path, ev.Path}, {got.HTTPMethod, ev.HTTPMethod}, {got.Body, body},
		{got.Headers["Accept"], "b"}, {got.QueryStringParameters["q"], "2"}, {got.PathParameters["id"], "7"},
		{got.StageVariables["v"], "1"}, {rc.AccountID, "123456789012"}, {rc.ResourceID, id}, {rc.Stage, "prod"},
		{rc.RequestID, "req"}, {rc.Path, "/prod/items/7"}, {rc.Identity.APIKey, key}, {rc.Identity.SourceIP, "127.0.0.1"},
		{rc.DomainPrefix, "api"}, {rc.ExtendedRequestID, "ext"}, {rc.ResourcePath, "/items/{id}"},
	} {
		if c[0] != c[1] {
			t.Errorf("decoded %q, want %q", c[0], c[1])
		}
	}
	if rc.RequestTimeEpoch != ev.RequestContext.RequestTimeEpoch || len(got.MultiValueHeaders["Accept"]) != 2 {
		t.Errorf("decoded %+v", got)
	}
}
