package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/intrinsics"
)

// Lambda's defaults when the template leaves MemorySize and Timeout out.
const (
	defaultMemoryMB = 128
	defaultTimeout  = 3 * time.Second
)

func (b *builder) addFunction(st *stackState, res *assembly.Resource) error {
	const typ = "AWS::Lambda::Function"
	name, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return propErr(st, res, "FunctionName", err)
	}
	arn, err := st.r.GetAtt(res.LogicalID, "Arn")
	if err != nil {
		return propErr(st, res, "FunctionName", err)
	}
	f := &Function{Stack: st.s.Name, LogicalID: res.LogicalID, Name: name.(string), ARN: arn.(string)}
	if prev, dup := b.functions[f.Name]; dup {
		return propErr(st, res, "FunctionName", fmt.Errorf("function name %q is already used by resource %q of stack %q", f.Name, prev.LogicalID, prev.Stack))
	}

	if f.Runtime, err = b.str(st, res, "Runtime", false); err != nil {
		return err
	}
	if f.Handler, err = b.str(st, res, "Handler", false); err != nil {
		return err
	}
	archs, err := b.strList(st, res, "Architectures")
	if err != nil {
		return err
	}
	f.Architecture = ArchX8664
	if len(archs) > 0 {
		if archs[0] != ArchX8664 && archs[0] != ArchARM64 {
			return propErr(st, res, "Architectures", fmt.Errorf("%q is not x86_64 or arm64", archs[0]))
		}
		f.Architecture = archs[0]
	}
	f.MemoryMB = defaultMemoryMB
	if n, err := b.integer(st, res, "MemorySize"); err != nil {
		return err
	} else if n != nil {
		f.MemoryMB = *n
	}
	f.Timeout = defaultTimeout
	if n, err := b.integer(st, res, "Timeout"); err != nil {
		return err
	} else if n != nil {
		f.Timeout = time.Duration(*n) * time.Second
	}
	if f.ReservedConcurrency, err = b.integer(st, res, "ReservedConcurrentExecutions"); err != nil {
		return err
	}
	if f.Environment, err = b.environment(st, res); err != nil {
		return err
	}
	if f.Role, err = b.str(st, res, "Role", false); err != nil {
		return err
	}
	f.RoleLogicalID = roleLogicalID(st, res.Properties["Role"])

	packageType, err := b.str(st, res, "PackageType", false)
	if err != nil {
		return err
	}
	if packageType == "Image" {
		b.warn(st, res.LogicalID, typ, "container image functions cannot run locally (no Docker): requests to it get a 500")
	} else {
		warned, err := b.code(st, res, f)
		if err != nil {
			return err
		}
		if !warned { // one reason the function cannot run is enough
			b.checkRunnable(st, res, f)
		}
	}
	if layers, err := b.resolve(st, res, "Layers"); err != nil {
		return err
	} else if l, ok := layers.([]any); ok && len(l) > 0 {
		b.warn(st, res.LogicalID, typ, "Lambda layers are not mounted locally (/opt is empty)")
	}

	b.functions[f.Name] = f
	b.m.Functions = append(b.m.Functions, f)
	return nil
}

// environment resolves Environment.Variables one by one, so that a variable holding an
// attribute the runner cannot compute (GetAtt of an unmodelled resource) is dropped with a
// warning instead of losing all the others.
func (b *builder) environment(st *stackState, res *assembly.Resource) (map[string]string, error) {
	env, ok := res.Properties["Environment"].(map[string]any)
	if !ok {
		if res.Properties["Environment"] != nil {
			return nil, propErr(st, res, "Environment", fmt.Errorf("want an object, got %s", intrinsics.DescribeValue(res.Properties["Environment"])))
		}
		return nil, nil
	}
	rawVars, ok := env["Variables"].(map[string]any)
	if !ok {
		if env["Variables"] != nil {
			return nil, propErr(st, res, "Environment.Variables", fmt.Errorf("want an object, got %s", intrinsics.DescribeValue(env["Variables"])))
		}
		return nil, nil
	}
	vars := map[string]string{}
	for _, name := range sortedKeys(rawVars) {
		prop := "Environment.Variables." + name
		v, err := st.r.Resolve(rawVars[name])
		var ua *intrinsics.UnknownAttributeError
		if errors.As(err, &ua) {
			b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("environment variable %s is left unset: %v", name, ua))
			continue
		}
		if err != nil {
			return nil, &intrinsics.PropertyError{Stack: st.s.Name, Resource: res.LogicalID, Property: prop, Err: err}
		}
		if v == nil {
			continue // AWS::NoValue
		}
		s, err := asString(v)
		if err != nil {
			return nil, propErr(st, res, prop, err)
		}
		vars[name] = s
	}
	return vars, nil
}

