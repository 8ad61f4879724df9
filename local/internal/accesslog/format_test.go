package accesslog

import (
	"strings"
	"testing"
)

// vars are a request's $context variables as a server would give them.
var vars = map[string]string{
	"requestId":         "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
	"extendedRequestId": "IV8FKEXAMPLE=",
	"identity.sourceIp": "192.0.2.10",
	"identity.caller":   "",
	"identity.user":     "",
	"requestTime":       "22/Nov/2026:07:18:01 +0000",
	"httpMethod":        "GET",
	"resourcePath":      "/products/{id}",
	"protocol":          "HTTP/1.1",
	"status":            "200",
	"responseLength":    "42",
}

func lookup(name string) (string, bool) {
	v, ok := vars[name]
	return v, ok
}

// The guide's four example formats ("CloudWatch log formats for API Gateway"), as the CDK's
// AccessLogFormat.clf() and jsonWithStandardFields() write them.
func TestRenderGuideFormats(t *testing.T) {
	tests := []struct{ name, format, want string }{
		{"CLF",
			`$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId`,
			`192.0.2.10 - - [22/Nov/2026:07:18:01 +0000] "GET /products/{id} HTTP/1.1" 200 42 c6af9ac6-7b61-11e6-9a41-93e8deadbeef`},
		{"JSON",
			`{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","user":"$context.identity.user","status":"$context.status","responseLength":"$context.responseLength"}`,
			`{"requestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef","ip":"192.0.2.10","user":"-","status":"200","responseLength":"42"}`},
		{"XML",
			`<request id="$context.requestId"> <ip>$context.identity.sourceIp</ip> <status>$context.status</status> </request>`,
			`<request id="c6af9ac6-7b61-11e6-9a41-93e8deadbeef"> <ip>192.0.2.10</ip> <status>200</status> </request>`},
		{"CSV",
			`$context.identity.sourceIp,$context.identity.caller,$context.httpMethod,$context.status,$context.requestId,$context.extendedRequestId`,
			`192.0.2.10,-,GET,200,c6af9ac6-7b61-11e6-9a41-93e8deadbeef,IV8FKEXAMPLE=`},
		{"unknown variable", `$context.requestId $context.nothing.here`, `c6af9ac6-7b61-11e6-9a41-93e8deadbeef -`},
		{"trailing dot is text", `status $context.status.`, `status 200.`},
		{"not a context variable", `$input.body $context. $stageVariables.x $$context.status`, `$input.body $context. $stageVariables.x $200`},
		{"empty", ``, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Compile(tt.format).Render(lookup); got != tt.want {
				t.Errorf("Render(%q)\n got %s\nwant %s", tt.format, got, tt.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	for format, ok := range map[string]bool{
		`$context.requestId`:                         true,
		`{"id":"$context.extendedRequestId"}`:        true,
		`$context.identity.sourceIp $context.status`: false,
		`$context.requestIdentity`:                   false,
		``:                                           false,
	} {
		if err := Check(format); (err == nil) != ok {
			t.Errorf("Check(%q) = %v, want ok=%v", format, err, ok)
		}
	}
}

// FuzzRender: any format compiles and renders without panicking, and text without "$context."
// renders as itself.
func FuzzRender(f *testing.F) {
	f.Add(`$context.identity.sourceIp [$context.requestTime] "$context.httpMethod" $context.status`)
	f.Add(`$context.$context..$context.a.`)
	f.Fuzz(func(t *testing.T, format string) {
		got := Compile(format).Render(lookup)
		if !strings.Contains(format, prefix) && got != format {
			t.Fatalf("Render(%q) = %q, want the text unchanged", format, got)
		}
	})
}

func BenchmarkRenderCLF(b *testing.B) {
	f := Compile(`$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId`)
	b.ReportAllocs()
	for b.Loop() {
		f.Render(lookup)
	}
}
