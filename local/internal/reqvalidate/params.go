package reqvalidate

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Where a method request parameter is, as its key names it: method.request.{location}.{name}.
const (
	locPath                  = "path"
	locQuerystring           = "querystring"
	locMultivalueQuerystring = "multivaluequerystring"
	locHeader                = "header"
	locMultivalueHeader      = "multivalueheader"
)

// splitParam splits a request parameter key into its location and name.
func splitParam(key string) (loc, name string, err error) {
	rest, ok := strings.CutPrefix(key, "method.request.")
	if ok {
		loc, name, ok = strings.Cut(rest, ".")
	}
	if !ok || name == "" {
		return "", "", fmt.Errorf("request parameter %q is not method.request.{path|querystring|header}.{name}", key)
	}
	switch loc {
	case locPath, locQuerystring, locMultivalueQuerystring, locHeader, locMultivalueHeader:
		return loc, name, nil
	}
	return "", "", fmt.Errorf("request parameter %q: no location %q (want path, querystring, multivaluequerystring, header or multivalueheader)", key, loc)
}

// missingParams are the names of the required parameters a request lacks or leaves blank, in
// the order of their keys (sorted, so method.request.header.* come first).
func missingParams(params map[string]bool, r *http.Request, pathParams map[string]string) []string {
	var missing []string
	var query map[string][]string
	for _, key := range slices.Sorted(maps.Keys(params)) {
		if !params[key] {
			continue
		}
		loc, name, err := splitParam(key)
		if err != nil {
			continue // Compile reported it
		}
		var values []string
		switch loc {
		case locPath:
			values = []string{pathParams[name]}
		case locQuerystring, locMultivalueQuerystring:
			if query == nil {
				query = r.URL.Query()
			}
			values = query[name]
		case locHeader, locMultivalueHeader:
			values = r.Header.Values(name)
		}
		if !anyNotBlank(values) {
			missing = append(missing, name)
		}
	}
	return missing
}

// anyNotBlank: the guide requires parameters to be "included and not blank".
func anyNotBlank(values []string) bool {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}
