package golambda

import (
	"errors"
	"fmt"
	"go/build"
	"os"
	"path/filepath"
)

// resolveEntry makes entry absolute (relative entries are relative to the app's working
// directory, which is where `cdk synth` runs the app) and checks that it is a directory holding
// a main package when built for linux/goarch with our tags.
func resolveEntry(entry, goarch string) (string, error) {
	if entry == "" {
		return "", errors.New("Entry is required: the directory of a Go main package, e.g. \"lambdas/hello\"")
	}
	abs, err := filepath.Abs(entry)
	if err != nil {
		return "", fmt.Errorf("Entry %q: %w", entry, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("Entry %q: must be an existing directory: %w", entry, err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("Entry %q: must be a directory holding a Go main package, not a file", entry)
	}
	// go/build applies the same file selection as `go build` (build tags, _test files,
	// GOOS/GOARCH suffixes), so a package that is main only on some platforms is judged for the
	// one we build.
	ctx := build.Default
	ctx.GOOS = "linux"
	ctx.GOARCH = goarch
	ctx.CgoEnabled = false
	ctx.BuildTags = append([]string{}, buildTags...)
	pkg, err := ctx.ImportDir(abs, 0)
	if err != nil {
		var noGo *build.NoGoError
		if errors.As(err, &noGo) {
			return "", fmt.Errorf("Entry %q: must hold a Go main package, but has no Go files for linux/%s", entry, goarch)
		}
		return "", fmt.Errorf("Entry %q: reading Go package: %w", entry, err)
	}
	if pkg.Name != "main" {
		return "", fmt.Errorf("Entry %q: must be a main package, but is package %s", entry, pkg.Name)
	}
	return abs, nil
}
