package restapi

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// treeResources are a resource tree with every kind of sibling: literals next to variables
// and greedy variables at several depths, and resources without methods.
var treeResources = map[string][]string{ // path -> methods
	"/":                        {"GET"},
	"/pets":                    {"GET", "POST"},
	"/pets/{id}":               {"GET", "ANY"},
	"/pets/{id}/toys":          {"GET"},
	"/pets/dog":                {"GET"},
	"/pets/dog/{proxy+}":       {"GET"},
	"/files":                   nil, // no methods: a parent only
	"/files/{proxy+}":          {"ANY"},
	"/a/{x}/c":                 {"GET"},
	"/a/b/{y}":                 {"GET"},
	"/{proxy+}":                {"ANY"},
	"/head/only":               {"HEAD"},
	"/mixed/{key}/{key2}/tail": {"PUT"},
}

func treeTable(t *testing.T) *resourceTable {
	t.Helper()
	var rs []*model.Resource
	for _, p := range slices.Sorted(maps.Keys(treeResources)) {
		var ms []*model.Method
		for _, v := range treeResources[p] {
			ms = append(ms, &model.Method{HTTPMethod: v})
		}
		rs = append(rs, &model.Resource{Path: p, Methods: ms})
	}
	tbl, all, err := newResourceTable("api", rs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		for _, m := range r.res.Methods {
			r.methods[m.HTTPMethod] = &method{m: m, res: r}
		}
	}
	return tbl
}

func TestMatch(t *testing.T) {
	tbl := treeTable(t)
	tests := []struct {
		verb     string            // request method
		path     string            // request path as sent, stage removed
		resource string            // expected resource path; "" for no resource
		method   string            // expected method's HTTPMethod; "" for Missing Authentication Token
		params   map[string]string // expected decoded path parameters
	}{
		// Literals first, then variables, then greedy variables.
		{"GET", "/", "/", "GET", nil},
		{"GET", "/pets", "/pets", "GET", nil},
		{"GET", "/pets/dog", "/pets/dog", "GET", nil},
		{"GET", "/pets/cat", "/pets/{id}", "GET", map[string]string{"id": "cat"}},
		{"GET", "/pets/dog/a/b", "/pets/dog/{proxy+}", "GET", map[string]string{"proxy": "a/b"}},
		{"GET", "/pets/7/toys", "/pets/{id}/toys", "GET", map[string]string{"id": "7"}},
		{"GET", "/elsewhere/x", "/{proxy+}", "ANY", map[string]string{"proxy": "elsewhere/x"}},
		// ANY stands in for verbs the resource has no method of its own for.
		{"DELETE", "/pets/7", "/pets/{id}", "ANY", map[string]string{"id": "7"}},
		{"HEAD", "/pets/7", "/pets/{id}", "ANY", map[string]string{"id": "7"}},
		// The resource is chosen before the method: a verb the chosen resource lacks is
		// Missing Authentication Token, even though /{proxy+} has ANY.
		{"DELETE", "/pets", "/pets", "", nil},
		{"POST", "/pets/dog", "/pets/dog", "", nil},
		// HEAD is not GET; only its own method or ANY serves it.
		{"HEAD", "/pets", "/pets", "", nil},
		{"HEAD", "/head/only", "/head/only", "HEAD", nil},
		{"GET", "/head/only", "/head/only", "", nil},
		// ANY covers DELETE, GET, HEAD, OPTIONS, PATCH, POST and PUT only.
		{"PROPFIND", "/files/x", "/files/{proxy+}", "", map[string]string{"proxy": "x"}},
		{"OPTIONS", "/files/x", "/files/{proxy+}", "ANY", map[string]string{"proxy": "x"}},
		// A resource without methods answers Missing Authentication Token; its greedy child
		// needs at least one character (the guide's ANY /{proxy+} example).
		{"GET", "/files", "/files", "", nil},
		{"GET", "/files/", "/files", "", nil},
		// Left-most difference decides: /a/b/{y} beats /a/{x}/c; backtracking finds /a/{x}/c.
		{"GET", "/a/b/c", "/a/b/{y}", "GET", map[string]string{"y": "c"}},
		{"GET", "/a/z/c", "/a/{x}/c", "GET", map[string]string{"x": "z"}},
		{"GET", "/a/b/c/d", "/{proxy+}", "ANY", map[string]string{"proxy": "a/b/c/d"}},
		// One trailing slash is ignored.
		{"GET", "/pets/", "/pets", "GET", nil},
		{"GET", "/pets/7/", "/pets/{id}", "GET", map[string]string{"id": "7"}},
		// Case-sensitive paths and verbs.
		{"GET", "/Pets", "/{proxy+}", "ANY", map[string]string{"proxy": "Pets"}},
		{"get", "/pets", "/pets", "", nil},
		// Percent-decoding per segment; an encoded slash stays in its segment.
		{"GET", "/pets/a%2Fb", "/pets/{id}", "GET", map[string]string{"id": "a/b"}},
		{"GET", "/pet%73", "/pets", "GET", nil},
		{"GET", "/pets/%20x/toys", "/pets/{id}/toys", "GET", map[string]string{"id": " x"}},
		{"GET", "/pets/dog/a%2Fb/c", "/pets/dog/{proxy+}", "GET", map[string]string{"proxy": "a/b/c"}},
		// Empty segments fill no variable; only a greedy one takes them.
		{"GET", "/pets//toys", "/{proxy+}", "ANY", map[string]string{"proxy": "pets//toys"}},
		{"GET", "//x", "/{proxy+}", "ANY", map[string]string{"proxy": "/x"}},
		// "//" is the root with a trailing slash.
		{"GET", "//", "/", "GET", nil},
		// Several variables.
		{"PUT", "/mixed/1/2/tail", "/mixed/{key}/{key2}/tail", "PUT", map[string]string{"key": "1", "key2": "2"}},
	}
	for _, tc := range tests {
		t.Run(tc.verb+" "+tc.path, func(t *testing.T) {
			r, params, ok := tbl.match(tc.path)
			got := ""
			if ok {
				got = r.res.Path
			}
			if got != tc.resource {
				t.Fatalf("resource = %q, want %q", got, tc.resource)
			}
			if !ok {
				return
			}
			gotMethod := ""
			if m := r.method(tc.verb); m != nil {
				gotMethod = m.m.HTTPMethod
			}
			if gotMethod != tc.method {
				t.Errorf("method = %q, want %q", gotMethod, tc.method)
			}
			if !maps.Equal(params, tc.params) {
				t.Errorf("params = %v, want %v", params, tc.params)
			}
		})
	}
}

