package vtl

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestMap drives a Map and a reference (a Go map and a key slice) through the same puts and
// removes, across the size where the Map starts indexing its keys, and compares them after
// every step.
func TestMap(t *testing.T) {
	m := NewMap()
	ref := map[string]any{}
	var order []string
	check := func(step string) {
		t.Helper()
		if got := m.Keys(); !slices.Equal(got, order) {
			t.Fatalf("%s: keys %v, want %v", step, got, order)
		}
		for _, k := range order {
			if v, ok := m.Get(k); !ok || v != ref[k] {
				t.Fatalf("%s: Get(%s) = %v, %v; want %v", step, k, v, ok, ref[k])
			}
		}
		if _, ok := m.Get("missing"); ok {
			t.Fatalf("%s: Get(missing) found something", step)
		}
	}
	indexed := false
	for i := 0; i < 3*indexFrom; i++ {
		k := fmt.Sprintf("k%d", i%(2*indexFrom)) // keys come back: updates keep their place
		prev, had := m.Put(k, i)
		if want, ok := ref[k]; ok != had || prev != want {
			t.Fatalf("Put(%s) = %v, %v; want %v, %v", k, prev, had, want, ok)
		}
		if !had {
			order = append(order, k)
		}
		ref[k] = i
		check("put " + k)
		indexed = indexed || m.index != nil
		if i%7 == 3 {
			victim := order[len(order)/2]
			if v, ok := m.Remove(victim); !ok || v != ref[victim] {
				t.Fatalf("Remove(%s) = %v, %v", victim, v, ok)
			}
			delete(ref, victim)
			order = slices.DeleteFunc(order, func(s string) bool { return s == victim })
			check("remove " + victim)
		}
	}
	if !indexed {
		t.Errorf("the map never grew past %d keys: the indexed form went untested", indexFrom)
	}
	if _, ok := m.Remove("missing"); ok {
		t.Error("Remove(missing) reported a removal")
	}
	var zero Map
	zero.Put("a", 1)
	if v, _ := zero.Get("a"); v != 1 || zero.Len() != 1 {
		t.Error("the zero Map is not usable")
	}
}

// TestMapsShareNothing: maps from one document are cut from shared slabs, and Copy shares
// values but not entries; growing or shrinking one must never show in another.
func TestMapsShareNothing(t *testing.T) {
	v, err := ParseJSON([]byte(`{"a": {"x": 1, "y": 2}, "b": {"z": 3}, "l": [1, 2], "m": [3]}`))
	if err != nil {
		t.Fatal(err)
	}
	doc := v.(*Map)
	get := func(k string) any { x, _ := doc.Get(k); return x }
	a, b := get("a").(*Map), get("b").(*Map)
	a.Put("w", 4)
	a.Remove("x")
	get("l").(*List).Append(9)
	cp := doc.Copy()
	cp.Put("new", true)
	cp.Remove("a")
	for _, tc := range []struct{ what, got, want string }{
		{"a", str(a), "{y=2, w=4}"},
		{"b", str(b), "{z=3}"},
		{"l", str(get("l")), "[1,2,9]"},
		{"m", str(get("m")), "[3]"},
		{"doc after its copy changed", strings.Join(doc.Keys(), ","), "a,b,l,m"},
		{"copy", strings.Join(cp.Keys(), ","), "b,l,m,new"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %s, want %s", tc.what, tc.got, tc.want)
		}
	}
}

func str(v any) string {
	s, err := String(v)
	if err != nil {
		return err.Error()
	}
	return s
}
