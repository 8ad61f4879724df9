package selexpr

import (
	"fmt"
	"regexp"
	"sync"
)

// ResponseKeys are an integration's IntegrationResponseKeys, compiled. The guide ("Overview
// of integration responses"): the catch-all is "$default"; "in all other cases, the
// integration response key functions as a regular expression. It should follow a format of
// "/expression/"", e.g. "/2\d\d/" for 2XX status codes, "/4\d\d/" for bad request errors.
type ResponseKeys struct {
	keys []responseKey
}

type responseKey struct {
	key string
	re  *regexp.Regexp // nil for $default
}

// CompileResponseKeys compiles integration response keys, in the order given (the model
// keeps template order). An empty key, or a pattern Go's regexp cannot compile (API Gateway
// uses Java patterns; back-references and look-arounds have no RE2 equivalent), is an error
// naming the key.
func CompileResponseKeys(keys []string) (*ResponseKeys, error) {
	r := &ResponseKeys{}
	for _, k := range keys {
		rk, err := compileResponseKey(k)
		if err != nil {
			return nil, err
		}
		r.keys = append(r.keys, rk)
	}
	return r, nil
}

func compileResponseKey(k string) (responseKey, error) {
	if k == DefaultKey || k == `\$default` {
		return responseKey{key: k}, nil
	}
	pat := k
	// The slashes are the documented form; a key without them still "functions as a
	// regular expression".
	if len(pat) >= 2 && pat[0] == '/' && pat[len(pat)-1] == '/' {
		pat = pat[1 : len(pat)-1]
	}
	if pat == "" {
		return responseKey{}, fmt.Errorf("integration response key %q: no pattern", k)
	}
	// Anchored: the guide says error patterns "are matched against the entire string", so
	// /2\d\d/ does not select 1200 and /Malformed/ does not select "Malformed input".
	re, err := regexp.Compile(`^(?:` + pat + `)$`)
	if err != nil {
		return responseKey{}, fmt.Errorf("integration response key %q: %v", k, err)
	}
	return responseKey{key: k, re: re}, nil
}

// Select returns the key whose pattern matches value (the status code of an HTTP or MOCK
// integration, the errorMessage of a failed Lambda function, "" when it succeeded), the first
// in order when several do; else the $default key; ok is false when there is neither.
func (r *ResponseKeys) Select(value string) (string, bool) {
	def := -1
	for i, k := range r.keys {
		if k.re == nil {
			if def < 0 {
				def = i
			}
			continue
		}
		if k.re.MatchString(value) {
			return k.key, true
		}
	}
	if def >= 0 {
		return r.keys[def].key, true
	}
	return "", false
}

// compiled caches response keys for SelectIntegrationResponse: an API has few of them and
// they are matched on every response.
var compiled sync.Map // string -> responseKey, or error

// SelectIntegrationResponse is [ResponseKeys.Select] for keys not compiled in advance. A key
// that does not compile never matches; check keys with [CompileResponseKeys] when the API is
// loaded to report them.
func SelectIntegrationResponse(value string, keys []string) (string, bool) {
	def := ""
	hasDef := false
	for _, k := range keys {
		c, ok := compiled.Load(k)
		if !ok {
			rk, err := compileResponseKey(k)
			if err != nil {
				c = err
			} else {
				c = rk
			}
			compiled.Store(k, c)
		}
		rk, ok := c.(responseKey)
		switch {
		case !ok:
		case rk.re == nil:
			if !hasDef {
				def, hasDef = k, true
			}
		case rk.re.MatchString(value):
			return k, true
		}
	}
	return def, hasDef
}
