package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/intrinsics"
)

// The helpers below resolve one property and check its type. CloudFormation coerces scalars
// ("128" for a number, "true" for a boolean), so they do too; anything else is an error that
// names the stack, resource and property.

func propErr(st *stackState, res *assembly.Resource, prop string, err error) error {
	return fmt.Errorf("stack %q: resource %q (%s): property %s: %w", st.s.Name, res.LogicalID, res.Type, prop, err)
}

// resolve resolves one property. An attribute the resolver has no local value for (GetAtt of a
// resource type it does not model) is not the template's fault: the property is treated as
// absent, with a warning.
func (b *builder) resolve(st *stackState, res *assembly.Resource, prop string) (any, error) {
	v, err := st.r.ResolveProperty(res, prop)
	var ua *intrinsics.UnknownAttributeError
	if errors.As(err, &ua) {
		b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("property %s is left unset: %v", prop, ua))
		return nil, nil
	}
	return v, err
}

// str resolves a string property; "" when absent, an error when absent and required.
func (b *builder) str(st *stackState, res *assembly.Resource, prop string, required bool) (string, error) {
	v, err := b.resolve(st, res, prop)
	if err != nil {
		return "", err
	}
	if v == nil {
		if required {
			return "", propErr(st, res, prop, errors.New("is required"))
		}
		return "", nil
	}
	s, err := asString(v)
	if err != nil {
		return "", propErr(st, res, prop, err)
	}
	return s, nil
}

func (b *builder) boolean(st *stackState, res *assembly.Resource, prop string) (bool, error) {
	v, err := b.resolve(st, res, prop)
	if err != nil || v == nil {
		return false, err
	}
	x, err := asBool(v)
	if err != nil {
		return false, propErr(st, res, prop, err)
	}
	return x, nil
}

// integer returns nil when the property is absent.
func (b *builder) integer(st *stackState, res *assembly.Resource, prop string) (*int, error) {
	v, err := b.resolve(st, res, prop)
	if err != nil || v == nil {
		return nil, err
	}
	n, err := asInt(v)
	if err != nil {
		return nil, propErr(st, res, prop, err)
	}
	return &n, nil
}

func (b *builder) strList(st *stackState, res *assembly.Resource, prop string) ([]string, error) {
	v, err := b.resolve(st, res, prop)
	if err != nil || v == nil {
		return nil, err
	}
	l, err := asStringList(v)
	if err != nil {
		return nil, propErr(st, res, prop, err)
	}
	return l, nil
}

func (b *builder) strMap(st *stackState, res *assembly.Resource, prop string) (map[string]string, error) {
	v, err := b.resolve(st, res, prop)
	if err != nil || v == nil {
		return nil, err
	}
	m, err := asStringMap(v)
	if err != nil {
		return nil, propErr(st, res, prop, err)
	}
	return m, nil
}

func asString(v any) (string, error) {
	s, err := intrinsics.StringValue(v)
	if err != nil {
		return "", fmt.Errorf("want a string, got %s", intrinsics.DescribeValue(v))
	}
	return s, nil
}

func asBool(v any) (bool, error) {
	switch v := v.(type) {
	case bool:
		return v, nil
	case string:
		if b, err := strconv.ParseBool(v); err == nil && (v == "true" || v == "false") {
			return b, nil
		}
	}
	return false, fmt.Errorf("want a boolean, got %s", intrinsics.DescribeValue(v))
}

func asInt(v any) (int, error) {
	var s string
	switch v := v.(type) {
	case json.Number:
		s = v.String()
	case string:
		s = v
	default:
		return 0, fmt.Errorf("want an integer, got %s", intrinsics.DescribeValue(v))
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("want an integer, got %q", s)
	}
	return n, nil
}

func asFloat(v any) (float64, error) {
	var s string
	switch v := v.(type) {
	case json.Number:
		s = v.String()
	case string:
		s = v
	default:
		return 0, fmt.Errorf("want a number, got %s", intrinsics.DescribeValue(v))
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("want a number, got %q", s)
	}
	return f, nil
}

