package datamap

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/selexpr"
)

// Source is what a mapping reads for one request: a message, or the $connect request.
type Source struct {
	// Body is the message. The $connect and $disconnect requests have none.
	Body *selexpr.Body
	// Header and Query are the $connect request's headers (any case) and query string;
	// the route.request.header/querystring sources exist only for $connect.
	Header http.Header
	Query  url.Values
	// Context holds context variables without the "context." prefix: "connectionId",
	// "routeKey", "stage", "requestId", "authorizer.principalId", ...
	Context map[string]string
	// StageVariables are the stage's variables.
	StageVariables map[string]string
}

// Result is what a mapping puts into the integration request. The maps are never nil.
type Result struct {
	Header http.Header
	Query  url.Values
	// Path holds values for {name} placeholders of an HTTP integration's URI, unescaped.
	Path map[string]string
}

// Mapping is an integration's compiled RequestParameters for one route.
type Mapping struct {
	params []param
}

type destKind uint8

const (
	destHeader destKind = iota
	destQuery
	destPath
)

type srcKind uint8

const (
	srcStatic srcKind = iota
	srcHeader
	srcQuery
	srcMultiHeader
	srcMultiQuery
	srcBody
	srcContext
	srcStage
)

type param struct {
	key, value string // as written, for messages

	dest destKind
	name string // header (canonical), query string or path parameter name

	src     srcKind
	srcName string        // header, query string, context or stage variable name
	path    *selexpr.Path // srcBody
	static  string        // srcStatic
}

// paramName is the guide's rule for PARAM_NAME, "^[a-zA-Z0-9._$-]+$" (printed there with a
// stray "]" at the end). The same rule is applied to destination names.
var paramName = regexp.MustCompile(`^[a-zA-Z0-9._$-]+$`)

// stageVarName: stage variable names are letters, digits and underscores.
var stageVarName = regexp.MustCompile(`^[a-zA-Z0-9_]+$`)

// Validate checks an integration's RequestParameters for the route it serves against the
// guide's "Setting up data mapping for WebSocket APIs"; the error lists every parameter that
// breaks a rule, naming it and the rule.
func Validate(routeKey string, params map[string]string) error {
	_, err := Compile(routeKey, params)
	return err
}

// Compile validates params (see [Validate]) and prepares them for [Mapping.Apply].
//
// Keys are integration.request.header.NAME, integration.request.querystring.NAME or
// integration.request.path.NAME. Values are one of:
//
//	route.request.header.NAME                 $connect only
//	route.request.querystring.NAME            $connect only
//	route.request.multivalueheader.NAME       $connect only
//	route.request.multivaluequerystring.NAME  $connect only
//	route.request.body.JSONPATH               "action", "$.action", "a.b[0]" and any JSONPath
//	context.NAME                              a WebSocket context variable
//	stageVariables.NAME
//	'static value'
func Compile(routeKey string, params map[string]string) (*Mapping, error) {
	m := &Mapping{}
	var errs []error
	seenHeader := map[string]string{}
	for _, key := range slices.Sorted(maps.Keys(params)) {
		p, err := compileParam(routeKey, key, params[key])
		if err == nil && p.dest == destHeader {
			// Header names are case-insensitive: two keys for one header would race.
			if other, dup := seenHeader[p.name]; dup {
				err = fmt.Errorf("maps the same header as %q", other)
			}
			seenHeader[p.name] = key
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("request parameter %q = %q: %w", key, params[key], err))
			continue
		}
		m.params = append(m.params, p)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m, nil
}

func compileParam(routeKey, key, value string) (param, error) {
	p := param{key: key, value: value}
	loc, ok := strings.CutPrefix(key, "integration.request.")
	if !ok {
		return p, fmt.Errorf("the key must be integration.request.header.NAME, integration.request.querystring.NAME or integration.request.path.NAME")
	}
	switch {
	case strings.HasPrefix(loc, "header."):
		p.dest, p.name = destHeader, loc[len("header."):]
	case strings.HasPrefix(loc, "querystring."):
		p.dest, p.name = destQuery, loc[len("querystring."):]
	case strings.HasPrefix(loc, "path."):
		p.dest, p.name = destPath, loc[len("path."):]
	default:
		return p, fmt.Errorf("an integration request parameter is a header, querystring or path parameter, not %q", loc)
	}
	if !paramName.MatchString(p.name) {
		return p, fmt.Errorf("the parameter name %q does not match ^[a-zA-Z0-9._$-]+$", p.name)
	}
	if p.dest == destHeader {
		p.name = http.CanonicalHeaderKey(p.name)
	}
	return p, p.compileSource(routeKey)
}

