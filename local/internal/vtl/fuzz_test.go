package vtl

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzLimits keep each fuzz execution small, so the fuzzer explores inputs rather than
// long loops, and so that "never exceeds its limits" is checked against tight numbers.
var fuzzLimits = Limits{
	MaxLoopIterations: 50,
	MaxIterations:     2000,
	MaxRange:          2000,
	MaxOutputBytes:    1 << 16,
	MaxAllocBytes:     1 << 18,
	MaxSteps:          20000,
	MaxDepth:          16,
}

func addGoldenSeeds(f *testing.F) {
	for _, c := range readGolden(&testing.T{}, "testdata/velocity17.txt") {
		f.Add(c.sections["setup"] + c.sections["template"])
	}
}

// FuzzParse: parsing never panics, errors are ParseErrors with a position inside the
// input, and whatever parses also executes within its limits.
func FuzzParse(f *testing.F) {
	addGoldenSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		tmpl, err := Parse("fuzz", src)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("parse error of type %T: %v", err, err)
			}
			if pe.Line < 1 || pe.Line > strings.Count(src, "\n")+1 || pe.Col < 1 {
				t.Fatalf("error position %d:%d outside the input: %v", pe.Line, pe.Col, err)
			}
			return
		}
		checkExecute(t, tmpl, nil)
	})
}

// FuzzExecute runs fuzzed templates over fuzzed JSON data plus host values: no panics, no
// output beyond the limit, and only ExecErrors.
func FuzzExecute(f *testing.F) {
	for _, c := range readGolden(&testing.T{}, "testdata/velocity17.txt") {
		f.Add(c.sections["setup"]+c.sections["template"], `{"a": [1, 2.5, "x"], "b": {"c": null}}`)
	}
	f.Add(`#foreach($x in $data)$x.size()$x.keySet()#end$data.a[0]`, `[{"k": 1}, [], "s"]`)
	f.Add(`#set($data.z = $h)$h.name$data`, `{}`)
	f.Fuzz(func(t *testing.T, src, data string) {
		tmpl, err := Parse("fuzz", src)
		if err != nil {
			return
		}
		v, err := ParseJSON([]byte(data))
		if err != nil {
			v = data
		}
		ctx := map[string]any{
			"data": v,
			"m":    map[string]any{"k": "v", "n": 1},
			"l":    []any{"a", 2, nil},
			"h":    &greeter{name: "g", set: map[string]any{}},
		}
		before := snapshot(ctx)
		checkExecute(t, tmpl, ctx)
		if after := snapshot(ctx); tmpl.ReadOnly() && after != before {
			t.Fatalf("ReadOnly is true but the template changed its values:\nbefore: %s\nafter:  %s", before, after)
		}
		// A map cut down to the properties RootProperties names renders the same.
		if m, ok := v.(*Map); ok && tmpl.ReadOnly() {
			if props, only := tmpl.RootProperties("data"); only {
				kept := NewMap()
				for _, p := range props {
					if pv, ok := m.Get(p); ok {
						kept.Put(p, pv)
					}
				}
				var full, cut strings.Builder
				errFull := tmpl.ExecuteLimits(&full, map[string]any{"data": v}, fuzzLimits)
				errCut := tmpl.ExecuteLimits(&cut, map[string]any{"data": kept}, fuzzLimits)
				if errFull == nil && errCut == nil && full.String() != cut.String() {
					t.Fatalf("with data cut to %v: %q, with all of it: %q", props, cut.String(), full.String())
				}
			}
		}
	})
}

func checkExecute(t *testing.T, tmpl *Template, ctx map[string]any) {
	t.Helper()
	var b strings.Builder
	err := tmpl.ExecuteLimits(&b, ctx, fuzzLimits)
	if err != nil {
		var ee *ExecError
		if !errors.As(err, &ee) {
			t.Fatalf("execution error of type %T: %v", err, err)
		}
		if b.Len() != 0 {
			t.Fatalf("failed execution wrote %d bytes", b.Len())
		}
		return
	}
	if b.Len() > fuzzLimits.MaxOutputBytes {
		t.Fatalf("output of %d bytes exceeds the limit", b.Len())
	}
}

// FuzzParseJSON: ParseJSON accepts what encoding/json accepts (within its depth limit),
// and JSON() of the result parses back to the same text.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{"a": [1, 2.5, "x\u00e9", true, null]}`, `"\ud83d\ude00"`, `-0.5e-3`, `[]`, `{"a":{"a":{}}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		v, err := ParseJSON([]byte(data))
		if want := json.Valid([]byte(data)); (err == nil) != want && !strings.Contains(errString(err), "nested deeper") {
			t.Fatalf("ParseJSON err = %v, encoding/json valid = %v", err, want)
		}
		if err != nil {
			return
		}
		out, err := JSON(v)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("JSON output is not UTF-8: %q", out)
		}
		if strings.Contains(out, "Infinity") {
			return // a number too large for a double; Java prints it that way too
		}
		v2, err := ParseJSON([]byte(out))
		if err != nil {
			t.Fatalf("JSON output %s does not parse: %v", out, err)
		}
		if out2, _ := JSON(v2); out2 != out {
			t.Fatalf("round trip changed %s into %s", out, out2)
		}
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
