package datamap

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/selexpr"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		route string // route key
		key   string // integration request parameter
		value string // mapping expression
		want  string // part of the error; "" for valid
	}{
		// The guide's examples.
		{"sendmessage", "integration.request.header.connectionId", "context.connectionId", ""},
		{"$connect", "integration.request.header.authToken", "route.request.querystring.authToken", ""},
		// Every source of the guide's table.
		{"$connect", "integration.request.header.a", "route.request.header.Sec-WebSocket-Key", ""},
		{"$connect", "integration.request.querystring.a", "route.request.multivaluequerystring.ids", ""},
		{"$connect", "integration.request.header.a", "route.request.multivalueheader.X-Forwarded-For", ""},
		{"sendmessage", "integration.request.querystring.a", "route.request.body.action", ""},
		{"sendmessage", "integration.request.querystring.a", "route.request.body.$.data.room", ""},
		{"sendmessage", "integration.request.querystring.a", "route.request.body.items[0].id", ""},
		{"sendmessage", "integration.request.querystring.a", "route.request.body[0]", ""},
		{"sendmessage", "integration.request.querystring.a", "route.request.body.$..id", ""},
		{"$default", "integration.request.path.a", "stageVariables.table_name", ""},
		{"$default", "integration.request.header.a", "context.authorizer.tenant", ""},
		{"$default", "integration.request.header.a", "context.identity.sourceIp", ""},
		{"$default", "integration.request.header.Content-Type", "'application/json'", ""},
		{"$default", "integration.request.querystring.a", "''", ""},
		{"$default", "integration.request.querystring.a", "'it''s'", ""},
		{"$default", "integration.request.header.$x.y-z_1", "'v'", ""},
		// "supported only for the $connect route".
		{"sendmessage", "integration.request.header.a", "route.request.header.Authorization", "supported only for the $connect route"},
		{"$disconnect", "integration.request.header.a", "route.request.querystring.q", "supported only for the $connect route"},
		{"$default", "integration.request.header.a", "route.request.multivalueheader.h", "supported only for the $connect route"},
		{"$default", "integration.request.header.a", "route.request.multivaluequerystring.q", "supported only for the $connect route"},
		// PARAM_NAME must match ^[a-zA-Z0-9._$-]+$.
		{"$connect", "integration.request.header.a", "route.request.header.", "does not match"},
		{"$connect", "integration.request.header.a", "route.request.querystring.a b", "does not match"},
		{"$default", "integration.request.header.a:b", "'v'", "does not match"},
		{"$default", "integration.request.querystring.", "'v'", "does not match"},
		// Destinations.
		{"$default", "integration.request.body", "'v'", "header, querystring or path"},
		{"$default", "method.request.header.a", "'v'", "the key must be"},
		{"$default", "header.a", "'v'", "the key must be"},
		// Body paths.
		{"$default", "integration.request.header.a", "route.request.body", "needs a JSONPath"},
		{"$default", "integration.request.header.a", "route.request.body.", "needs a JSONPath"},
		{"$default", "integration.request.header.a", "route.request.body.a[", "JSONPath"},
		// Context variables "must be one of the supported context variables".
		{"$default", "integration.request.header.a", "context.nope", "not one of the supported WebSocket context variables"},
		{"$default", "integration.request.header.a", "context.authorizer.", "not one of the supported"},
		{"$default", "integration.request.header.a", "context.path", "not one of the supported"},
		{"$default", "integration.request.header.a", "stageVariables.a-b", "stage variable name"},
		// Static values "must be enclosed in single quotes".
		{"$default", "integration.request.header.a", "static", "static value in single quotes"},
		{"$default", "integration.request.header.a", "'", "static value in single quotes"},
		{"$default", "integration.request.header.a", "'line\nbreak'", "control character"},
		{"$default", "integration.request.querystring.a", "'line\nbreak'", ""},
		// Other forms, with hints.
		{"$default", "integration.request.header.a", "$context.connectionId", "without $"},
		{"$default", "integration.request.header.a", "method.request.header.a", "REST API form"},
		{"$default", "integration.request.header.a", "route.request.path.a", "not \"route.request.path.a\""},
		{"$default", "integration.request.header.a", "", "static value in single quotes"},
	}
	for _, tt := range tests {
		err := Validate(tt.route, map[string]string{tt.key: tt.value})
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %s = %s: %v", tt.route, tt.key, tt.value, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %s = %s: error %v; want one containing %q", tt.route, tt.key, tt.value, err, tt.want)
		case err != nil && !strings.Contains(err.Error(), tt.key):
			t.Errorf("%s: %s = %s: error %v does not name the parameter", tt.route, tt.key, tt.value, err)
		}
	}
}

