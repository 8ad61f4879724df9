package golambda

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveEntry(t *testing.T) {
	tests := []struct {
		name    string
		entry   string
		wantErr string // substring of the error; "" means the entry is valid
	}{
		{"main package", "../../lambdas/echo", ""},
		{"empty", "", "Entry is required"},
		{"missing directory", "testdata/nope", "must be an existing directory"},
		{"a file", "entry.go", "not a file"},
		{"not main", "testdata/notmain", "must be a main package, but is package notmain"},
		{"no Go files", "testdata/nogo", "has no Go files for linux/amd64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resolveEntry(tt.entry, "amd64")
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("resolveEntry(%q): %v", tt.entry, err)
				}
				if !filepath.IsAbs(got) {
					t.Errorf("resolveEntry(%q) = %q, want an absolute path", tt.entry, got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("resolveEntry(%q) error = %v, want it to contain %q", tt.entry, err, tt.wantErr)
			}
		})
	}
}

func TestBuildArgsAreReproducible(t *testing.T) {
	args := strings.Join(buildArgs("/out/bootstrap"), " ")
	for _, want := range []string{"-tags lambda.norpc", "-trimpath", "-buildvcs=false", "-s -w -buildid=", "-o /out/bootstrap"} {
		if !strings.Contains(args, want) {
			t.Errorf("go %s: missing %q", args, want)
		}
	}
}

func TestBuildBootstrapReportsCompilerOutput(t *testing.T) {
	dir, err := filepath.Abs("testdata/broken")
	if err != nil {
		t.Fatal(err)
	}
	err = buildBootstrap(dir, "amd64", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "undefinedOnPurpose") {
		t.Fatalf("buildBootstrap(broken) error = %v, want the compiler's message naming undefinedOnPurpose", err)
	}
}
