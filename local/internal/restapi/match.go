package restapi

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/pathmatch"
)

// resource is one model.Resource ready for matching, with its methods by verb.
type resource struct {
	res  *model.Resource
	id   string // what $context.resourceId and requestContext.resourceId report
	path pathmatch.Template
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
		shape := r.path.Shape()
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
		if r.path.Static() {
			t.exact[mr.Path] = r
		} else {
			t.ordered = append(t.ordered, r)
		}
	}
	slices.SortStableFunc(t.ordered, compareSpecificity)
	return t, all, nil
}

// compareSpecificity orders two resources that could both match one request: at the first
// segment where their kinds differ, literal before variable before greedy. API Gateway walks a
// REST API's resource tree from the root, trying at each level a child with that literal name,
// then a {param} child, then a greedy {proxy+} child; this order picks the same resource as
// that walk (with backtracking when a branch ends without a match). Unlike an HTTP API's
// routes, a greedy resource is not ranked below every other one: "/a/{proxy+}" wins over
// "/{x}/b" for "/a/b", as the walk takes the literal "a" first.
func compareSpecificity(a, b *resource) int {
	return pathmatch.CompareSegments(a.path, b.path)
}

func compileResource(apiID string, mr *model.Resource) (*resource, error) {
	path, err := pathmatch.Parse(mr.Path)
	if err != nil {
		return nil, err
	}
	return &resource{res: mr, id: resourceID(apiID, mr.Path), path: path, methods: map[string]*method{}}, nil
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
	} else if dec, ok := pathmatch.DecodePath(path); ok {
		if r := t.exact[dec]; r != nil {
			return r, nil, true
		}
	}
	for _, r := range t.ordered {
		if params, ok := r.path.Match(path); ok {
			return r, params, true
		}
	}
	return nil, nil, false
}
