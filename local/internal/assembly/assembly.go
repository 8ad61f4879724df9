// Package assembly reads a synthesized CDK cloud assembly (a cdk.out directory) as plain JSON:
// manifest.json, every stack template, nested assemblies of CDK Stages, and the asset manifests
// that say where each Lambda function's code is on disk.
//
// It never imports the CDK or jsii, so it reads the output of any CDK app, whatever its language.
// Templates are decoded but not resolved: package intrinsics evaluates them.
package assembly

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Assembly is a loaded cloud assembly, nested assemblies included.
type Assembly struct {
	// Dir is the absolute path of the top-level assembly directory.
	Dir string
	// Stacks in manifest order, the stacks of nested assemblies (CDK Stages) after those of
	// the assembly that contains them.
	Stacks []*Stack

	cacheDir string
	mu       sync.Mutex
	unzipped map[string]string // zip path -> extracted directory
}

// Stack is one aws:cloudformation:stack artifact.
type Stack struct {
	// ArtifactID is the artifact's key in manifest.json ("Api", or "MyStage/Api" style ids that
	// CDK Stages produce).
	ArtifactID string
	// Name is properties.stackName, or the artifact id when that is absent (as CloudFormation
	// would deploy it).
	Name        string
	DisplayName string
	// Account and Region come from the artifact's environment ("aws://ACCOUNT/REGION"); empty
	// when the stack is environment-agnostic ("unknown-account", "unknown-region").
	Account string
	Region  string
	// Dir is the directory of the assembly that holds the stack (a nested one for Stages).
	Dir string
	// TemplateFile is the template's absolute path.
	TemplateFile string
	Template     *Template

	// assets maps an S3 object key ("{hash}.zip") to the asset it publishes.
	assets map[string]Asset
}

// Asset is one file asset of an asset manifest.
type Asset struct {
	Hash string
	// Path is the absolute path of the asset's source.
	Path string
	// Packaging is "zip" (Path is a directory that gets zipped) or "file" (Path is uploaded
	// as is; for Lambda code that is a .zip archive).
	Packaging string
}

// Options tune Load. The zero value is fine.
type Options struct {
	// CacheDir is where file-packaged .zip assets are extracted. Default: the user cache
	// directory's gatehouse/assets (or the temp dir when there is none).
	CacheDir string
}

// Load reads the cloud assembly in dir with default Options.
func Load(dir string) (*Assembly, error) {
	return LoadWithOptions(dir, Options{})
}

// LoadWithOptions reads the cloud assembly in dir.
func LoadWithOptions(dir string, opts Options) (*Assembly, error) {
	a, err := load(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("loading assembly: %w", err)
	}
	return a, nil
}

func load(dir string, opts Options) (*Assembly, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(abs)
	switch {
	case os.IsNotExist(err):
		return nil, fmt.Errorf("directory %s does not exist (run cdk synth first?)", abs)
	case err != nil:
		return nil, err
	case !info.IsDir():
		return nil, fmt.Errorf("%s is not a directory", abs)
	}
	a := &Assembly{Dir: abs, cacheDir: opts.CacheDir, unzipped: map[string]string{}}
	if a.cacheDir == "" {
		a.cacheDir = defaultCacheDir()
	}
	if err := a.loadDir(abs, "", map[string]bool{}); err != nil {
		return nil, err
	}
	return a, nil
}

func defaultCacheDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "gatehouse", "assets")
	}
	return filepath.Join(os.TempDir(), "gatehouse-assets")
}

// Stack finds a stack by name, or returns nil.
func (a *Assembly) Stack(name string) *Stack {
	for _, s := range a.Stacks {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Asset returns the asset that a Lambda Code.S3Key names, if an asset manifest of the stack's
// assembly publishes it.
func (s *Stack) Asset(objectKey string) (Asset, bool) {
	as, ok := s.assets[objectKey]
	return as, ok
}
