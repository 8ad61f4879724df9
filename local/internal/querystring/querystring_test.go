package querystring

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		raw    string              // the query as it arrived, without '?'
		names  []string            // names in first-arrival order
		values map[string][]string // every value of each name, in arrival order
	}{
		{"", nil, nil},
		{"&&", nil, nil},
		{"a=1", []string{"a"}, map[string][]string{"a": {"1"}}},
		{"b=2&a=1&b=3", []string{"b", "a"}, map[string][]string{"b": {"2", "3"}, "a": {"1"}}},
		{"q", []string{"q"}, map[string][]string{"q": {""}}},
		{"q=", []string{"q"}, map[string][]string{"q": {""}}},
		{"=v", []string{""}, map[string][]string{"": {"v"}}},
		{"a=x=y", []string{"a"}, map[string][]string{"a": {"x=y"}}},
		{"a+b=c+d", []string{"a b"}, map[string][]string{"a b": {"c d"}}},
		{"n%C3%A4me=v%2Bw%26", []string{"näme"}, map[string][]string{"näme": {"v+w&"}}},
		// A pair that does not decode is kept as it came, not dropped.
		{"a=%zz&b%=1", []string{"a", "b%"}, map[string][]string{"a": {"%zz"}, "b%": {"1"}}},
		// ';' is part of a value, not a separator.
		{"a=1;b=2", []string{"a"}, map[string][]string{"a": {"1;b=2"}}},
		{"&a=1&&a=2&", []string{"a"}, map[string][]string{"a": {"1", "2"}}},
	} {
		names, values := Split(tc.raw)
		if !reflect.DeepEqual(names, tc.names) || !reflect.DeepEqual(values, tc.values) {
			t.Errorf("Split(%q) = %q, %q; want %q, %q", tc.raw, names, values, tc.names, tc.values)
		}
	}
}

// FuzzSplit: every name is listed once, in values, with at least one value, and the values
// add up to the non-empty pairs of the query.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2&a=3", "%zz=%", "a+b=c;d", "&&=&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		names, values := Split(raw)
		if len(names) != len(values) {
			t.Fatalf("Split(%q): %d names, %d in values", raw, len(names), len(values))
		}
		pairs := 0
		for p := range strings.SplitSeq(raw, "&") {
			if p != "" {
				pairs++
			}
		}
		n := 0
		for _, name := range names {
			if len(values[name]) == 0 {
				t.Fatalf("Split(%q): name %q has no value", raw, name)
			}
			n += len(values[name])
		}
		if n != pairs {
			t.Fatalf("Split(%q): %d values for %d pairs", raw, n, pairs)
		}
	})
}
