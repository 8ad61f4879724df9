package selexpr

import (
	"fmt"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
)

// Kind is where a selection expression is used; each place allows different variables
// ("WebSocket selection expression summary" in the guide).
type Kind uint8

const (
	// Any accepts every variable any kind accepts. For tools that only check syntax; the
	// servers parse with the kind of the property they read.
	Any Kind = iota
	// Route is Api.RouteSelectionExpression: $request.body.<JSONPath> variables and static
	// text, evaluating to a Route.RouteKey.
	Route
	// APIKey is Api.ApiKeySelectionExpression: exactly $request.header.x-api-key or
	// $context.authorizer.usageIdentifierKey.
	APIKey
	// APIMapping is the API mapping selection expression of a custom domain: exactly
	// $request.basepath.
	APIMapping
	// RouteResponse is Route.RouteResponseSelectionExpression: only $default is supported.
	RouteResponse
	// Model is Route.ModelSelectionExpression, evaluating to a key of Route.RequestModels.
	Model
	// RequestTemplate is Integration.TemplateSelectionExpression: ${request.body.jsonPath}
	// and static values.
	RequestTemplate
	// ResponseTemplate is IntegrationResponse.TemplateSelectionExpression:
	// ${request.body.jsonPath}, ${integration.response.statuscode},
	// ${integration.response.header.NAME}, ${integration.response.multivalueheader.NAME}
	// and static values.
	ResponseTemplate
	// IntegrationResponse is Integration.IntegrationResponseSelectionExpression, whose value
	// the guide says is fixed by integration type: $integration.response.body.errorMessage for
	// Lambda, $integration.response.statuscode for HTTP and MOCK.
	IntegrationResponse
)

var kindNames = [...]string{
	Any:                 "selection expression",
	Route:               "route selection expression",
	APIKey:              "API key selection expression",
	APIMapping:          "API mapping selection expression",
	RouteResponse:       "route response selection expression",
	Model:               "model selection expression",
	RequestTemplate:     "template selection expression",
	ResponseTemplate:    "integration response template selection expression",
	IntegrationResponse: "integration response selection expression",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// DefaultKey is the catch-all key of routes, templates, models, route responses and
// integration responses.
const DefaultKey = "$default"

// source is what a variable reads.
type source uint8

const (
	srcLiteral source = iota
	srcBody
	srcHeader
	srcBasePath
	srcContext
	srcStatus
	srcRespHeader
	srcRespMultiHeader
	srcRespBody
)

type part struct {
	src  source
	text string // the literal, or the header / context name
	path *Path  // srcBody, srcRespBody
	ref  string // the variable as written, for messages
}

// Expr is a parsed selection expression.
type Expr struct {
	src   string
	kind  Kind
	parts []part
	vars  int
}

// Input is what an expression is evaluated against. Every field may be left empty; a
// variable whose source is missing resolves to nothing.
type Input struct {
	// Body is the message (or the request body, for an integration response's template
	// selection). Evaluating needs no JSON decoding beyond what Body does at most once.
	Body *Body
	// Header holds the request headers of the $connect request, any case.
	Header http.Header
	// Context holds context variables without the "context." prefix:
	// "connectionId", "authorizer.usageIdentifierKey".
	Context map[string]string
	// BasePath is the custom domain's base path, for API mapping selection.
	BasePath string
	// Integration is the integration's response, once there is one.
	Integration *Response
}

// Response is an integration's response, for integration response and response template
// selection.
type Response struct {
	StatusCode int
	Header     http.Header
	// Body is the response body; for a Lambda (AWS) integration that failed, the function's
	// error document ({"errorMessage": ...}).
	Body *Body
}

// Parse parses a selection expression of kind [Any].
func Parse(expr string) (*Expr, error) { return ParseFor(Any, expr) }

// ParseFor parses expr as a selection expression of the given kind, following the guide's
// rules for all of them: a variable starts with "$"; "${...}" marks where it ends; several
// variables and static text may be mixed and are evaluated once, not recursively; "\$" is a
// literal dollar sign, as in "\$default".
func ParseFor(kind Kind, expr string) (*Expr, error) {
	e, err := parse(kind, expr)
	if err != nil {
		return nil, fmt.Errorf("parsing %s %q: %w", kind, expr, err)
	}
	return e, nil
}

func parse(kind Kind, expr string) (*Expr, error) {
	e := &Expr{src: expr, kind: kind}
	if expr == "" {
		return nil, fmt.Errorf("it is empty")
	}
	// The route response selection expression is written "$default" (the CDK's
	// returnResponse does so); it names the key, it is not a variable.
	if expr == DefaultKey && (kind == RouteResponse || kind == Any) {
		e.parts = []part{{text: DefaultKey}}
		return e, nil
	}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			e.parts = append(e.parts, part{text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(expr); {
		c := expr[i]
		if c == '\\' && i+1 < len(expr) && expr[i+1] == '$' {
			lit.WriteByte('$')
			i += 2
			continue
		}
		if c != '$' {
			lit.WriteByte(c)
			i++
			continue
		}
		var ref string
		switch {
		case i+1 < len(expr) && expr[i+1] == '{':
			end := closingBrace(expr, i+2)
			if end < 0 {
				return nil, fmt.Errorf("${ at offset %d has no closing }", i)
			}
			ref, i = expr[i+2:end], end+1
		default:
			j := bareEnd(expr, i+1)
			ref, i = expr[i+1:j], j
		}
		if ref == "" {
			return nil, fmt.Errorf("a $ with no variable name; write \\$ for a literal dollar sign")
		}
		p, err := variable(ref)
		if err != nil {
			return nil, err
		}
		flush()
		e.parts = append(e.parts, p)
		e.vars++
	}
	flush()
	return e, e.check()
}

// bareEnd returns where a variable written without braces ends. Header names need "-",
// JSONPath needs "*", "@" and brackets, inside which anything goes ("[0:2]", "['a b']");
// anything else outside brackets (a "/", a space, another "$") ends the variable. Braces
// mark the end of anything more unusual.
func bareEnd(s string, i int) int {
	depth := 0
	var quote byte
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case depth > 0:
			switch c {
			case '\'', '"':
				quote = c
			case '[':
				depth++
			case ']':
				depth--
			}
		case c == '[':
			depth++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == '-' || c == '*' || c == '@':
		default:
			return i
		}
	}
	return i
}

// closingBrace finds the "}" that ends a "${", skipping quoted JSONPath names like ['a}'].
func closingBrace(s string, i int) int {
	var quote byte
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '}':
			return i
		}
	}
	return -1
}

