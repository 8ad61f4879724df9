package lambdahost

import (
	"bufio"
	"context"
	"crypto/sha256"
	"debug/buildinfo"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// executablePath is the file Lambda would exec for f: bootstrap for OS-only runtimes, the
// handler binary for the retired go1.x runtime.
func executablePath(f *model.Function) (string, error) {
	var name string
	switch f.Runtime {
	case "provided.al2023", "provided.al2", "provided":
		name = "bootstrap"
	case "go1.x":
		if f.Handler == "" || strings.Contains(f.Handler, "/") {
			return "", fmt.Errorf("go1.x handler %q is not a file name", f.Handler)
		}
		name = f.Handler
	default:
		return "", fmt.Errorf("runtime %q needs a language runtime; only OS-only runtimes (provided.al2023, provided.al2, provided) and go1.x run locally", f.Runtime)
	}
	if f.CodeDir == "" {
		return "", errors.New("its code was not found in the cloud assembly")
	}
	path := filepath.Join(f.CodeDir, name)
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("code directory has no %s: %w", name, err)
	}
	if !st.Mode().IsRegular() || st.Mode().Perm()&0o111 == 0 {
		return "", fmt.Errorf("%s is not an executable file", path)
	}
	return path, nil
}

// hostMachines maps GOARCH to the ELF machine this host executes natively.
var hostMachines = map[string]elf.Machine{
	"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "386": elf.EM_386, "arm": elf.EM_ARM,
	"riscv64": elf.EM_RISCV, "ppc64le": elf.EM_PPC64, "s390x": elf.EM_S390,
}

// qemuArch names qemu's user-mode emulators by ELF machine.
var qemuArch = map[elf.Machine]string{
	elf.EM_X86_64: "x86_64", elf.EM_AARCH64: "aarch64", elf.EM_386: "i386", elf.EM_ARM: "arm",
	elf.EM_RISCV: "riscv64", elf.EM_PPC64: "ppc64le", elf.EM_S390: "s390x",
}

// goarchOf maps an ELF machine to GOARCH, for messages.
func goarchOf(m elf.Machine) string {
	for arch, mm := range hostMachines {
		if mm == m {
			return arch
		}
	}
	return m.String()
}

// command decides how to run f's executable on this host: directly, as a Go binary rebuilt for
// this architecture, or through qemu. A function built for arm64 (the cheaper Lambda
// architecture) must still run on an x86-64 laptop.
func (h *Host) command(f *model.Function) ([]string, error) {
	path, err := executablePath(f)
	if err != nil {
		return nil, err
	}
	ef, err := elf.Open(path)
	if err != nil {
		// Not ELF: a shell-script bootstrap, say. The kernel decides how to run it.
		return []string{path}, nil
	}
	machine := ef.Machine
	ef.Close()
	host, known := hostMachines[runtime.GOARCH]
	if !known || machine == host {
		return []string{path}, nil
	}

	var rebuildErr error
	if info, err := buildinfo.ReadFile(path); err == nil {
		out, err := h.rebuild(f, path, info)
		if err == nil {
			h.log.Info("rebuilt Go binary for this host", "function", f.Name, "binary", path,
				"from", goarchOf(machine), "to", runtime.GOARCH, "module", info.Main.Path, "output", out)
			return []string{out}, nil
		}
		rebuildErr = err
	} else {
		rebuildErr = fmt.Errorf("it is not a Go binary (%v)", err)
	}
	if arch, ok := qemuArch[machine]; ok {
		for _, name := range []string{"qemu-" + arch + "-static", "qemu-" + arch} {
			if q, err := exec.LookPath(name); err == nil {
				h.log.Info("running foreign binary through qemu", "function", f.Name, "binary", path,
					"arch", goarchOf(machine), "qemu", q, "rebuild", rebuildErr.Error())
				return []string{q, path}, nil
			}
		}
	}
	return nil, fmt.Errorf("%s is built for %s, this host is %s: rebuilding it failed (%v), and no qemu-%s-static or qemu-%s is on PATH; make its Go module source findable (--source dir) or install qemu-user-static",
		path, goarchOf(machine), runtime.GOARCH, rebuildErr, qemuArch[machine], qemuArch[machine])
}

