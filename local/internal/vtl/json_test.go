package vtl

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestParseJSON(t *testing.T) {
	tests := []struct {
		in       string // JSON text
		str      string // String() of the result: Java-style maps, JSON-style lists
		json     string // JSON() of the result
		errorMsg string // when the input is invalid
	}{
		{in: `{"b": 1, "a": [1, 2.5, "x", true, null], "c": {"d": {}}}`,
			str:  `{b=1, a=[1,2.5,"x",true,null], c={d={}}}`,
			json: `{"b":1,"a":[1,2.5,"x",true,null],"c":{"d":{}}}`},
		{in: `[{"c": 5}]`, str: `[{"c":5}]`, json: `[{"c":5}]`},
		{in: ` "plain" `, str: `plain`, json: `"plain"`},
		{in: `10.00`, str: `10.0`, json: `10.0`},
		{in: `1e400`, str: `Infinity`, json: `Infinity`},
		{in: `-0`, str: `0`, json: `0`},
		{in: `12345678901234567890`, str: `1.2345678901234567E19`, json: `1.2345678901234567E19`},
		{in: `{"a": 1, "a": 2, "b": 3}`, str: `{a=2, b=3}`, json: `{"a":2,"b":3}`},
		{in: `"\u00e9\ud83d\ude00\n\"\\\/"`, str: "é😀\n\"\\/", json: `"é😀\n\"\\/"`},
		{in: `"\ud83d x"`, str: "\uFFFD x", json: "\"\uFFFD x\""},
		{in: "\"\xff\"", str: "\uFFFD", json: "\"\uFFFD\""},
		{in: "\"\x01\"", errorMsg: "control character"},
		{in: `{"a" 1}`, errorMsg: "expected :"},
		{in: `[1,]`, errorMsg: "expected a JSON value"},
		{in: `{"a": 1,}`, errorMsg: "expected a string key"},
		{in: `01`, errorMsg: "malformed number"},
		{in: `1.`, errorMsg: "digit must follow the point"},
		{in: `tru`, errorMsg: "expected a JSON value"},
		{in: `{} x`, errorMsg: "after the JSON value"},
		{in: ``, errorMsg: "unexpected end of input"},
		{in: `"\x"`, errorMsg: "invalid escape"},
		{in: strings.Repeat("[", 600), errorMsg: "nested deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, err := ParseJSON([]byte(tt.in))
			if tt.errorMsg != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errorMsg) {
					t.Fatalf("got %v, %v; want an error containing %q", v, err, tt.errorMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s, err := String(v); err != nil || s != tt.str {
				t.Errorf("String = %q, %v; want %q", s, err, tt.str)
			}
			if j, err := JSON(v); err != nil || j != tt.json {
				t.Errorf("JSON = %q, %v; want %q", j, err, tt.json)
			}
		})
	}
}

func TestJSONOfTemplateValues(t *testing.T) {
	m := NewMap()
	m.Put("s", "a\"b\\c\u0001\t")
	m.Put("l", []any{1, 2.0, nil, map[string]any{"z": true, "a": false}})
	m.Put("o", &greeter{name: "g"})
	got, err := JSON(m)
	want := `{"s":"a\"b\\c\u0001\t","l":[1,2.0,null,{"a":false,"z":true}],"o":"greeter g"}`
	if err != nil || got != want {
		t.Errorf("got %s, %v\nwant %s", got, err, want)
	}
	if err := json.Unmarshal([]byte(got), new(any)); err != nil {
		t.Errorf("not valid JSON: %v", err)
	}
}

func TestJavaDouble(t *testing.T) {
	for f, want := range map[float64]string{
		0: "0.0", 1: "1.0", -1.5: "-1.5", 0.001: "0.001", 0.0001: "1.0E-4", 9999999: "9999999.0",
		1e7: "1.0E7", 12345678.9: "1.23456789E7", 249.99: "249.99", 1e21: "1.0E21", 1.5e-10: "1.5E-10",
		math.Inf(1): "Infinity", math.Inf(-1): "-Infinity", math.NaN(): "NaN", math.Copysign(0, -1): "-0.0",
	} {
		if got := javaDouble(f); got != want {
			t.Errorf("javaDouble(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestJavaStrings(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		{`$s.split("")`, `[a, b, c]`},
		{`$s.split("b")`, `[a, c]`},
		{`"a1b22c".split("\d+")`, `"a1b22c".split("\d+")`}, // a literal in text is not a reference
		{`#set($x = "a1b22c")$x.split("\d+")`, `[a, b, c]`},
		{`#set($x = ",a,,")$x.split(",")`, `[, a]`},
		{`#set($x = "x")$x.replaceAll("x", "\$1")`, `$1`},
		{`#set($x = "ab")$x.replaceAll("(?<first>a)", "[${first}]")`, `[a]b`},
		{`#set($x = "abc")$x.replaceAll("(a)(b)", "$21")`, `b1c`},
		{`#set($x = "abc")$x.replaceAll("", "-")`, `-a-b-c-`},
		{"#set($x = \"  \t x \n\")[$x.trim()]", `[x]`}, // real tab and newline: VTL keeps \t as written
		{`#set($x = "😀é")$x.charAt(0)$x.length() $x.substring(2) $x.indexOf("é") $x.lastIndexOf("é", 0)`, "\uFFFD3 é 2 -1"},
		{`#set($x = "Ab")$x.compareToIgnoreCase("aB") $x.startsWith("b", 1) $x.getBytes()`, `0 true [65, 98]`},
		{`#set($x = "a,b")$x.split(",", 1) $x.toCharArray()`, `[a,b] [a, ,, b]`},
	}
	for _, tt := range tests {
		got, err := render(t, tt.src, map[string]any{"s": "abc"})
		if err != nil || got != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.src, got, err, tt.want)
		}
	}
}

func TestClone(t *testing.T) {
	v, err := ParseJSON([]byte(`{"a": [1, {"b": 2}], "c": "x"}`))
	if err != nil {
		t.Fatal(err)
	}
	c := Clone(v).(*Map)
	inner, _ := c.Get("a")
	inner.(*List).Append(3)
	first, _ := v.(*Map).Get("a")
	if first.(*List).Len() != 2 {
		t.Errorf("Clone shares lists with the original")
	}
	if s, _ := String(c); s != `{a=[1,{"b":2},3], c=x}` {
		t.Errorf("clone prints %s", s)
	}
	h := Clone(map[string]any{"z": []any{int32(1)}, "a": map[string]string{"k": "v"}})
	if s, _ := String(h); s != `{a={k=v}, z=[1]}` {
		t.Errorf("host clone prints %s", s)
	}
}
