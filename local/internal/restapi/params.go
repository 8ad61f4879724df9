package restapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/ohler55/ojg/jp"
	"github.com/ohler55/ojg/oj"
)

// The guide's "Map method request data to integration request parameters" and "Map
// integration response data to method response headers": one mapping is a destination
// (integration.request.header|querystring|path.NAME, or method.response.header.NAME) and a
// source expression.

type destKind uint8

const (
	destHeader destKind = iota
	destQuery
	destPath
)

type srcKind uint8

const (
	srcStatic          srcKind = iota // 'value'
	srcPath                           // method.request.path.NAME
	srcQuery                          // method.request.querystring.NAME
	srcMultiQuery                     // method.request.multivaluequerystring.NAME
	srcHeader                         // method.request.header.NAME
	srcMultiHeader                    // method.request.multivalueheader.NAME
	srcBody                           // method.request.body, integration.response.body
	srcBodyPath                       // method.request.body.JSONPATH, integration.response.body.JSONPATH
	srcStageVar                       // stageVariables.NAME
	srcContext                        // context.NAME
	srcRespHeader                     // integration.response.header.NAME
	srcRespMultiHeader                // integration.response.multivalueheader(s).NAME
)

// source is one compiled mapping expression.
type source struct {
	kind  srcKind
	name  string  // parameter, header, variable name, or the static value
	jpath jp.Expr // for srcBodyPath
}

// paramName is the guide's rule for PARAM_NAME, '^[a-zA-Z0-9._$-]+$'.
var paramName = regexp.MustCompile(`^[a-zA-Z0-9._$-]+$`)

// compileSource parses a mapping expression. response selects which side's expressions are
// allowed: method.request.* for integration requests, integration.response.* for method
// responses; static values, stage variables and context variables are allowed on both.
func compileSource(expr string, response bool) (source, error) {
	if len(expr) >= 2 && expr[0] == '\'' && expr[len(expr)-1] == '\'' {
		return source{kind: srcStatic, name: expr[1 : len(expr)-1]}, nil
	}
	if name, ok := strings.CutPrefix(expr, "stageVariables."); ok && name != "" {
		return source{kind: srcStageVar, name: name}, nil
	}
	if name, ok := strings.CutPrefix(expr, "context."); ok && name != "" {
		return source{kind: srcContext, name: name}, nil
	}
	body, params := "method.request.body", "method.request."
	if response {
		body, params = "integration.response.body", "integration.response."
	}
	if expr == body {
		return source{kind: srcBody}, nil
	}
	if p, ok := strings.CutPrefix(expr, body+"."); ok && p != "" {
		x, err := jp.ParseString("$." + p)
		if err != nil {
			return source{}, fmt.Errorf("%q: the JSONPath %q does not parse: %v", expr, "$."+p, err)
		}
		return source{kind: srcBodyPath, name: p, jpath: x}, nil
	}
	rest, ok := strings.CutPrefix(expr, params)
	if !ok {
		if response {
			return source{}, fmt.Errorf("%q is not integration.response.header|multivalueheader|body, stageVariables, context or a 'static value'", expr)
		}
		return source{}, fmt.Errorf("%q is not method.request.path|querystring|multivaluequerystring|header|multivalueheader|body, stageVariables, context or a 'static value'", expr)
	}
	where, name, _ := strings.Cut(rest, ".")
	var kind srcKind
	switch {
	case !response && where == "path":
		kind = srcPath
	case !response && where == "querystring":
		kind = srcQuery
	case !response && where == "multivaluequerystring":
		kind = srcMultiQuery
	case !response && where == "header":
		kind = srcHeader
	case !response && where == "multivalueheader":
		kind = srcMultiHeader
	case response && where == "header":
		kind = srcRespHeader
	case response && (where == "multivalueheader" || where == "multivalueheaders"):
		// The guide writes both spellings.
		kind = srcRespMultiHeader
	default:
		return source{}, fmt.Errorf("%q: %q is not a parameter location", expr, where)
	}
	if !paramName.MatchString(name) {
		return source{}, fmt.Errorf("%q: parameter name %q does not match %s", expr, name, paramName)
	}
	return source{kind: kind, name: name}, nil
}

// requestMapping is one integration request parameter.
type requestMapping struct {
	dest destKind
	name string
	src  source
}

