package iamauth

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// cdkGrant is the statement CDK's grantManagementApiAccess gives a function for stage dev of
// API abc123.
var cdkGrant = &model.Statement{
	Effect:    "Allow",
	Actions:   []string{"execute-api:ManageConnections"},
	Resources: []string{"arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*/@connections/*"},
}

func TestEvaluate(t *testing.T) {
	conn := func(api, stage, method string) string {
		return ConnectionsARN("us-east-1", "123456789012", api, stage, method, "R0oXAdfD0kwCH6w=")
	}
	allow := func(actions, resources []string) *model.Statement {
		return &model.Statement{Effect: "Allow", Actions: actions, Resources: resources}
	}
	deny := func(actions, resources []string) *model.Statement {
		return &model.Statement{Effect: "Deny", Actions: actions, Resources: resources}
	}
	cases := []struct {
		name       string
		statements []*model.Statement
		action     string
		resource   string
		want       Decision
	}{
		// CDK's grant, against every method and against other stages and APIs.
		{"cdk grant, POST", []*model.Statement{cdkGrant}, ActionManageConnections, conn("abc123", "dev", "POST"), Allow},
		{"cdk grant, GET", []*model.Statement{cdkGrant}, ActionManageConnections, conn("abc123", "dev", "GET"), Allow},
		{"cdk grant, DELETE", []*model.Statement{cdkGrant}, ActionManageConnections, conn("abc123", "dev", "DELETE"), Allow},
		{"cdk grant, template id", []*model.Statement{cdkGrant}, ActionManageConnections,
			ConnectionsARN("us-east-1", "123456789012", "abc123", "dev", "post", "{connectionId}"), Allow},
		{"cdk grant, other stage", []*model.Statement{cdkGrant}, ActionManageConnections, conn("abc123", "prod", "POST"), ImplicitDeny},
		{"cdk grant, stage with the grant's as prefix", []*model.Statement{cdkGrant}, ActionManageConnections, conn("abc123", "devx", "POST"), ImplicitDeny},
		{"cdk grant, other api", []*model.Statement{cdkGrant}, ActionManageConnections, conn("xyz789", "dev", "POST"), ImplicitDeny},
		{"cdk grant, other region", []*model.Statement{cdkGrant}, ActionManageConnections,
			ConnectionsARN("eu-west-1", "123456789012", "abc123", "dev", "POST", "id"), ImplicitDeny},
		{"cdk grant, Invoke", []*model.Statement{cdkGrant}, ActionInvoke, conn("abc123", "dev", "POST"), ImplicitDeny},
		{"no statements", nil, ActionManageConnections, conn("abc123", "dev", "POST"), ImplicitDeny},
		// POST-only grants (the usual hand-written one, and CDK's before it granted every method).
		{"POST-only grant, POST", []*model.Statement{allow([]string{ActionManageConnections}, []string{"arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/@connections/*"})},
			ActionManageConnections, conn("abc123", "dev", "POST"), Allow},
		{"POST-only grant, DELETE", []*model.Statement{allow([]string{ActionManageConnections}, []string{"arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/@connections/*"})},
			ActionManageConnections, conn("abc123", "dev", "DELETE"), ImplicitDeny},
		// Actions: case-insensitive, wildcards.
		{"action case", []*model.Statement{allow([]string{"Execute-API:manageconnections"}, []string{"*"})}, ActionManageConnections, "x", Allow},
		{"service wildcard", []*model.Statement{allow([]string{"execute-api:*"}, []string{"*"})}, ActionManageConnections, "x", Allow},
		{"everything", []*model.Statement{allow([]string{"*"}, []string{"*"})}, ActionInvoke, "x", Allow},
		{"action prefix", []*model.Statement{allow([]string{"execute-api:Manage*"}, []string{"*"})}, ActionManageConnections, "x", Allow},
		{"action ?", []*model.Statement{allow([]string{"execute-api:Invok?"}, []string{"*"})}, ActionInvoke, "x", Allow},
		{"action ? is one character", []*model.Statement{allow([]string{"execute-api:Invo?"}, []string{"*"})}, ActionInvoke, "x", ImplicitDeny},
		{"other service", []*model.Statement{allow([]string{"apigateway:*"}, []string{"*"})}, ActionInvoke, "x", ImplicitDeny},
		// Resources: case-sensitive, wildcards.
		{"resource case", []*model.Statement{allow([]string{"*"}, []string{"arn:aws:execute-api:us-east-1:123456789012:ABC123/*"})}, ActionInvoke,
			MethodARN("us-east-1", "123456789012", "abc123", "dev", "GET", "/pets"), ImplicitDeny},
		{"resource ?", []*model.Statement{allow([]string{"*"}, []string{"arn:aws:execute-api:us-east-1:123456789012:abc12?/dev/GET/pets"})}, ActionInvoke,
			MethodARN("us-east-1", "123456789012", "abc123", "dev", "GET", "/pets"), Allow},
		{"guide: any stage, GET /pets", []*model.Statement{allow([]string{ActionInvoke}, []string{"arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/pets"})}, ActionInvoke,
			MethodARN("us-east-1", "123456789012", "abc123", "test", "GET", "/pets"), Allow},
		{"guide: star crosses segments", []*model.Statement{allow([]string{ActionInvoke}, []string{"arn:aws:execute-api:*:*:*"})}, ActionInvoke,
			MethodARN("us-east-1", "123456789012", "abc123", "test", "GET", "/pets/1"), Allow},
		// Deny beats Allow, in either order.
		{"deny after allow", []*model.Statement{cdkGrant, deny([]string{"execute-api:*"}, []string{"arn:aws:execute-api:us-east-1:123456789012:abc123/*"})},
			ActionManageConnections, conn("abc123", "dev", "POST"), ExplicitDeny},
		{"deny before allow", []*model.Statement{deny([]string{ActionManageConnections}, []string{"*"}), cdkGrant},
			ActionManageConnections, conn("abc123", "dev", "POST"), ExplicitDeny},
		{"deny elsewhere", []*model.Statement{cdkGrant, deny([]string{ActionManageConnections}, []string{"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*"})},
			ActionManageConnections, conn("abc123", "dev", "POST"), Allow},
		// The guide's WebSocket example: Invoke on prod except the secret route; no ManageConnections anywhere.
		{"guide websocket: route", guideWebSocketPolicy, ActionInvoke, RouteARN("us-east-1", "123456789012", "api-id", "prod", "sendmessage"), Allow},
		{"guide websocket: secret route", guideWebSocketPolicy, ActionInvoke, RouteARN("us-east-1", "123456789012", "api-id", "prod", "secret"), ExplicitDeny},
		{"guide websocket: @connections", guideWebSocketPolicy, ActionManageConnections,
			ConnectionsARN("us-east-1", "123456789012", "api-id", "prod", "POST", "x"), ExplicitDeny},
		// NotAction and NotResource.
		{"NotAction allows the rest", []*model.Statement{{Effect: "Allow", NotActions: []string{ActionInvalidateCache}, Resources: []string{"*"}}}, ActionManageConnections, "x", Allow},
		{"NotAction leaves out its own", []*model.Statement{{Effect: "Allow", NotActions: []string{"execute-api:Manage*"}, Resources: []string{"*"}}}, ActionManageConnections, "x", ImplicitDeny},
		{"NotResource allows the rest", []*model.Statement{{Effect: "Allow", Actions: []string{"*"}, NotResources: []string{"arn:aws:execute-api:*:*:abc123/prod/*"}}},
			ActionManageConnections, conn("abc123", "dev", "POST"), Allow},
		{"NotResource leaves out its own", []*model.Statement{{Effect: "Allow", Actions: []string{"*"}, NotResources: []string{"arn:aws:execute-api:*:*:abc123/dev/*"}}},
			ActionManageConnections, conn("abc123", "dev", "POST"), ImplicitDeny},
		{"Deny with NotResource", []*model.Statement{cdkGrant, {Effect: "Deny", Actions: []string{"*"}, NotResources: []string{"arn:aws:execute-api:*:*:abc123/prod/*"}}},
			ActionManageConnections, conn("abc123", "dev", "POST"), ExplicitDeny},
		// Statements that never match.
		{"conditional allow", []*model.Statement{{Effect: "Allow", Actions: []string{"*"}, Resources: []string{"*"}, HasCondition: true}}, ActionInvoke, "x", ImplicitDeny},
		{"conditional deny", []*model.Statement{cdkGrant, {Effect: "Deny", Actions: []string{"*"}, Resources: []string{"*"}, HasCondition: true}},
			ActionManageConnections, conn("abc123", "dev", "POST"), Allow},
		{"no resource element", []*model.Statement{{Effect: "Allow", Actions: []string{"*"}}}, ActionInvoke, "x", ImplicitDeny},
		{"no action element", []*model.Statement{{Effect: "Allow", Resources: []string{"*"}}}, ActionInvoke, "x", ImplicitDeny},
		{"effect spelled otherwise", []*model.Statement{{Effect: "allow", Actions: []string{"*"}, Resources: []string{"*"}}}, ActionInvoke, "x", ImplicitDeny},
		{"nil statement", []*model.Statement{nil, cdkGrant}, ActionManageConnections, conn("abc123", "dev", "GET"), Allow},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Evaluate(tc.statements, tc.action, tc.resource)
			if got != tc.want {
				t.Errorf("Evaluate(%s, %s) = %s, want %s", tc.action, tc.resource, got, tc.want)
			}
			if Allowed(tc.statements, tc.action, tc.resource) != (tc.want == Allow) {
				t.Errorf("Allowed disagrees with Evaluate")
			}
		})
	}
}

