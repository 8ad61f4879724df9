package httpapi

import (
	"strings"
	"testing"
)

func TestParseRouteKey(t *testing.T) {
	tests := []struct {
		key     string // route key as a user writes it
		method  string // parsed method, on success
		path    string // parsed path, on success
		wantErr string // substring of the error; "" for a valid key
	}{
		{"$default", "", "", ""},
		{"GET /", "GET", "/", ""},
		{"GET /items/{id}", "GET", "/items/{id}", ""},
		{"ANY /{proxy+}", "ANY", "/{proxy+}", ""},
		{"POST /a/{b}/c/{rest+}", "POST", "/a/{b}/c/{rest+}", ""},
		{"OPTIONS /x.json", "OPTIONS", "/x.json", ""},
		{"GET/items", "", "", "one space between method and path"},
		{"get /items", "", "", "method \"get\" must be one of"},
		{"FETCH /items", "", "", "must be one of"},
		{"GET items", "", "", "must start with \"/\""},
		{"GET /items/", "", "", "empty segment"},
		{"GET /a//b", "", "", "empty segment"},
		{"GET /{proxy+}/child", "", "", "greedy path variable {proxy+} must be the last segment"},
		{"GET /a/{id}/b/{id}", "", "", "path variable \"id\" is used twice"},
		{"GET /a/x{id}", "", "", "must be a whole segment"},
		{"GET /a/{}", "", "", "needs a name"},
		{"GET /a/{i d}", "", "", "may hold only letters"},
		{"GET /a b", "", "", "must not contain spaces"},
		{"GET /a?b", "", "", "must not contain"},
		{"$Default", "", "", "one space"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, err := parseRouteKey(tt.key)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseRouteKey(%q) error = %v, want %q", tt.key, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseRouteKey(%q): %v", tt.key, err)
			}
			if got.Method != tt.method || got.Path != tt.path {
				t.Errorf("parseRouteKey(%q) = %q %q, want %q %q", tt.key, got.Method, got.Path, tt.method, tt.path)
			}
		})
	}
}

func TestRouteKeyShape(t *testing.T) {
	a, _ := parseRouteKey("GET /a/{x}")
	b, _ := parseRouteKey("GET /a/{y}")
	c, _ := parseRouteKey("GET /a/{y+}")
	d, _ := parseRouteKey("POST /a/{x}")
	if a.Shape != b.Shape {
		t.Errorf("shapes of {x} and {y} differ: %q, %q", a.Shape, b.Shape)
	}
	if a.Shape == c.Shape || a.Shape == d.Shape {
		t.Errorf("distinct routes share a shape: %q %q %q", a.Shape, c.Shape, d.Shape)
	}
}

// FuzzParseRouteKey: any string either fails or parses into a key that re-parses to itself.
func FuzzParseRouteKey(f *testing.F) {
	for _, s := range []string{"$default", "GET /items/{id}", "ANY /{proxy+}", "GET /a//b", "X", "GET /{a+}/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		rk, err := parseRouteKey(key)
		if err != nil {
			return
		}
		if key == DefaultRouteKey {
			return
		}
		if rk.Method+" "+rk.Path != key {
			t.Fatalf("parseRouteKey(%q) = %q %q", key, rk.Method, rk.Path)
		}
		if strings.Contains(rk.Path, "//") || !strings.HasPrefix(rk.Path, "/") {
			t.Fatalf("accepted bad path %q", rk.Path)
		}
		if i := strings.Index(rk.Path, "+}"); i >= 0 && i != len(rk.Path)-2 {
			t.Fatalf("accepted greedy variable before the end: %q", rk.Path)
		}
	})
}
