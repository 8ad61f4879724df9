package mappingtemplate

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/vtl"
)

// FuzzRender renders fuzzed templates over fuzzed bodies with API Gateway's variables:
// no panics, only positioned errors, and bodies within the output limit.
func FuzzRender(f *testing.F) {
	for _, c := range readCases(f, "testdata/guide.txt") {
		f.Add(c.sections["template"], c.sections["body"], c.sections["vars"])
	}
	f.Fuzz(func(t *testing.T, src, body, name string) {
		tmpl, err := Compile("fuzz", src)
		if err != nil {
			return
		}
		res, err := tmpl.Render(Vars{
			Input: Input{Body: []byte(body), Params: Params{
				Path: map[string]string{"id": name}, Querystring: map[string]string{"q": name}, Header: map[string]string{"H": name},
			}},
			Context:        map[string]any{"stage": name, "identity": map[string]any{"sourceIp": "192.0.2.1"}},
			StageVariables: map[string]string{"v": name},
		})
		if err != nil {
			var ee *vtl.ExecError
			if !errors.As(err, &ee) && !overrideError(err) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(res.Body) > vtl.DefaultLimits().MaxOutputBytes {
			t.Fatalf("body of %d bytes", len(res.Body))
		}
	})
}

// overrideError reports the errors Render raises after execution, about what the
// template left in $context.requestOverride or $context.responseOverride.
func overrideError(err error) bool {
	return strings.Contains(err.Error(), "Override.")
}
