package authorizer

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/gatehouse-dev/gatehouse/local/internal/eventfixture"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

func fixture(t *testing.T, name string) []byte { return eventfixture.Read(t, name) }

// decodeInto decodes b into a fresh value of T.
func decodeInto[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding %T: %v\n%s", v, err, b)
	}
	return v
}

func restSet(t *testing.T, apiID string, a *model.Authorizer) *Set {
	api := &model.API{ID: apiID, LogicalID: "Api", Protocol: model.ProtocolREST, Authorizers: map[string]*model.Authorizer{a.LogicalID: a}}
	return newTestSet(t, api, nil, nil)
}

// TestTokenEventGolden: a REST TOKEN authorizer's input against apigw-custom-auth-request.json.
func TestTokenEventGolden(t *testing.T) {
	a := &model.Authorizer{LogicalID: "Tok", Type: model.AuthorizerToken, Function: "fn", IdentitySource: []string{"method.request.header.Authorization"}}
	s := restSet(t, "ymy8tbxw7b", a)
	s.opts.Region = "us-west-2"
	// The fixture was recorded from the console's test invoke, whose stage is "*".
	r := &Request{Protocol: model.ProtocolREST, Method: "GET", Path: "/", Stage: "*", Header: map[string][]string{"Authorization": {"allow"}}}
	got, err := s.buildEvent(s.auths["Tok"], r, []string{"allow"})
	if err != nil {
		t.Fatal(err)
	}
	want := decodeInto[events.APIGatewayCustomAuthorizerRequest](t, fixture(t, "apigw-custom-auth-request.json"))
	if g := decodeInto[events.APIGatewayCustomAuthorizerRequest](t, got); !reflect.DeepEqual(g, want) {
		t.Errorf("got  %+v\nwant %+v", g, want)
	}
}

// TestRESTRequestEventGolden: a REST REQUEST authorizer's input against
// apigw-custom-auth-request-type-request.json, every field (the fixture's mTLS client
// certificate aside: the runner serves no mTLS).
func TestRESTRequestEventGolden(t *testing.T) {
	raw := fixture(t, "apigw-custom-auth-request-type-request.json")
	want := decodeInto[events.APIGatewayCustomAuthorizerRequestTypeRequest](t, raw)
	want.RequestContext.Identity.ClientCert = events.APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCert{}

	a := &model.Authorizer{LogicalID: "Req", Type: model.AuthorizerRequest, Function: "fn", IdentitySource: []string{"method.request.header.HeaderAuth1"}}
	s := restSet(t, "s4x3opwd6i", a)
	r := &Request{
		Protocol: model.ProtocolREST, Method: "GET", Path: "/request", Resource: "/request", ResourceID: "05c7jb",
		Stage: "test", StageVariables: map[string]string{"StageVar1": "stageValue1"},
		Header:   want.MultiValueHeaders,
		RawQuery: "QueryString1=queryValue1",
		Context:  RequestContext{AccountID: "123456789012", RequestID: "...", SourceIP: "...", APIKey: "...", Time: testNow},
	}
	got, err := s.buildEvent(s.auths["Req"], r, []string{"headerValue1"})
	if err != nil {
		t.Fatal(err)
	}
	if g := decodeInto[events.APIGatewayCustomAuthorizerRequestTypeRequest](t, got); !reflect.DeepEqual(g, want) {
		t.Errorf("got  %+v\nwant %+v", g, want)
	}
}

