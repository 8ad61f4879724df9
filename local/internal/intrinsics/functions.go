package intrinsics

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

func (r *Resolver) fnRef(arg any) (any, error) {
	name, ok := arg.(string)
	if !ok {
		return nil, fmt.Errorf("want a logical id or parameter name, got %s", describe(arg))
	}
	return r.Ref(name)
}

// Ref returns what {"Ref": name} evaluates to: a pseudo parameter, a parameter's value, or a
// resource's local physical id.
func (r *Resolver) Ref(name string) (any, error) {
	switch name {
	case "AWS::AccountId":
		return r.opts.Account, nil
	case "AWS::Region":
		return r.opts.Region, nil
	case "AWS::Partition":
		return r.Partition(), nil
	case "AWS::StackName":
		return r.opts.StackName, nil
	case "AWS::StackId":
		return r.StackID(), nil
	case "AWS::URLSuffix":
		return urlSuffix(r.opts.Region), nil
	case "AWS::NoValue":
		return noValue, nil
	case "AWS::NotificationARNs":
		return []any{}, nil
	}
	if p, ok := r.t.Parameters[name]; ok {
		return r.parameter(name, p.Type, p.Default)
	}
	if _, ok := r.t.Resources[name]; ok {
		return r.refResource(name)
	}
	if strings.HasPrefix(name, "AWS::") {
		return nil, fmt.Errorf("%q: unknown pseudo parameter", name)
	}
	return nil, fmt.Errorf("%q: no such resource or parameter in the template", name)
}

func (r *Resolver) parameter(name, typ string, def any) (any, error) {
	var s string
	if v, ok := r.opts.Parameters[name]; ok {
		s = v
	} else if def != nil {
		s = scalarString(def)
		if s == "" {
			if _, isStr := def.(string); !isStr {
				return nil, fmt.Errorf("parameter %q: Default must be a string or number, got %s", name, describe(def))
			}
		}
	} else {
		return nil, fmt.Errorf("parameter %q has no Default and no value was given for it", name)
	}
	// List parameters resolve to lists, as CloudFormation hands them to Fn::Select and Fn::Join.
	if typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<") {
		var out []any
		for _, e := range strings.Split(s, ",") {
			out = append(out, strings.TrimSpace(e))
		}
		return out, nil
	}
	return s, nil
}

func (r *Resolver) fnGetAtt(arg any) (any, error) {
	var id, attr string
	switch a := arg.(type) {
	case string:
		var ok bool
		if id, attr, ok = strings.Cut(a, "."); !ok {
			return nil, fmt.Errorf("%q: want \"LogicalId.Attribute\"", a)
		}
	case []any:
		if len(a) != 2 {
			return nil, fmt.Errorf("want [LogicalId, Attribute], got %d elements", len(a))
		}
		var ok bool
		if id, ok = a[0].(string); !ok {
			return nil, fmt.Errorf("logical id: want a string, got %s", describe(a[0]))
		}
		// The attribute name may itself be computed (a Ref to a parameter).
		v, err := r.resolve(a[1])
		if err != nil {
			return nil, fmt.Errorf("attribute: %w", err)
		}
		if attr, ok = v.(string); !ok {
			return nil, fmt.Errorf("attribute: want a string, got %s", describe(v))
		}
	default:
		return nil, fmt.Errorf("want [LogicalId, Attribute] or \"LogicalId.Attribute\", got %s", describe(arg))
	}
	return r.GetAtt(id, attr)
}

func (r *Resolver) fnJoin(arg any) (any, error) {
	a, ok := arg.([]any)
	if !ok || len(a) != 2 {
		return nil, fmt.Errorf("want [delimiter, [values...]], got %s", describe(arg))
	}
	delim, ok := a[0].(string)
	if !ok {
		return nil, fmt.Errorf("delimiter: want a string, got %s", describe(a[0]))
	}
	list, err := r.resolve(a[1])
	if err != nil {
		return nil, err
	}
	items, ok := list.([]any)
	if !ok {
		return nil, fmt.Errorf("values: want a list, got %s", describe(list))
	}
	parts := make([]string, len(items))
	for i, it := range items {
		s, err := stringValue(it)
		if err != nil {
			return nil, fmt.Errorf("values[%d]: %w", i, err)
		}
		parts[i] = s
	}
	return strings.Join(parts, delim), nil
}

func (r *Resolver) fnSelect(arg any) (any, error) {
	a, ok := arg.([]any)
	if !ok || len(a) != 2 {
		return nil, fmt.Errorf("want [index, [values...]], got %s", describe(arg))
	}
	iv, err := r.resolve(a[0])
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	idx, err := strconv.Atoi(scalarString(iv))
	if err != nil {
		return nil, fmt.Errorf("index: want an integer, got %s", describe(iv))
	}
	list, err := r.resolve(a[1])
	if err != nil {
		return nil, err
	}
	items, ok := list.([]any)
	if !ok {
		return nil, fmt.Errorf("values: want a list, got %s", describe(list))
	}
	if idx < 0 || idx >= len(items) {
		return nil, fmt.Errorf("index %d is out of range for a list of %d", idx, len(items))
	}
	return items[idx], nil
}

