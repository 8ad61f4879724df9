package authrules

import (
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
)

// errText flattens what a check returned, so one table holds checks of either shape.
func errText(v any) string {
	switch e := v.(type) {
	case nil:
		return ""
	case error:
		return e.Error()
	case []string:
		return strings.Join(e, "\n")
	}
	panic("errText: unexpected type")
}

// errOf keeps a nil error untyped-nil for errText.
func errOf(err error) any {
	if err == nil {
		return nil
	}
	return err
}

func TestRules(t *testing.T) {
	jwtRule := SourceRule{Kind: "a JWT authorizer", Only: []Location{Header, QueryString}, One: true}
	tests := []struct {
		name    string
		got     any    // what the check returned
		wantErr string // "" means no error expected
	}{
		{"name ok", errOf(CheckName("jwt-1")), ""},
		{"name empty", errOf(CheckName("")), "must not be empty"},
		{"name NONE", errOf(CheckName("NONE")), "is reserved"},
		{"name slash", errOf(CheckName("a/b")), "must not contain \"/\""},
		{"name long", errOf(CheckName(strings.Repeat("a", 129))), "longer than 128"},

		{"ttl 0", CheckCacheTTL("a", 0, 0), ""},
		{"ttl 3600", CheckCacheTTL("a", 3600, 1), ""},
		{"ttl 3601", CheckCacheTTL("a", 3601, 1), "whole seconds from 0 (caching off) to 3600"},
		{"ttl negative", CheckCacheTTL("a", -1, 1), "whole seconds"},
		{"ttl fraction", CheckCacheTTL("a", 1.5, 1), "whole seconds"},
		{"ttl without source", CheckCacheTTL("a", 300, 0), "needs at least one identity source"},

		{"issuer ok", errOf(CheckIssuer("j", "https://issuer.example.com/pool", false)), ""},
		{"issuer http", errOf(CheckIssuer("j", "http://issuer.example.com", false)), "must be an https:// URL"},
		{"issuer no host", errOf(CheckIssuer("j", "https://", false)), "must be an https:// URL"},
		{"issuer bare", errOf(CheckIssuer("j", "issuer.example.com", false)), "must be an https:// URL"},
		{"issuer token", errOf(CheckIssuer("j", "${Token[TOKEN.1]}", true)), ""},
		{"issuer https token", errOf(CheckIssuer("j", "https://cognito-idp.${Token[R]}.amazonaws.com/${Token[P]}", true)), ""},
		{"issuer http token", errOf(CheckIssuer("j", "http://${Token[H]}", true)), "must be an https:// URL"},

		{"audiences ok", CheckAudiences("j", []string{"a", "b"}), ""},
		{"audiences none", CheckAudiences("j", nil), "at least one audience"},
		{"audience empty", CheckAudiences("j", []string{""}), "must not be empty"},
		{"audience twice", CheckAudiences("j", []string{"a", "a"}), "listed twice"},

		{"validation ok", errOf(CheckValidationExpression("t", `^Bearer [-0-9a-zA-Z._]+$`)), ""},
		{"validation empty", errOf(CheckValidationExpression("t", "")), "must not be empty"},
		{"validation java only", errOf(CheckValidationExpression("t", `^(?!x).*`)), "lookahead"},
		{"validation broken", errOf(CheckValidationExpression("t", `(`)), "not a valid regular expression"},

		{"scopes ok", CheckScopes("route", []string{"read", "write"}, true, "", ""), ""},
		{"scopes not allowed", CheckScopes("route", []string{"read"}, false, "authorizer \"l\" (LAMBDA)", "JWT authorizers"), "apply only to JWT authorizers"},
		{"scope with space", CheckScopes("route", []string{"a b"}, true, "", ""), "one non-empty word"},
		{"scope twice", CheckScopes("route", []string{"a", "a"}, true, "", ""), "listed twice"},

		{"fields ok", CheckFields("l", "LAMBDA", []Field{{Name: "Function", Set: true, For: []string{"LAMBDA"}, Required: true}, {Name: "Issuer", For: []string{"JWT"}, Required: true}}), ""},
		{"field wrong type", CheckFields("l", "LAMBDA", []Field{{Name: "Issuer", Set: true, For: []string{"JWT"}}}), "authorizer \"l\": Issuer does not apply to a LAMBDA authorizer (only JWT)"},
		{"field required", CheckFields("l", "LAMBDA", []Field{{Name: "Function", For: []string{"LAMBDA"}, Required: true}}), "a LAMBDA authorizer needs Function"},
		{"field required article", CheckFields("i", "IAM", []Field{{Name: "Role", For: []string{"IAM"}, Required: true}}), "an IAM authorizer needs Role"},
		{"type ok", errOf(CheckType("a", "JWT", []string{"LAMBDA", "JWT"})), ""},
		{"type missing", errOf(CheckType("a", "", []string{"LAMBDA", "JWT"})), "Type is required: LAMBDA, JWT"},
		{"type unknown", errOf(CheckType("a", "OAUTH", []string{"LAMBDA", "JWT"})), "Type \"OAUTH\" must be one of LAMBDA, JWT"},

		{"used", CheckUsed([]string{"a"}, map[string]bool{"a": true}, "route", "a route's Authorizer"), ""},
		{"unused", CheckUsed([]string{"a", "b"}, map[string]bool{"a": true}, "method", "a method's Authorizer"), "authorizer \"b\": no method uses it; name it in a method's Authorizer or remove it"},

		{"http sources ok", CheckIdentitySources(stagerules.HTTP, "l", []string{"$request.header.Authorization", "$request.querystring.token", "$context.routeKey", "$stageVariables.tenant"}, SourceRule{Kind: "a Lambda authorizer"}), ""},
		{"http source REST form", CheckIdentitySources(stagerules.HTTP, "l", []string{"method.request.header.Authorization"}, SourceRule{Kind: "a Lambda authorizer"}), "must be one of $request.header.NAME"},
		{"http source bad header", CheckIdentitySources(stagerules.HTTP, "l", []string{"$request.header.Auth orization"}, SourceRule{Kind: "a Lambda authorizer"}), "is not a valid header name"},
		{"http source bad stage var", CheckIdentitySources(stagerules.HTTP, "l", []string{"$stageVariables.a-b"}, SourceRule{Kind: "a Lambda authorizer"}), "is not a valid stageVariables name"},
		{"http source twice", CheckIdentitySources(stagerules.HTTP, "l", []string{"$request.header.Auth", "$request.header.auth"}, SourceRule{Kind: "a Lambda authorizer"}), "listed twice"},
		{"jwt one header", CheckIdentitySources(stagerules.HTTP, "j", []string{"$request.querystring.access_token"}, jwtRule), ""},
		{"jwt two", CheckIdentitySources(stagerules.HTTP, "j", []string{"$request.header.A", "$request.header.B"}, jwtRule), "exactly one identity source, not 2"},
		{"jwt context", CheckIdentitySources(stagerules.HTTP, "j", []string{"$context.routeKey"}, jwtRule), "reads only from header or querystring"},
		{"ws sources ok", CheckIdentitySources(stagerules.WebSocket, "w", []string{"route.request.querystring.token", "route.request.header.Sec-WebSocket-Protocol", "context.identity.sourceIp", "stageVariables.v"}, SourceRule{Kind: "a Lambda authorizer"}), ""},
		{"ws source HTTP form", CheckIdentitySources(stagerules.WebSocket, "w", []string{"$request.header.Authorization"}, SourceRule{Kind: "a Lambda authorizer"}), "must be one of route.request.header.NAME"},
		{"rest sources ok", CheckIdentitySources(stagerules.REST, "r", []string{"method.request.header.Auth", "method.request.querystring.q", "context.requestId", "stageVariables.s"}, SourceRule{Kind: "a REQUEST authorizer"}), ""},
		{"rest query comma", CheckIdentitySources(stagerules.REST, "r", []string{"method.request.querystring.a,b"}, SourceRule{Kind: "a REQUEST authorizer"}), "is not a valid querystring name"},
		{"rest token query", CheckIdentitySources(stagerules.REST, "t", []string{"method.request.querystring.token"}, SourceRule{Kind: "a TOKEN authorizer", Only: []Location{Header}, One: true}), "reads only from header"},
		{"rest path parameter", CheckIdentitySources(stagerules.REST, "r", []string{"method.request.path.id"}, SourceRule{Kind: "a REQUEST authorizer"}), "must be one of method.request.header.NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := errText(tt.got)
			if tt.wantErr == "" {
				if got != "" {
					t.Fatalf("unexpected error: %s", got)
				}
				return
			}
			if !strings.Contains(got, tt.wantErr) {
				t.Fatalf("error %q does not contain %q", got, tt.wantErr)
			}
		})
	}
}

