package datamap

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/selexpr"
)

// FuzzApply: no parameter and no message can make compiling or applying a mapping panic;
// whatever is applied lands only where a parameter said, and no header value can carry a
// control character (a CRLF from a message must not inject headers).
func FuzzApply(f *testing.F) {
	for _, s := range []struct{ route, key, value, body string }{
		{"sendmessage", "integration.request.header.connectionId", "context.connectionId", `{}`},
		{"$connect", "integration.request.header.authToken", "route.request.querystring.authToken", ``},
		{"$connect", "integration.request.querystring.h", "route.request.multivalueheader.X-Forwarded-For", ``},
		{"sendmessage", "integration.request.header.a", "route.request.body.a[*].b", `{"a":[{"b":1},{"b":"\r\n"}]}`},
		{"sendmessage", "integration.request.path.p", "route.request.body.$..x", `{"x":{"x":[null]}}`},
		{"$default", "integration.request.querystring.q", "'static'", `not json`},
		{"$default", "integration.request.header.q", "stageVariables.v", `{"v":1}`},
	} {
		f.Add(s.route, s.key, s.value, s.body)
	}
	f.Fuzz(func(t *testing.T, route, key, value, body string) {
		params := map[string]string{key: value}
		m, err := Compile(route, params)
		if (Validate(route, params) == nil) != (err == nil) {
			t.Fatalf("Validate and Compile disagree on %q = %q", key, value)
		}
		if err != nil {
			return
		}
		src := Source{
			Body:           selexpr.NewBody([]byte(body)),
			Header:         http.Header{"X-Forwarded-For": {body, "b"}, "Authorization": {body}},
			Query:          url.Values{"authToken": {body}, "q": {"1", body}},
			Context:        map[string]string{"connectionId": body, "routeKey": route, "authorizer.x": body},
			StageVariables: map[string]string{"v": body},
		}
		res, err := m.Apply(src)
		if err != nil {
			return
		}
		if n := len(res.Header) + len(res.Query) + len(res.Path); n > 1 {
			t.Fatalf("one parameter set %d things: %v", n, res)
		}
		p := m.params[0]
		for name, vs := range res.Header {
			if p.dest != destHeader || name != p.name {
				t.Fatalf("%q = %q set header %q", key, value, name)
			}
			for _, v := range vs {
				if badHeaderValue(v) {
					t.Fatalf("header %q = %q", name, v)
				}
			}
		}
		for name := range res.Query {
			if p.dest != destQuery || name != p.name {
				t.Fatalf("%q = %q set query string %q", key, value, name)
			}
		}
		for name := range res.Path {
			if p.dest != destPath || name != p.name {
				t.Fatalf("%q = %q set path parameter %q", key, value, name)
			}
		}
	})
}