func (r *Resolver) fnSplit(arg any) (any, error) {
	a, ok := arg.([]any)
	if !ok || len(a) != 2 {
		return nil, fmt.Errorf("want [delimiter, string], got %s", describe(arg))
	}
	delim, ok := a[0].(string)
	if !ok || delim == "" {
		return nil, fmt.Errorf("delimiter: want a non-empty string, got %s", describe(a[0]))
	}
	src, err := r.resolve(a[1])
	if err != nil {
		return nil, err
	}
	s, ok := src.(string)
	if !ok {
		return nil, fmt.Errorf("source: want a string, got %s", describe(src))
	}
	var out []any
	for _, p := range strings.Split(s, delim) {
		out = append(out, p)
	}
	return out, nil
}

func (r *Resolver) fnIf(arg any) (any, error) {
	a, ok := arg.([]any)
	if !ok || len(a) != 3 {
		return nil, fmt.Errorf("want [condition, value if true, value if false], got %s", describe(arg))
	}
	name, ok := a[0].(string)
	if !ok {
		return nil, fmt.Errorf("condition: want a condition name, got %s", describe(a[0]))
	}
	b, err := r.Condition(name)
	if err != nil {
		return nil, err
	}
	// Only the chosen branch is evaluated: the other may Ref a resource its condition removed.
	if b {
		return r.resolve(a[1])
	}
	return r.resolve(a[2])
}

func (r *Resolver) fnFindInMap(arg any) (any, error) {
	a, ok := arg.([]any)
	if !ok || (len(a) != 3 && len(a) != 4) {
		return nil, fmt.Errorf("want [map name, top-level key, second-level key], got %s", describe(arg))
	}
	keys := make([]string, 3)
	for i := range keys {
		v, err := r.resolve(a[i])
		if err != nil {
			return nil, err
		}
		s, err := stringValue(v)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		keys[i] = s
	}
	// The optional fourth argument is AWS::LanguageExtensions' {"DefaultValue": ...}.
	fallback := func(err error) (any, error) {
		if len(a) == 4 {
			if d, ok := a[3].(map[string]any); ok {
				if dv, ok := d["DefaultValue"]; ok {
					return r.resolve(dv)
				}
			}
		}
		return nil, err
	}
	m, ok := r.t.Mappings[keys[0]].(map[string]any)
	if !ok {
		return fallback(fmt.Errorf("no mapping %q", keys[0]))
	}
	top, ok := m[keys[1]].(map[string]any)
	if !ok {
		return fallback(fmt.Errorf("mapping %q has no key %q", keys[0], keys[1]))
	}
	v, ok := top[keys[2]]
	if !ok {
		return fallback(fmt.Errorf("mapping %q: key %q has no key %q", keys[0], keys[1], keys[2]))
	}
	return v, nil
}

func (r *Resolver) fnBase64(arg any) (any, error) {
	v, err := r.resolve(arg)
	if err != nil {
		return nil, err
	}
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("want a string, got %s", describe(v))
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

// fnGetAZs answers three zones: enough for the Fn::Select [0..2] the CDK emits for
// environment-agnostic VPCs.
func (r *Resolver) fnGetAZs(arg any) (any, error) {
	v, err := r.resolve(arg)
	if err != nil {
		return nil, err
	}
	region, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("want a region name, got %s", describe(v))
	}
	if region == "" {
		region = r.opts.Region
	}
	return []any{region + "a", region + "b", region + "c"}, nil
}

func (r *Resolver) fnImportValue(arg any) (any, error) {
	v, err := r.resolve(arg)
	if err != nil {
		return nil, err
	}
	name, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("want an export name, got %s", describe(v))
	}
	if r.opts.ImportValue == nil {
		return nil, fmt.Errorf("no stack of the assembly exports %q", name)
	}
	return r.opts.ImportValue(name)
}

// StringValue is a scalar template value (string, number, boolean) as a string, as Join and Sub
// read their operands; the model translation reads string properties the same way.
func StringValue(v any) (string, error) { return stringValue(v) }

// stringValue is a Join or Sub operand as a string. CloudFormation documents strings only, but
// numbers and booleans in templates are routinely written unquoted.
func stringValue(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	case bool:
		return strconv.FormatBool(v), nil
	case float64, int:
		return fmt.Sprint(v), nil
	}
	if v == noValue {
		return "", errors.New("AWS::NoValue is not a string")
	}
	return "", fmt.Errorf("want a string, got %s", describe(v))
}

func scalarString(v any) string {
	s, _ := stringValue(v)
	return s
}

// DescribeValue names a template value's JSON type for error messages (`string "x"`, `a list`);
// the model translation uses it too, so both speak of values alike.
func DescribeValue(v any) string { return describe(v) }

// describe names a value's JSON type for error messages.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("string %q", v)
	case json.Number:
		return "number " + v.String()
	case bool:
		return "boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	if v == noValue {
		return "AWS::NoValue"
	}
	return fmt.Sprintf("%T", v)
}
