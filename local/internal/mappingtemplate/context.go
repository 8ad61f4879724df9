package mappingtemplate

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/vtl"
)

// NestContext turns flat, dotted context keys ("identity.sourceIp") into the nested maps
// Vars.Context takes.
func NestContext(flat map[string]string) map[string]any {
	out := map[string]any{}
	for _, k := range slices.Sorted(maps.Keys(flat)) {
		parts := strings.Split(k, ".")
		m := out
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[p] = next
			}
			m = next
		}
		m[parts[len(parts)-1]] = flat[k]
	}
	return out
}

// contextMap makes the render's own $context from the caller's, to which Render adds the
// overrides. For a template that may change maps it is a deep copy, so nothing the template
// does reaches the caller's maps or another render. A read-only template gets a copy of the
// top level only, and shares the nested maps.
func contextMap(v Vars, readOnly bool) *vtl.Map {
	switch {
	case v.ContextMap != nil && readOnly:
		return v.ContextMap.Copy()
	case v.ContextMap != nil:
		return vtl.Clone(v.ContextMap).(*vtl.Map)
	case v.Context == nil:
		return vtl.NewMap()
	case readOnly:
		m := vtl.NewMapSize(len(v.Context) + 2)
		for _, k := range slices.Sorted(maps.Keys(v.Context)) {
			m.Put(k, v.Context[k])
		}
		return m
	default:
		return vtl.Clone(v.Context).(*vtl.Map)
	}
}

// overrideMap is one of $context.requestOverride.header, .path, .querystring and
// $context.responseOverride.header. The guide: "An override may only be applied to each
// parameter once"; assigning one twice fails the template, as API Gateway answers 5XX.
type overrideMap struct {
	name string
	vals vtl.Map // by value: a render makes four, and most templates use none
}

func (o *overrideMap) String() string {
	s, _ := vtl.String(&o.vals)
	return s
}

func (o *overrideMap) Property(name string) (any, bool) {
	return o.vals.Get(name)
}

func (o *overrideMap) SetProperty(name string, v any) error {
	if _, had := o.vals.Get(name); had {
		return fmt.Errorf("%s.%s is overridden twice; API Gateway allows one override per parameter (assign a variable and override once, at the end)", o.name, name)
	}
	o.vals.Put(name, v)
	return nil
}

func (o *overrideMap) Call(method string, args []any) (any, error) {
	key := func() (string, bool) {
		s, ok := args[0].(string)
		return s, ok
	}
	switch {
	case method == "put" && len(args) == 2:
		if k, ok := key(); ok {
			return nil, o.SetProperty(k, args[1])
		}
	case method == "get" && len(args) == 1:
		if k, ok := key(); ok {
			v, _ := o.vals.Get(k)
			return v, nil
		}
	case method == "containsKey" && len(args) == 1:
		if k, ok := key(); ok {
			_, had := o.vals.Get(k)
			return had, nil
		}
	case method == "keySet" && len(args) == 0:
		keys := o.vals.Keys()
		items := make([]any, len(keys))
		for i, k := range keys {
			items[i] = k
		}
		return vtl.NewList(items...), nil
	case method == "size" && len(args) == 0:
		return o.vals.Len(), nil
	case method == "isEmpty" && len(args) == 0:
		return o.vals.Len() == 0, nil
	case method == "toString" && len(args) == 0:
		return o.String(), nil
	}
	return nil, fmt.Errorf("%w: %s.%s", vtl.ErrUnknownMethod, o.name, method)
}

// values reads the overrides: each value's text, a list giving several values (the
// guide's multivalueheader example).
func (o *overrideMap) values() (map[string][]string, error) {
	if o.vals.Len() == 0 {
		return nil, nil
	}
	out := make(map[string][]string, o.vals.Len())
	for _, k := range o.vals.Keys() {
		v, _ := o.vals.Get(k)
		var items []any
		if l, ok := v.(*vtl.List); ok {
			items = l.Items()
		} else if l, ok := v.([]any); ok {
			items = l
		} else {
			items = []any{v}
		}
		for _, it := range items {
			s, err := vtl.String(it)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", o.name, k, err)
			}
			out[k] = append(out[k], s)
		}
	}
	return out, nil
}

