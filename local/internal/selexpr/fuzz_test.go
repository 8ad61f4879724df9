package selexpr

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

var allKinds = []Kind{Any, Route, APIKey, APIMapping, RouteResponse, Model, RequestTemplate, ResponseTemplate, IntegrationResponse}

// FuzzParse: no expression and no message can make parsing or evaluation panic; Any accepts
// everything a specific kind accepts; evaluation gives the same answer twice on one Body;
// an expression without variables evaluates to its static value.
func FuzzParse(f *testing.F) {
	for _, s := range []struct{ expr, body string }{
		{`$request.body.action`, guideMessage},
		{`${request.body.service}/${request.body.action}`, guideMessage},
		{`${request.body.action}-${request.body.invalidPath}`, guideMessage},
		{`\$default`, `x`},
		{`$default`, `{}`},
		{`${request.body.a[?(@.t == 'k')].v}`, `{"a":[{"t":"k","v":1}]}`},
		{`$request.body..n`, `{"a":{"n":[1,{"n":2}]}}`},
		{`$request.header.x-api-key`, ``},
		{`$context.authorizer.usageIdentifierKey`, ``},
		{`${integration.response.multivalueheader.a}${integration.response.statuscode}`, ``},
		{`$integration.response.body.errorMessage`, ``},
		{`${request.body['a}b']}`, `{"a}b":"c"}`},
		{`$request.body[0:2]`, `[1,2,3]`},
	} {
		f.Add(s.expr, s.body)
	}
	f.Fuzz(func(t *testing.T, expr, body string) {
		_, anyErr := ParseFor(Any, expr)
		for _, k := range allKinds {
			e, err := ParseFor(k, expr)
			if err != nil {
				continue
			}
			if anyErr != nil {
				t.Fatalf("%v accepts %q but Any does not: %v", k, expr, anyErr)
			}
			if e.String() != expr || e.Kind() != k {
				t.Fatalf("%q parsed as %q, %v", expr, e.String(), e.Kind())
			}
			b := NewBody([]byte(body))
			in := Input{
				Body:        b,
				Header:      http.Header{"X-Api-Key": {body}},
				Context:     map[string]string{"authorizer.usageIdentifierKey": body},
				BasePath:    body,
				Integration: &Response{StatusCode: 200, Header: http.Header{"A": {"1", "2"}}, Body: b},
			}
			v1, ok1 := e.Eval(in)
			v2, ok2 := e.Eval(in)
			if v1 != v2 || ok1 != ok2 {
				t.Fatalf("%q on %q: %q, %v then %q, %v", expr, body, v1, ok1, v2, ok2)
			}
			if s, static := e.Static(); static && (k != Route || b.IsJSON()) && (v1 != s || !ok1) {
				t.Fatalf("static %q evaluates to %q, %v; want %q", expr, v1, ok1, s)
			}
			e.Eval(Input{}) // nothing at all
		}
	})
}

// FuzzValidJSON: the message validator agrees with encoding/json on every input.
func FuzzValidJSON(f *testing.F) {
	for _, s := range []string{guideMessage, `{"a":[1,-0.5e+3,true,false,null,"\u00e9\n"]}`, `01`, `-`, `1.`, `1e`, `"\x"`, `"\u12"`, "\"\x01\"", "\"\xff\"", `[1,]`, `{"a" 1}`, ` 1 `, `{}{}`, `[[[[]]]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validJSON(b), json.Valid(b); got != want {
			t.Fatalf("validJSON(%q) = %v; json.Valid says %v", b, got, want)
		}
	})
}

func TestValidJSONDepth(t *testing.T) {
	for _, n := range []int{maxDepth - 1, maxDepth, maxDepth + 1} {
		b := []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
		if got, want := validJSON(b), json.Valid(b); got != want {
			t.Errorf("depth %d: validJSON %v, json.Valid %v", n, got, want)
		}
	}
}
