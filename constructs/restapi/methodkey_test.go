package restapi

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestParseMethodKey(t *testing.T) {
	tests := []struct {
		key     string          // method key as a user writes it
		verb    string          // parsed verb, on success
		path    string          // parsed path, on success
		vars    map[string]bool // path variables, each true when greedy
		wantErr string          // substring of the error; "" for a valid key
	}{
		{"GET /", "GET", "/", map[string]bool{}, ""},
		{"GET /products", "GET", "/products", map[string]bool{}, ""},
		{"GET /products/{id}", "GET", "/products/{id}", map[string]bool{"id": false}, ""},
		{"ANY /{proxy+}", "ANY", "/{proxy+}", map[string]bool{"proxy": true}, ""},
		{"POST /a/{b}/c/{rest+}", "POST", "/a/{b}/c/{rest+}", map[string]bool{"b": false, "rest": true}, ""},
		{"OPTIONS /v1.0/x_y-z", "OPTIONS", "/v1.0/x_y-z", map[string]bool{}, ""},
		{"HEAD /{a.b}", "HEAD", "/{a.b}", map[string]bool{"a.b": false}, ""},
		{"GET/products", "", "", nil, "one space between method and path"},
		{"get /products", "", "", nil, `method "get" must be one of`},
		{"FETCH /products", "", "", nil, "must be one of"},
		{"$default", "", "", nil, "must be \"METHOD /path\""},
		{"GET products", "", "", nil, `must start with "/"`},
		{"GET /products/", "", "", nil, "empty part"},
		{"GET /a//b", "", "", nil, "empty part"},
		{"GET /{proxy+}/child", "", "", nil, "greedy path variable {proxy+} must end the path"},
		{"GET /a/{id}/b/{id}", "", "", nil, `path variable "id" is used twice`},
		{"GET /a/x{id}", "", "", nil, "must be a whole path part"},
		{"GET /a/{}", "", "", nil, "name must be letters"},
		{"GET /a/{+}", "", "", nil, "name must be letters"},
		{"GET /a/{i d}", "", "", nil, "name must be letters"},
		{"GET /a b", "", "", nil, `path part "a b": API Gateway allows only letters`},
		{"GET /a:b", "", "", nil, `path part "a:b": API Gateway allows only letters`},
		{"GET /a?b", "", "", nil, "allows only letters"},
		{"GET /caf\u00e9", "", "", nil, "allows only letters"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, err := parseMethodKey(tt.key)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseMethodKey(%q) error = %v, want %q", tt.key, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseMethodKey(%q): %v", tt.key, err)
			}
			if got.Verb != tt.verb || got.Path != tt.path || !maps.Equal(got.Vars, tt.vars) || got.String() != tt.key {
				t.Errorf("parseMethodKey(%q) = %+v, want %s %s %v", tt.key, got, tt.verb, tt.path, tt.vars)
			}
		})
	}
}

func TestMethodKeyPaths(t *testing.T) {
	tests := []struct {
		key          string
		parent       string // parent resource path
		optionsPath  string // key in the L2's StageOptions.MethodOptions
		variablePart bool   // the resource's own part is a variable
	}{
		{"GET /", "/", "//GET", false},
		{"GET /products", "/", "/products/GET", false},
		{"PUT /products/{id}", "/products", "/products/{id}/PUT", true},
		{"ANY /files/{proxy+}", "/files", "/files/{proxy+}/ANY", true},
	}
	for _, tt := range tests {
		k, err := parseMethodKey(tt.key)
		if err != nil {
			t.Fatal(err)
		}
		if got := parent(k.Path); got != tt.parent {
			t.Errorf("parent(%q) = %q, want %q", k.Path, got, tt.parent)
		}
		if got := k.methodOptionsPath(); got != tt.optionsPath {
			t.Errorf("%s: methodOptionsPath = %q, want %q", tt.key, got, tt.optionsPath)
		}
		if got := isVariablePart(k.Path); got != tt.variablePart {
			t.Errorf("isVariablePart(%q) = %v", k.Path, got)
		}
	}
}

func TestMethodKeyResources(t *testing.T) {
	tests := []struct {
		key  string
		want []pathResource // every resource below the root on the key's path, from the top
	}{
		{"GET /", []pathResource{}},
		{"GET /products", []pathResource{{"/", "/products", "products"}}},
		{"ANY /a/{id}/{proxy+}", []pathResource{
			{"/", "/a", "a"}, {"/a", "/a/{id}", "{id}"}, {"/a/{id}", "/a/{id}/{proxy+}", "{proxy+}"},
		}},
	}
	for _, tt := range tests {
		k, err := parseMethodKey(tt.key)
		if err != nil {
			t.Fatal(err)
		}
		if got := k.resources(); !slices.Equal(got, tt.want) {
			t.Errorf("%s: resources = %+v, want %+v", tt.key, got, tt.want)
		}
	}
}

// FuzzParseMethodKey: a key that parses prints back as itself, and its variables are in its path.
func FuzzParseMethodKey(f *testing.F) {
	for _, s := range []string{"GET /", "ANY /{proxy+}", "GET /a/{b}/c", "GET /a//b", "GET /{a+}/b", "X"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		k, err := parseMethodKey(key)
		if err != nil {
			return
		}
		if k.String() != key {
			t.Fatalf("parseMethodKey(%q) prints as %q", key, k.String())
		}
		for name, greedy := range k.Vars {
			v := "{" + name + "}"
			if greedy {
				v = "{" + name + "+}"
			}
			if !strings.Contains(k.Path, v) {
				t.Fatalf("parseMethodKey(%q): variable %s is not in the path", key, v)
			}
		}
	})
}
