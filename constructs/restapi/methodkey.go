package restapi

import (
	"fmt"
	"regexp"
	"strings"
)

// verbs are the HTTP methods a REST API method may have. ANY stands for every method that has
// no method of its own on the same resource.
var verbs = map[string]bool{
	"ANY": true, "GET": true, "POST": true, "PUT": true, "PATCH": true,
	"DELETE": true, "HEAD": true, "OPTIONS": true,
}

// pathPartRE is what API Gateway allows in a literal path part: "Resource's path part only
// allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign
// before the closing brace." Variable names take the same characters.
var pathPartRE = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

// methodKey is a parsed method key, "GET /products/{id}".
type methodKey struct {
	Verb string
	// Path is the resource path: "/", "/products", "/products/{id}", "/files/{proxy+}".
	Path string
	// Parts are the path parts, none for the root.
	Parts []string
	// Vars are the path variables by name ("proxy" for {proxy+}), each true when greedy.
	Vars map[string]bool
}

func (k methodKey) String() string { return k.Verb + " " + k.Path }

// parseMethodKey checks key against the resource grammar of "Set up REST API resources": a
// method and a resource path separated by one space; the path starts with "/" and has no empty
// parts; a part is a literal or a whole variable, {name} or greedy {name+}; names are unique in
// the path; a greedy variable ends the path, since "a proxy resource cannot have any child
// resource".
func parseMethodKey(key string) (methodKey, error) {
	verb, path, ok := strings.Cut(key, " ")
	if !ok {
		return methodKey{}, fmt.Errorf("method key %q: must be \"METHOD /path\" (one space between method and path), e.g. \"GET /products/{id}\"", key)
	}
	if !verbs[verb] {
		return methodKey{}, fmt.Errorf("method key %q: method %q must be one of ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS (upper case)", key, verb)
	}
	if !strings.HasPrefix(path, "/") {
		return methodKey{}, fmt.Errorf("method key %q: path %q must start with \"/\"", key, path)
	}
	k := methodKey{Verb: verb, Path: path, Vars: map[string]bool{}}
	if path == "/" {
		return k, nil
	}
	k.Parts = strings.Split(path[1:], "/")
	for i, part := range k.Parts {
		if part == "" {
			return methodKey{}, fmt.Errorf("method key %q: path %q has an empty part (a doubled or trailing \"/\")", key, path)
		}
		name, greedy, isVar, err := pathVariable(part)
		if err != nil {
			return methodKey{}, fmt.Errorf("method key %q: %w", key, err)
		}
		if !isVar {
			continue
		}
		if greedy && i != len(k.Parts)-1 {
			return methodKey{}, fmt.Errorf("method key %q: greedy path variable {%s+} must end the path: a proxy resource cannot have child resources", key, name)
		}
		if _, dup := k.Vars[name]; dup {
			return methodKey{}, fmt.Errorf("method key %q: path variable %q is used twice", key, name)
		}
		k.Vars[name] = greedy
	}
	return k, nil
}

// pathVariable reads one path part: a literal, {name} or greedy {name+}.
func pathVariable(part string) (name string, greedy, isVar bool, err error) {
	if !strings.ContainsAny(part, "{}+") {
		if !pathPartRE.MatchString(part) {
			return "", false, false, fmt.Errorf("path part %q: API Gateway allows only letters, digits, \".\", \"_\" and \"-\" in a path part", part)
		}
		return "", false, false, nil
	}
	if !strings.HasPrefix(part, "{") || !strings.HasSuffix(part, "}") {
		return "", false, false, fmt.Errorf("path part %q: a path variable must be a whole path part, {name} or {name+}", part)
	}
	name = part[1 : len(part)-1]
	if strings.HasSuffix(name, "+") {
		greedy = true
		name = name[:len(name)-1]
	}
	if !pathPartRE.MatchString(name) {
		return "", false, false, fmt.Errorf("path part %q: a path variable's name must be letters, digits, \".\", \"_\" and \"-\"", part)
	}
	return name, greedy, true, nil
}

// pathResource is one resource on a method key's path below the root.
type pathResource struct {
	parent string // the path of the resource above it: "/" for "/products"
	path   string // its own path, "/products/{id}"
	part   string // its path part, "{id}"
}

// resources lists the resources on the key's path from the top, the root left out: those
// that must exist for the method, each with the parent it hangs from.
func (k methodKey) resources() []pathResource {
	out := make([]pathResource, 0, len(k.Parts))
	parentPath, path := "/", ""
	for _, part := range k.Parts {
		path += "/" + part
		out = append(out, pathResource{parent: parentPath, path: path, part: part})
		parentPath = path
	}
	return out
}

// parent is the path of the resource above path ("/" above "/products").
func parent(path string) string {
	i := strings.LastIndexByte(path, '/')
	if i <= 0 {
		return "/"
	}
	return path[:i]
}

// isVariablePart reports whether the last part of path is a path variable.
func isVariablePart(path string) bool {
	return strings.HasSuffix(path, "}")
}

// methodOptionsPath is the key of a method in the L2's StageOptions.MethodOptions, "/{path}/{VERB}",
// which the L2 turns into a MethodSettings entry: "//GET" for GET on the root.
func (k methodKey) methodOptionsPath() string {
	if k.Path == "/" {
		return "//" + k.Verb
	}
	return k.Path + "/" + k.Verb
}
