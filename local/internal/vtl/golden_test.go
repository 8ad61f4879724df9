package vtl

import (
	"os"
	"strings"
	"testing"
)

// goldenCase is one case of testdata/velocity17.txt.
type goldenCase struct {
	name     string
	sections map[string]string
}

// readGolden splits a golden file into cases: "=== name" starts one, "--- section"
// starts a section, and a section's content ends before the newline that precedes the
// next marker.
func readGolden(t *testing.T, path string) []goldenCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	// The recorder ends every section with a newline before the next marker or the end.
	chunks := strings.Split("\n"+strings.TrimSuffix(string(data), "\n"), "\n=== ")
	for _, c := range chunks[1:] {
		name, rest, _ := strings.Cut(c, "\n")
		gc := goldenCase{name: name, sections: map[string]string{}}
		parts := strings.Split("\n"+rest, "\n--- ")
		for _, p := range parts[1:] {
			key, val, _ := strings.Cut(p, "\n")
			gc.sections[key] = val
		}
		cases = append(cases, gc)
	}
	return cases
}

// runWithSetup runs setup and then tmpl in one execution state, as the recording did in
// one Velocity context, and returns tmpl's output.
func runWithSetup(setup, tmpl string) (string, error) {
	var vars map[string]any
	if setup != "" {
		st, err := Parse("setup", setup)
		if err != nil {
			return "", err
		}
		s := newTestState(st)
		if err := s.execNodes(st.nodes); err != nil {
			return "", err
		}
		vars = s.vars
	}
	t, err := Parse("t", tmpl)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	err = t.Execute(&b, vars)
	return b.String(), err
}

func newTestState(t *Template) *state {
	lim := DefaultLimits()
	return &state{t: t, lim: lim, vars: map[string]any{}, out: &outBuf{max: lim.MaxOutputBytes}}
}

// TestVelocity17 checks the engine against output recorded from Apache Velocity 1.7.
func TestVelocity17(t *testing.T) {
	for _, c := range readGolden(t, "testdata/velocity17.txt") {
		t.Run(c.name, func(t *testing.T) {
			got, err := runWithSetup(c.sections["setup"], c.sections["template"])
			want, wantOK := c.sections["want"]
			if ours, ok := c.sections["ours"]; ok {
				want, wantOK = ours, true
			}
			if msg, ok := c.sections["ours-error"]; ok {
				if err == nil || !strings.Contains(err.Error(), msg) {
					t.Fatalf("want an error containing %q (where this engine differs from Velocity), got %q, %v", msg, got, err)
				}
				return
			}
			if !wantOK {
				if err == nil {
					t.Fatalf("Velocity 1.7 fails with %s; got output %q", c.sections["error"], got)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != want {
				t.Errorf("output differs from Velocity 1.7\n got: %q\nwant: %q", got, want)
			}
		})
	}
}
