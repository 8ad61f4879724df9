package websocketapi

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// check asserts that got is empty when want is "", and otherwise contains want.
func check(t *testing.T, got, want string) {
	t.Helper()
	if want == "" {
		if got != "" {
			t.Fatalf("unexpected error: %s", got)
		}
		return
	}
	if !strings.Contains(got, want) {
		t.Fatalf("error %q does not contain %q", got, want)
	}
}

func TestRules(t *testing.T) {
	tests := []struct {
		name    string
		got     string // what the check returned, joined
		wantErr string // "" means no error expected
	}{
		{"route $connect", errString(checkRouteKey("$connect")), ""},
		{"route custom", errString(checkRouteKey("sendmessage")), ""},
		{"route with spaces", errString(checkRouteKey("send message")), ""},
		{"route reserved prefix", errString(checkRouteKey("$join")), "prefix is reserved"},
		{"route empty", errString(checkRouteKey("")), "must not be empty"},
		{"api key header", errString(checkApiKeySelection("$request.header.x-api-key")), ""},
		{"api key authorizer", errString(checkApiKeySelection("$context.authorizer.usageIdentifierKey")), ""},
		{"api key other header", errString(checkApiKeySelection("$request.header.authorization")), "must be $request.header.x-api-key or"},
		{"timeout 50ms", errString(checkTimeout("r", 50*time.Millisecond)), ""},
		{"timeout 29s", errString(checkTimeout("r", 29*time.Second)), ""},
		{"timeout 30s", errString(checkTimeout("r", 30*time.Second)), "between 50ms and 29s"},
		{"timeout 10ms", errString(checkTimeout("r", 10*time.Millisecond)), "between 50ms and 29s"},
		{"response $default", errString(checkIntegrationResponseKey("r", "$default")), ""},
		{"response 2xx", errString(checkIntegrationResponseKey("r", `/2\d\d/`)), ""},
		{"response bare code", errString(checkIntegrationResponseKey("r", "200")), "between slashes"},
		{"response empty pattern", errString(checkIntegrationResponseKey("r", "//")), "between slashes"},
		{"response bad regexp", errString(checkIntegrationResponseKey("r", "/[/")), "not a valid regular expression"},
		{"templates ok", strings.Join(checkTemplates("t", map[string]string{"$default": "{}", "200": "x"}), ""), ""},
		{"template 300KB", strings.Join(checkTemplates("t", map[string]string{"$default": strings.Repeat("x", 300*1024)}), ""), ""},
		{"template too big", strings.Join(checkTemplates("t", map[string]string{"$default": strings.Repeat("x", 300*1024+1)}), ""), "at most 300 KB"},
		{"env ok", errString(checkEnvName("CALLBACK_URL")), ""},
		{"env one char", errString(checkEnvName("A")), "at least 2"},
		{"env dash", errString(checkEnvName("CALLBACK-URL")), "only letters, digits"},
		{"env reserved", errString(checkEnvName("AWS_SESSION_TOKEN")), "reserved by Lambda"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.got, tt.wantErr) })
	}
}