var guideWebSocketPolicy = []*model.Statement{
	{Effect: "Allow", Actions: []string{"execute-api:Invoke"}, Resources: []string{"arn:aws:execute-api:us-east-1:123456789012:api-id/prod/*"}},
	{Effect: "Deny", Actions: []string{"execute-api:Invoke"}, Resources: []string{"arn:aws:execute-api:us-east-1:123456789012:api-id/prod/secret"}},
	{Effect: "Deny", Actions: []string{"execute-api:ManageConnections"}, Resources: []string{"arn:aws:execute-api:us-east-1:123456789012:api-id/*"}},
}

func TestWildcardMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"*", "anything/at:all", true},
		{"?", "", false},
		{"?", "é", true}, // one character, two bytes
		{"??", "é", false},
		{"a*b", "ab", true},
		{"a*b", "axxb", true},
		{"a*b", "axxbx", false},
		{"a*b*c", "abbbc", true},
		{"a*b*c", "acb", false},
		{"*@connections/*", "x/dev/POST/@connections/abc", true},
		{"*@connections/*", "x/dev/POST/@connections", false},
		{"a**b", "ab", true},
		{"*a", "ba", true},
		{"*a", "ab", false},
		{"?*", "", false},
		{"*?", "x", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
	}
	for _, tc := range cases {
		if got := wildcardMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("wildcardMatch(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

// FuzzWildcardMatch checks the matcher against the regexp the pattern stands for.
func FuzzWildcardMatch(f *testing.F) {
	f.Add("arn:aws:execute-api:*:*:abc123/dev/*/@connections/*", "arn:aws:execute-api:us-east-1:1:abc123/dev/POST/@connections/x")
	f.Add("a*b?c*", "aXbYcZ")
	f.Add("*?*?*", "é")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if !utf8.ValidString(pattern) || len(pattern) > 64 || len(s) > 256 {
			return
		}
		var expr strings.Builder
		expr.WriteString(`(?s)\A`)
		for _, r := range pattern {
			switch r {
			case '*':
				expr.WriteString(".*")
			case '?':
				expr.WriteString(".")
			default:
				expr.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		expr.WriteString(`\z`)
		want := regexp.MustCompile(expr.String()).MatchString(s)
		if got := wildcardMatch(pattern, s); got != want {
			t.Fatalf("wildcardMatch(%q, %q) = %v, regexp %s says %v", pattern, s, got, expr.String(), want)
		}
	})
}
