// Package persist writes the files the runner keeps between runs (the local CA, the token
// issuer's key) so that a reader never sees half a file and two processes starting at once
// agree on one.
package persist

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteAtomic replaces path with data, so a reader never sees half a file.
func WriteAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// WriteNew writes data to path only if path does not exist, atomically; won says whether this
// call wrote it. Of two processes racing to create the same file, exactly one wins and the
// other finds the winner's file complete: the data is written beside path first and then
// hard-linked into place, and a link never replaces an existing name.
func WriteNew(path string, data []byte, perm os.FileMode) (won bool, err error) {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// writeTemp writes data to a new file beside path (hidden, so a listing does not show it) and
// returns its name; on error nothing is left behind.
func writeTemp(path string, data []byte, perm os.FileMode) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	if err := f.Chmod(perm); err != nil {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}
