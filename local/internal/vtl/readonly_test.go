package vtl

import (
	"strings"
	"testing"
)

func TestReadOnly(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{`Hello $name, $m.get('a') $l[0] $s.replace('a', 'b')`, true},
		{`#set($x = $m.keySet())#foreach($k in $x)$k#end`, true},
		{`#set($x = {"a": [1, 2]})$x`, true},
		{`#set($m.a = 1)`, false},                                // a property assigned
		{`#set($l[0] = 1)`, false},                               // an index assigned
		{`#set($m["k"] = 1)`, false},                             //
		{`$m.put('a', 1)`, false},                                // a mutator in text
		{`#if($l.add(1))#end`, false},                            // in a condition
		{`#foreach($x in $l)$x.remove('k')#end`, false},          // in a loop body
		{`#set($s = "x$m.clear()")`, false},                      // in an interpolated string
		{`$m.get($l.remove(0))`, false},                          // in an argument
		{`$l[$m.putIfAbsent('a', 1)]`, false},                    // in an index
		{`#define($b)$m.putAll($n)#end`, false},                  // in a #define block
		{`#set($x = {"k": $l.addAll($n)})`, false},               // in a map literal
		{`#foreach($i in [1..$l.set(0, 1)])#end`, false},         // in a range
		{`#if(!$l.add(1) && true)#end`, false},                   // under operators
		{`#if(false)#else$m.clear()#end`, false},                 // in an #else
		{`#if(false)#elseif($l.add(1))#end`, false},              // in an #elseif
		{`$context.requestOverride.header.put('a', 'b')`, false}, // host objects too
	} {
		tmpl, err := Parse("t", tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		if got := tmpl.ReadOnly(); got != tc.want {
			t.Errorf("ReadOnly(%s) = %v, want %v", tc.src, got, tc.want)
		}
	}
}

// TestReadOnlyGolden runs every recorded Velocity case and checks that those ReadOnly calls
// read-only leave every value they were given as it was. Some cases do change theirs, which
// shows the check can fail.
func TestReadOnlyGolden(t *testing.T) {
	changed := 0
	for _, c := range readGolden(t, "testdata/velocity17.txt") {
		setup, src := c.sections["setup"], c.sections["template"]
		tmpl, err := Parse("t", src)
		if err != nil || setup == "" {
			continue
		}
		st, err := Parse("setup", setup)
		if err != nil {
			continue
		}
		s := newTestState(st)
		if s.execNodes(st.nodes) != nil {
			continue
		}
		before := snapshot(s.vars)
		var b strings.Builder
		tmpl.Execute(&b, s.vars)
		after := snapshot(s.vars)
		if before == after {
			continue
		}
		if tmpl.ReadOnly() {
			t.Errorf("%s: ReadOnly is true but the template changed its values:\n%s\nbefore: %s\nafter:  %s", c.name, src, before, after)
		}
		changed++
	}
	t.Logf("%d golden cases change their values", changed)
	if changed == 0 {
		t.Error("no golden case changes its values: the check above proves nothing")
	}
}

// snapshot prints values in a fixed order, deeply.
func snapshot(vars map[string]any) string {
	var b strings.Builder
	for _, k := range mapKeys(vars) {
		s, err := String(vars[k])
		if err != nil {
			s = err.Error()
		}
		b.WriteString(k + "=" + s + "\n")
	}
	return b.String()
}

func TestRootProperties(t *testing.T) {
	for _, tc := range []struct {
		src   string
		props string // sorted, comma-separated
		only  bool
	}{
		{`$c.a $c.b.x ${c.a} $!c.d "$c.e"`, "a,b,d,e", true},
		{`#set($x = "$c.e")#if($c.f == 1)$m.get($c.g)#end#foreach($i in $c.h)$i#end`, "e,f,g,h", true},
		{`[$c.a, {"k": $c.b}] [1..$c.n] #set($y = !$c.z && ($c.w))`, "a,b,n,w,z", true},
		{`$c`, "", false},                      // the whole of it
		{`$c.get('a')`, "", false},             // a method on it
		{`$c['a']`, "", false},                 // an index
		{`$c.a.size() $c.b[0]`, "a,b", true},   // methods and indexes further along are fine
		{`#set($c = {})`, "", false},           // a variable of the same name
		{`#foreach($c in [1])#end`, "", false}, //
		{`#define($c)x#end`, "", false},        //
		{`#set($c.a = 1)`, "a", true},          // assigning a property reads it first
		{`$other.a $x.c`, "", true},            // not $c at all
	} {
		tmpl, err := Parse("t", tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		props, only := tmpl.RootProperties("c")
		if got := strings.Join(props, ","); got != tc.props || only != tc.only {
			t.Errorf("RootProperties(%s) = %s, %v; want %s, %v", tc.src, got, only, tc.props, tc.only)
		}
	}
}

// TestRootPropertiesGolden runs every recorded case whose values include maps twice: with the
// maps as they are, and with each map cut down to the properties RootProperties says the
// template reads of it, when it says that is all. The output must not change; cases that cut
// something show the check does something.
func TestRootPropertiesGolden(t *testing.T) {
	cut := 0
	for _, c := range readGolden(t, "testdata/velocity17.txt") {
		setup, src := c.sections["setup"], c.sections["template"]
		tmpl, err := Parse("t", src)
		if err != nil || setup == "" {
			continue
		}
		vars := func() map[string]any {
			st, _ := Parse("setup", setup)
			s := newTestState(st)
			if st == nil || s.execNodes(st.nodes) != nil {
				return nil
			}
			return s.vars
		}
		full, small := vars(), vars()
		if full == nil {
			continue
		}
		for name, v := range small {
			m, ok := v.(*Map)
			if !ok {
				continue
			}
			props, only := tmpl.RootProperties(name)
			if !only {
				continue
			}
			kept := NewMap()
			for _, p := range props {
				if pv, ok := m.Get(p); ok {
					kept.Put(p, pv)
				}
			}
			if kept.Len() < m.Len() {
				cut++
			}
			small[name] = kept
		}
		var a, b strings.Builder
		errA, errB := tmpl.Execute(&a, full), tmpl.Execute(&b, small)
		if a.String() != b.String() || (errA == nil) != (errB == nil) {
			t.Errorf("%s: with the maps cut to what RootProperties names, %q (%v) became %q (%v)\n%s", c.name, a.String(), errA, b.String(), errB, src)
		}
	}
	t.Logf("%d maps cut down", cut)
	if cut == 0 {
		t.Error("no golden case had a map to cut down: the check above proves nothing")
	}
}
