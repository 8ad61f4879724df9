package restapi

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// segKind orders path segments by how specific they are. API Gateway walks a REST API's
// resource tree from the root, trying at each level a child with that literal name, then a
// {param} child, then a greedy {proxy+} child; comparing two candidate resources segment by
// segment, left to right, with this order picks the same resource as that walk (with
// backtracking when a branch ends without a match).
type segKind uint8

const (
	segStatic segKind = iota // "pets": matches itself only
	segVar                   // "{id}": any one non-empty segment
	segGreedy                // "{proxy+}": the rest of the path, at least one character; always last
)

type segment struct {
	kind segKind
	text string // the literal for segStatic, the variable name otherwise
}

// resource is one model.Resource ready for matching, with its methods by verb.
type resource struct {
	res    *model.Resource
	id     string // what $context.resourceId and requestContext.resourceId report
	segs   []segment
	greedy bool
	static bool
	// methods by HTTPMethod as written: "GET", ..., "ANY".
	methods map[string]*method
}

// anyVerbs are the methods ANY stands for ("Set up a method": DELETE, GET, HEAD, OPTIONS,
// PATCH, POST and PUT). Other verbs match no method at all.
var anyVerbs = map[string]bool{
	"DELETE": true, "GET": true, "HEAD": true, "OPTIONS": true, "PATCH": true, "POST": true, "PUT": true,
}

// method finds the resource's method for a request verb: its own, else ANY. REST APIs do not
// answer HEAD with a GET method: HEAD is a method of its own, or ANY's.
func (r *resource) method(verb string) *method {
	if m := r.methods[verb]; m != nil {
		return m
	}
	if anyVerbs[verb] {
		return r.methods["ANY"]
	}
	return nil
}

// resourceTable selects the resource for a request path.
type resourceTable struct {
	// exact holds resources without variables by their path: the common case needs no scan.
	exact map[string]*resource
	// ordered holds every other resource, most specific first.
	ordered []*resource
}

func newResourceTable(apiID string, resources []*model.Resource) (*resourceTable, []*resource, error) {
	t := &resourceTable{exact: map[string]*resource{}}
	var all []*resource
	seen := map[string]string{} // shape ("/a/{}/b") -> path, to refuse ambiguous siblings
	for _, mr := range resources {
		r, err := compileResource(apiID, mr)
		if err != nil {
			return nil, nil, fmt.Errorf("resource %q: %w", mr.Path, err)
		}
		shape := r.shape()
		if prev, dup := seen[shape]; dup {
			if prev == mr.Path {
				return nil, nil, fmt.Errorf("resource %q appears twice", mr.Path)
			}
			// API Gateway refuses a sibling with another variable name ("A sibling ({id})
			// of this resource already has a variable path part").
			return nil, nil, fmt.Errorf("resources %q and %q differ only in variable names, which API Gateway does not allow", prev, mr.Path)
		}
		seen[shape] = mr.Path
		all = append(all, r)
		if r.static {
			t.exact[mr.Path] = r
		} else {
			t.ordered = append(t.ordered, r)
		}
	}
	slices.SortStableFunc(t.ordered, compareSpecificity)
	return t, all, nil
}