// compileRequestMappings compiles an integration's RequestParameters, in key order so that
// the result does not depend on map order.
func compileRequestMappings(params map[string]string) ([]requestMapping, error) {
	var out []requestMapping
	for _, key := range slices.Sorted(maps.Keys(params)) {
		rest, ok := strings.CutPrefix(key, "integration.request.")
		if !ok {
			return nil, fmt.Errorf("request parameter %q: the key must start with integration.request.", key)
		}
		where, name, _ := strings.Cut(rest, ".")
		var d destKind
		switch where {
		case "header":
			d = destHeader
		case "querystring":
			d = destQuery
		case "path":
			d = destPath
		default:
			return nil, fmt.Errorf("request parameter %q: %q is not header, querystring or path", key, where)
		}
		if !paramName.MatchString(name) {
			return nil, fmt.Errorf("request parameter %q: name %q does not match %s", key, name, paramName)
		}
		src, err := compileSource(params[key], false)
		if err != nil {
			return nil, fmt.Errorf("request parameter %q: %w", key, err)
		}
		out = append(out, requestMapping{dest: d, name: name, src: src})
	}
	return out, nil
}

// responseMapping is one method response header.
type responseMapping struct {
	header string
	src    source
}

// compileResponseMappings compiles an integration response's ResponseParameters
// (method.response.header.NAME -> expression).
func compileResponseMappings(params map[string]string) ([]responseMapping, error) {
	var out []responseMapping
	for _, key := range slices.Sorted(maps.Keys(params)) {
		name, ok := strings.CutPrefix(key, "method.response.header.")
		if !ok || name == "" {
			return nil, fmt.Errorf("response parameter %q: the key must be method.response.header.NAME", key)
		}
		src, err := compileSource(params[key], true)
		if err != nil {
			return nil, fmt.Errorf("response parameter %q: %w", key, err)
		}
		out = append(out, responseMapping{header: name, src: src})
	}
	return out, nil
}

// sourceData is what mapping expressions read for one request (and, for method responses,
// one integration response).
type sourceData struct {
	pathParams map[string]string
	query      map[string][]string // decoded, in arrival order
	header     http.Header         // the client's request headers
	body       []byte              // method request body, or integration response body
	respHeader http.Header         // integration response headers
	stageVars  map[string]string
	context    func(name string) (string, bool)

	parsed bool
	doc    any
	docErr error
}

// values resolves a source to its values; nil when it resolves to nothing (a parameter the
// client did not send, a JSONPath that matches nothing, a body that is not JSON), which leaves
// the destination unset, as API Gateway leaves an unsent method request parameter unmapped.
func (d *sourceData) values(s source) []string {
	switch s.kind {
	case srcStatic:
		return []string{s.name}
	case srcPath:
		if v, ok := d.pathParams[s.name]; ok {
			return []string{v}
		}
	case srcQuery:
		// A single-value query string parameter is its last value, as in the proxy event.
		if vs := d.query[s.name]; len(vs) > 0 {
			return vs[len(vs)-1:]
		}
	case srcMultiQuery:
		return d.query[s.name]
	case srcHeader:
		if vs := d.header.Values(s.name); len(vs) > 0 {
			return vs[len(vs)-1:]
		}
	case srcMultiHeader:
		return d.header.Values(s.name)
	case srcRespHeader:
		if vs := d.respHeader.Values(s.name); len(vs) > 0 {
			return vs[len(vs)-1:]
		}
	case srcRespMultiHeader:
		return d.respHeader.Values(s.name)
	case srcBody:
		return []string{string(d.body)}
	case srcBodyPath:
		doc, err := d.document()
		if err != nil {
			return nil
		}
		matches := s.jpath.Get(doc)
		if len(matches) == 0 || matches[0] == nil {
			return nil
		}
		if str, ok := matches[0].(string); ok {
			return []string{str}
		}
		return []string{compactJSON(matches[0])}
	case srcStageVar:
		if v, ok := d.stageVars[s.name]; ok {
			return []string{v}
		}
	case srcContext:
		if d.context != nil {
			if v, ok := d.context(s.name); ok {
				return []string{v}
			}
		}
	}
	return nil
}

// document parses the body once for every JSONPath source.
func (d *sourceData) document() (any, error) {
	if !d.parsed {
		d.parsed = true
		d.doc, d.docErr = oj.Parse(d.body)
	}
	return d.doc, d.docErr
}

// compactJSON is v as compact JSON with sorted keys, without HTML escaping.
func compactJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// badHeaderValue reports characters no HTTP header value may hold.
func badHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return true
		}
	}
	return false
}