// roleLogicalID recognises the Role forms the CDK writes: {"Fn::GetAtt": [Role, "Arn"]} (or the
// "Role.Arn" string form) naming an IAM role of the same stack.
func roleLogicalID(st *stackState, raw any) string {
	m, ok := raw.(map[string]any)
	if !ok {
		return ""
	}
	var id string
	switch a := m["Fn::GetAtt"].(type) {
	case []any:
		if len(a) == 2 {
			id, _ = a[0].(string)
		}
	case string:
		id, _, _ = strings.Cut(a, ".")
	}
	if r, ok := st.s.Template.Resources[id]; ok && r.Type == "AWS::IAM::Role" {
		return id
	}
	return ""
}

// code finds the function's code on disk: through the asset manifest entry whose object key is
// Code.S3Key, or else the aws:asset:path metadata the CDK writes for SAM and similar tools.
// It reports whether it warned.
func (b *builder) code(st *stackState, res *assembly.Resource, f *Function) (warned bool, err error) {
	const typ = "AWS::Lambda::Function"
	code, rerr := b.resolve(st, res, "Code")
	// The legacy synthesizer's S3Key is built from parameters that have no Default; the
	// metadata path still finds the code, so such a failure is not fatal here.
	var codeMap map[string]any
	if rerr == nil {
		if codeMap, err = asObject(code); err != nil {
			return false, propErr(st, res, "Code", err)
		}
	}
	if codeMap["ZipFile"] != nil {
		b.warn(st, res.LogicalID, typ, "inline code (Code.ZipFile) cannot run locally: it is only valid for interpreted runtimes")
		return true, nil
	}
	var path string
	if key, ok := codeMap["S3Key"].(string); ok {
		if as, found := st.s.Asset(key); found {
			dir, err := b.a.CodeDir(as)
			if err != nil {
				b.warn(st, res.LogicalID, typ, "code not found: "+err.Error())
				return true, nil
			}
			path = dir
		}
	}
	if path == "" {
		if p, ok := st.s.MetadataAssetPath(res); ok {
			dir, err := b.a.CodeDir(assembly.Asset{Path: p})
			if err != nil {
				b.warn(st, res.LogicalID, typ, "code not found: "+err.Error())
				return true, nil
			}
			path = dir
		}
	}
	if path == "" {
		why := "Code names no asset of the assembly"
		if key, ok := codeMap["S3Key"].(string); ok {
			why = fmt.Sprintf("Code.S3Key %q is not an asset of the assembly and the resource has no aws:asset:path metadata", key)
		}
		b.warn(st, res.LogicalID, typ, "code not found: "+why+"; requests to it get a 500")
		return true, nil
	}
	f.CodeDir = path
	return false, nil
}

// checkRunnable warns about functions the Lambda host will refuse: the runner executes
// bootstrap binaries (custom runtimes) and go1.x handlers, nothing that needs an interpreter.
func (b *builder) checkRunnable(st *stackState, res *assembly.Resource, f *Function) {
	const typ = "AWS::Lambda::Function"
	var exe string
	switch {
	case f.Runtime == "provided" || strings.HasPrefix(f.Runtime, "provided."):
		exe = "bootstrap"
	case f.Runtime == "go1.x":
		exe = f.Handler
	default:
		b.warn(st, res.LogicalID, typ, fmt.Sprintf("runtime %q cannot run locally: the runner runs bootstrap executables (provided.al2023, provided.al2, provided, go1.x)", f.Runtime))
		return
	}
	if f.CodeDir == "" || exe == "" {
		return
	}
	if _, err := os.Stat(filepath.Join(f.CodeDir, exe)); errors.Is(err, os.ErrNotExist) {
		b.warn(st, res.LogicalID, typ, fmt.Sprintf("code directory %s has no %s executable", f.CodeDir, exe))
	}
}
