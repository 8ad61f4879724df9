package vtl

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
)

// greeter is a host object with a property, methods, a failing method and a settable
// property.
type greeter struct {
	name string
	set  map[string]any
}

func (g *greeter) Property(name string) (any, bool) {
	switch name {
	case "name":
		return g.name, true
	case "count":
		return 3, true // an int: the engine sees int64
	}
	if v, ok := g.set[name]; ok {
		return v, true
	}
	return nil, false
}

func (g *greeter) Call(method string, args []any) (any, error) {
	switch {
	case method == "hello" && len(args) == 1:
		return fmt.Sprintf("hello %v", args[0]), nil
	case method == "fail":
		return nil, errors.New("host says no")
	case method == "kind" && len(args) == 1:
		return fmt.Sprintf("%T", args[0]), nil
	}
	return nil, fmt.Errorf("%w: %s", ErrUnknownMethod, method)
}

func (g *greeter) SetProperty(name string, v any) error {
	if name == "frozen" {
		return errors.New("frozen cannot be set")
	}
	g.set[name] = v
	return nil
}

func (g *greeter) String() string { return "greeter " + g.name }

func render(t *testing.T, src string, ctx map[string]any) (string, error) {
	t.Helper()
	tmpl, err := Parse("t", src)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	err = tmpl.Execute(&b, ctx)
	return b.String(), err
}

