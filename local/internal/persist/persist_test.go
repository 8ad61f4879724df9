package persist

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	for _, tc := range []struct {
		data string
		perm os.FileMode
	}{
		{"first", 0o600},
		{"second, longer than the first", 0o644},
	} {
		if err := WriteAtomic(path, []byte(tc.data), tc.perm); err != nil {
			t.Fatalf("WriteAtomic(%q): %v", tc.data, err)
		}
		b, err := os.ReadFile(path)
		if err != nil || string(b) != tc.data {
			t.Fatalf("after WriteAtomic(%q): read %q, %v", tc.data, b, err)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != tc.perm {
			t.Errorf("after WriteAtomic(%q): mode %v, want %v", tc.data, fi.Mode().Perm(), tc.perm)
		}
	}
	assertOnly(t, dir, "f")
}

func TestWriteNew(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	won, err := WriteNew(path, []byte("first"), 0o600)
	if err != nil || !won {
		t.Fatalf("first WriteNew: won %v, %v; want true, nil", won, err)
	}
	won, err = WriteNew(path, []byte("second"), 0o644)
	if err != nil || won {
		t.Fatalf("second WriteNew: won %v, %v; want false, nil", won, err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Errorf("the file holds %q, want the first write's %q", b, "first")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	assertOnly(t, dir, "f")
}

func TestWriteNewMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent", "f")
	if won, err := WriteNew(path, []byte("x"), 0o600); err == nil || won {
		t.Errorf("WriteNew into a missing directory: won %v, %v; want an error", won, err)
	}
	if err := WriteAtomic(path, []byte("x"), 0o600); err == nil {
		t.Error("WriteAtomic into a missing directory: no error")
	}
}

// assertOnly fails unless dir holds exactly the named files: no temporary file is left behind.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if len(got) != len(names) {
		t.Fatalf("%s holds %v, want %v", dir, got, names)
	}
	for i := range names {
		if got[i] != names[i] {
			t.Fatalf("%s holds %v, want %v", dir, got, names)
		}
	}
}
