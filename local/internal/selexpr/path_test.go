package selexpr

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/ohler55/ojg/jp"
	"github.com/ohler55/ojg/oj"
)

func TestParsePath(t *testing.T) {
	tests := []struct {
		path   string
		simple bool   // answered by the scanner
		multi  bool   // may select several nodes
		err    string // part of the error, "" for none
	}{
		{"$", true, false, ""},
		{"$.a", true, false, ""},
		{"$.a.b[0]['c d'][\"e\"]", true, false, ""},
		{"$.x-id", true, false, ""},
		{"$[12]", true, false, ""},
		{"$.a[-1]", false, false, ""},
		{"$.a[*]", false, true, ""},
		{"$.*", false, true, ""},
		{"$..a", false, true, ""},
		{"$.a[1:3]", false, true, ""},
		{"$.a[0,1]", false, true, ""},
		{"$.a[?(@.b > 1)]", false, true, ""},
		{"a.b", false, false, "does not start at the root"},
		{"@.a", false, false, "does not start at the root"},
		{"$.a[", false, false, "JSONPath"},
		{"$.", false, false, "JSONPath"},
		{"$.a[99999999999999999999]", true, false, ""},
	}
	for _, tt := range tests {
		p, err := ParsePath(tt.path)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParsePath(%q) = %v; want an error containing %q", tt.path, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePath(%q): %v", tt.path, err)
			continue
		}
		if (p.expr == nil) != tt.simple || p.multi != tt.multi {
			t.Errorf("ParsePath(%q): simple %v multi %v; want %v %v", tt.path, p.expr == nil, p.multi, tt.simple, tt.multi)
		}
	}
}

func TestValueText(t *testing.T) {
	body := NewBody([]byte(`{"s": "x\ty", "n": 10.0, "b": false, "o": {"k": [1, "two"]}, "a": ["p", 1], "h": "<b>", "big": 123456789012345678901}`))
	tests := []struct {
		path      string
		str, text string // Value.String (selection), Value.Text (data mapping)
	}{
		{"$.s", "x\ty", "x\ty"},
		{"$.n", "10.0", "10.0"},
		{"$.b", "false", "false"},
		{"$.o", `{"k":[1,"two"]}`, `{"k":[1,"two"]}`},
		{"$.a", "[p, 1]", `["p",1]`},
		{"$.h", "<b>", "<b>"},
		{"$.big", "123456789012345678901", "123456789012345678901"},
		// Through ojg.
		{"$.a[-2]", "p", "p"},
		{"$.a[*]", "[p, 1]", `["p",1]`},
		{"$.o[*]", "[[1,\"two\"]]", `[[1,"two"]]`},
		{"$..k", `[[1,"two"]]`, `[[1,"two"]]`},
		{"$.a[-1]", "1", "1"},
		{"$.o.k[-1]", "two", "two"},
	}
	for _, tt := range tests {
		p, err := ParsePath(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		v, ok := body.Lookup(p)
		if !ok {
			t.Errorf("%s: not found", tt.path)
			continue
		}
		if s := v.String(); s != tt.str {
			t.Errorf("%s: String() = %q; want %q", tt.path, s, tt.str)
		}
		if s := v.Text(); s != tt.text {
			t.Errorf("%s: Text() = %q; want %q", tt.path, s, tt.text)
		}
	}
}

// FuzzLookup checks the scanner against ojg: for every body that is JSON and every path the
// scanner answers, both must find the same value (compared decoded, since the scanner keeps
// numbers as written).
func FuzzLookup(f *testing.F) {
	f.Add(`{"a":{"b":[1,"x",{"c":null}]},"a":{"b":[2]}}`, "$.a.b[0]")
	f.Add(`[{"x-y":"\u00e9\"]"}]`, "$[0]['x-y']")
	f.Add(`{"k\u0041":true}`, "$.kA")
	f.Add(`  {"a" : [ [ ] , { } ] }  `, "$.a[1]")
	f.Fuzz(func(t *testing.T, body, path string) {
		p, err := ParsePath(path)
		if err != nil || p.expr != nil {
			return
		}
		b := NewBody([]byte(body))
		got, ok := b.Lookup(p)
		if !json.Valid([]byte(body)) {
			if ok {
				t.Fatalf("found %q in a body that is not JSON", got.raw)
			}
			return
		}
		tree, err := oj.Parse([]byte(body))
		if err != nil {
			return // ojg and encoding/json disagree on validity (invalid UTF-8, say)
		}
		x, err := jp.ParseString(path)
		if err != nil {
			return // a dot name jp does not allow, like "x-y"
		}
		res := x.Get(tree)
		want, wantOK := any(nil), len(res) > 0 && res[0] != nil
		if wantOK {
			want = decode(t, []byte(jsonText(res[0])))
		}
		if ok != wantOK {
			t.Fatalf("%s in %s: scanner found=%v, ojg found=%v", path, body, ok, wantOK)
		}
		if ok && !reflect.DeepEqual(decode(t, got.raw), want) {
			t.Fatalf("%s in %s: scanner %s, ojg %v", path, body, got.raw, want)
		}
	})
}

func decode(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return v
}
