package httpapi

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// segKind orders path segments by how specific they are: when two routes match the same
// request, the one whose first differing segment has the lower kind wins.
type segKind uint8

const (
	segStatic segKind = iota // "pets": matches itself only
	segVar                   // "{id}": any one non-empty segment
	segGreedy                // "{proxy+}": one or more characters, slashes included; always last
)

type segment struct {
	kind segKind
	text string // the literal for segStatic, the variable name otherwise
}

// compiledRoute is a route key parsed once, so that matching a request allocates only the
// path parameters it returns.
type compiledRoute struct {
	route  *model.Route
	method string // "ANY" matches every method
	segs   []segment
	greedy bool
	static bool // no variables: eligible for the exact-match map
}

// routeTable selects routes the way API Gateway does for HTTP APIs (the Developer Guide's
// "Routing API requests"): a full match for route and method first, then a route with a greedy
// path variable, then $default. Among several full matches the more specific path wins (a
// literal segment over a variable, compared left to right), and a route for the request's own
// method wins over ANY for the same path.
type routeTable struct {
	// exact holds routes with only literal segments, keyed by "METHOD /path" (method may be
	// "ANY"). It answers the common case without scanning.
	exact map[string]*compiledRoute
	// ordered holds every other route, most specific first, so the first match wins.
	ordered []*compiledRoute
	def     *model.Route // the $default route, nil when there is none
}

func newRouteTable(routes []*model.Route) (*routeTable, error) {
	t := &routeTable{exact: map[string]*compiledRoute{}}
	for _, r := range routes {
		if r.Key == "$default" {
			if t.def != nil {
				return nil, fmt.Errorf("route %q: a second $default route", r.LogicalID)
			}
			t.def = r
			continue
		}
		cr, err := compileRoute(r)
		if err != nil {
			return nil, fmt.Errorf("route %q (%q): %w", r.LogicalID, r.Key, err)
		}
		if cr.static {
			k := cr.method + " " + r.Path
			if prev, dup := t.exact[k]; dup {
				return nil, fmt.Errorf("route %q: route key %q is already used by route %q", r.LogicalID, r.Key, prev.route.LogicalID)
			}
			t.exact[k] = cr
			continue
		}
		t.ordered = append(t.ordered, cr)
	}
	// Stable, so that routes equal in specificity keep template order (the earlier wins).
	slices.SortStableFunc(t.ordered, compareSpecificity)
	return t, nil
}

// compareSpecificity orders two routes that could both match one request: non-greedy before
// greedy, then segment by segment (literal, variable, greedy), then own method before ANY.
func compareSpecificity(a, b *compiledRoute) int {
	if a.greedy != b.greedy {
		if !a.greedy {
			return -1
		}
		return 1
	}
	for i := 0; i < len(a.segs) && i < len(b.segs); i++ {
		if c := cmp.Compare(a.segs[i].kind, b.segs[i].kind); c != 0 {
			return c
		}
	}
	// Among greedy routes with the same kinds so far, the longer prefix is more specific.
	if c := cmp.Compare(len(b.segs), len(a.segs)); c != 0 {
		return c
	}
	return cmp.Compare(boolInt(a.method == "ANY"), boolInt(b.method == "ANY"))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// compileRoute parses an HTTP route key's method and path. The loader has already split Key
// into Method and Path; if it has not (a hand-built model), Key is split here.
func compileRoute(r *model.Route) (*compiledRoute, error) {
	method, path := r.Method, r.Path
	if method == "" && path == "" {
		var ok bool
		method, path, ok = strings.Cut(r.Key, " ")
		if !ok {
			return nil, fmt.Errorf("route key is neither $default nor \"METHOD /path\"")
		}
	}
	if method == "" || strings.ToUpper(method) != method {
		return nil, fmt.Errorf("method %q must be upper case (or ANY)", method)
	}
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("path %q must start with /", path)
	}
	cr := &compiledRoute{route: r, method: method, static: true}
	if path == "/" {
		return cr, nil
	}
	seen := map[string]bool{}
	parts := strings.Split(path[1:], "/")
	for i, p := range parts {
		if p == "" {
			return nil, fmt.Errorf("path %q has an empty segment", path)
		}
		if !strings.HasPrefix(p, "{") {
			if strings.ContainsAny(p, "{}") {
				return nil, fmt.Errorf("path segment %q mixes text and a variable", p)
			}
			cr.segs = append(cr.segs, segment{kind: segStatic, text: p})
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
			cr.greedy = true
		}
		if name == "" || strings.ContainsAny(name, "{}+") {
			return nil, fmt.Errorf("path segment %q has a bad variable name", p)
		}
		if seen[name] {
			return nil, fmt.Errorf("path variable %q appears twice", name)
		}
		seen[name] = true
		cr.static = false
		cr.segs = append(cr.segs, segment{kind: kind, text: name})
	}
	return cr, nil
}