// variable parses a variable name (without "$" and braces).
func variable(ref string) (part, error) {
	p := part{ref: "$" + ref}
	bodyPath := func(rest string) (*Path, error) {
		if rest != "" && rest[0] != '.' && rest[0] != '[' {
			return nil, fmt.Errorf("unknown variable %s", p.ref)
		}
		return ParsePath("$" + rest)
	}
	var err error
	switch {
	case ref == "request.body" || strings.HasPrefix(ref, "request.body.") || strings.HasPrefix(ref, "request.body["):
		p.src = srcBody
		p.path, err = bodyPath(ref[len("request.body"):])
	case strings.HasPrefix(ref, "request.header."):
		p.src, p.text = srcHeader, ref[len("request.header."):]
		if !validHeaderName(p.text) {
			err = fmt.Errorf("%s: %q is not a header name", p.ref, p.text)
		}
	case ref == "request.basepath":
		p.src = srcBasePath
	case strings.HasPrefix(ref, "context."):
		p.src, p.text = srcContext, ref[len("context."):]
		if p.text == "" || strings.HasSuffix(p.text, ".") {
			err = fmt.Errorf("%s: no context variable name", p.ref)
		}
	// "${response.statuscode}" is how the guide's create-integration output shows the
	// expression API Gateway sets for HTTP and MOCK integrations.
	case ref == "integration.response.statuscode" || ref == "response.statuscode":
		p.src = srcStatus
	case strings.HasPrefix(ref, "integration.response.header."):
		p.src, p.text = srcRespHeader, ref[len("integration.response.header."):]
		if !validHeaderName(p.text) {
			err = fmt.Errorf("%s: %q is not a header name", p.ref, p.text)
		}
	case strings.HasPrefix(ref, "integration.response.multivalueheader."):
		p.src, p.text = srcRespMultiHeader, ref[len("integration.response.multivalueheader."):]
		if !validHeaderName(p.text) {
			err = fmt.Errorf("%s: %q is not a header name", p.ref, p.text)
		}
	case ref == "integration.response.body" || strings.HasPrefix(ref, "integration.response.body.") || strings.HasPrefix(ref, "integration.response.body["):
		p.src = srcRespBody
		p.path, err = bodyPath(ref[len("integration.response.body"):])
	case ref == "default":
		err = fmt.Errorf("$default is not a variable; write \\$default for the literal key")
	default:
		err = fmt.Errorf("unknown variable %s", p.ref)
	}
	return p, err
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// check applies the guide's per-kind restrictions.
func (e *Expr) check() error {
	single := func() (part, bool) {
		if len(e.parts) == 1 && e.parts[0].src != srcLiteral {
			return e.parts[0], true
		}
		return part{}, false
	}
	switch e.kind {
	case Any:
		return nil
	case Route, Model, RequestTemplate:
		return e.allow("$request.body.<JSONPath> and static text", srcBody)
	case ResponseTemplate:
		return e.allow("$request.body.<JSONPath>, $integration.response.statuscode, "+
			"$integration.response.header.NAME, $integration.response.multivalueheader.NAME and static text",
			srcBody, srcStatus, srcRespHeader, srcRespMultiHeader)
	case APIKey:
		if p, ok := single(); ok && (p.src == srcHeader && strings.EqualFold(p.text, "x-api-key") ||
			p.src == srcContext && p.text == "authorizer.usageIdentifierKey") {
			return nil
		}
		return fmt.Errorf("the only supported values are $request.header.x-api-key and $context.authorizer.usageIdentifierKey")
	case APIMapping:
		if p, ok := single(); ok && p.src == srcBasePath {
			return nil
		}
		return fmt.Errorf("the only supported value is $request.basepath")
	case RouteResponse:
		if len(e.parts) == 1 && e.parts[0].src == srcLiteral && e.parts[0].text == DefaultKey {
			return nil
		}
		return fmt.Errorf("only $default is supported")
	case IntegrationResponse:
		if p, ok := single(); ok && (p.src == srcStatus || p.src == srcRespBody && p.path.String() == "$.errorMessage") {
			return nil
		}
		return fmt.Errorf("API Gateway fixes this expression by integration type: " +
			"$integration.response.body.errorMessage (Lambda) or $integration.response.statuscode (HTTP, MOCK)")
	}
	return fmt.Errorf("unknown kind %d", e.kind)
}

func (e *Expr) allow(what string, srcs ...source) error {
	for _, p := range e.parts {
		if p.src == srcLiteral {
			continue
		}
		ok := false
		for _, s := range srcs {
			ok = ok || p.src == s
		}
		if !ok {
			return fmt.Errorf("%s cannot be used here: a %s supports %s", p.ref, e.kind, what)
		}
	}
	return nil
}

// String returns the expression as written.
func (e *Expr) String() string { return e.src }

// Kind returns the kind the expression was parsed for.
func (e *Expr) Kind() Kind { return e.kind }

// Static returns the value of an expression without variables, like "\$default" or "200".
func (e *Expr) Static() (string, bool) {
	if e.vars > 0 {
		return "", false
	}
	var b strings.Builder
	for _, p := range e.parts {
		b.WriteString(p.text)
	}
	return b.String(), true
}

// Eval evaluates the expression. A variable that resolves to nothing (a JSONPath that finds
// nothing or null, a missing header) becomes "", as the guide's route selection table shows:
// "${request.body.action}-${request.body.invalidPath}" evaluates to "join-".
//
// ok is false when the expression could not be evaluated: it has variables and none of them
// resolved (a message without the property, a body that is not JSON, no integration
// response yet). A route selection expression also cannot be evaluated against a message
// that is not JSON, whatever it says: the guide sends non-JSON messages to $default (the
// value is then ""). Otherwise the value returned with ok false is still the expression with
// "" for each variable.
func (e *Expr) Eval(in Input) (string, bool) {
	if e.kind == Route && !in.Body.IsJSON() {
		return "", false
	}
	if len(e.parts) == 1 {
		p := &e.parts[0]
		if p.src == srcLiteral {
			return p.text, true
		}
		return p.eval(&in)
	}
	var b strings.Builder
	resolved := false
	for i := range e.parts {
		p := &e.parts[i]
		if p.src == srcLiteral {
			b.WriteString(p.text)
			continue
		}
		v, ok := p.eval(&in)
		resolved = resolved || ok
		b.WriteString(v)
	}
	return b.String(), e.vars == 0 || resolved
}

func (p *part) eval(in *Input) (string, bool) {
	switch p.src {
	case srcBody:
		v, ok := in.Body.Lookup(p.path)
		if !ok {
			return "", false
		}
		return v.String(), true
	case srcHeader:
		return lastValue(in.Header, p.text)
	case srcBasePath:
		return in.BasePath, in.BasePath != ""
	case srcContext:
		v, ok := in.Context[p.text]
		return v, ok
	}
	r := in.Integration
	if r == nil {
		return "", false
	}
	switch p.src {
	case srcStatus:
		if r.StatusCode == 0 {
			return "", false
		}
		return strconv.Itoa(r.StatusCode), true
	case srcRespHeader:
		return lastValue(r.Header, p.text)
	case srcRespMultiHeader:
		vs := HeaderValues(r.Header, p.text)
		return strings.Join(vs, ","), len(vs) > 0
	case srcRespBody:
		v, ok := r.Body.Lookup(p.path)
		if !ok {
			return "", false
		}
		return v.String(), true
	}
	return "", false
}

// lastValue is a header's single value. Like the headers map of API Gateway's Lambda events
// next to multiValueHeaders, a repeated header gives its last value.
func lastValue(h http.Header, name string) (string, bool) {
	vs := HeaderValues(h, name)
	if len(vs) == 0 {
		return "", false
	}
	return vs[len(vs)-1], true
}

// HeaderValues returns the values of a header, whatever the case of name and of the keys in
// h (which need not be canonical when h was built from an event's map).
func HeaderValues(h http.Header, name string) []string {
	if h == nil {
		return nil
	}
	if vs, ok := h[textproto.CanonicalMIMEHeaderKey(name)]; ok {
		return vs
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) {
			return vs
		}
	}
	return nil
}