// shape is the resource path with variable names erased: two resources with the same shape
// would match the same requests.
func (r *resource) shape() string {
	var b strings.Builder
	for _, s := range r.segs {
		b.WriteByte('/')
		switch s.kind {
		case segStatic:
			b.WriteString(s.text)
		case segVar:
			b.WriteString("{}")
		case segGreedy:
			b.WriteString("{+}")
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// compareSpecificity orders two resources that could both match one request: at the first
// segment where their kinds differ, literal before variable before greedy.
func compareSpecificity(a, b *resource) int {
	for i := 0; i < len(a.segs) && i < len(b.segs); i++ {
		if c := cmp.Compare(a.segs[i].kind, b.segs[i].kind); c != 0 {
			return c
		}
	}
	// Same kinds as far as both go: only greedy resources of different depths get here
	// ("/a/{proxy+}" and "/a/b/{proxy+}" cannot both match "/a/x"), so any order is right;
	// longer first keeps the order stable and readable.
	return cmp.Compare(len(b.segs), len(a.segs))
}

func compileResource(apiID string, mr *model.Resource) (*resource, error) {
	path := mr.Path
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("path must start with /")
	}
	r := &resource{res: mr, id: resourceID(apiID, path), static: true, methods: map[string]*method{}}
	if path == "/" {
		return r, nil
	}
	names := map[string]bool{}
	parts := strings.Split(path[1:], "/")
	for i, p := range parts {
		if p == "" {
			return nil, fmt.Errorf("path has an empty segment")
		}
		if !strings.HasPrefix(p, "{") {
			if strings.ContainsAny(p, "{}") {
				return nil, fmt.Errorf("path segment %q mixes text and a variable", p)
			}
			r.segs = append(r.segs, segment{kind: segStatic, text: p})
			continue
		}
		if !strings.HasSuffix(p, "}") || len(p) < 3 {
			return nil, fmt.Errorf("path segment %q is not a {variable}", p)
		}
		name, kind := p[1:len(p)-1], segVar
		if strings.HasSuffix(name, "+") {
			if i != len(parts)-1 {
				return nil, fmt.Errorf("greedy variable %q must be the last path segment", p)
			}
			name, kind = name[:len(name)-1], segGreedy
			r.greedy = true
		}
		if name == "" || strings.ContainsAny(name, "{}+") {
			return nil, fmt.Errorf("path segment %q has a bad variable name", p)
		}
		if names[name] {
			return nil, fmt.Errorf("path variable %q appears twice", name)
		}
		names[name] = true
		r.static = false
		r.segs = append(r.segs, segment{kind: kind, text: name})
	}
	return r, nil
}

// resourceID makes a stable id shaped like API Gateway's (6 lowercase base-36 characters,
// 10 for the root resource), so the same resource reports the same id on every run.
func resourceID(apiID, path string) string {
	h := fnv.New64a()
	h.Write([]byte(apiID))
	h.Write([]byte{0})
	h.Write([]byte(path))
	n := 6
	if path == "/" {
		n = 10
	}
	s := strconv.FormatUint(h.Sum64(), 36)
	for len(s) < n {
		s = "0" + s
	}
	return s[:n]
}

// match finds the resource for a request path: the path as sent (percent-encoded), with the
// stage removed, starting with "/". Matching is case-sensitive; segments are compared after
// percent-decoding, but an encoded slash ("%2F") stays inside its segment. One trailing slash
// is ignored, as REST APIs ignore it ("/pets/" reaches "/pets"). A greedy variable takes one
// or more characters: "/{proxy+}" does not match "/" (the guide's "Set up HTTP proxy
// integrations": a request for the parent of the proxy resource gets Missing Authentication
// Token unless the parent has the method itself).
func (t *resourceTable) match(path string) (*resource, map[string]string, bool) {
	if path == "" {
		path = "/"
	}
	if len(path) > 1 && strings.HasSuffix(path, "/") {
		path = path[:len(path)-1]
	}
	if !strings.Contains(path, "%") {
		if r := t.exact[path]; r != nil {
			return r, nil, true
		}
	} else if dec, ok := decodeWholePath(path); ok {
		if r := t.exact[dec]; r != nil {
			return r, nil, true
		}
	}
	if !strings.HasPrefix(path, "/") {
		return nil, nil, false
	}
	rest := path[1:]
	for _, r := range t.ordered {
		if params, ok := r.matchPath(rest); ok {
			return r, params, true
		}
	}
	return nil, nil, false
}

// decodeWholePath percent-decodes a path for the exact map, refusing paths with an encoded
// slash, which must not be taken for a segment break.
func decodeWholePath(path string) (string, bool) {
	dec, err := url.PathUnescape(path)
	if err != nil || strings.Count(dec, "/") != strings.Count(path, "/") {
		return "", false
	}
	return dec, true
}

// matchPath matches the request path without its leading slash.
func (r *resource) matchPath(rest string) (map[string]string, bool) {
	var params map[string]string
	for i, s := range r.segs {
		if s.kind == segGreedy {
			if rest == "" {
				return nil, false
			}
			if params == nil {
				params = make(map[string]string, len(r.segs))
			}
			params[s.text] = unescape(rest)
			return params, true
		}
		seg, next, more := strings.Cut(rest, "/")
		if seg == "" {
			return nil, false
		}
		v := unescape(seg)
		switch s.kind {
		case segStatic:
			if v != s.text {
				return nil, false
			}
		case segVar:
			if params == nil {
				params = make(map[string]string, len(r.segs))
			}
			params[s.text] = v
		}
		if i == len(r.segs)-1 {
			return params, !more
		}
		if !more {
			return nil, false
		}
		rest = next
	}
	// No segments: the root, which the exact map serves.
	return nil, false
}

func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	if v, err := url.PathUnescape(s); err == nil {
		return v
	}
	return s
}
