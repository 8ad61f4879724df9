package mappingtemplate

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/vtl"
)

// TestPathsByName: paths of member names are followed through the maps without the JSONPath
// engine; they must find what the engine finds.
func TestPathsByName(t *testing.T) {
	doc, err := vtl.ParseJSON([]byte(`{"a": {"b": {"c": 1}, "s": "x"}, "n": null, "l": [{"x": 1}], "k-1": true, "": 2}`))
	if err != nil {
		t.Fatal(err)
	}
	cache := &pathCache{}
	for _, path := range []string{"$.a", "$.a.b", "$.a.b.c", "$.a.s", "$.a.s.t", "$.missing", "$.a.missing",
		"$.n", "$.n.x", "$.l.x", "$['a']['b']", "$['k-1']", "$.a.b.c.d"} {
		x, err := cache.parse(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if x.names == nil {
			t.Errorf("%s: not taken as a path of names", path)
			continue
		}
		got, found := walkNames(doc, x.names)
		matches := x.expr.Get(doc)
		if found != (len(matches) > 0) {
			t.Errorf("%s: found %v, the JSONPath engine %d matches", path, found, len(matches))
			continue
		}
		if found {
			g, _ := vtl.JSON(got)
			w, _ := vtl.JSON(matches[0])
			if g != w {
				t.Errorf("%s: %s, the JSONPath engine %s", path, g, w)
			}
		}
	}
	for _, path := range []string{"$.l[0]", "$..c", "$.a.*", "$"} {
		if x, _ := cache.parse(path); x.names != nil {
			t.Errorf("%s: taken as a path of names %v", path, x.names)
		}
	}
}
