package httpapi

import (
	"fmt"
	"strings"
)

// DefaultRouteKey is the catch-all route API Gateway selects when no other route matches.
const DefaultRouteKey = "$default"

// methods are the HTTP methods an HTTP API route key may name. ANY matches every method that
// has no route of its own on the same path.
var methods = map[string]bool{
	"ANY": true, "GET": true, "POST": true, "PUT": true, "PATCH": true,
	"DELETE": true, "HEAD": true, "OPTIONS": true,
}

// routeKey is a parsed HTTP API route key.
type routeKey struct {
	Method string // "" for $default
	Path   string // "" for $default
	// Shape is Method and Path with every variable name blanked, so that two keys which route
	// exactly the same requests ("GET /a/{x}" and "GET /a/{y}") compare equal.
	Shape string
}

// parseRouteKey checks key against the route key grammar of the Developer Guide ("Working with
// routes for HTTP APIs"): "$default", or a method and a path separated by one space, where the
// path starts with "/", has no empty segments, and its variables are whole segments
// ("{id}"), uniquely named, with a greedy variable ("{proxy+}") only as the last segment.
func parseRouteKey(key string) (routeKey, error) {
	if key == DefaultRouteKey {
		return routeKey{Shape: DefaultRouteKey}, nil
	}
	method, path, ok := strings.Cut(key, " ")
	if !ok {
		return routeKey{}, fmt.Errorf("route key %q: must be %q or \"METHOD /path\" (one space between method and path)", key, DefaultRouteKey)
	}
	if !methods[method] {
		return routeKey{}, fmt.Errorf("route key %q: method %q must be one of ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS (upper case)", key, method)
	}
	if !strings.HasPrefix(path, "/") {
		return routeKey{}, fmt.Errorf("route key %q: path %q must start with \"/\"", key, path)
	}
	shape := []string{method + " "}
	if path != "/" {
		segments := strings.Split(path[1:], "/")
		seen := map[string]bool{}
		for i, seg := range segments {
			if seg == "" {
				return routeKey{}, fmt.Errorf("route key %q: path %q has an empty segment (a doubled or trailing \"/\")", key, path)
			}
			name, greedy, isVar, err := pathVariable(seg)
			if err != nil {
				return routeKey{}, fmt.Errorf("route key %q: %w", key, err)
			}
			if !isVar {
				if strings.ContainsAny(seg, " \t?#%") {
					return routeKey{}, fmt.Errorf("route key %q: path segment %q must not contain spaces, \"?\", \"#\" or \"%%\"", key, seg)
				}
				shape = append(shape, "/"+seg)
				continue
			}
			if greedy && i != len(segments)-1 {
				return routeKey{}, fmt.Errorf("route key %q: greedy path variable {%s+} must be the last segment of the path", key, name)
			}
			if seen[name] {
				return routeKey{}, fmt.Errorf("route key %q: path variable %q is used twice", key, name)
			}
			seen[name] = true
			if greedy {
				shape = append(shape, "/{+}")
			} else {
				shape = append(shape, "/{}")
			}
		}
	} else {
		shape = append(shape, "/")
	}
	return routeKey{Method: method, Path: path, Shape: strings.Join(shape, "")}, nil
}

// pathVariable reports whether seg is a path variable, "{name}" or greedy "{name+}".
func pathVariable(seg string) (name string, greedy, isVar bool, err error) {
	if !strings.ContainsAny(seg, "{}+") {
		return "", false, false, nil
	}
	if !strings.HasPrefix(seg, "{") || !strings.HasSuffix(seg, "}") {
		return "", false, false, fmt.Errorf("path segment %q: a path variable must be a whole segment, like {id}", seg)
	}
	name = seg[1 : len(seg)-1]
	if strings.HasSuffix(name, "+") {
		greedy = true
		name = name[:len(name)-1]
	}
	if name == "" {
		return "", false, false, fmt.Errorf("path segment %q: path variable needs a name", seg)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return "", false, false, fmt.Errorf("path segment %q: path variable names may hold only letters, digits, \"_\", \"-\" and \".\"", seg)
		}
	}
	return name, greedy, true, nil
}