func TestRequestMapping(t *testing.T) {
	tests := []struct {
		route      string
		dest, src  string
		wantErr    string   // "" means valid
		wantParams []string // route request parameters the route must declare
	}{
		// Every documented source, on a route where it is available.
		{"$connect", "integration.request.header.authToken", "route.request.querystring.authToken", "", []string{"route.request.querystring.authToken"}},
		{"$connect", "integration.request.header.h", "route.request.header.Sec-WebSocket-Protocol", "", []string{"route.request.header.Sec-WebSocket-Protocol"}},
		{"$connect", "integration.request.querystring.q", "route.request.multivaluequerystring.tag", "", []string{"route.request.querystring.tag"}},
		{"$connect", "integration.request.querystring.q", "route.request.multivalueheader.h", "", []string{"route.request.header.h"}},
		{"sendmessage", "integration.request.querystring.x", "route.request.body.x", "", nil},
		{"sendmessage", "integration.request.header.x", "route.request.body.data.items[0]", "", nil},
		{"sendmessage", "integration.request.header.x", "route.request.body['a b']", "", nil},
		{"sendmessage", "integration.request.header.connectionId", "context.connectionId", "", nil},
		{"sendmessage", "integration.request.header.k", "context.identity.sourceIp", "", nil},
		{"sendmessage", "integration.request.header.k", "context.authorizer.tenant", "", nil},
		{"sendmessage", "integration.request.header.m", "context.messageId", "", nil},
		{"$default", "integration.request.header.room", "stageVariables.room", "", nil},
		{"$default", "integration.request.header.via", "'gatehouse chat'", "", nil},
		{"$default", "integration.request.header.via", "''", "", nil},
		{"$default", "integration.request.header.A.b_c$-1", "'x'", "", nil},
		// Broken rules.
		{"$default", "integration.request.body.x", "'x'", "must be integration.request.header.NAME or", nil},
		{"$default", "header.x", "'x'", "must be integration.request.header.NAME or", nil},
		{"$default", "integration.request.header.", "'x'", "must be integration.request.header.NAME or", nil},
		{"$default", "integration.request.header.a/b", "'x'", "must match ^[a-zA-Z0-9._$-]+$", nil},
		{"sendmessage", "integration.request.header.x", "route.request.querystring.t", "only on the $connect route", nil},
		{"$disconnect", "integration.request.header.x", "route.request.header.t", "only on the $connect route", nil},
		{"$connect", "integration.request.header.x", "route.request.querystring.a b", "must match ^[a-zA-Z0-9._$-]+$", nil},
		{"$connect", "integration.request.header.x", "route.request.cookie.a", "must be route.request.querystring|header", nil},
		{"sendmessage", "integration.request.header.x", "route.request.body", "needs a JSONPath", nil},
		{"sendmessage", "integration.request.header.x", "route.request.bodyx", "needs a JSONPath", nil},
		{"sendmessage", "integration.request.header.x", "context.connectionID", "not a supported WebSocket context variable", nil},
		{"sendmessage", "integration.request.header.x", "context.authorizer.", "not a supported WebSocket context variable", nil},
		{"$disconnect", "integration.request.header.x", "context.messageId", "available only for messages", nil},
		{"sendmessage", "integration.request.header.x", "stageVariables.", "stage variable name", nil},
		{"sendmessage", "integration.request.header.x", "'", "enclosed in single quotes", nil},
		{"sendmessage", "integration.request.header.x", "$context.connectionId", "source \"$context.connectionId\" must be", nil},
		{"sendmessage", "integration.request.header.x", "", "source \"\" must be", nil},
	}
	for _, tt := range tests {
		t.Run(tt.route+" "+tt.dest+"="+tt.src, func(t *testing.T) {
			res := checkRequestMapping(tt.route, map[string]string{tt.dest: tt.src})
			check(t, strings.Join(res.errs, "\n"), tt.wantErr)
			if tt.wantErr == "" && !reflect.DeepEqual(res.routeParams, tt.wantParams) {
				t.Errorf("route params = %q, want %q", res.routeParams, tt.wantParams)
			}
		})
	}
}

func TestRequestMappingDeclaresEachParameterOnce(t *testing.T) {
	res := checkRequestMapping("$connect", map[string]string{
		"integration.request.header.a":      "route.request.querystring.t",
		"integration.request.querystring.b": "route.request.multivaluequerystring.t",
		"integration.request.header.c":      "route.request.header.t",
	})
	want := []string{"route.request.querystring.t", "route.request.header.t"}
	if len(res.errs) != 0 || !reflect.DeepEqual(res.routeParams, want) {
		t.Fatalf("errs=%q params=%q, want params %q", res.errs, res.routeParams, want)
	}
}

func TestRouteRequestParameters(t *testing.T) {
	check(t, strings.Join(checkRouteRequestParameters("$connect", map[string]bool{"route.request.querystring.token": true, "route.request.header.X-Key": false}), ""), "")
	check(t, strings.Join(checkRouteRequestParameters("$connect", map[string]bool{"route.request.body.x": true}), ""), "must be route.request.querystring.NAME or route.request.header.NAME")
	check(t, strings.Join(checkRouteRequestParameters("$connect", map[string]bool{"route.request.header.a b": true}), ""), "must match")
	check(t, strings.Join(checkRouteRequestParameters("$default", map[string]bool{"route.request.header.h": true}), ""), "only the $connect route")
}

