package mappingtemplate

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

type guideCase struct {
	name     string
	sections map[string]string
}

// readCases splits testdata/guide.txt: "=== name" starts a case, "--- section" a section,
// whose content ends before the newline preceding the next marker.
func readCases(t testing.TB, path string) []guideCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []guideCase
	for _, c := range strings.Split("\n"+strings.TrimSuffix(string(data), "\n"), "\n=== ")[1:] {
		name, rest, _ := strings.Cut(c, "\n")
		gc := guideCase{name: name, sections: map[string]string{}}
		for _, p := range strings.Split("\n"+rest, "\n--- ")[1:] {
			key, val, _ := strings.Cut(p, "\n")
			gc.sections[key] = val
		}
		cases = append(cases, gc)
	}
	return cases
}

// varsOf builds Vars from a case's "vars" JSON and "body".
func varsOf(t testing.TB, c guideCase) Vars {
	t.Helper()
	var raw struct {
		Params struct {
			Path, Querystring, Header map[string]string
		}
		Context        map[string]any
		StageVariables map[string]string
	}
	if s := c.sections["vars"]; s != "" {
		if err := json.Unmarshal([]byte(s), &raw); err != nil {
			t.Fatalf("vars: %v", err)
		}
	}
	return Vars{
		Input: Input{
			Body:   []byte(c.sections["body"]),
			Params: Params{Path: raw.Params.Path, Querystring: raw.Params.Querystring, Header: raw.Params.Header},
		},
		Context:        raw.Context,
		StageVariables: raw.StageVariables,
	}
}

// TestGuide renders the Developer Guide's mapping templates and compares them with the
// output the guide shows.
func TestGuide(t *testing.T) {
	for _, c := range readCases(t, "testdata/guide.txt") {
		t.Run(c.name, func(t *testing.T) {
			tmpl, err := Compile(c.name, c.sections["template"])
			if err != nil {
				t.Fatal(err)
			}
			res, err := tmpl.Render(varsOf(t, c))
			if msg, ok := c.sections["want-error"]; ok {
				if err == nil || !strings.Contains(err.Error(), msg) {
					t.Fatalf("got %v, want an error containing %q", err, msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checked := false
			if want, ok := c.sections["want"]; ok {
				checked = true
				if res.Body != want {
					t.Errorf("got:\n%s\nwant:\n%s", res.Body, want)
				}
			}
			if want, ok := c.sections["want-json"]; ok {
				checked = true
				var g, w any
				if err := json.Unmarshal([]byte(res.Body), &g); err != nil {
					t.Fatalf("output is not JSON: %v\n%s", err, res.Body)
				}
				if err := json.Unmarshal([]byte(want), &w); err != nil {
					t.Fatalf("want-json: %v", err)
				}
				if !reflect.DeepEqual(g, w) {
					t.Errorf("got:\n%s\nwant (as JSON):\n%s", res.Body, want)
				}
			}
			if want, ok := c.sections["want-text"]; ok {
				checked = true
				if collapse(res.Body) != collapse(want) {
					t.Errorf("got:\n%s\nwant (whitespace aside):\n%s", res.Body, want)
				}
			}
			if want, ok := c.sections["want-overrides"]; ok {
				checked = true
				var w struct {
					Request  RequestOverride
					Response ResponseOverride
				}
				if err := json.Unmarshal([]byte(want), &w); err != nil {
					t.Fatalf("want-overrides: %v", err)
				}
				if !reflect.DeepEqual(res.RequestOverride, w.Request) || !reflect.DeepEqual(res.ResponseOverride, w.Response) {
					t.Errorf("overrides %+v %+v, want %+v %+v", res.RequestOverride, res.ResponseOverride, w.Request, w.Response)
				}
			}
			if !checked {
				t.Fatal("case has no expectation")
			}
		})
	}
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
