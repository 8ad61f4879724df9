package httpapi

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/pathmatch"
)

// compiledRoute is a route key parsed once, so that matching a request allocates only the
// path parameters it returns.
type compiledRoute struct {
	route  *model.Route
	method string // "ANY" matches every method
	path   pathmatch.Template
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
		if cr.path.Static() {
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
// greedy (the guide's "Routing API requests" tries full matches before greedy routes), then
// segment by segment (literal, variable, greedy; among greedy routes the longer prefix), then
// own method before ANY.
func compareSpecificity(a, b *compiledRoute) int {
	if ag, bg := a.path.Greedy(), b.path.Greedy(); ag != bg {
		if !ag {
			return -1
		}
		return 1
	}
	if c := pathmatch.CompareSegments(a.path, b.path); c != 0 {
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
	tmpl, err := pathmatch.Parse(path)
	if err != nil {
		return nil, err
	}
	return &compiledRoute{route: r, method: method, path: tmpl}, nil
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
	} else if dec, ok := pathmatch.DecodePath(path); ok {
		if cr := t.exact[method+" "+dec]; cr != nil {
			return cr.route, nil, true
		}
		if cr := t.exact["ANY "+dec]; cr != nil {
			return cr.route, nil, true
		}
	}
	for _, cr := range t.ordered {
		if cr.method != method && cr.method != "ANY" {
			continue
		}
		if params, ok := cr.path.Match(path); ok {
			return cr.route, params, true
		}
	}
	if t.def != nil {
		return t.def, nil, true
	}
	return nil, nil, false
}

// Match finds the route API Gateway would select for a request with this method and path
// (percent-encoded, stage removed, starting with "/"), and the decoded path parameters. It
// reports false when no route matches and there is no $default route: API Gateway's 404.
func (s *Server) Match(method, path string) (route *model.Route, pathParams map[string]string, ok bool) {
	return s.routes.match(method, path)
}
