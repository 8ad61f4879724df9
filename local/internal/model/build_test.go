package model_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

var update = flag.Bool("update", false, "rewrite the expected output of testdata/build/*.txt")

// separator divides a golden file's input from the model (or "error: ...") it must build into.
const separator = "\n----------\n"

// TestBuildGolden builds every testdata/build/*.txt, caddy-style. The input is either
//
//	assembly: DIR          (a directory under testdata, e.g. js-app)
//
// or one or more stacks, each a header line and a template:
//
//	stack: NAME [aws://ACCOUNT/REGION]
//	{ ...template... }
//
// optionally preceded by "options: {json of BuildOptions}" and "# comment" lines. Stacks are
// written into a fresh assembly whose asset manifest publishes:
//
//	fake.zip      -> asset.fake/ (a directory with a bootstrap)
//	empty.zip     -> asset.empty/ (a directory without one)
//	packaged.zip  -> packaged.zip, a file-packaged archive holding a bootstrap
func TestBuildGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "build", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			input, want, ok := strings.Cut(string(data), separator)
			if !ok {
				t.Fatalf("%s: no separator line", file)
			}
			got := runGolden(t, input, testdata)
			if *update {
				if err := os.WriteFile(file, []byte(input+separator+got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != want {
				t.Errorf("%s: model differs (go test -run TestBuildGolden -update rewrites it)\n--- got\n%s\n--- want\n%s", file, got, want)
			}
		})
	}
}

func runGolden(t *testing.T, input, testdata string) string {
	t.Helper()
	var opts model.BuildOptions
	var dir string
	type stack struct{ name, env, template string }
	var stacks []*stack
	for _, line := range strings.SplitAfter(input, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case len(stacks) == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")):
		case strings.HasPrefix(trimmed, "options:"):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(trimmed, "options:")), &opts); err != nil {
				t.Fatalf("options: %v", err)
			}
		case strings.HasPrefix(trimmed, "assembly:"):
			dir = copyFixture(t, filepath.Join(testdata, strings.TrimSpace(strings.TrimPrefix(trimmed, "assembly:"))))
		case strings.HasPrefix(trimmed, "stack:"):
			f := strings.Fields(strings.TrimPrefix(trimmed, "stack:"))
			s := &stack{name: f[0]}
			if len(f) > 1 {
				s.env = f[1]
			}
			stacks = append(stacks, s)
		case len(stacks) > 0:
			stacks[len(stacks)-1].template += line
		default:
			t.Fatalf("unexpected input line %q", line)
		}
	}
	if dir == "" {
		dir = t.TempDir()
		writeAssembly(t, dir, func(add func(name, env, template string)) {
			for _, s := range stacks {
				add(s.name, s.env, s.template)
			}
		})
	}
	cache := t.TempDir()
	out := func(s string) string {
		s = strings.ReplaceAll(s, cache, "$CACHE")
		s = strings.ReplaceAll(s, testdata, "$TESTDATA")
		return strings.ReplaceAll(s, dir, "$ASSEMBLY") + "\n"
	}
	a, err := assembly.LoadWithOptions(dir, assembly.Options{CacheDir: cache})
	if err != nil {
		return out("error: " + err.Error())
	}
	m, err := model.Build(a, opts)
	if err != nil {
		return out("error: " + err.Error())
	}
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out(string(js))
}

// writeAssembly writes a cloud assembly with the stacks add is called with, plus the assets
// described at TestBuildGolden.
func writeAssembly(t *testing.T, dir string, stacks func(add func(name, env, template string))) {
	t.Helper()
	write := func(name string, data []byte, mode os.FileMode) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
	}
	write("asset.fake/bootstrap", []byte("#!/bin/sh\n"), 0o755)
	write("asset.empty/README", []byte("no bootstrap here\n"), 0o644)
	write("packaged.zip", zipOf(t, map[string]string{"bootstrap": "#!/bin/sh\n"}), 0o644)
	write("Test.assets.json", []byte(`{"version": "54.0.0", "files": {
		"fake":     {"source": {"path": "asset.fake", "packaging": "zip"}, "destinations": {"d": {"objectKey": "fake.zip"}}},
		"empty":    {"source": {"path": "asset.empty", "packaging": "zip"}, "destinations": {"d": {"objectKey": "empty.zip"}}},
		"packaged": {"source": {"path": "packaged.zip", "packaging": "file"}, "destinations": {"d": {"objectKey": "packaged.zip"}}}
	}}`), 0o644)

	var artifacts []string
	artifacts = append(artifacts, `"Test.assets": {"type": "cdk:asset-manifest", "properties": {"file": "Test.assets.json"}}`)
	stacks(func(name, env, template string) {
		if env == "" {
			env = "aws://unknown-account/unknown-region"
		}
		file := name + ".template.json"
		write(file, []byte(template), 0o644)
		artifacts = append(artifacts, fmt.Sprintf(`%q: {"type": "aws:cloudformation:stack", "environment": %q, "properties": {"templateFile": %q}}`, name, env, file))
	})
	write("manifest.json", []byte(`{"version": "54.0.0", "artifacts": {`+strings.Join(artifacts, ",\n")+`}}`), 0o644)
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// copyFixture copies a committed assembly into a temporary directory and puts a placeholder
// bootstrap into each asset directory. The fixtures keep a .gitkeep there instead, because
// files named bootstrap are build output this repository never tracks.
func copyFixture(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatalf("copying fixture %s: %v", src, err)
	}
	assets, _ := filepath.Glob(filepath.Join(dst, "asset.*"))
	for _, a := range assets {
		if fi, err := os.Stat(a); err == nil && fi.IsDir() {
			if err := os.WriteFile(filepath.Join(a, "bootstrap"), []byte("#!/bin/sh\necho placeholder\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dst
}
