package selexpr

import (
	"net/http"
	"strings"
	"testing"
)

// guideMessage is the payload of the guide's "Route selection expressions" section.
const guideMessage = `{
    "service" : "chat",
    "action" : "join",
    "data" : {
        "room" : "room1234"
   }
}`

func TestEvalRoute(t *testing.T) {
	tests := []struct {
		expr   string // route selection expression
		body   string // message
		want   string // evaluated value
		wantOK bool   // evaluable
	}{
		// The guide's table of expressions against guideMessage.
		{`$request.body.action`, guideMessage, "join", true},
		{`${request.body.action}`, guideMessage, "join", true},
		{`${request.body.service}/${request.body.action}`, guideMessage, "chat/join", true},
		{`${request.body.action}-${request.body.invalidPath}`, guideMessage, "join-", true},
		{`action`, guideMessage, "action", true},
		{`\$default`, guideMessage, "$default", true},
		// Nested paths and the other JSONPath spellings of a member.
		{`$request.body.data.room`, guideMessage, "room1234", true},
		{`$request.body['data']['room']`, guideMessage, "room1234", true},
		{`${request.body["data"].room}`, guideMessage, "room1234", true},
		{`$request.body.a.b`, `{"a":{"b":"deep"}}`, "deep", true},
		{`$request.body.a[1]`, `{"a":["x","y"]}`, "y", true},
		{`$request.body[0].action`, `[{"action":"first"}]`, "first", true},
		{`$request.body.x-id`, `{"x-id":"dash"}`, "dash", true},
		// Static text around a bare variable: "/" and spaces end it; braces end anything.
		{`v1/$request.body.action`, guideMessage, "v1/join", true},
		{`$request.body.action/v1`, guideMessage, "join/v1", true},
		{`${request.body.action}.v1`, guideMessage, "join.v1", true},
		{`$request.body.service $request.body.action`, guideMessage, "chat join", true},
		{`cost \$5`, guideMessage, "cost $5", true},
		{`a\b`, guideMessage, `a\b`, true},
		// "the result will be stringified".
		{`$request.body.n`, `{"n": 42}`, "42", true},
		{`$request.body.n`, `{"n": 1.50}`, "1.50", true},
		{`$request.body.n`, `{"n": -1e3}`, "-1e3", true},
		{`$request.body.b`, `{"b": true}`, "true", true},
		{`$request.body.a`, `{"a": ["item1", "item2"]}`, "[item1, item2]", true},
		{`$request.body.a`, `{"a": [1, {"x": 2}, [3]]}`, `[1, {"x":2}, [3]]`, true},
		{`$request.body.a`, `{"a": []}`, "[]", true},
		{`$request.body.o`, `{"o": { "x" : [1, 2] }}`, `{"x":[1,2]}`, true},
		{`$request.body.s`, `{"s": "a\"b\u00e9\n"}`, "a\"b\u00e9\n", true},
		{`$request.body.s`, `{"s": "<&>"}`, "<&>", true},
		{`$request.body`, `"just a string"`, "just a string", true},
		// Keys with escapes, duplicate keys (the last wins), strings that look like syntax.
		{`$request.body.action`, `{"\u0061ction": "escaped"}`, "escaped", true},
		{`$request.body.action`, `{"action": "one", "action": "two"}`, "two", true},
		{`$request.body.action`, `{"x": "\"action\": 1, {[", "action": "real"}`, "real", true},
		{`$request.body.action`, `{"nested": {"action": "no"}, "action": "yes"}`, "yes", true},
		// Paths ojg answers: wildcards, descent, filters, slices, unions give lists.
		{`$request.body.a[*].n`, `{"a": [{"n": "x"}, {"n": "y"}]}`, "[x, y]", true},
		{`$request.body..n`, `{"a": {"n": 1}}`, "[1]", true},
		{`${request.body.a[?(@.t == 'k')].v}`, `{"a": [{"t": "k", "v": "hit"}, {"t": "j", "v": "miss"}]}`, "[hit]", true},
		{`$request.body.a[0:2]`, `{"a": ["p", "q", "r"]}`, "[p, q]", true},
		{`$request.body.a[-1]`, `{"a": ["p", "q", "r"]}`, "r", true},
		{`$request.body.a[-1]`, `{"a": [{"b": 1.5}]}`, `{"b":1.5}`, true},
		{`$request.body.a[*]`, `{"a": []}`, "", false},
		// "API Gateway calls the $default route if the route selection expression cannot be
		// evaluated against the message".
		{`$request.body.action`, `{"service": "chat"}`, "", false},
		{`$request.body.action`, `{"action": null}`, "", false},
		{`$request.body.action`, `not json`, "", false},
		{`$request.body.action`, `{"action": "join"`, "", false},
		{`$request.body.action`, ``, "", false},
		{`$request.body.action.x`, `{"action": "join"}`, "", false},
		{`$request.body.a[5]`, `{"a": [1]}`, "", false},
		{`$request.body.a[0]`, `{"a": {"0": 1}}`, "", false},
		{`${request.body.a}-${request.body.b}`, `{}`, "-", false},
		// Non-JSON messages go to $default even when the expression is static.
		{`action`, `hello`, "", false},
	}
	for _, tt := range tests {
		e, err := ParseFor(Route, tt.expr)
		if err != nil {
			t.Errorf("ParseFor(Route, %q): %v", tt.expr, err)
			continue
		}
		got, ok := e.Eval(Input{Body: NewBody([]byte(tt.body))})
		if ok != tt.wantOK || ok && got != tt.want {
			t.Errorf("%q on %s = %q, %v; want %q, %v", tt.expr, tt.body, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestEvalOtherKinds(t *testing.T) {
	header := http.Header{"X-Api-Key": {"k1", "k2"}}
	rawHeader := http.Header{"x-api-key": {"lower"}} // as copied from an event's map
	respHeader := http.Header{"X-Version": {"v2"}, "Set-Cookie": {"a=1", "b=2"}}
	ctx := map[string]string{"authorizer.usageIdentifierKey": "usage-key", "connectionId": "c1"}
	integ := &Response{StatusCode: 404, Header: respHeader, Body: NewBody([]byte(`{"errorMessage":"Malformed input","errorType":"Error"}`))}
	tests := []struct {
		kind   Kind
		expr   string
		in     Input
		want   string
		wantOK bool
	}{
		// API key selection: "the only two supported values".
		{APIKey, `$request.header.x-api-key`, Input{Header: header}, "k2", true},
		{APIKey, `$request.header.X-API-Key`, Input{Header: rawHeader}, "lower", true},
		{APIKey, `${request.header.x-api-key}`, Input{}, "", false},
		{APIKey, `$context.authorizer.usageIdentifierKey`, Input{Context: ctx}, "usage-key", true},
		{APIKey, `$context.authorizer.usageIdentifierKey`, Input{}, "", false},
		// API mapping selection.
		{APIMapping, `$request.basepath`, Input{BasePath: "orders"}, "orders", true},
		// Route response selection: only $default.
		{RouteResponse, `$default`, Input{}, "$default", true},
		{RouteResponse, `\$default`, Input{}, "$default", true},
		// Template and model selection: static values and $request.body.
		{RequestTemplate, `\$default`, Input{}, "$default", true},
		{RequestTemplate, `200`, Input{}, "200", true},
		{RequestTemplate, `$request.body.type`, Input{Body: NewBody([]byte(`{"type":"t1"}`))}, "t1", true},
		{RequestTemplate, `$request.body.type`, Input{Body: NewBody([]byte(`text`))}, "", false},
		{Model, `${request.body.messageType}`, Input{Body: NewBody([]byte(`{"action": "sendMessage", "messageType": "email"}`))}, "email", true},
		// Integration response template selection.
		{ResponseTemplate, `${integration.response.statuscode}`, Input{Integration: integ}, "404", true},
		{ResponseTemplate, `${integration.response.header.x-version}`, Input{Integration: integ}, "v2", true},
		{ResponseTemplate, `${integration.response.multivalueheader.Set-Cookie}`, Input{Integration: integ}, "a=1,b=2", true},
		{ResponseTemplate, `${integration.response.header.Missing}`, Input{Integration: integ}, "", false},
		{ResponseTemplate, `${integration.response.statuscode}`, Input{}, "", false},
		{ResponseTemplate, `s${integration.response.statuscode}-$request.body.a`, Input{Integration: integ, Body: NewBody([]byte(`{"a":"x"}`))}, "s404-x", true},
		// Integration response selection, fixed by integration type.
		{IntegrationResponse, `$integration.response.statuscode`, Input{Integration: integ}, "404", true},
		{IntegrationResponse, `${integration.response.statuscode}`, Input{Integration: &Response{StatusCode: 200}}, "200", true},
		{IntegrationResponse, `${response.statuscode}`, Input{Integration: integ}, "404", true},
		{IntegrationResponse, `$integration.response.body.errorMessage`, Input{Integration: integ}, "Malformed input", true},
		{IntegrationResponse, `$integration.response.body.errorMessage`, Input{Integration: &Response{StatusCode: 200, Body: NewBody([]byte(`"ok"`))}}, "", false},
		// Any.
		{Any, `${context.connectionId}:${request.header.x-api-key}`, Input{Context: ctx, Header: header}, "c1:k2", true},
		{Any, `$default`, Input{}, "$default", true},
	}
	for _, tt := range tests {
		e, err := ParseFor(tt.kind, tt.expr)
		if err != nil {
			t.Errorf("ParseFor(%v, %q): %v", tt.kind, tt.expr, err)
			continue
		}
		got, ok := e.Eval(tt.in)
		if ok != tt.wantOK || got != tt.want {
			t.Errorf("%v %q = %q, %v; want %q, %v", tt.kind, tt.expr, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		kind Kind
		expr string
		want string // part of the error
	}{
		{Route, ``, "empty"},
		{Route, `${request.body.action`, "no closing }"},
		{Route, `$`, "no variable name"},
		{Route, `cost $ 5`, "no variable name"},
		{Route, `${}`, "no variable name"},
		{Route, `$request.bodyx`, "unknown variable $request.bodyx"},
		{Route, `$request.querystring.a`, "unknown variable"},
		{Route, `$stageVariables.a`, "unknown variable"},
		{Route, `$default`, `write \$default`},
		{Route, `$request.header.x-api-key`, "route selection expression supports $request.body.<JSONPath> and static text"},
		{Route, `$context.routeKey`, "cannot be used here"},
		{Route, `$request.body.a[`, "JSONPath"},
		{Route, `${request.body.a[?(@.x ==]}`, "JSONPath"},
		{Route, `$request.body.`, "JSONPath"},
		{Route, `$request.header.`, "not a header name"},
		{Route, `${request.header.a b}`, "not a header name"},
		{Route, `$context.`, "no context variable name"},
		{APIKey, `$request.header.authorization`, "only supported values"},
		{APIKey, `key-$request.header.x-api-key`, "only supported values"},
		{APIKey, `$context.authorizer.principalId`, "only supported values"},
		{APIMapping, `$request.body.a`, "$request.basepath"},
		{RouteResponse, `$request.body.a`, "only $default"},
		{RouteResponse, `200`, "only $default"},
		{RequestTemplate, `$integration.response.statuscode`, "cannot be used here"},
		{RequestTemplate, `$default`, `write \$default`},
		{Model, `$request.header.a`, "cannot be used here"},
		{ResponseTemplate, `$request.header.a`, "cannot be used here"},
		{ResponseTemplate, `$integration.response.body.a`, "cannot be used here"},
		{IntegrationResponse, `\$default`, "fixes this expression"},
		{IntegrationResponse, `$integration.response.header.a`, "fixes this expression"},
		{IntegrationResponse, `$integration.response.body.message`, "fixes this expression"},
		{IntegrationResponse, `x${integration.response.statuscode}`, "fixes this expression"},
		{Kind(99), `a`, "unknown kind"},
	}
	for _, tt := range tests {
		_, err := ParseFor(tt.kind, tt.expr)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseFor(%v, %q) = %v; want an error containing %q", tt.kind, tt.expr, err, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.kind.String()) {
			t.Errorf("ParseFor(%v, %q) = %v; the error does not say which expression", tt.kind, tt.expr, err)
		}
	}
}

func TestStatic(t *testing.T) {
	for expr, want := range map[string]string{`\$default`: "$default", `200`: "200", `a\$b\$`: "a$b$"} {
		e, err := Parse(expr)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := e.Static(); !ok || got != want {
			t.Errorf("%q.Static() = %q, %v; want %q", expr, got, ok, want)
		}
	}
	e, _ := Parse(`x$request.body.a`)
	if _, ok := e.Static(); ok {
		t.Errorf("%q has a variable but says it is static", e)
	}
}

// TestBodyParsedOnce: evaluating many expressions against one message decodes it at most
// once (the tree is built only for paths the scanner does not handle).
func TestBodyParsedOnce(t *testing.T) {
	b := NewBody([]byte(`{"a": [{"n": 1}, {"n": 2}], "k": "v"}`))
	wild, _ := ParseFor(Route, `$request.body.a[*].n`)
	simple, _ := ParseFor(Route, `$request.body.k`)
	if v, _ := simple.Eval(Input{Body: b}); v != "v" || b.tree != nil {
		t.Fatalf("simple path: %q, tree built: %v", v, b.tree != nil)
	}
	v1, _ := wild.Eval(Input{Body: b})
	tree := b.tree
	v2, _ := wild.Eval(Input{Body: b})
	if v1 != "[1, 2]" || v2 != v1 {
		t.Fatalf("wildcard: %q then %q", v1, v2)
	}
	m1, m2 := tree.(map[string]any), b.tree.(map[string]any)
	m1["probe"] = true
	if _, same := m2["probe"]; !same {
		t.Fatal("the body was parsed twice")
	}
}
