package assembly_test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

// writeFiles writes name -> content under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const stackManifest = `{"version": "54.0.0", "artifacts": {
  "Api.assets": {"type": "cdk:asset-manifest", "properties": {"file": "Api.assets.json"}},
  "Api": {"type": "aws:cloudformation:stack", "environment": "aws://111122223333/eu-west-1",
          "displayName": "Api", "properties": {"templateFile": "Api.template.json", "stackName": "api-prod"}},
  "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}},
  "assembly-Stage": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Stage", "displayName": "Stage"}}
}}`

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"manifest.json":     stackManifest,
		"Api.template.json": `{"Resources": {"B": {"Type": "AWS::Lambda::Function"}, "A": {"Type": "AWS::IAM::Role"}}}`,
		"Api.assets.json": `{"files": {"h1": {"source": {"path": "asset.h1", "packaging": "zip"},
			"destinations": {"d": {"objectKey": "h1.zip"}}}}}`,
		"asset.h1/bootstrap": "#!/bin/sh\n",
		"assembly-Stage/manifest.json": `{"artifacts": {"StageApi": {"type": "aws:cloudformation:stack",
			"environment": "aws://unknown-account/unknown-region", "properties": {"templateFile": "StageApi.template.json"}}}}`,
		"assembly-Stage/StageApi.template.json": `{"Resources": {}}`,
	})
	a, err := assembly.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Stacks) != 2 {
		t.Fatalf("got %d stacks, want 2", len(a.Stacks))
	}
	api := a.Stack("api-prod")
	if api == nil || api.ArtifactID != "Api" || api.Account != "111122223333" || api.Region != "eu-west-1" {
		t.Fatalf("stack api-prod = %+v", api)
	}
	if got := strings.Join(api.Template.ResourceOrder, ","); got != "B,A" {
		t.Errorf("ResourceOrder = %s, want template order B,A", got)
	}
	as, ok := api.Asset("h1.zip")
	if !ok || as.Path != filepath.Join(dir, "asset.h1") || as.Packaging != "zip" {
		t.Errorf("Asset(h1.zip) = %+v, %v", as, ok)
	}
	if code, err := a.CodeDir(as); err != nil || code != filepath.Join(dir, "asset.h1") {
		t.Errorf("CodeDir = %q, %v", code, err)
	}
	nested := a.Stack("StageApi")
	if nested == nil || nested.Account != "" || nested.Region != "" || nested.Dir != filepath.Join(dir, "assembly-Stage") {
		t.Errorf("nested stack = %+v", nested)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // nil: the directory does not exist
		want  string
	}{
		{"missing directory", nil, "loading assembly: directory"},
		{"missing manifest", map[string]string{"x": ""}, "loading assembly: manifest.json: not found in"},
		{"manifest not json", map[string]string{"manifest.json": "{\n  \"artifacts\": nope\n}"},
			"loading assembly: manifest.json: invalid JSON at line 2"},
		{"template not json", map[string]string{
			"manifest.json":     `{"artifacts": {"Api": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Api.template.json"}}}}`,
			"Api.template.json": "{\n  \"Resources\": {\n    \"A\": }\n}",
		}, `loading assembly: stack "Api": template Api.template.json: invalid JSON at line 3`},
		{"template missing", map[string]string{
			"manifest.json": `{"artifacts": {"Api": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Api.template.json"}}}}`,
		}, `loading assembly: stack "Api": template Api.template.json: open`},
		{"resource without type", map[string]string{
			"manifest.json":     `{"artifacts": {"Api": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Api.template.json"}}}}`,
			"Api.template.json": `{"Resources": {"A": {"Properties": {}}}}`,
		}, `template Api.template.json: resource "A": Type is missing`},
		{"resources wrong type", map[string]string{
			"manifest.json":     `{"artifacts": {"Api": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Api.template.json"}}}}`,
			"Api.template.json": `{"Resources": []}`,
		}, `template Api.template.json: Resources: not a JSON object`},
		{"template path escapes", map[string]string{
			"manifest.json": `{"artifacts": {"Api": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../x.json"}}}}`,
		}, `stack "Api": path "../x.json" leaves the assembly directory`},
		{"bad environment", map[string]string{
			"manifest.json": `{"artifacts": {"Api": {"type": "aws:cloudformation:stack", "environment": "gcp://x", "properties": {"templateFile": "t.json"}}}}`,
		}, `manifest.json: stack "Api": environment "gcp://x"`},
		{"asset manifest broken", map[string]string{
			"manifest.json": `{"artifacts": {"A.assets": {"type": "cdk:asset-manifest", "properties": {"file": "A.assets.json"}}}}`,
			"A.assets.json": `{"files": 3}`,
		}, `artifact "A.assets": asset manifest A.assets.json: at line 1: Files must be an object, not a JSON number`},
		{"nested manifest missing", map[string]string{
			"manifest.json": `{"artifacts": {"S": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-S"}}}}`,
		}, "loading assembly: assembly-S/manifest.json: not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "cdk.out")
			if tt.files != nil {
				writeFiles(t, dir, tt.files)
			}
			_, err := assembly.Load(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func zipBytes(t *testing.T, entries map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range entries {
		h := &zip.FileHeader{Name: name}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCodeDirExtractsZipOnce(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	writeFiles(t, dir, map[string]string{
		"manifest.json": `{"artifacts": {}}`,
		"code.zip":      string(zipBytes(t, map[string]string{"bootstrap": "#!/bin/sh\n", "lib/data.txt": "x"})),
	})
	a, err := assembly.LoadWithOptions(dir, assembly.Options{CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	as := assembly.Asset{Path: filepath.Join(dir, "code.zip"), Packaging: "file"}
	first, err := a.CodeDir(as)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(first, cache) {
		t.Errorf("extracted to %s, want under %s", first, cache)
	}
	info, err := os.Stat(filepath.Join(first, "bootstrap"))
	if err != nil || info.Mode().Perm()&0o100 == 0 {
		t.Fatalf("bootstrap: %v, mode %v: want an executable", err, info)
	}
	if b, _ := os.ReadFile(filepath.Join(first, "lib", "data.txt")); string(b) != "x" {
		t.Errorf("lib/data.txt = %q", b)
	}
	// A new Assembly (a second run) reuses the extraction rather than redoing it.
	os.WriteFile(filepath.Join(first, "marker"), nil, 0o644)
	a2, _ := assembly.LoadWithOptions(dir, assembly.Options{CacheDir: cache})
	second, err := a2.CodeDir(as)
	if err != nil || second != first {
		t.Fatalf("second CodeDir = %s, %v; want %s", second, err, first)
	}
	if _, err := os.Stat(filepath.Join(second, "marker")); err != nil {
		t.Error("the archive was extracted again")
	}
}

func TestCodeDirRefusesUnsafeZips(t *testing.T) {
	for name, entries := range map[string]map[string]string{
		"parent traversal": {"../evil": "x"},
		"deep traversal":   {"a/../../evil": "x"},
		"absolute path":    {"/etc/evil": "x"},
		"backslashes":      {"..\\evil": "x"},
	} {
		t.Run(name, func(t *testing.T) {
			dir, cache := t.TempDir(), t.TempDir()
			writeFiles(t, dir, map[string]string{"manifest.json": `{}`, "code.zip": string(zipBytes(t, entries))})
			a, err := assembly.LoadWithOptions(dir, assembly.Options{CacheDir: cache})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.CodeDir(assembly.Asset{Path: filepath.Join(dir, "code.zip")}); err == nil {
				t.Fatal("CodeDir extracted an archive whose entries leave it")
			}
			if _, err := os.Stat(filepath.Join(cache, "..", "evil")); err == nil {
				t.Fatal("a file was written outside the cache")
			}
			left, _ := os.ReadDir(cache)
			if len(left) != 0 {
				t.Errorf("cache holds %d entries after a refused archive, want none", len(left))
			}
		})
	}
}
