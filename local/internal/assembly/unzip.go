package assembly

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// maxUnzipped is Lambda's own limit on a deployment package's unzipped size: a package AWS
// would refuse is refused here too, and a zip bomb cannot fill the disk.
const maxUnzipped = 250 << 20

// unzip extracts a .zip asset once into the cache directory, under the hash of its content, so
// a second run (or a second function sharing the asset) reuses the extraction.
func (a *Assembly) unzip(path string) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if dir, ok := a.unzipped[path]; ok {
		return dir, nil
	}
	sum, err := fileHash(path)
	if err != nil {
		return "", fmt.Errorf("asset %s: %w", path, err)
	}
	dest := filepath.Join(a.cacheDir, sum)
	if _, err := os.Stat(dest); err == nil {
		a.unzipped[path] = dest
		return dest, nil
	}
	if err := os.MkdirAll(a.cacheDir, 0o755); err != nil {
		return "", fmt.Errorf("asset %s: cache: %w", path, err)
	}
	// Extract beside the destination and rename: a concurrent runner or a crash mid-way never
	// leaves a half-extracted directory under the final name.
	tmp, err := os.MkdirTemp(a.cacheDir, sum+".tmp-")
	if err != nil {
		return "", fmt.Errorf("asset %s: cache: %w", path, err)
	}
	if err := extractZip(path, tmp); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("asset %s: %w", path, err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		os.RemoveAll(tmp)
		if _, statErr := os.Stat(dest); statErr != nil { // not merely lost a race
			return "", fmt.Errorf("asset %s: cache: %w", path, err)
		}
	}
	a.unzipped[path] = dest
	return dest, nil
}

func fileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// extractZip writes the archive's regular files and directories under dest. Entries that would
// land outside dest ("../x", absolute names) and symbolic links are refused.
func extractZip(path, dest string) error {
	r, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("not a readable zip archive: %w", err)
	}
	defer r.Close()
	var total int64
	for _, f := range r.File {
		name, err := safeEntryName(f.Name)
		if err != nil {
			return err
		}
		if name == "" {
			continue
		}
		target := filepath.Join(dest, name)
		mode := f.Mode()
		switch {
		case mode&os.ModeSymlink != 0:
			return fmt.Errorf("zip entry %q: symbolic links are not extracted", f.Name)
		case f.FileInfo().IsDir():
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		perm := mode.Perm() | 0o600
		if mode.Perm() == 0 {
			perm = 0o644 // archives made without Unix modes
		}
		n, err := writeEntry(f, target, perm, maxUnzipped-total)
		if err != nil {
			return fmt.Errorf("zip entry %q: %w", f.Name, err)
		}
		total += n
	}
	return nil
}

func writeEntry(f *zip.File, target string, perm os.FileMode, budget int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, io.LimitReader(rc, budget+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > budget {
		err = fmt.Errorf("archive unzips to more than %d MB, Lambda's limit", maxUnzipped>>20)
	}
	return n, err
}

// safeEntryName cleans a zip entry name into a relative path, refusing traversal.
func safeEntryName(name string) (string, error) {
	n := strings.ReplaceAll(name, "\\", "/")
	if strings.HasPrefix(n, "/") || filepath.IsAbs(n) || filepath.VolumeName(n) != "" {
		return "", fmt.Errorf("zip entry %q: absolute path", name)
	}
	clean := filepath.Clean(filepath.FromSlash(n))
	if clean == "." {
		return "", nil
	}
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", errors.New("zip entry " + fmt.Sprintf("%q", name) + ": path leaves the archive")
	}
	return clean, nil
}