func TestUnknownAuthorizer(t *testing.T) {
	if got := UnknownAuthorizer(`route "GET /x"`, "jtw", []string{"jwt", "lambda"}); !strings.Contains(got, `Authorizer "jtw" is not one of the API's Authorizers (jwt, lambda), or "NONE" for none`) {
		t.Errorf("got %q", got)
	}
	if got := UnknownAuthorizer(`route "GET /x"`, "jwt", nil); !strings.Contains(got, "the API has no Authorizers") {
		t.Errorf("got %q", got)
	}
}

// FuzzParseIdentitySource: whatever parses names a location whose prefix, followed by the name,
// is the input again, and the name has no character that would split a joined source list.
func FuzzParseIdentitySource(f *testing.F) {
	for _, s := range []string{"$request.header.Authorization", "route.request.querystring.token", "method.request.header.a,b", "context.identity.sourceIp", "stageVariables.x", "$context..x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range []stagerules.Protocol{stagerules.HTTP, stagerules.WebSocket, stagerules.REST} {
			src, err := ParseIdentitySource(p, s)
			if err != nil {
				if src != (Source{}) {
					t.Fatalf("error with a source: %v %v", src, err)
				}
				continue
			}
			if src.Name == "" || strings.ContainsAny(src.Name, ", \t\r\n") {
				t.Fatalf("ParseIdentitySource(%d, %q) accepted name %q", p, s, src.Name)
			}
			if !strings.HasSuffix(s, "."+src.Name) {
				t.Fatalf("ParseIdentitySource(%d, %q) = %v, not the input's tail", p, s, src)
			}
			if !strings.Contains(s, string(src.Location)) {
				t.Fatalf("ParseIdentitySource(%d, %q) = location %q not in the input", p, s, src.Location)
			}
		}
	})
}