func TestHostValues(t *testing.T) {
	tests := []struct {
		name string // what the case shows
		src  string // template
		ctx  func() map[string]any
		want string // output
	}{
		{"object property and method", `$g.name $g.count $g.hello("you") $g.hello($g.count) $g`,
			func() map[string]any { return map[string]any{"g": &greeter{name: "gw"}} },
			"gw 3 hello you hello 3 greeter gw"},
		{"unknown method and property print as written", `$g.nope() $g.nope $!g.nope()`,
			func() map[string]any { return map[string]any{"g": &greeter{}} },
			"$g.nope() $g.nope "},
		{"define blocks reach hosts as strings", `#define($b)B$x#end#set($x = 1)$g.kind($b) $g.hello($b)`,
			func() map[string]any { return map[string]any{"g": &greeter{}} },
			"string hello B1"},
		{"set on a host object", `#set($g.color = "red")$g.color`,
			func() map[string]any { return map[string]any{"g": &greeter{set: map[string]any{}}} },
			"red"},
		{"host map is iterated in key order and mutable", `#foreach($v in $m)$v#end $m.keySet() #set($m.c = 3)$m.put("d", 4)$m`,
			func() map[string]any { return map[string]any{"m": map[string]any{"b": 2, "a": 1}} },
			"12 [a, b]$m.put(\"d\", 4){a=1, b=2, c=3, d=4}"},
		{"host strings maps and slices", `$ss $ss.size() $sm.k $n $f $u`,
			func() map[string]any {
				return map[string]any{"ss": []string{"x", "y"}, "sm": map[string]string{"k": "v"},
					"n": int32(7), "f": float32(0.5), "u": uint64(1) << 63}
			},
			"[x, y] 2 v 7 0.5 9.223372036854776E18"},
		{"host []any can be set but not grown", `#set($l[0] = "z")$l $l.set(1, "w") $l`,
			func() map[string]any { return map[string]any{"l": []any{"a", "b"}} },
			"[z, b] b [z, w]"},
		{"#set does not write the caller's context", `#set($a = "new")$a`,
			func() map[string]any { return map[string]any{"a": "old"} },
			"new"},
		{"loop variable hides and restores a context value", `#foreach($a in [1])$a#end$a`,
			func() map[string]any { return map[string]any{"a": "ctx"} },
			"1ctx"},
		{"null list item leaves the loop variable unset", `#foreach($x in $l)[$x]#end`,
			func() map[string]any { return map[string]any{"l": []any{"a", nil, "b"}} },
			"[a][$x][b]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := render(t, tt.src, tt.ctx())
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestHostMutationsAreVisible(t *testing.T) {
	m := map[string]any{"a": 1}
	l := NewList()
	ctx := map[string]any{"m": m, "l": l, "a": "old"}
	if _, err := render(t, `#set($m.b = "x")$m.put("c", [1, 2])$l.add("y")#set($a = "new")`, ctx); err != nil {
		t.Fatal(err)
	}
	if m["b"] != "x" || l.Len() != 1 || l.Index(0) != "y" {
		t.Errorf("host map %v, list %v", m, l.Items())
	}
	if c, ok := m["c"].(*List); !ok || c.Len() != 2 {
		t.Errorf("put of a list literal gave %#v", m["c"])
	}
	if ctx["a"] != "old" {
		t.Errorf("#set wrote the caller's context: %v", ctx["a"])
	}
}

func TestExecErrors(t *testing.T) {
	tests := []struct {
		src       string
		ctx       map[string]any
		line, col int
		msg       string // part of the message
		cause     error  // errors.Is target, if any
	}{
		{"ok\n  $l.get(5)", map[string]any{"l": []any{1}}, 2, 6, "out of bounds", nil},
		{"$g.fail()", map[string]any{"g": &greeter{}}, 1, 4, "host says no", nil},
		{"#set($g.frozen = 1)", map[string]any{"g": &greeter{set: map[string]any{}}}, 1, 9, "frozen cannot be set", nil},
		{"$l.add(1)", map[string]any{"l": []any{}}, 1, 4, "fixed-size", nil},
		{"x\n#set($a = 9223372036854775807 * 2)", nil, 2, 31, "integer overflow", nil},
		{"$s.replaceAll('(?=x)', 'y')", map[string]any{"s": "x"}, 1, 4, "RE2", nil},
		{"$s.replaceAll('x', '$2')", map[string]any{"s": "x"}, 1, 4, "no group 2", nil},
		{"#define($a)$a#end$a", nil, 1, 12, "nested deeper", ErrLimit},
		{"#foreach($i in [1..2000000])#end", nil, 1, 16, "range", ErrLimit},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := render(t, tt.src, tt.ctx)
			var ee *ExecError
			if !errors.As(err, &ee) {
				t.Fatalf("want an ExecError, got %v", err)
			}
			if ee.Line != tt.line || ee.Col != tt.col || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %d:%d %q, want %d:%d containing %q", ee.Line, ee.Col, err, tt.line, tt.col, tt.msg)
			}
			if tt.cause != nil && !errors.Is(err, tt.cause) {
				t.Errorf("%v does not wrap %v", err, tt.cause)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		msg       string
	}{
		{"a\n#if($x)\nb", 2, 1, "#if is missing its #end"},
		{"#foreach($i in $l)\n#else\n#end", 2, 1, "no #else for #foreach"},
		{"a #end", 1, 3, "#end has no"},
		{"#elseif(true)", 1, 1, "#elseif has no #if"},
		{"#if($a)#else#elseif($b)#end", 1, 13, "#else must be the last"},
		{"  ${a b}", 1, 6, "${ is not closed"},
		{"#set($a = null)", 1, 11, "no null literal"},
		{"#set($a = 5-1)", 1, 12, "expected )"},
		{"#set($a = -$b)", 1, 11, "no unary minus"},
		{"#set($a == 1)", 1, 9, "needs = after $a"},
		{"#set(a = 1)", 1, 6, "needs a reference"},
		{"#if($a = 1)#end", 1, 8, "expected )"},
		{"$a.b($c + 1)", 1, 9, "only literals and references"},
		{"#set($l = [1 + 1])", 1, 14, "only literals and references"},
		{"$a[x]", 1, 4, "an index must be"},
		{"#set($s = 'abc)", 1, 11, "string literal is not closed"},
		{"#* never closed", 1, 1, "not closed with *#"},
		{"#[[ raw", 1, 1, "not closed with ]]#"},
		{"#macro(m)x#end", 1, 1, "#macro is not supported"},
		{"#include('x')", 1, 1, "#include is not supported"},
		{"#@call()x#end", 1, 1, "block macro calls"},
		{"#foreach x", 1, 1, "#foreach must be followed by"},
		{"#define($a.b)x#end", 1, 9, "plain name"},
		{"#break($x)", 1, 8, "#break supports"},
		{"ends with $", 1, 11, "lone $"},
		{"ends with #", 1, 11, "lone #"},
		{"#set($x = 99999999999999999999)", 1, 11, "does not fit"},
		{"héllo #if(", 1, 11, "expected a value"},
		{strings.Repeat("#if(true)", 150), 1, 896, "nesting deeper"},
		{"#set($x = " + strings.Repeat("(", 150) + "1" + strings.Repeat(")", 150) + ")", 1, 111, "nesting deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := Parse("t", tt.src)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("want a ParseError, got %v", err)
			}
			if pe.Line != tt.line || pe.Col != tt.col || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got %d:%d %q, want %d:%d containing %q", pe.Line, pe.Col, pe.Msg, tt.line, tt.col, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("t:%d:%d: ", pe.Line, pe.Col)) {
				t.Errorf("error text %q does not start with name:line:col", err)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	tests := []struct {
		name string
		src  string
		lim  Limits
		want string // output when the limit stops silently; "" when it is an error
		msg  string // error text
	}{
		{"a loop stops after MaxLoopIterations", `#foreach($i in [1..10])$i#end`, Limits{MaxLoopIterations: 3}, "123", ""},
		{"all loops together", `#foreach($i in [1..10])#foreach($j in [1..10])#end#end`, Limits{MaxIterations: 50}, "", "iterations"},
		{"output size", `#foreach($i in [1..100])0123456789#end`, Limits{MaxOutputBytes: 500}, "", "output larger than 500"},
		{"one string's size", `#set($s = "0123456789")#foreach($i in [1..10])#set($s = "$s$s")#end`, Limits{MaxOutputBytes: 4000}, "", "larger than 4000"},
		{"all strings built", `#set($s = "0123456789")#foreach($i in [1..100])#set($t = "$s$s$s")#end`, Limits{MaxAllocBytes: 1000}, "", "exceed 1000"},
		{"evaluation steps", `#foreach($i in [1..1000])$i#end`, Limits{MaxSteps: 500}, "", "steps"},
		{"define recursion", `#define($a)x$a#end$a`, Limits{MaxDepth: 5}, "", "nested deeper than 5"},
		{"interpolation depth", `#define($a)#set($s = "$a")#end$a`, Limits{MaxDepth: 5}, "", "nested deeper than 5"},
		{"replaceAll growth", `#set($s = "aaaaaaaaaa")$s.replaceAll("a", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")`, Limits{MaxOutputBytes: 200}, "", "larger than 200"},
		{"list growth", `#set($l = [])#foreach($i in [1..10])$l.add($i)#end`, Limits{MaxIterations: 5}, "", "iterations"},
		{"a list that contains itself prints once", `#set($l = ["x"])$l.add($l)$l`, Limits{}, "true[x, (this Collection)]", ""},
		{"a list printed many times over", `#set($a = ["0123456789"])#foreach($i in [1..20])#set($a = [$a, $a])#end$a`, Limits{MaxOutputBytes: 10000}, "", "larger than 10000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := Parse("t", tt.src)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			err = tmpl.ExecuteLimits(&b, nil, tt.lim)
			if tt.msg == "" {
				if err != nil || b.String() != tt.want {
					t.Fatalf("got %q, %v; want %q", b.String(), err, tt.want)
				}
				return
			}
			if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("got %v, want ErrLimit containing %q", err, tt.msg)
			}
			if b.Len() != 0 {
				t.Errorf("a failed execution wrote %d bytes", b.Len())
			}
		})
	}
}

// TestConcurrentExecute runs one Template from many goroutines; with -race it checks
// that execution keeps no state in the Template.
func TestConcurrentExecute(t *testing.T) {
	tmpl, err := Parse("t", `#set($sum = 0)#foreach($i in $l)#set($sum = $sum + $i)#end$who=$sum`)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				var b strings.Builder
				ctx := map[string]any{"who": g, "l": []any{g, i}}
				if err := tmpl.Execute(&b, ctx); err != nil {
					t.Error(err)
					return
				}
				if want := fmt.Sprintf("%d=%d", g, g+i); b.String() != want {
					t.Errorf("got %q want %q", b.String(), want)
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestBreakAndStopEndTheTemplate(t *testing.T) {
	for src, want := range map[string]string{
		"a#break b":                          "a",
		"a#stop b":                           "a",
		"#foreach($i in [1,2])#stop$i#end x": "",
		"#define($d)x#break y#end[$d]":       "[x]",
		"#foreach($i in [1,2])$i#if(true)#break#end#end|": "1|",
	} {
		got, err := render(t, src, nil)
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", src, got, err, want)
		}
	}
}

func TestBigCollectionsCostSteps(t *testing.T) {
	tmpl, err := Parse("t", `#set($big = [1..1000000])#foreach($i in [1..1000])#if($big.contains(-1))x#end#end`)
	if err != nil {
		t.Fatal(err)
	}
	err = tmpl.Execute(io.Discard, nil)
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "steps") {
		t.Fatalf("got %v, want the step limit", err)
	}
}
