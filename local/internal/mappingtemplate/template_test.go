package mappingtemplate

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/vtl"
)

func TestCompileLimitsTemplateSize(t *testing.T) {
	if _, err := Compile("ok", strings.Repeat("x", MaxTemplateBytes)); err != nil {
		t.Fatalf("a template of exactly %d bytes: %v", MaxTemplateBytes, err)
	}
	_, err := Compile("big", strings.Repeat("x", MaxTemplateBytes+1))
	if err == nil || !strings.Contains(err.Error(), "at most 307200") {
		t.Fatalf("got %v, want the 300 KB limit", err)
	}
	_, err = Compile("bad", "#if($x)")
	var pe *vtl.ParseError
	if !errors.As(err, &pe) || pe.Name != "bad" {
		t.Fatalf("got %v, want a vtl.ParseError naming the template", err)
	}
}

func TestBodyErrorIsReachable(t *testing.T) {
	tmpl, err := Compile("req", "\n  $input.path('$.a')")
	if err != nil {
		t.Fatal(err)
	}
	_, err = tmpl.Render(Vars{Input: Input{Body: []byte("a=1&b=2")}})
	var be *BodyError
	var ee *vtl.ExecError
	if !errors.As(err, &be) || !errors.As(err, &ee) {
		t.Fatalf("got %v, want a vtl.ExecError wrapping a BodyError", err)
	}
	if ee.Line != 2 || ee.Col != 10 || !strings.Contains(be.Error(), "invalid JSON at offset 0") {
		t.Errorf("got %d:%d %v", ee.Line, ee.Col, be)
	}
}

func TestRenderDoesNotChangeTheCallersValues(t *testing.T) {
	ctx := map[string]any{"identity": map[string]any{"sourceIp": "192.0.2.1"}, "list": []any{"a"}}
	stage := map[string]string{"v": "1"}
	tmpl, err := Compile("t", `#set($context.identity.sourceIp = "x")$context.list.add("b")#set($stageVariables.v = "2")$stageVariables.put("w", 3)$context.identity.sourceIp $context.list $stageVariables`)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tmpl.Render(Vars{Context: ctx, StageVariables: stage})
	if err != nil {
		t.Fatal(err)
	}
	if res.Body != "true$stageVariables.put(\"w\", 3)x [a, b] {v=2, w=3}" {
		t.Errorf("body %q", res.Body)
	}
	if ctx["identity"].(map[string]any)["sourceIp"] != "192.0.2.1" || len(ctx["list"].([]any)) != 1 || stage["v"] != "1" || len(stage) != 1 {
		t.Errorf("the caller's values changed: %v %v", ctx, stage)
	}
}