func TestMatchRootOnlyProxy(t *testing.T) {
	// With only /{proxy+}, the root itself matches nothing.
	tbl, _, err := newResourceTable("api", []*model.Resource{{Path: "/"}, {Path: "/{proxy+}"}})
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _ := tbl.match("/"); r == nil || r.res.Path != "/" {
		t.Fatalf("/ matched %v, want the root resource", r)
	}
	if r, _, _ := tbl.match("/x"); r == nil || r.res.Path != "/{proxy+}" {
		t.Fatalf("/x matched %v", r)
	}
}

func TestResourceTableErrors(t *testing.T) {
	for _, tc := range []struct {
		paths []string
		want  string
	}{
		{[]string{"items"}, "must start with /"},
		{[]string{"/a//b"}, "empty segment"},
		{[]string{"/a{b}"}, "mixes text"},
		{[]string{"/{proxy+}/x"}, "must be the last"},
		{[]string{"/{a}/{a}"}, "appears twice"},
		{[]string{"/{}"}, "not a {variable}"},
		{[]string{"/x/{a}", "/x/{b}"}, "differ only in variable names"},
		{[]string{"/x", "/x"}, "appears twice"},
	} {
		var rs []*model.Resource
		for _, p := range tc.paths {
			rs = append(rs, &model.Resource{Path: p})
		}
		_, _, err := newResourceTable("api", rs)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one containing %q", tc.paths, err, tc.want)
		}
	}
}

func TestResourceIDs(t *testing.T) {
	a, b := resourceID("api", "/items"), resourceID("api", "/items/{id}")
	if len(a) != 6 || len(resourceID("api", "/")) != 10 || a == b || a != resourceID("api", "/items") {
		t.Errorf("ids %q %q %q: want stable, distinct, 6 characters (10 for the root)", a, b, resourceID("api", "/"))
	}
}