// TestHTTPV1EventGolden: an HTTP API payload 1.0 authorizer's input against
// apigw-v2-custom-authorizer-v1-request.json.
func TestHTTPV1EventGolden(t *testing.T) {
	want := decodeInto[events.APIGatewayV2CustomAuthorizerV1Request](t, fixture(t, "apigw-v2-custom-authorizer-v1-request.json"))
	want.RequestContext.Identity.ClientCert = events.APIGatewayCustomAuthorizerRequestTypeRequestIdentityClientCert{}

	header := map[string][]string{}
	for k, v := range want.Headers {
		header[k] = []string{v}
	}
	a := &model.Authorizer{LogicalID: "L", Type: model.AuthorizerRequest, Function: "fn", PayloadFormatVersion: "1.0",
		IdentitySource: []string{"$request.header.HeaderAuth1", "$request.querystring.QueryString1"}}
	api := &model.API{ID: "abcdef123", Protocol: model.ProtocolHTTP, Authorizers: map[string]*model.Authorizer{"L": a}}
	s := newTestSet(t, api, nil, nil)
	r := &Request{
		Protocol: model.ProtocolHTTP, Method: "GET", Path: "/request", Resource: "/request", ResourceID: "05c7jb",
		Stage: "test", StageVariables: map[string]string{"StageVar1": "stageValue1"},
		Header: header, RawQuery: "QueryString1=queryValue1",
		Context: RequestContext{AccountID: "123456789012", RequestID: "...", SourceIP: "...", APIKey: "...", Time: testNow},
	}
	got, err := s.buildEvent(s.auths["L"], r, []string{"user1", "123"})
	if err != nil {
		t.Fatal(err)
	}
	if g := decodeInto[events.APIGatewayV2CustomAuthorizerV1Request](t, got); !reflect.DeepEqual(g, want) {
		t.Errorf("got  %+v\nwant %+v", g, want)
	}
}

// TestHTTPV2EventGolden: an HTTP API payload 2.0 authorizer's input against
// apigw-v2-custom-authorizer-v2-request.json. The fixture's routeArn names another method and
// stage than its requestContext (it was assembled by hand); routeArn is checked on its own.
func TestHTTPV2EventGolden(t *testing.T) {
	want := decodeInto[events.APIGatewayV2CustomAuthorizerV2Request](t, fixture(t, "apigw-v2-custom-authorizer-v2-request.json"))
	want.RequestContext.Authentication = events.APIGatewayV2HTTPRequestContextAuthentication{}

	a := &model.Authorizer{LogicalID: "L", Type: model.AuthorizerRequest, Function: "fn", PayloadFormatVersion: "2.0",
		IdentitySource: []string{"$request.header.Header1", "$request.querystring.parameter2"}}
	api := &model.API{ID: "api-id", Protocol: model.ProtocolHTTP, Authorizers: map[string]*model.Authorizer{"L": a}}
	s := newTestSet(t, api, nil, nil)
	at := time.UnixMilli(want.RequestContext.TimeEpoch).UTC()
	r := &Request{
		Protocol: model.ProtocolHTTP, Method: "POST", Path: "/my/path", RouteKey: "$default", Resource: "$default",
		Stage: "$default", StageVariables: want.StageVariables, PathParameters: want.PathParameters,
		Header:   map[string][]string{"Header1": {"value1"}, "Header2": {"value2"}, "Cookie": {"cookie1; cookie2"}},
		RawQuery: want.RawQueryString,
		Context: RequestContext{AccountID: "123456789012", RequestID: "id", SourceIP: "IP", UserAgent: "agent",
			DomainName: "id.execute-api.us-east-1.amazonaws.com", DomainPrefix: "id", Time: at},
	}
	got, err := s.buildEvent(s.auths["L"], r, []string{"user1", "123"})
	if err != nil {
		t.Fatal(err)
	}
	g := decodeInto[events.APIGatewayV2CustomAuthorizerV2Request](t, got)
	if wantARN := "arn:aws:execute-api:us-east-1:123456789012:api-id/$default/POST/my/path"; g.RouteArn != wantARN {
		t.Errorf("routeArn %s, want %s", g.RouteArn, wantARN)
	}
	g.RouteArn = want.RouteArn
	// The fixture's time is written "12/Mar/2020:19:03:58 +0000" while its epoch says 4 March:
	// another hand-made mismatch. The runner writes both from one clock.
	if g.RequestContext.Time != at.Format(requestTimeLayout) {
		t.Errorf("time %s", g.RequestContext.Time)
	}
	g.RequestContext.Time = want.RequestContext.Time
	if !reflect.DeepEqual(g, want) {
		t.Errorf("got  %+v\nwant %+v", g, want)
	}
}

