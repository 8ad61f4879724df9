package assembly

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Artifact types of the cloud assembly schema that the runner reads. Others (cdk:tree,
// cdk:feature-flag-report, ...) are skipped.
const (
	typeStack         = "aws:cloudformation:stack"
	typeAssetManifest = "cdk:asset-manifest"
	typeNested        = "cdk:cloud-assembly"
)

type manifestFile struct {
	Version   string
	Artifacts json.RawMessage
}

type artifact struct {
	Type        string
	Environment string
	DisplayName string
	Properties  struct {
		TemplateFile  string
		StackName     string
		File          string // asset manifest
		DirectoryName string // nested assembly
		DisplayName   string
	}
}

// loadDir reads the manifest of one (possibly nested) assembly. rel is dir relative to the
// top-level assembly, so errors name files the way a person would look for them.
func (a *Assembly) loadDir(dir, rel string, visiting map[string]bool) error {
	if visiting[dir] {
		return fmt.Errorf("%s: nested assembly includes itself", filepath.Join(rel, "manifest.json"))
	}
	visiting[dir] = true
	defer delete(visiting, dir)

	name := filepath.Join(rel, "manifest.json")
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s: not found in %s: is this a cloud assembly (cdk.out)?", name, dir)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	var m manifestFile
	if err := decodeStrict(data, &m); err != nil {
		return fmt.Errorf("%s: %w", name, jsonError(data, err))
	}
	ids, err := objectKeys(m.Artifacts)
	if err != nil {
		return fmt.Errorf("%s: artifacts: %w", name, err)
	}
	raw := map[string]json.RawMessage{}
	if len(m.Artifacts) > 0 {
		if err := json.Unmarshal(m.Artifacts, &raw); err != nil {
			return fmt.Errorf("%s: artifacts: %w", name, err)
		}
	}

	// Asset manifests first: the stacks of this assembly look their code up in them.
	assets := map[string]Asset{}
	var stacks []*Stack
	var nested []string
	for _, id := range ids {
		var art artifact
		if err := decodeValue(raw[id], &art); err != nil {
			return fmt.Errorf("%s: artifact %q: %w", name, id, err)
		}
		switch art.Type {
		case typeAssetManifest:
			if err := readAssetManifest(dir, rel, art.Properties.File, assets); err != nil {
				return fmt.Errorf("artifact %q: %w", id, err)
			}
		case typeStack:
			s, err := readStack(dir, rel, id, art)
			if err != nil {
				return err
			}
			stacks = append(stacks, s)
		case typeNested:
			if art.Properties.DirectoryName == "" {
				return fmt.Errorf("%s: artifact %q: properties.directoryName is missing", name, id)
			}
			nested = append(nested, art.Properties.DirectoryName)
		}
	}
	for _, s := range stacks {
		s.assets = assets
	}
	a.Stacks = append(a.Stacks, stacks...)
	for _, d := range nested {
		sub, err := within(dir, d)
		if err != nil {
			return fmt.Errorf("%s: nested assembly: %w", name, err)
		}
		if err := a.loadDir(sub, filepath.Join(rel, d), visiting); err != nil {
			return err
		}
	}
	return nil
}

func readStack(dir, rel, id string, art artifact) (*Stack, error) {
	s := &Stack{ArtifactID: id, Name: art.Properties.StackName, DisplayName: art.DisplayName, Dir: dir}
	if s.Name == "" {
		s.Name = id
	}
	if s.DisplayName == "" {
		s.DisplayName = s.Name
	}
	var err error
	if s.Account, s.Region, err = parseEnvironment(art.Environment); err != nil {
		return nil, fmt.Errorf("%s: stack %q: %w", filepath.Join(rel, "manifest.json"), s.Name, err)
	}
	if art.Properties.TemplateFile == "" {
		return nil, fmt.Errorf("%s: stack %q: properties.templateFile is missing", filepath.Join(rel, "manifest.json"), s.Name)
	}
	if s.TemplateFile, err = within(dir, art.Properties.TemplateFile); err != nil {
		return nil, fmt.Errorf("stack %q: %w", s.Name, err)
	}
	file := filepath.Join(rel, art.Properties.TemplateFile)
	data, err := os.ReadFile(s.TemplateFile)
	if err != nil {
		return nil, fmt.Errorf("stack %q: template %s: %w", s.Name, file, err)
	}
	if s.Template, err = ParseTemplate(data); err != nil {
		return nil, fmt.Errorf("stack %q: template %s: %w", s.Name, file, err)
	}
	return s, nil
}

// parseEnvironment splits "aws://ACCOUNT/REGION". The CDK writes unknown-account and
// unknown-region for environment-agnostic stacks; those come back empty.
func parseEnvironment(env string) (account, region string, err error) {
	if env == "" {
		return "", "", nil
	}
	rest, ok := strings.CutPrefix(env, "aws://")
	if !ok {
		return "", "", fmt.Errorf("environment %q: want aws://ACCOUNT/REGION", env)
	}
	account, region, ok = strings.Cut(rest, "/")
	if !ok {
		return "", "", fmt.Errorf("environment %q: want aws://ACCOUNT/REGION", env)
	}
	if account == "unknown-account" {
		account = ""
	}
	if region == "unknown-region" {
		region = ""
	}
	return account, region, nil
}

// within joins a relative path from a manifest onto dir and refuses paths that leave it: a
// manifest is input, and "../../etc" in it must not make the runner read elsewhere.
func within(dir, rel string) (string, error) {
	if filepath.IsAbs(rel) {
		return filepath.Clean(rel), nil // the CDK writes absolute paths for assets outside cdk.out
	}
	p := filepath.Join(dir, rel)
	if p != dir && !strings.HasPrefix(p, dir+string(filepath.Separator)) {
		return "", fmt.Errorf("path %q leaves the assembly directory", rel)
	}
	return p, nil
}
