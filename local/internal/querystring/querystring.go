// Package querystring splits a request's raw query string into its parameters the way API
// Gateway decodes them for events, mapping templates, parameter mappings and identity
// sources. HTTP APIs, REST APIs, WebSocket APIs and Lambda authorizers all read the query
// through [Split], so one request's parameters are the same wherever they are seen.
package querystring

import (
	"net/url"
	"strings"
)

// Split splits a raw query (without the '?') into its parameter names, in the order each
// first arrives, and their values, in arrival order. '+' is a space. A name or value that
// does not decode (a stray '%') is kept verbatim rather than dropped, so a client's typo does
// not hide the parameter from the handler; unlike url.ParseQuery, ';' is not a separator and
// is no error. A pair without '=' has the value "". A query with no parameters gives nil, nil.
func Split(raw string) (names []string, values map[string][]string) {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		if values == nil {
			values = map[string][]string{}
		}
		if _, ok := values[k]; !ok {
			names = append(names, k)
		}
		values[k] = append(values[k], v)
	}
	return names, values
}
