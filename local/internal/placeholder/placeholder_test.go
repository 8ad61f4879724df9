package placeholder

import (
	"strings"
	"testing"
)

func TestFill(t *testing.T) {
	vars := map[string]string{"id": "7", "stageVariables.host": "example.com", "empty": "", "a{b": "x"}
	lookup := func(name string) (string, bool) { v, ok := vars[name]; return v, ok }
	tests := []struct {
		in   string // URI as written
		want string // with the placeholders lookup knows filled in
	}{
		{"https://h/items", "https://h/items"},
		{"https://h/items/{id}", "https://h/items/7"},
		{"https://${stageVariables.host}/items/{id}", "https://example.com/items/7"},
		{"https://{stageVariables.host}/x", "https://example.com/x"}, // the $ is optional
		{"https://h/{id}/{id}", "https://h/7/7"},
		{"https://h/{unknown}/{id}", "https://h/{unknown}/7"},   // unknown names stay
		{"https://h/${unknown}/{id}", "https://h/${unknown}/7"}, // with their $
		{"https://h/{empty}x", "https://h/x"},
		{"https://h/{id", "https://h/{id"}, // unclosed
		{"https://h/}{id}", "https://h/}7"},
		{"$${id}", "$7"}, // only the $ right before { belongs to the placeholder
		{"{a{b}", "x"},   // the name runs to the first }
		{"{}", "{}"},
	}
	for _, tt := range tests {
		if got := Fill(tt.in, lookup); got != tt.want {
			t.Errorf("Fill(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzFill: a lookup that knows nothing leaves any string as it is, and one that knows every
// name leaves no closed placeholder behind.
func FuzzFill(f *testing.F) {
	for _, s := range []string{"", "{", "}", "{a}", "${a}", "x{a}y{b", "$${a}}", "{{a}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := Fill(s, func(string) (string, bool) { return "", false }); got != s {
			t.Fatalf("Fill(%q) with no names = %q", s, got)
		}
		got := Fill(s, func(string) (string, bool) { return "", true })
		if i := strings.IndexByte(got, '{'); i >= 0 && strings.IndexByte(got[i:], '}') >= 0 {
			t.Fatalf("Fill(%q) with every name = %q, a placeholder is left", s, got)
		}
	})
}
