package lambdahost

import (
	"bytes"
	"context"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// TestForeignArchitectureRebuild runs an echo handler built for the other architecture: the
// host must find its module (upward from the working directory, this repository) and rebuild it.
func TestForeignArchitectureRebuild(t *testing.T) {
	foreign := map[string]string{"amd64": "arm64", "arm64": "amd64"}[runtime.GOARCH]
	if foreign == "" {
		t.Skipf("no foreign architecture to test on %s", runtime.GOARCH)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bootstrap")
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-o", bin, "./testdata/echo")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+foreign, "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building for %s: %v\n%s", foreign, err, out)
	}
	if ef, err := elf.Open(bin); err != nil || ef.Machine == hostMachines[runtime.GOARCH] {
		t.Fatalf("test binary is not foreign: %v", err)
	}

	cache := t.TempDir()
	f := &model.Function{Name: "arm", Runtime: "provided.al2023", Architecture: model.ArchARM64, CodeDir: dir, Timeout: 5e9}
	for round := 1; round <= 2; round++ {
		h := newTestHost(t, Config{Functions: []*model.Function{f}, CacheDir: cache})
		r := decodeEcho(t, invoke(t, h, "arm", `{"x":1}`))
		if string(r.Event) != `{"x":1}` {
			t.Errorf("round %d: event %s", round, r.Event)
		}
		if !strings.Contains(h.logs.String(), "rebuilt Go binary for this host") {
			t.Errorf("round %d: no log line about the rebuild: %s", round, h.logs.String())
		}
		h.Close()
	}
	matches, _ := filepath.Glob(filepath.Join(cache, "rebuilt", "*", "bootstrap"))
	if len(matches) != 1 {
		t.Errorf("cache holds %v, want one rebuilt binary", matches)
	}
}

func TestForeignArchitectureWithoutSource(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("needs an amd64 host")
	}
	// An arm64 ELF file that is not a Go binary: only qemu could run it.
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(binDir, "echo"))
	if err != nil {
		t.Fatal(err)
	}
	src[18], src[19] = byte(elf.EM_AARCH64), byte(elf.EM_AARCH64>>8)
	src = bytes.ReplaceAll(src, []byte("\xff Go buildinf:"), []byte("\xff No buildinf:"))
	os.WriteFile(filepath.Join(dir, "bootstrap"), src, 0o755)
	t.Setenv("PATH", t.TempDir()) // no qemu
	f := &model.Function{Name: "foreign", Runtime: "provided.al2023", CodeDir: dir}
	h := newTestHost(t, Config{Functions: []*model.Function{f}})
	_, err = h.Invoke(context.Background(), "foreign", []byte(`{}`))
	if err == nil || !strings.Contains(err.Error(), "arm64") || !strings.Contains(err.Error(), "qemu-aarch64-static") {
		t.Errorf("err = %v, want ErrNotRunnable explaining both remedies", err)
	}

	// With a qemu on PATH, it is used.
	qdir := t.TempDir()
	os.WriteFile(filepath.Join(qdir, "qemu-aarch64-static"), []byte("#!/bin/sh\nexit 0\n"), 0o755)
	t.Setenv("PATH", qdir)
	h2 := newTestHost(t, Config{Functions: []*model.Function{f}})
	argv, err := h2.command(f)
	if err != nil || len(argv) != 2 || argv[0] != filepath.Join(qdir, "qemu-aarch64-static") {
		t.Errorf("command = %v, %v; want qemu then the binary", argv, err)
	}
}

func TestModulePath(t *testing.T) {
	tests := map[string]string{
		"module example.com/a\n\ngo 1.26\n":     "example.com/a",
		"// c\nmodule \"example.com/q\" // x\n": "example.com/q",
		"go 1.26\n":                             "",
		"modules example.com/no\n":              "",
	}
	for content, want := range tests {
		p := filepath.Join(t.TempDir(), "go.mod")
		os.WriteFile(p, []byte(content), 0o644)
		if got := modulePath(p); got != want {
			t.Errorf("modulePath(%q) = %q, want %q", content, got, want)
		}
	}
}
