package assembly

import (
	"fmt"
	"os"
	"path/filepath"
)

type assetManifest struct {
	Files map[string]struct {
		Source struct {
			Path      string
			Packaging string
		}
		Destinations map[string]struct {
			ObjectKey string
		}
	}
}

// readAssetManifest adds the file assets of one *.assets.json to assets, keyed by the S3 object
// key they are published under: that key is what a Lambda function's Code.S3Key says.
func readAssetManifest(dir, rel, file string, assets map[string]Asset) error {
	if file == "" {
		return fmt.Errorf("%s: properties.file is missing", filepath.Join(rel, "manifest.json"))
	}
	name := filepath.Join(rel, file)
	path, err := within(dir, file)
	if err != nil {
		return fmt.Errorf("asset manifest: %w", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("asset manifest %s: %w", name, err)
	}
	var m assetManifest
	if err := decodeStrict(data, &m); err != nil {
		return fmt.Errorf("asset manifest %s: %w", name, jsonError(data, err))
	}
	for hash, f := range m.Files {
		if f.Source.Path == "" {
			continue // an executable-sourced asset: built at publish time, nothing on disk
		}
		src, err := within(dir, f.Source.Path)
		if err != nil {
			return fmt.Errorf("asset manifest %s: file %q: %w", name, hash, err)
		}
		as := Asset{Hash: hash, Path: src, Packaging: f.Source.Packaging}
		if as.Packaging == "" {
			as.Packaging = "file"
		}
		for _, d := range f.Destinations {
			if d.ObjectKey != "" {
				assets[d.ObjectKey] = as
			}
		}
	}
	return nil
}

// CodeDir returns the directory holding an asset's unpacked content: the asset directory itself
// for zip packaging, or the extracted archive (cached, extracted once) for a file-packaged .zip.
func (a *Assembly) CodeDir(as Asset) (string, error) {
	info, err := os.Stat(as.Path)
	if err != nil {
		return "", fmt.Errorf("asset %s: %w", as.Path, err)
	}
	if info.IsDir() {
		return as.Path, nil
	}
	return a.unzip(as.Path)
}

// MetadataAssetPath returns the absolute path a resource's Metadata["aws:asset:path"] names.
// The CDK writes it (relative to the assembly directory) when asset metadata is enabled, which
// is how SAM finds code too; it is the fallback when Code.S3Key matches no asset manifest.
func (s *Stack) MetadataAssetPath(r *Resource) (string, bool) {
	p, _ := r.Metadata["aws:asset:path"].(string)
	if p == "" {
		return "", false
	}
	abs, err := within(s.Dir, p)
	if err != nil {
		return "", false
	}
	return abs, true
}
