package mappingtemplate

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/gatehouse-dev/gatehouse/local/internal/vtl"
	"github.com/ohler55/ojg/jp"
)

// BodyError is the cause of a render error when $input.json or $input.path read a body
// that is not JSON. API Gateway rejects such a request with 400 and the message
// "Could not parse request body into json: ...".
type BodyError struct {
	Err error
}

func (e *BodyError) Error() string { return "the body is not JSON: " + e.Err.Error() }

func (e *BodyError) Unwrap() error { return e.Err }

// input is $input. It parses the body once, on the first $input.json or $input.path.
type input struct {
	body   []byte
	params Params
	paths  *pathCache
	// shared is set for a read-only template (vtl.Template.ReadOnly): $input.path then
	// returns parts of the parsed body itself, which such a template cannot change.
	shared bool

	parsed   bool
	root     any
	parseErr error
	paramMap *vtl.Map
}

func (in *input) String() string { return "$input" }

func (in *input) Property(name string) (any, bool) {
	if name == "body" {
		return string(in.body), true
	}
	return nil, false
}

func (in *input) Call(method string, args []any) (any, error) {
	switch {
	case method == "json" && len(args) == 1:
		path, ok := args[0].(string)
		if !ok {
			break
		}
		v, found, err := in.path(path)
		if err != nil || !found {
			return "", err
		}
		return vtl.JSON(v)
	case method == "path" && len(args) == 1:
		path, ok := args[0].(string)
		if !ok {
			break
		}
		v, found, err := in.path(path)
		if err != nil || !found {
			return "", err
		}
		if in.shared {
			return v, nil
		}
		// A copy: a template changing what it got must not change later results.
		return vtl.Clone(v), nil
	case method == "params" && len(args) == 0:
		return in.allParams(), nil
	case method == "params" && len(args) == 1:
		name, ok := args[0].(string)
		if !ok {
			break
		}
		return in.param(name), nil
	case method == "toString" && len(args) == 0:
		return in.String(), nil
	}
	return nil, fmt.Errorf("%w: $input.%s with %d arguments", vtl.ErrUnknownMethod, method, len(args))
}

// document returns the parsed body. An empty body is an empty object, as in API Gateway
// ($input.json('$') is {}).
func (in *input) document() (any, error) {
	if !in.parsed {
		in.parsed = true
		if len(bytes.TrimSpace(in.body)) == 0 {
			in.root = vtl.NewMap()
		} else {
			in.root, in.parseErr = vtl.ParseJSON(in.body)
			if in.parseErr != nil {
				in.parseErr = &BodyError{Err: in.parseErr}
			}
		}
	}
	return in.root, in.parseErr
}

// path evaluates a JSONPath expression on the body. A definite path (names and indexes
// only) yields its one match; found is false when it matches nothing, which API Gateway
// renders as an empty string. An indefinite path (wildcards, .., filters, slices, unions)
// yields the list of its matches, as JSONPath for Java does.
func (in *input) path(path string) (any, bool, error) {
	doc, err := in.document()
	if err != nil {
		return nil, false, err
	}
	if path == "$" {
		return doc, true, nil // the most common path of all, and the cheapest
	}
	x, err := in.paths.parse(path)
	if err != nil {
		return nil, false, err
	}
	if x.names != nil {
		v, found := walkNames(doc, x.names)
		return v, found, nil
	}
	matches := x.expr.Get(doc)
	if !definite(x.expr) {
		return vtl.NewJSONList(matches...), true, nil
	}
	if len(matches) == 0 {
		return nil, false, nil
	}
	return matches[0], true, nil
}

// pathCache holds a template's parsed JSONPath expressions: most templates name the same few
// literal paths on every render. It stops growing at maxCachedPaths, for templates that
// build paths from data.
type pathCache struct {
	mu    sync.RWMutex
	exprs map[string]*jsonPath
}

const maxCachedPaths = 64

// jsonPath is a parsed JSONPath expression. names is set for the commonest kind, $.a.b.c
// (the root and member names only), which is followed through the maps directly rather than
// by the JSONPath engine.
type jsonPath struct {
	expr  jp.Expr
	names []string
}

func (c *pathCache) parse(path string) (*jsonPath, error) {
	c.mu.RLock()
	x, ok := c.exprs[path]
	c.mu.RUnlock()
	if ok {
		return x, nil
	}
	expr, err := jp.ParseString(path)
	if err != nil {
		return nil, fmt.Errorf("JSONPath %q: %v", path, err)
	}
	x = &jsonPath{expr: expr}
	if len(expr) > 1 {
		if _, root := expr[0].(jp.Root); root {
			x.names = make([]string, 0, len(expr)-1)
			for _, f := range expr[1:] {
				child, ok := f.(jp.Child)
				if !ok {
					x.names = nil
					break
				}
				x.names = append(x.names, string(child))
			}
		}
	}
	c.mu.Lock()
	if c.exprs == nil {
		c.exprs = map[string]*jsonPath{}
	}
	if len(c.exprs) < maxCachedPaths {
		c.exprs[path] = x
	}
	c.mu.Unlock()
	return x, nil
}

// walkNames follows member names from doc through the parsed body's maps: the one match of
// $.a.b.c, and whether there is one.
func walkNames(doc any, names []string) (any, bool) {
	v := doc
	for _, n := range names {
		m, ok := v.(*vtl.Map)
		if !ok {
			return nil, false
		}
		if v, ok = m.Get(n); !ok {
			return nil, false
		}
	}
	return v, true
}

func definite(x jp.Expr) bool {
	for _, f := range x {
		switch f.(type) {
		case jp.Root, jp.At, jp.Child, jp.Nth, jp.Bracket:
		default:
			return false
		}
	}
	return true
}

// allParams is $input.params(): {path={...}, querystring={...}, header={...}}, each in
// sorted name order.
func (in *input) allParams() *vtl.Map {
	if in.paramMap == nil {
		in.paramMap = vtl.NewMap()
		for _, g := range []struct {
			name string
			vals map[string]string
		}{{"path", in.params.Path}, {"querystring", in.params.Querystring}, {"header", in.params.Header}} {
			m := vtl.NewMap()
			for _, k := range slices.Sorted(maps.Keys(g.vals)) {
				m.Put(k, g.vals[k])
			}
			in.paramMap.Put(g.name, m)
		}
	}
	return in.paramMap
}

// param is $input.params(name): the path parameter, else the query string parameter,
// else the header (whose name matches case-insensitively, as HTTP header names do), else
// an empty string.
func (in *input) param(name string) string {
	if v, ok := in.params.Path[name]; ok {
		return v
	}
	if v, ok := in.params.Querystring[name]; ok {
		return v
	}
	if v, ok := in.params.Header[name]; ok {
		return v
	}
	// Headers match in any case. With several names that match (a host's map may hold them),
	// the first in sorted order wins; finding at most one needs no sorting.
	found, matches := "", 0
	for k := range in.params.Header {
		if strings.EqualFold(k, name) {
			found, matches = k, matches+1
		}
	}
	if matches > 1 {
		for _, k := range slices.Sorted(maps.Keys(in.params.Header)) {
			if strings.EqualFold(k, name) {
				return in.params.Header[k]
			}
		}
	}
	if matches == 0 {
		return ""
	}
	return in.params.Header[found]
}