func asStringList(v any) ([]string, error) {
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of strings, got %s", intrinsics.DescribeValue(v))
	}
	out := make([]string, 0, len(l))
	for i, e := range l {
		s, err := asString(e)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func asStringMap(v any) (map[string]string, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want an object of strings, got %s", intrinsics.DescribeValue(v))
	}
	out := make(map[string]string, len(m))
	for _, k := range sortedKeys(m) {
		s, err := asString(m[k])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = s
	}
	return out, nil
}

func asObject(v any) (map[string]any, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want an object, got %s", intrinsics.DescribeValue(v))
	}
	return m, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fields reads the typed fields of one resolved object (a property's value, or an OpenAPI
// object), keeping the first error together with the path of the field that caused it, so a
// reader can take many fields and check once. Readers of nested objects share that error.
type fields struct {
	m    map[string]any
	path string // where m is: "Integration", "MethodResponses[1]", "Body.paths./items.get"
	e    *fieldErr
}

type fieldErr struct {
	path string
	err  error
}

func newFields(path string, v any) *fields {
	f := &fields{path: path, e: &fieldErr{}}
	f.m = f.asObject("", v)
	return f
}

func (f *fields) at(key string) string {
	switch {
	case key == "":
		return f.path
	case f.path == "":
		return key
	}
	return f.path + "." + key
}

func (f *fields) fail(key string, err error) {
	if f.e.err == nil {
		f.e.path, f.e.err = f.at(key), err
	}
}

func (f *fields) failed() bool { return f.e.err != nil }

// check returns the first failure as a property error of res.
func (f *fields) check(st *stackState, res *assembly.Resource) error {
	if f.e.err == nil {
		return nil
	}
	return propErr(st, res, f.e.path, f.e.err)
}

func (f *fields) asObject(key string, v any) map[string]any {
	m, err := asObject(v)
	if err != nil {
		f.fail(key, err)
	}
	return m
}

func (f *fields) has(key string) bool { return f.m[key] != nil }

func (f *fields) str(key string) string {
	if f.m[key] == nil {
		return ""
	}
	s, err := asString(f.m[key])
	if err != nil {
		f.fail(key, err)
	}
	return s
}

func (f *fields) boolean(key string) bool {
	if f.m[key] == nil {
		return false
	}
	v, err := asBool(f.m[key])
	if err != nil {
		f.fail(key, err)
	}
	return v
}

// integer is nil when the field is absent.
func (f *fields) integer(key string) *int {
	if f.m[key] == nil {
		return nil
	}
	n, err := asInt(f.m[key])
	if err != nil {
		f.fail(key, err)
		return nil
	}
	return &n
}

func (f *fields) strMap(key string) map[string]string {
	if f.m[key] == nil {
		return nil
	}
	m, err := asStringMap(f.m[key])
	if err != nil {
		f.fail(key, err)
	}
	return m
}

// boolMap reads {"name": true} maps such as a REST method's RequestParameters.
func (f *fields) boolMap(key string) map[string]bool {
	m := f.asObject(key, f.m[key])
	if m == nil {
		return nil
	}
	out := make(map[string]bool, len(m))
	for _, k := range sortedKeys(m) {
		v, err := asBool(m[k])
		if err != nil {
			f.fail(key+"."+k, err)
		}
		out[k] = v
	}
	return out
}

func (f *fields) strList(key string) []string {
	if f.m[key] == nil {
		return nil
	}
	l, err := asStringList(f.m[key])
	if err != nil {
		f.fail(key, err)
	}
	return l
}

func (f *fields) list(key string) []any {
	if f.m[key] == nil {
		return nil
	}
	l, ok := f.m[key].([]any)
	if !ok {
		f.fail(key, fmt.Errorf("want a list, got %s", intrinsics.DescribeValue(f.m[key])))
	}
	return l
}

// object reads a nested object; absent, it reads as empty.
func (f *fields) object(key string) *fields {
	return &fields{m: f.asObject(key, f.m[key]), path: f.at(key), e: f.e}
}

// elem reads the object at index i of a list field.
func (f *fields) elem(key string, i int, v any) *fields {
	k := fmt.Sprintf("%s[%d]", key, i)
	return &fields{m: f.asObject(k, v), path: f.at(k), e: f.e}
}