func (p *param) compileSource(routeKey string) error {
	v := p.value
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		p.src, p.static = srcStatic, v[1:len(v)-1]
		if p.dest == destHeader && badHeaderValue(p.static) {
			return fmt.Errorf("the static value has a control character, which an HTTP header cannot carry")
		}
		return nil
	}
	connectOnly := func(kind srcKind, prefix string) error {
		p.src, p.srcName = kind, v[len(prefix):]
		if routeKey != "$connect" {
			return fmt.Errorf("%sNAME is supported only for the $connect route, not %q", prefix, routeKey)
		}
		if !paramName.MatchString(p.srcName) {
			return fmt.Errorf("the parameter name %q does not match ^[a-zA-Z0-9._$-]+$", p.srcName)
		}
		return nil
	}
	switch {
	case strings.HasPrefix(v, "route.request.header."):
		return connectOnly(srcHeader, "route.request.header.")
	case strings.HasPrefix(v, "route.request.querystring."):
		return connectOnly(srcQuery, "route.request.querystring.")
	case strings.HasPrefix(v, "route.request.multivalueheader."):
		return connectOnly(srcMultiHeader, "route.request.multivalueheader.")
	case strings.HasPrefix(v, "route.request.multivaluequerystring."):
		return connectOnly(srcMultiQuery, "route.request.multivaluequerystring.")
	case v == "route.request.body" || strings.HasPrefix(v, "route.request.body.") || strings.HasPrefix(v, "route.request.body["):
		p.src = srcBody
		expr := strings.TrimPrefix(strings.TrimPrefix(v, "route.request.body"), ".")
		switch {
		case expr == "":
			return fmt.Errorf("route.request.body needs a JSONPath expression for a field of the body, such as route.request.body.action")
		case expr[0] == '$':
		case expr[0] == '[':
			expr = "$" + expr
		default:
			// The guide's REST examples write body paths "without the $. prefix"; both
			// spellings are accepted.
			expr = "$." + expr
		}
		path, err := selexpr.ParsePath(expr)
		if err != nil {
			return err
		}
		p.path = path
		return nil
	case strings.HasPrefix(v, "context."):
		p.src, p.srcName = srcContext, v[len("context."):]
		if !supportedContext(p.srcName) {
			return fmt.Errorf("%q is not one of the supported WebSocket context variables", p.srcName)
		}
		return nil
	case strings.HasPrefix(v, "stageVariables."):
		p.src, p.srcName = srcStage, v[len("stageVariables."):]
		if !stageVarName.MatchString(p.srcName) {
			return fmt.Errorf("stage variable name %q is not letters, digits and underscores", p.srcName)
		}
		return nil
	case strings.HasPrefix(v, "$"):
		return fmt.Errorf("data mapping expressions are written without $, e.g. context.connectionId or route.request.body.action")
	case strings.HasPrefix(v, "method.request."):
		return fmt.Errorf("method.request is the REST API form; WebSocket APIs map from route.request")
	case strings.HasPrefix(v, "route.request."):
		return fmt.Errorf("a WebSocket route request offers header, querystring, multivalueheader, multivaluequerystring (for $connect) and body, not %q", v)
	}
	return fmt.Errorf("the value must be route.request.<header|querystring|multivalueheader|multivaluequerystring|body>..., context.NAME, stageVariables.NAME or a static value in single quotes")
}

// badHeaderValue reports control characters (other than tab), which no HTTP header value
// may hold; net/http would refuse to send them.
func badHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return true
		}
	}
	return false
}

// Apply evaluates the mapping for one request.
//
// A source that resolves to nothing sets nothing: a header or query parameter the $connect
// request did not have, a JSONPath that finds nothing or JSON null, a body that is not JSON
// (or no body, on $connect), a context or stage variable that is not set. The integration
// request then simply lacks that parameter, as a REST API's integration request lacks a
// mapped method request parameter the client did not send; the guide does not say otherwise
// for WebSocket APIs. A value that is present but empty ("" in JSON, an empty header) is
// passed on empty.
//
// Body values are strings as their text; numbers, booleans, objects and arrays (and the
// results of a multi-valued JSONPath) as compact JSON text, as the guide gives no other form.
// Multi-value sources add each value to a header or query string, and are joined with ","
// for a path parameter. The only error is a value with a control character mapped into a
// header, which no HTTP request can carry.
func (m *Mapping) Apply(src Source) (Result, error) {
	res := Result{Header: http.Header{}, Query: url.Values{}, Path: map[string]string{}}
	for i := range m.params {
		p := &m.params[i]
		vals := p.resolve(&src)
		if len(vals) == 0 {
			continue
		}
		switch p.dest {
		case destHeader:
			for _, v := range vals {
				if badHeaderValue(v) {
					return Result{}, fmt.Errorf("request parameter %q: the value from %s has a control character, which an HTTP header cannot carry", p.key, p.value)
				}
			}
			res.Header[p.name] = append(res.Header[p.name], vals...)
		case destQuery:
			res.Query[p.name] = append(res.Query[p.name], vals...)
		case destPath:
			res.Path[p.name] = strings.Join(vals, ",")
		}
	}
	return res, nil
}

// Apply compiles params for the route in src.Context["routeKey"] and applies them; servers
// should [Compile] once per route instead.
func Apply(params map[string]string, src Source) (Result, error) {
	m, err := Compile(src.Context["routeKey"], params)
	if err != nil {
		return Result{}, err
	}
	return m.Apply(src)
}

func (p *param) resolve(src *Source) []string {
	switch p.src {
	case srcStatic:
		return []string{p.static}
	case srcHeader, srcMultiHeader:
		vs := selexpr.HeaderValues(src.Header, p.srcName)
		if len(vs) > 0 && p.src == srcHeader {
			// A single-value source is the last value, like the headers map next to
			// multiValueHeaders in the $connect event.
			return vs[len(vs)-1:]
		}
		return slices.Clone(vs)
	case srcQuery, srcMultiQuery:
		vs := src.Query[p.srcName]
		if len(vs) > 0 && p.src == srcQuery {
			return vs[len(vs)-1:]
		}
		return slices.Clone(vs)
	case srcBody:
		if v, ok := src.Body.Lookup(p.path); ok {
			return []string{v.Text()}
		}
	case srcContext:
		if v, ok := src.Context[p.srcName]; ok {
			return []string{v}
		}
	case srcStage:
		if v, ok := src.StageVariables[p.srcName]; ok {
			return []string{v}
		}
	}
	return nil
}
