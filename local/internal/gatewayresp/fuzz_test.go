package gatewayresp

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// FuzzRender renders fuzzed templates and mappings with fuzzed request values: no panics, text
// without a $ is sent as written, and every header rendered is one net/http can send.
func FuzzRender(f *testing.F) {
	f.Add(`{"message":$context.error.messageString,"type":"$context.error.responseType"}`, "method.request.header.x", "v", "application/json")
	f.Add(`${context.a.b}${stageVariables.c}$context.$$context..x#if($x)#end`, "'static'", "a\r\nb", "text/html, */*;q=0.1")
	f.Add(`$stageVariables.c.d ${context.stage`, "context.error.message", "\"<&>\"", "application/xml;;;")
	f.Add("", "method.input.params.x", "", "")
	f.Fuzz(func(t *testing.T, src, mapping, value, accept string) {
		s, err := New([]*model.GatewayResponse{{ResponseType: "DEFAULT_4XX", StatusCode: "499",
			ResponseParameters: map[string]string{"gatewayresponse.header.x-out": mapping},
			ResponseTemplates:  map[string]string{"application/json": src, "text/plain": src + "!"}}})
		if s == nil {
			t.Fatalf("no set (error %v)", err)
		}
		res := s.Render(MissingAuthenticationToken, Context{
			Message: value, ValidationErrorString: value,
			Vars:           map[string]string{"stage": value, "a.b": value},
			StageVariables: map[string]string{"c": value},
			Header:         http.Header{"Accept": {accept}, "X": {value}},
			Query:          url.Values{"x": {value}},
			Path:           map[string]string{"x": value},
		})
		if res.Status != 499 && res.Status != 403 {
			t.Fatalf("status %d", res.Status)
		}
		if err == nil && !strings.Contains(src, "$") {
			if body := string(res.Body); body != src && body != src+"!" {
				t.Fatalf("template without variables rendered as %q", body)
			}
		}
		for name, values := range res.Header {
			if !validHeaderName(name) {
				t.Fatalf("header name %q", name)
			}
			for _, v := range values {
				if !validHeaderValue(v) {
					t.Fatalf("header %s value %q", name, v)
				}
			}
		}
	})
}