func TestConcurrentRenders(t *testing.T) {
	tmpl, err := Compile("t", `#set($r = $input.path('$'))${r.n}-$context.who#set($context.responseOverride.status = $r.n)`)
	if err != nil {
		t.Fatal(err)
	}
	shared := map[string]any{"who": "w"}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				code := 200 + g*10 + i%10
				res, err := tmpl.Render(Vars{Input: Input{Body: []byte(fmt.Sprintf(`{"n": %d}`, code))}, Context: shared})
				if err != nil {
					t.Error(err)
					return
				}
				if want := fmt.Sprintf("%d-w", code); res.Body != want || res.ResponseOverride.Status != code {
					t.Errorf("got %q %d, want %q", res.Body, res.ResponseOverride.Status, want)
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestNestContext(t *testing.T) {
	got := NestContext(map[string]string{"stage": "dev", "identity.sourceIp": "192.0.2.1", "identity.userAgent": "curl", "a.b.c": "d"})
	want := map[string]any{
		"stage":    "dev",
		"identity": map[string]any{"sourceIp": "192.0.2.1", "userAgent": "curl"},
		"a":        map[string]any{"b": map[string]any{"c": "d"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}
}

func TestUtilEncodings(t *testing.T) {
	tests := []struct {
		fn, in, want string
	}{
		{"escapeJavaScript", "", ""},
		{"escapeJavaScript", "plain ASCII 123 <>&=~\x7f", "plain ASCII 123 <>&=~\x7f"},
		{"escapeJavaScript", "\x00\x1f\u0100\u1234", `\u0000\u001F\u0100\u1234`},
		{"urlEncode", "", ""},
		{"urlEncode", "AZaz09.-*_ ~!'()", "AZaz09.-*_+%7E%21%27%28%29"},
		{"urlDecode", "%e2%82%ac+%41", "€ A"},
		{"urlDecode", "%ff", "\uFFFD"},
		{"base64Encode", "", ""},
		{"base64Encode", "😀", "8J+YgA=="},
		{"base64Decode", "8J+YgA", "😀"},
	}
	for _, tt := range tests {
		got, err := util{}.Call(tt.fn, []any{tt.in})
		if err != nil || got != tt.want {
			t.Errorf("%s(%q) = %q, %v; want %q", tt.fn, tt.in, got, err, tt.want)
		}
	}
}

// Example renders the PetStore response template from the guide's "Understanding mapping
// templates".
func Example() {
	tmpl, err := Compile("GET /pets 200 application/json", `#set($inputRoot = $input.path('$'))
[
#foreach($elem in $inputRoot)
  {"description": "Item $elem.id is a $elem.type.", "askingPrice": $elem.price}#if($foreach.hasNext),#end

#end
]`)
	if err != nil {
		panic(err)
	}
	res, err := tmpl.Render(Vars{Input: Input{Body: []byte(`[{"id": 1, "type": "dog", "price": 249.99}, {"id": 2, "type": "cat", "price": 124.99}]`)}})
	if err != nil {
		panic(err)
	}
	fmt.Print(res.Body)
	// Output:
	// [
	//   {"description": "Item 1 is a dog.", "askingPrice": 249.99},
	//   {"description": "Item 2 is a cat.", "askingPrice": 124.99}
	// ]
}

// TestRenderReadOnlyAndNot renders templates that can change values and templates that cannot
// (which share the caller's maps and the parsed body instead of copies) through both forms
// of $context: the output is the same, and the caller's values never change.
func TestRenderReadOnlyAndNot(t *testing.T) {
	body := []byte(`{"a": {"b": 1}, "l": [1]}`)
	for _, tc := range []struct {
		src      string
		readOnly bool
		want     string
	}{
		{`$context.stage $context.identity.sourceIp $context.keySet() $input.path('$.a').b $input.json('$')`, true,
			`prod 192.0.2.1 [identity, stage, requestOverride, responseOverride] 1 {"a":{"b":1},"l":[1]}`},
		{`#set($o = $input.path('$'))#set($d = $o.put('x', 1))#set($d = $o.l.add(2))$input.json('$') $o.x $o.l`, false,
			`{"a":{"b":1},"l":[1]} 1 [1,2]`},
		{`#set($context.identity.sourceIp = 'x')#set($d = $context.identity.put('y', 1))$context.identity`, false,
			`{sourceIp=x, y=1}`},
		{`$stageVariables.v $stageVariables`, true, `1 {v=1}`},
		{`#set($d = $stageVariables.put('w', 2))$stageVariables`, false, `{v=1, w=2}`},
	} {
		tmpl, err := Compile("t", tc.src)
		if err != nil {
			t.Fatal(err)
		}
		if got := tmpl.t.ReadOnly(); got != tc.readOnly {
			t.Fatalf("%s: ReadOnly = %v, want %v", tc.src, got, tc.readOnly)
		}
		asMap := map[string]any{"stage": "prod", "identity": map[string]any{"sourceIp": "192.0.2.1"}}
		asVTL := vtl.Clone(asMap).(*vtl.Map)
		stage := map[string]string{"v": "1"}
		stageVTL := vtl.Clone(stage).(*vtl.Map)
		for _, v := range []Vars{{Context: asMap, StageVariables: stage}, {ContextMap: asVTL, StageVariablesMap: stageVTL}} {
			v.Input.Body = body
			for i := 0; i < 2; i++ { // twice: the first render must leave nothing behind
				res, err := tmpl.Render(v)
				if err != nil {
					t.Fatal(err)
				}
				if res.Body != tc.want {
					t.Errorf("%s (ContextMap %v, render %d):\n got %s\nwant %s", tc.src, v.ContextMap != nil, i+1, res.Body, tc.want)
				}
			}
		}
		if s, _ := vtl.String(asMap); s != "{identity={sourceIp=192.0.2.1}, stage=prod}" {
			t.Errorf("%s changed Context: %s", tc.src, s)
		}
		if s, _ := vtl.String(asVTL); s != "{identity={sourceIp=192.0.2.1}, stage=prod}" {
			t.Errorf("%s changed ContextMap: %s", tc.src, s)
		}
		if s, _ := vtl.String(stageVTL); len(stage) != 1 || s != "{v=1}" {
			t.Errorf("%s changed the stage variables: %v, %s", tc.src, stage, s)
		}
	}
}

// TestConcurrentReadOnlyRenders: read-only templates share the caller's maps across
// goroutines (run with -race).
func TestConcurrentReadOnlyRenders(t *testing.T) {
	tmpl, err := Compile("t", `#set($o = $input.path('$'))$o.n $context.identity.sourceIp $context.keySet() $stageVariables.v`)
	if err != nil {
		t.Fatal(err)
	}
	if !tmpl.t.ReadOnly() {
		t.Fatal("the template should be read-only")
	}
	ctx := vtl.Clone(map[string]any{"identity": map[string]any{"sourceIp": "192.0.2.1"}}).(*vtl.Map)
	stage := vtl.Clone(map[string]any{"v": "x"}).(*vtl.Map)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				res, err := tmpl.Render(Vars{Input: Input{Body: []byte(fmt.Sprintf(`{"n": %d}`, g))}, ContextMap: ctx, StageVariablesMap: stage})
				if err != nil {
					t.Error(err)
					return
				}
				if want := fmt.Sprintf("%d 192.0.2.1 [identity, requestOverride, responseOverride] x", g); res.Body != want {
					t.Errorf("got %q, want %q", res.Body, want)
				}
			}
		}(g)
	}
	wg.Wait()
}