// rebuild compiles the Go main package that produced binary again for this host's architecture,
// with the settings its build info records, into the cache (keyed by the binary's hash, so it
// happens once per binary version).
func (h *Host) rebuild(f *model.Function, binary string, info *buildinfo.BuildInfo) (string, error) {
	sum, err := fileHash(binary)
	if err != nil {
		return "", err
	}
	out := filepath.Join(h.cacheDir, "rebuilt", sum+"-"+runtime.GOARCH, filepath.Base(binary))
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	mod := info.Main.Path
	if mod == "" || info.Path == "" || info.Path == "command-line-arguments" {
		return "", errors.New("its build info names no main module and package")
	}
	rel, ok := strings.CutPrefix(info.Path, mod)
	if !ok || (rel != "" && rel[0] != '/') {
		return "", fmt.Errorf("package %s is not inside module %s", info.Path, mod)
	}
	dir, err := h.findModule(mod, f.CodeDir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", fmt.Errorf("creating cache directory: %w", err)
	}
	tmp := out + ".tmp" + strconv.Itoa(os.Getpid())
	args := []string{"build", "-trimpath", "-o", tmp}
	env := append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	for _, s := range info.Settings {
		switch s.Key {
		case "-tags", "-ldflags", "-gcflags", "-asmflags":
			if s.Value != "" {
				args = append(args, s.Key+"="+s.Value)
			}
		case "GOAMD64", "GOARM64", "GOEXPERIMENT":
			// Only settings that apply to the new architecture matter; a GOARM64 level means
			// nothing on amd64 and the default is right there.
			if strings.HasPrefix(s.Key, "GO"+strings.ToUpper(runtime.GOARCH)) || s.Key == "GOEXPERIMENT" {
				env = append(env, s.Key+"="+s.Value)
			}
		}
	}
	args = append(args, "."+rel)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = env
	if output, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("go %s in %s: %v: %s", strings.Join(args, " "), dir, err, strings.TrimSpace(string(output)))
	}
	if err := os.Rename(tmp, out); err != nil {
		return "", fmt.Errorf("storing rebuilt binary: %w", err)
	}
	return out, nil
}

// findModule looks for the directory of the go.mod declaring module path: under each SourceDir,
// then in the code directory and its parents, then in the working directory and its parents
// (a cdk.out inside the project finds the project's go.mod).
func (h *Host) findModule(path, codeDir string) (string, error) {
	for _, root := range h.cfg.SourceDirs {
		if dir := searchDown(root, path, 4); dir != "" {
			return dir, nil
		}
	}
	wd, _ := os.Getwd()
	for _, start := range []string{codeDir, wd} {
		if start == "" {
			continue
		}
		for dir := filepath.Clean(start); ; dir = filepath.Dir(dir) {
			if modulePath(filepath.Join(dir, "go.mod")) == path {
				return dir, nil
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	return "", fmt.Errorf("source of module %s not found (searched source directories %q, and upward from %s and %s)", path, h.cfg.SourceDirs, codeDir, wd)
}

// searchDown finds a go.mod for module path at most depth directories below root, skipping
// directories that never hold a user's sources.
func searchDown(root, path string, depth int) string {
	var found string
	base := strings.Count(filepath.Clean(root), string(filepath.Separator))
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || found != "" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			return nil
		}
		switch d.Name() {
		case "node_modules", ".git", "cdk.out", "vendor":
			return filepath.SkipDir
		}
		if strings.Count(p, string(filepath.Separator))-base > depth {
			return filepath.SkipDir
		}
		if modulePath(filepath.Join(p, "go.mod")) == path {
			found = p
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// modulePath reads the module directive of a go.mod file ("" if there is none).
func modulePath(gomod string) string {
	f, err := os.Open(gomod)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			rest, _, _ = strings.Cut(rest, "//")
			rest = strings.TrimSpace(rest)
			if unq, err := strconv.Unquote(rest); err == nil {
				return unq
			}
			return rest
		}
	}
	return ""
}

func fileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hashing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}