// TestWebSocketEventGolden: a WebSocket $connect authorizer's input against the guide's
// example ("Creating a Lambda REQUEST authorizer function"), compared as JSON values, so an
// extra or missing field fails.
func TestWebSocketEventGolden(t *testing.T) {
	raw, err := os.ReadFile("testdata/websocket-connect-request.json")
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	header := map[string][]string{}
	for k, v := range want["headers"].(map[string]any) {
		header[k] = []string{v.(string)}
	}
	a := &model.Authorizer{LogicalID: "W", Type: model.AuthorizerRequest, Function: "fn", IdentitySource: []string{"route.request.header.HeaderAuth1"}}
	api := &model.API{ID: "abcdef123", Protocol: model.ProtocolWebSocket, Authorizers: map[string]*model.Authorizer{"W": a}}
	s := newTestSet(t, api, nil, nil)
	r := &Request{
		Protocol: model.ProtocolWebSocket, Method: "GET", Path: "/default", RouteKey: "$connect", Stage: "default",
		Header: header, RawQuery: "QueryString1=queryValue1",
		Context: RequestContext{RequestID: "...", ExtendedRequestID: "...", SourceIP: "...", ConnectionID: "...",
			DomainName: "abcdef123.execute-api.us-east-1.amazonaws.com",
			Time:       time.UnixMilli(1674162806345).UTC(), ConnectedAt: time.UnixMilli(1674162806344).UTC()},
	}
	got, err := s.buildEvent(s.auths["W"], r, []string{"headerValue1"})
	if err != nil {
		t.Fatal(err)
	}
	var g map[string]any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, want) {
		gb, _ := json.MarshalIndent(g, "", "  ")
		t.Errorf("got\n%s", gb)
	}
	// And it decodes into the type aws-lambda-go handlers use.
	ev := decodeInto[events.APIGatewayCustomAuthorizerRequestTypeRequest](t, got)
	if ev.MethodArn != want["methodArn"] || ev.Headers["HeaderAuth1"] != "headerValue1" {
		t.Errorf("decoded %+v", ev)
	}
}

func TestMethodARNs(t *testing.T) {
	cases := []struct {
		name string
		p    model.Protocol
		r    Request
		want string
	}{
		{"REST root", model.ProtocolREST, Request{Method: "GET", Path: "/", Stage: "prod"}, "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/"},
		{"REST path with values", model.ProtocolREST, Request{Method: "delete", Path: "/pets/1", Stage: "prod"}, "arn:aws:execute-api:us-east-1:123456789012:abc/prod/DELETE/pets/1"},
		{"HTTP named stage: the path relative to it", model.ProtocolHTTP, Request{Method: "GET", Path: "/dev/items", ARNPath: "/items", Stage: "dev"}, "arn:aws:execute-api:us-east-1:123456789012:abc/dev/GET/items"},
		{"HTTP default stage", model.ProtocolHTTP, Request{Method: "POST", Path: "/x", Stage: "$default"}, "arn:aws:execute-api:us-east-1:123456789012:abc/$default/POST/x"},
		{"WebSocket $connect", model.ProtocolWebSocket, Request{Method: "GET", Path: "/prod", RouteKey: "$connect", Stage: "prod"}, "arn:aws:execute-api:us-east-1:123456789012:abc/prod/$connect"},
	}
	for _, tc := range cases {
		s := newTestSet(t, &model.API{ID: "abc", Protocol: tc.p}, nil, nil)
		tc.r.Protocol = tc.p
		if got := s.methodARN(&tc.r); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestHTTPV2EventHeaders: repeated headers are comma-joined and cookies move to their array,
// as in payload 2.0 integration events.
func TestHTTPV2EventHeaders(t *testing.T) {
	a := &model.Authorizer{LogicalID: "L", Type: model.AuthorizerRequest, Function: "fn", PayloadFormatVersion: "2.0"}
	s := newTestSet(t, &model.API{ID: "a", Protocol: model.ProtocolHTTP, Authorizers: map[string]*model.Authorizer{"L": a}}, nil, nil)
	r := &Request{Protocol: model.ProtocolHTTP, Method: "GET", Path: "/", RouteKey: "GET /", Stage: "$default",
		Header: map[string][]string{"x-a": {"1", "2"}, "cookie": {"a=1; b=2", "c=3"}}, RawQuery: "q=1&q=2&r"}
	b, err := s.buildEvent(s.auths["L"], r, nil)
	if err != nil {
		t.Fatal(err)
	}
	ev := decodeInto[events.APIGatewayV2CustomAuthorizerV2Request](t, b)
	if ev.Headers["x-a"] != "1,2" || strings.Join(ev.Cookies, "|") != "a=1|b=2|c=3" || ev.QueryStringParameters["q"] != "1,2" || ev.IdentitySource == nil {
		t.Errorf("%s", b)
	}
	if _, ok := ev.Headers["cookie"]; ok {
		t.Errorf("cookie stays in headers: %s", b)
	}
}
