package pathmatch

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		template string            // route or resource path
		path     string            // request path as sent, stage removed
		ok       bool              // whether it matches
		params   map[string]string // expected decoded path parameters
	}{
		{"/", "/", true, nil},
		{"/", "", false, nil},
		{"/", "//", false, nil},
		{"/", "/a", false, nil},
		{"/pets", "/pets", true, nil},
		{"/pets", "/Pets", false, nil},  // case-sensitive
		{"/pets", "/pets/", false, nil}, // a trailing slash is a segment of its own
		{"/pets", "/pe%74s", true, nil}, // literals compare decoded
		{"/pets", "pets", false, nil},   // no leading slash
		{"/pets/{id}", "/pets/7", true, map[string]string{"id": "7"}},
		{"/pets/{id}", "/pets/", false, nil}, // a variable needs a non-empty segment
		{"/pets/{id}", "/pets//", false, nil},
		{"/pets/{id}", "/pets/7/8", false, nil},
		{"/pets/{id}", "/pets/a%2Fb", true, map[string]string{"id": "a/b"}}, // %2F stays in its segment
		{"/pets/{id}", "/pets/a%20b", true, map[string]string{"id": "a b"}},
		{"/pets/{id}", "/pets/100%", true, map[string]string{"id": "100%"}}, // bad escape kept as sent
		{"/{a}/{b}", "/x/y", true, map[string]string{"a": "x", "b": "y"}},
		{"/{proxy+}", "/", false, nil}, // greedy takes one or more characters
		{"/{proxy+}", "/a", true, map[string]string{"proxy": "a"}},
		{"/{proxy+}", "/a/b/", true, map[string]string{"proxy": "a/b/"}},
		{"/{proxy+}", "/a%2Fb/c%20d", true, map[string]string{"proxy": "a/b/c d"}},
		{"/files/{proxy+}", "/files", false, nil},
		{"/files/{proxy+}", "/files/", false, nil},
		{"/files/{proxy+}", "/files/x", true, map[string]string{"proxy": "x"}},
		{"/u/{id}/{rest+}", "/u/7/a/b", true, map[string]string{"id": "7", "rest": "a/b"}},
		{"/u/{id}/{rest+}", "/u/7", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.template+" "+tt.path, func(t *testing.T) {
			tm, err := Parse(tt.template)
			if err != nil {
				t.Fatal(err)
			}
			params, ok := tm.Match(tt.path)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if ok && !maps.Equal(params, tt.params) {
				t.Errorf("params = %v, want %v", params, tt.params)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		path   string
		shape  string // "" when Parse must fail
		static bool
		greedy bool
		err    string // substring of the error
	}{
		{"/", "/", true, false, ""},
		{"/a/b", "/a/b", true, false, ""},
		{"/a/{x}", "/a/{}", false, false, ""},
		{"/a/{x}/{y+}", "/a/{}/{+}", false, true, ""},
		{"a", "", false, false, "must start with /"},
		{"", "", false, false, "must start with /"},
		{"/a//b", "", false, false, "empty segment"},
		{"/a/", "", false, false, "empty segment"},
		{"/a{x}", "", false, false, "mixes text"},
		{"/{x}a", "", false, false, "is not a {variable}"},
		{"/{}", "", false, false, "is not a {variable}"},
		{"/{+}", "", false, false, "bad variable name"},
		{"/{a{b}", "", false, false, "bad variable name"},
		{"/{x+}/a", "", false, false, "must be the last"},
		{"/{x}/{x}", "", false, false, "appears twice"},
		{"/{x}/{x+}", "", false, false, "appears twice"},
	}
	for _, tt := range tests {
		tm, err := Parse(tt.path)
		if tt.shape == "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Parse(%q) error %v, want one containing %q", tt.path, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.path, err)
			continue
		}
		if got := tm.Shape(); got != tt.shape {
			t.Errorf("Parse(%q).Shape() = %q, want %q", tt.path, got, tt.shape)
		}
		if tm.Static() != tt.static || tm.Greedy() != tt.greedy {
			t.Errorf("Parse(%q): static %v greedy %v, want %v %v", tt.path, tm.Static(), tm.Greedy(), tt.static, tt.greedy)
		}
	}
}

func TestCompareSegments(t *testing.T) {
	// Most specific first, as both servers sort their candidates.
	want := []string{"/a/b/{x+}", "/a/b", "/a/{x}/c", "/a/{x}", "/a/{x+}", "/{x}/b", "/{x+}"}
	byPath := map[string]Template{}
	for _, p := range want {
		tm, err := Parse(p)
		if err != nil {
			t.Fatal(err)
		}
		byPath[p] = tm
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortStableFunc(got, func(a, b string) int { return CompareSegments(byPath[a], byPath[b]) })
	if !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
}

func TestDecodePath(t *testing.T) {
	for _, tc := range []struct {
		in, out string
		ok      bool
	}{
		{"/a/b", "/a/b", true},
		{"/a%20b", "/a b", true},
		{"/a%2Fb", "", false}, // an encoded slash is no segment break
		{"/a%zz", "", false},
	} {
		out, ok := DecodePath(tc.in)
		if out != tc.out || ok != tc.ok {
			t.Errorf("DecodePath(%q) = %q, %v; want %q, %v", tc.in, out, ok, tc.out, tc.ok)
		}
	}
}

// FuzzMatch checks what must hold for any template and path: a template either fails to
// parse or matches its own text when that has no variables, parameters are exactly the
// template's variables, and a greedy parameter is never empty.
func FuzzMatch(f *testing.F) {
	for _, s := range [][2]string{
		{"/", "/"}, {"/pets/{id}", "/pets/7"}, {"/{proxy+}", "/a/b"}, {"/a/{x}/{y+}", "/a/%2F/c"},
		{"/a{b}", "/a"}, {"//", "//"}, {"/{x}/{x}", "/1/2"}, {"/p", "/p%"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, template, path string) {
		tm, err := Parse(template)
		if err != nil {
			return
		}
		if tm.Static() {
			if _, ok := tm.Match(template); !ok && !strings.Contains(template, "%") {
				t.Fatalf("static %q does not match itself", template)
			}
		}
		params, ok := tm.Match(path)
		if !ok {
			return
		}
		vars := 0
		for _, s := range tm.Segments {
			if s.Kind == Literal {
				continue
			}
			vars++
			v, has := params[s.Text]
			if !has {
				t.Fatalf("%q on %q: no parameter %q in %v", template, path, s.Text, params)
			}
			if v == "" {
				t.Fatalf("%q on %q: empty parameter %q", template, path, s.Text)
			}
		}
		if len(params) != vars {
			t.Fatalf("%q on %q: params %v, want %d", template, path, params, vars)
		}
	})
}