func TestValidateReportsAll(t *testing.T) {
	err := Validate("sendmessage", map[string]string{
		"integration.request.header.a":       "context.nope",
		"integration.request.header.b":       "'ok'",
		"integration.request.querystring.c":  "route.request.header.h",
		"integration.request.header.X-Trace": "'1'",
		"integration.request.header.x-trace": "'2'",
	})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`"integration.request.header.a"`, `"integration.request.querystring.c"`, `maps the same header as "integration.request.header.X-Trace"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %s", err, want)
		}
	}
	if strings.Contains(err.Error(), `"integration.request.header.b"`) {
		t.Errorf("error %q names a valid parameter", err)
	}
}

func TestApply(t *testing.T) {
	connect := Source{
		Header: http.Header{"Authorization": {"Bearer t"}, "X-Forwarded-For": {"192.0.2.1", "198.51.100.7"}, "x-lower": {"raw"}},
		Query:  url.Values{"authToken": {"tok"}, "id": {"1", "2"}, "empty": {""}},
		Context: map[string]string{
			"connectionId": "AAAA1234=", "routeKey": "$connect", "stage": "prod", "requestId": "ABCD1234=",
			"domainName": "abcd1234.execute-api.us-east-1.amazonaws.com", "apiId": "abcd1234", "eventType": "CONNECT",
			"connectedAt": "1707502303419", "authorizer.tenant": "t1",
		},
		StageVariables: map[string]string{"table": "items-prod"},
	}
	msg := func(body string) Source {
		s := connect
		s.Context = map[string]string{"connectionId": "AAAA1234=", "routeKey": "sendmessage", "messageId": "m1"}
		s.Header, s.Query = nil, nil
		s.Body = selexpr.NewBody([]byte(body))
		return s
	}
	const chat = `{"action":"sendmessage","message":"Hello everyone","room":{"id":"r1","n":2,"tags":["a","b"]},"score":1.50,"ok":true,"none":null,"blank":""}`
	tests := []struct {
		name   string
		route  string
		params map[string]string
		src    Source
		header http.Header
		query  url.Values
		path   map[string]string
	}{{
		name:   "guide: connectionId to a header",
		route:  "sendmessage",
		params: map[string]string{"integration.request.header.connectionId": "context.connectionId"},
		src:    msg(chat),
		header: http.Header{"Connectionid": {"AAAA1234="}},
	}, {
		name:   "guide: authToken query string to a header",
		route:  "$connect",
		params: map[string]string{"integration.request.header.authToken": "route.request.querystring.authToken"},
		src:    connect,
		header: http.Header{"Authtoken": {"tok"}},
	}, {
		name:  "$connect headers and query strings, single and multi-value",
		route: "$connect",
		params: map[string]string{
			"integration.request.header.auth":         "route.request.header.authorization",
			"integration.request.header.client":       "route.request.header.X-Forwarded-For",
			"integration.request.header.chain":        "route.request.multivalueheader.x-forwarded-for",
			"integration.request.header.lower":        "route.request.header.X-Lower",
			"integration.request.querystring.last":    "route.request.querystring.id",
			"integration.request.querystring.ids":     "route.request.multivaluequerystring.id",
			"integration.request.querystring.empty":   "route.request.querystring.empty",
			"integration.request.querystring.missing": "route.request.querystring.nope",
			"integration.request.path.all":            "route.request.multivaluequerystring.id",
		},
		src:    connect,
		header: http.Header{"Auth": {"Bearer t"}, "Client": {"198.51.100.7"}, "Chain": {"192.0.2.1", "198.51.100.7"}, "Lower": {"raw"}},
		query:  url.Values{"last": {"2"}, "ids": {"1", "2"}, "empty": {""}},
		path:   map[string]string{"all": "1,2"},
	}, {
		name:  "body values: strings as text, the rest as JSON",
		route: "sendmessage",
		params: map[string]string{
			"integration.request.querystring.action": "route.request.body.action",
			"integration.request.querystring.room":   "route.request.body.$.room.id",
			"integration.request.querystring.n":      "route.request.body.room.n",
			"integration.request.querystring.tag":    "route.request.body.room.tags[1]",
			"integration.request.querystring.tags":   "route.request.body.room.tags",
			"integration.request.querystring.obj":    "route.request.body.room",
			"integration.request.querystring.score":  "route.request.body.score",
			"integration.request.querystring.ok":     "route.request.body.ok",
			"integration.request.querystring.blank":  "route.request.body.blank",
			"integration.request.querystring.all":    "route.request.body.room.tags[*]",
			"integration.request.querystring.deep":   "route.request.body.$..id",
			"integration.request.path.id":            "route.request.body['room']['id']",
		},
		src: msg(chat),
		query: url.Values{
			"action": {"sendmessage"}, "room": {"r1"}, "n": {"2"}, "tag": {"b"}, "tags": {`["a","b"]`},
			"obj": {`{"id":"r1","n":2,"tags":["a","b"]}`}, "score": {"1.50"}, "ok": {"true"}, "blank": {""},
			"all": {`["a","b"]`}, "deep": {`["r1"]`},
		},
		path: map[string]string{"id": "r1"},
	}, {
		name:  "sources that resolve to nothing set nothing",
		route: "sendmessage",
		params: map[string]string{
			"integration.request.header.a":      "route.request.body.missing",
			"integration.request.header.b":      "route.request.body.none",
			"integration.request.header.c":      "route.request.body.room.tags[5]",
			"integration.request.header.d":      "context.authorizer.tenant",
			"integration.request.header.e":      "stageVariables.nope",
			"integration.request.querystring.f": "route.request.body.room.nothing[*]",
			"integration.request.header.g":      "'static'",
		},
		src:    msg(chat),
		header: http.Header{"G": {"static"}},
	}, {
		name:   "a body that is not JSON resolves to nothing",
		route:  "$default",
		params: map[string]string{"integration.request.header.a": "route.request.body.action", "integration.request.header.id": "context.connectionId"},
		src:    msg(`plain text`),
		header: http.Header{"Id": {"AAAA1234="}},
	}, {
		name:   "$connect has no body",
		route:  "$connect",
		params: map[string]string{"integration.request.header.a": "route.request.body.action"},
		src:    connect,
	}, {
		name:  "context, stage variables and static values",
		route: "$connect",
		params: map[string]string{
			"integration.request.header.x-stage":      "context.stage",
			"integration.request.header.x-tenant":     "context.authorizer.tenant",
			"integration.request.querystring.table":   "stageVariables.table",
			"integration.request.header.Content-Type": "'application/x-amz-json-1.0'",
			"integration.request.querystring.quote":   "'it's'",
		},
		src:    connect,
		header: http.Header{"X-Stage": {"prod"}, "X-Tenant": {"t1"}, "Content-Type": {"application/x-amz-json-1.0"}},
		query:  url.Values{"table": {"items-prod"}, "quote": {"it's"}},
	}}
	for _, tt := range tests {
		m, err := Compile(tt.route, tt.params)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		got, err := m.Apply(tt.src)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		want := Result{Header: tt.header, Query: tt.query, Path: tt.path}
		if want.Header == nil {
			want.Header = http.Header{}
		}
		if want.Query == nil {
			want.Query = url.Values{}
		}
		if want.Path == nil {
			want.Path = map[string]string{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", tt.name, got, want)
		}
	}
}

func TestApplyErrors(t *testing.T) {
	src := Source{Body: selexpr.NewBody([]byte(`{"m":"a\r\nInjected: 1"}`)), Context: map[string]string{"routeKey": "sendmessage"}}
	_, err := Apply(map[string]string{"integration.request.header.x": "route.request.body.m"}, src)
	if err == nil || !strings.Contains(err.Error(), `"integration.request.header.x"`) || !strings.Contains(err.Error(), "control character") {
		t.Errorf("CRLF into a header: %v", err)
	}
	res, err := Apply(map[string]string{"integration.request.querystring.x": "route.request.body.m"}, src)
	if err != nil || res.Query.Get("x") != "a\r\nInjected: 1" {
		t.Errorf("CRLF into a query string: %v, %v", res.Query, err)
	}
	// Apply takes the route from the context: $connect sources elsewhere are refused.
	if _, err := Apply(map[string]string{"integration.request.header.x": "route.request.header.h"}, src); err == nil || !strings.Contains(err.Error(), "$connect") {
		t.Errorf("header source on sendmessage: %v", err)
	}
}