// match finds the route for a request. path is the request path as sent (percent-encoded,
// stage removed). Matching is case-sensitive for both method and path, and a trailing slash
// is significant ("/pets/" is not "/pets"), as in API Gateway HTTP APIs: the route's path is
// a literal, not a prefix. Segments are compared after percent-decoding, but an encoded
// slash ("%2F") stays inside its segment, so "/pets/a%2Fb" matches "/pets/{id}" with id "a/b".
func (t *routeTable) match(method, path string) (*model.Route, map[string]string, bool) {
	if path == "" {
		path = "/"
	}
	if !strings.Contains(path, "%") {
		if cr := t.exact[method+" "+path]; cr != nil {
			return cr.route, nil, true
		}
		if cr := t.exact["ANY "+path]; cr != nil {
			return cr.route, nil, true
		}
	} else if dec, ok := decodeWholePath(path); ok {
		if cr := t.exact[method+" "+dec]; cr != nil {
			return cr.route, nil, true
		}
		if cr := t.exact["ANY "+dec]; cr != nil {
			return cr.route, nil, true
		}
	}
	if len(t.ordered) > 0 && strings.HasPrefix(path, "/") {
		rest := path[1:]
		for _, cr := range t.ordered {
			if cr.method != method && cr.method != "ANY" {
				continue
			}
			if params, ok := cr.matchPath(rest); ok {
				return cr.route, params, true
			}
		}
	}
	if t.def != nil {
		return t.def, nil, true
	}
	return nil, nil, false
}

// decodeWholePath percent-decodes a path for the exact-match map. It refuses paths whose
// encoded characters include a slash, since those must not be mistaken for segment breaks.
func decodeWholePath(path string) (string, bool) {
	dec, err := url.PathUnescape(path)
	if err != nil || strings.Count(dec, "/") != strings.Count(path, "/") {
		return "", false
	}
	return dec, true
}

// matchPath matches the request path without its leading slash. An empty rest is the root.
func (cr *compiledRoute) matchPath(rest string) (map[string]string, bool) {
	var params map[string]string
	for i, s := range cr.segs {
		if s.kind == segGreedy {
			// One or more characters: API Gateway does not send "/" to "/{proxy+}".
			if rest == "" {
				return nil, false
			}
			v, err := url.PathUnescape(rest)
			if err != nil {
				v = rest
			}
			if params == nil {
				params = make(map[string]string, len(cr.segs))
			}
			params[s.text] = v
			return params, true
		}
		seg, next, more := strings.Cut(rest, "/")
		if seg == "" {
			return nil, false
		}
		v, err := url.PathUnescape(seg)
		if err != nil {
			v = seg
		}
		switch s.kind {
		case segStatic:
			if v != s.text {
				return nil, false
			}
		case segVar:
			if params == nil {
				params = make(map[string]string, len(cr.segs))
			}
			params[s.text] = v
		}
		if i == len(cr.segs)-1 {
			if more {
				return nil, false // a longer path, or a trailing slash
			}
			return params, true
		}
		if !more {
			return nil, false
		}
		rest = next
	}
	// Zero segments: the route is "/", which only the exact map serves; reaching here means a
	// non-root request.
	return nil, rest == "" && len(cr.segs) == 0
}

// Match finds the route API Gateway would select for a request with this method and path
// (percent-encoded, stage removed, starting with "/"), and the decoded path parameters. It
// reports false when no route matches and there is no $default route: API Gateway's 404.
func (s *Server) Match(method, path string) (route *model.Route, pathParams map[string]string, ok bool) {
	return s.routes.match(method, path)
}
