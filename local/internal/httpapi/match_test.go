package httpapi

import (
	"maps"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// guideRoutes are the routes of the guide's "Routing API requests" example, plus the cases
// the guide leaves to known behaviour.
var guideRoutes = []string{
	"GET /pets/dog/1",
	"GET /pets/dog/{id}",
	"GET /pets/{proxy+}",
	"ANY /{proxy+}",
	"GET /",
	"GET /items/{id}",
	"ANY /items/{id}",
	"PUT /items/special",
	"GET /a/{x}/c",
	"GET /a/b/{y}",
	"GET /files/{dir}/{name}",
	"$default",
}

func routesFrom(keys []string) []*model.Route {
	var rs []*model.Route
	for _, k := range keys {
		r := &model.Route{LogicalID: k, Key: k}
		if k != "$default" {
			r.Method, r.Path, _ = strings.Cut(k, " ")
		}
		rs = append(rs, r)
	}
	return rs
}

func TestMatch(t *testing.T) {
	tbl, err := newRouteTable(routesFrom(guideRoutes))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method string            // request method
		path   string            // request path as sent (stage removed)
		want   string            // expected route key
		params map[string]string // expected decoded path parameters
	}{
		// The guide's table.
		{"GET", "/pets/dog/1", "GET /pets/dog/1", nil},
		{"GET", "/pets/dog/2", "GET /pets/dog/{id}", map[string]string{"id": "2"}},
		{"GET", "/pets/cat/1", "GET /pets/{proxy+}", map[string]string{"proxy": "cat/1"}},
		{"POST", "/test/5", "ANY /{proxy+}", map[string]string{"proxy": "test/5"}},
		// A method with its own route wins over ANY for the same path; others get ANY.
		{"GET", "/items/7", "GET /items/{id}", map[string]string{"id": "7"}},
		{"DELETE", "/items/7", "ANY /items/{id}", map[string]string{"id": "7"}},
		// A literal beats a variable, even with ANY against a specific method.
		{"PUT", "/items/special", "PUT /items/special", nil},
		{"GET", "/items/special", "GET /items/{id}", map[string]string{"id": "special"}},
		// Left-most difference decides: /a/b/{y} beats /a/{x}/c.
		{"GET", "/a/b/c", "GET /a/b/{y}", map[string]string{"y": "c"}},
		{"GET", "/a/z/c", "GET /a/{x}/c", map[string]string{"x": "z"}},
		// A full match beats a greedy one, even with fewer literals.
		{"GET", "/files/x/y", "GET /files/{dir}/{name}", map[string]string{"dir": "x", "name": "y"}},
		// Root: only "GET /" or $default; "/{proxy+}" needs at least one character.
		{"GET", "/", "GET /", nil},
		{"POST", "/", "$default", nil},
		// HEAD is its own method: it does not match GET routes.
		{"HEAD", "/items/7", "ANY /items/{id}", map[string]string{"id": "7"}},
		{"HEAD", "/pets/dog/1", "ANY /{proxy+}", map[string]string{"proxy": "pets/dog/1"}},
		// Methods and paths are case-sensitive.
		{"get", "/pets/dog/1", "ANY /{proxy+}", map[string]string{"proxy": "pets/dog/1"}},
		{"GET", "/Pets/dog/1", "ANY /{proxy+}", map[string]string{"proxy": "Pets/dog/1"}},
		// A trailing slash is significant: "/items/7/" is not "/items/{id}".
		{"GET", "/items/7/", "ANY /{proxy+}", map[string]string{"proxy": "items/7/"}},
		// An empty segment fills no variable.
		{"GET", "/items//", "ANY /{proxy+}", map[string]string{"proxy": "items//"}},
		{"GET", "//pets/dog/1", "ANY /{proxy+}", map[string]string{"proxy": "/pets/dog/1"}},
		// Parameters are decoded; an encoded slash stays inside its segment.
		{"GET", "/items/a%20b", "GET /items/{id}", map[string]string{"id": "a b"}},
		{"GET", "/items/a%2Fb", "GET /items/{id}", map[string]string{"id": "a/b"}},
		{"GET", "/pets/a%2Fb/c%3F", "GET /pets/{proxy+}", map[string]string{"proxy": "a/b/c?"}},
		// Literals compare decoded; an encoded slash never splits a literal path.
		{"GET", "/pets/dog/%31", "GET /pets/dog/1", nil},
		{"GET", "/pets%2Fdog/1", "ANY /{proxy+}", map[string]string{"proxy": "pets/dog/1"}},
		// Malformed escapes stay as they are rather than failing.
		{"GET", "/items/%zz", "GET /items/{id}", map[string]string{"id": "%zz"}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r, params, ok := tbl.match(tt.method, tt.path)
			if !ok {
				t.Fatalf("no match, want %q", tt.want)
			}
			if r.Key != tt.want {
				t.Errorf("route = %q, want %q", r.Key, tt.want)
			}
			if !maps.Equal(params, tt.params) {
				t.Errorf("params = %v, want %v", params, tt.params)
			}
		})
	}
}

func TestMatchNoDefault(t *testing.T) {
	tbl, err := newRouteTable(routesFrom([]string{"GET /pets", "GET /pets/{id}"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ method, path string }{
		{"GET", "/pets/"}, {"POST", "/pets"}, {"GET", "/"}, {"GET", "/pets/1/2"}, {"GET", ""}, {"GET", "pets"},
	} {
		if r, _, ok := tbl.match(tc.method, tc.path); ok {
			t.Errorf("%s %q matched %q, want no match", tc.method, tc.path, r.Key)
		}
	}
}

func TestNewRouteTableErrors(t *testing.T) {
	for _, tc := range []struct {
		keys []string
		want string // substring of the error
	}{
		{[]string{"GET /a/{proxy+}/b"}, "must be the last"},
		{[]string{"GET /a/{x}/{x}"}, "appears twice"},
		{[]string{"GET a"}, "must start with /"},
		{[]string{"get /a"}, "upper case"},
		{[]string{"GET /a//b"}, "empty segment"},
		{[]string{"GET /a{x}"}, "mixes text"},
		{[]string{"GET /a", "GET /a"}, "already used"},
		{[]string{"$default", "$default"}, "second $default"},
		{[]string{"GET /{}"}, "not a {variable}"},
		{[]string{"GET /{+}"}, "bad variable"},
	} {
		_, err := newRouteTable(routesFrom(tc.keys))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want it to mention %q", tc.keys, err, tc.want)
		}
	}
}

func FuzzMatch(f *testing.F) {
	tbl, err := newRouteTable(routesFrom(guideRoutes))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"/", "/pets/dog/1", "/items/%2F", "//", "/a/b/c/", "%", "/pets/{proxy+}"} {
		f.Add("GET", s)
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		r, params, ok := tbl.match(method, path)
		if !ok || r == nil {
			t.Fatalf("%s %q: no match although there is a $default route", method, path)
		}
		if r.Key == "$default" && params != nil {
			t.Fatalf("$default with params %v", params)
		}
		for k, v := range params {
			if k == "proxy" && v == "" {
				t.Fatalf("%q: empty greedy parameter", path)
			}
		}
	})
}

func BenchmarkMatch(b *testing.B) {
	tbl, err := newRouteTable(routesFrom(guideRoutes))
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range []string{"/pets/dog/1", "/items/42", "/x/y/z"} {
		b.Run(p, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tbl.match("GET", p)
			}
		})
	}
}