func TestSelectionVars(t *testing.T) {
	tests := []struct {
		expr    string
		want    []string
		wantErr string
	}{
		// The guide's examples.
		{"$request.body.action", []string{"request.body.action"}, ""},
		{"${request.body.action}", []string{"request.body.action"}, ""},
		{"${request.body.service}/${request.body.action}", []string{"request.body.service", "request.body.action"}, ""},
		{"${request.body.action}-${request.body.invalidPath}", []string{"request.body.action", "request.body.invalidPath"}, ""},
		{"action", nil, ""},
		{`\$default`, nil, ""},
		{"${request.body.version}-beta", []string{"request.body.version"}, ""},
		// Unbraced variables run over header-name and JSONPath characters.
		{"$request.header.x-api-key", []string{"request.header.x-api-key"}, ""},
		{"$request.body.items[0].id", []string{"request.body.items[0].id"}, ""},
		{"$request.body.a/b", []string{"request.body.a"}, ""},
		{"200", nil, ""},
		{"", nil, ""},
		{"${request.body.a", nil, "no closing"},
		{"${}", nil, "empty variable"},
		{"cost: $", nil, "starts no variable"},
		{"$ x", nil, "starts no variable"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got, err := selectionVars(tt.expr)
			check(t, errString(err), tt.wantErr)
			if tt.wantErr == "" && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("selectionVars(%q) = %q, want %q", tt.expr, got, tt.want)
			}
		})
	}
}

func TestCheckSelection(t *testing.T) {
	tests := []struct {
		ctx     selectionContext
		expr    string
		wantErr string
	}{
		{routeSelection, "$request.body.action", ""},
		{routeSelection, "${request.body.service}/${request.body.action}", ""},
		{routeSelection, `\$default`, ""},
		{routeSelection, "$request.body", "needs a JSONPath"},
		{routeSelection, "$request.querystring.a", "is not available here"},
		{routeSelection, "$request.body.[[", "does not parse"},
		{requestTemplateSelection, "${request.body.type}", ""},
		{requestTemplateSelection, "200", ""},
		{requestTemplateSelection, "$integration.response.statuscode", "is not available here"},
		{responseTemplateSelection, "${integration.response.statuscode}", ""},
		{responseTemplateSelection, "$integration.response.header.Content-Type", ""},
		{responseTemplateSelection, "${integration.response.multivalueheader.x-a}", ""},
		{responseTemplateSelection, "${request.body.type}", ""},
		{responseTemplateSelection, "${integration.response.header.a b}", "invalid header"},
		{responseTemplateSelection, "$context.stage", "is not available here"},
		{responseTemplateSelection, "", "must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			check(t, strings.Join(checkSelection("expr", tt.ctx, tt.expr), "\n"), tt.wantErr)
		})
	}
}

// FuzzSelectionVars: the parser never panics, and every variable it returns is non-empty and
// appears in the expression.
func FuzzSelectionVars(f *testing.F) {
	for _, s := range []string{"$request.body.action", "${request.body.a}-${request.body.b}", `\$default`, "${", "$", `\`, "a$b${c}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		vars, err := selectionVars(expr)
		if err != nil {
			return
		}
		for _, v := range vars {
			if v == "" || !strings.Contains(expr, v) {
				t.Fatalf("selectionVars(%q) returned %q", expr, vars)
			}
		}
		for _, ctx := range []selectionContext{routeSelection, requestTemplateSelection, responseTemplateSelection} {
			checkSelection("fuzz", ctx, expr)
		}
	})
}

// FuzzMappingSource: checking any source never panics, and only $connect ever needs a route
// request parameter declared.
func FuzzMappingSource(f *testing.F) {
	for _, s := range []string{"route.request.body.x", "route.request.querystring.t", "context.connectionId", "'x'", "stageVariables.a", "route.request.body['a"} {
		f.Add("$connect", s)
		f.Add("sendmessage", s)
	}
	f.Fuzz(func(t *testing.T, route, src string) {
		declared, err := checkMappingSource(route, src)
		if err == nil && declared != "" && route != ConnectRouteKey {
			t.Fatalf("checkMappingSource(%q, %q) declared %q off $connect", route, src, declared)
		}
	})
}