// requestOverride is $context.requestOverride.
type requestOverride struct {
	header, path, querystring overrideMap
}

func newRequestOverride() requestOverride {
	return requestOverride{
		header:      overrideMap{name: "$context.requestOverride.header"},
		path:        overrideMap{name: "$context.requestOverride.path"},
		querystring: overrideMap{name: "$context.requestOverride.querystring"},
	}
}

func (r *requestOverride) String() string {
	return fmt.Sprintf("{header=%s, path=%s, querystring=%s}", &r.header, &r.path, &r.querystring)
}

func (r *requestOverride) Property(name string) (any, bool) {
	switch name {
	case "header":
		return &r.header, true
	case "path":
		return &r.path, true
	case "querystring":
		return &r.querystring, true
	}
	return nil, false
}

func (r *requestOverride) Call(method string, args []any) (any, error) {
	if method == "toString" && len(args) == 0 {
		return r.String(), nil
	}
	return nil, fmt.Errorf("%w: $context.requestOverride.%s", vtl.ErrUnknownMethod, method)
}

func (r *requestOverride) result() (RequestOverride, error) {
	var out RequestOverride
	var err error
	if out.Header, err = r.header.values(); err != nil {
		return out, err
	}
	if out.Querystring, err = r.querystring.values(); err != nil {
		return out, err
	}
	path, err := r.path.values()
	if err != nil {
		return out, err
	}
	for k, vs := range path {
		if out.Path == nil {
			out.Path = map[string]string{}
		}
		out.Path[k] = strings.Join(vs, ",")
	}
	return out, nil
}

// responseOverride is $context.responseOverride.
type responseOverride struct {
	header overrideMap
	status any
}

func newResponseOverride() responseOverride {
	return responseOverride{header: overrideMap{name: "$context.responseOverride.header"}}
}

func (r *responseOverride) String() string {
	s, _ := vtl.String(r.status)
	return fmt.Sprintf("{header=%s, status=%s}", &r.header, s)
}

func (r *responseOverride) Property(name string) (any, bool) {
	switch name {
	case "header":
		return &r.header, true
	case "status":
		return r.status, r.status != nil
	}
	return nil, false
}

func (r *responseOverride) SetProperty(name string, v any) error {
	if name != "status" {
		return nil // like Velocity with no such property: nothing happens
	}
	if r.status != nil {
		return fmt.Errorf("$context.responseOverride.status is overridden twice; API Gateway allows one override (assign a variable and override once, at the end)")
	}
	r.status = v
	return nil
}

func (r *responseOverride) Call(method string, args []any) (any, error) {
	if method == "toString" && len(args) == 0 {
		return r.String(), nil
	}
	return nil, fmt.Errorf("%w: $context.responseOverride.%s", vtl.ErrUnknownMethod, method)
}

func (r *responseOverride) result() (ResponseOverride, error) {
	var out ResponseOverride
	var err error
	if out.Header, err = r.header.values(); err != nil {
		return out, err
	}
	if r.status == nil {
		return out, nil
	}
	code := -1
	switch x := r.status.(type) {
	case int64:
		if x >= 0 && x <= math.MaxInt32 {
			code = int(x)
		}
	case float64:
		if x == math.Trunc(x) && x >= 0 && x <= math.MaxInt32 {
			code = int(x)
		}
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(x)); err == nil {
			code = n
		}
	}
	if code < 100 || code > 599 {
		s, _ := vtl.String(r.status)
		return out, fmt.Errorf("$context.responseOverride.status is %q, which is not an HTTP status code", s)
	}
	out.Status = code
	return out, nil
}
