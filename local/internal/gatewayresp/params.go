package gatewayresp

import (
	"fmt"
	"net/textproto"
	"strings"
)

// headerMapping is one response parameter: a header and where its value comes from.
type headerMapping struct {
	header string
	// from is one of the sources below; arg is the static value or the name looked up.
	from source
	arg  string
}

type source int

const (
	fromStatic source = iota
	fromHeader
	fromMultiHeader
	fromQuery
	fromMultiQuery
	fromPath
	fromParams // method.input.params.NAME: path, else query string, else header
	fromStageVariable
	fromContext
)

// parseMapping reads one ResponseParameters entry: "gatewayresponse.header.NAME" mapped from
// 'static', method.request.{header|multivalueheader|querystring|multivaluequerystring|path}.NAME,
// method.input.params.NAME (the form of the guide's OpenAPI example), stageVariables.NAME or
// context.NAME.
func parseMapping(key, value string) (headerMapping, error) {
	name, ok := strings.CutPrefix(key, "gatewayresponse.header.")
	if !ok || name == "" {
		return headerMapping{}, fmt.Errorf("response parameter %q: gateway responses map only gatewayresponse.header.{name}", key)
	}
	if !validHeaderName(name) {
		return headerMapping{}, fmt.Errorf("response parameter %q: %q is not a header name", key, name)
	}
	m := headerMapping{header: name}
	if len(value) >= 2 && value[0] == '\'' && value[len(value)-1] == '\'' {
		m.from, m.arg = fromStatic, value[1:len(value)-1]
		if !validHeaderValue(m.arg) {
			return headerMapping{}, fmt.Errorf("response parameter %q: %s is not a header value", key, value)
		}
		return m, nil
	}
	for _, s := range []struct {
		prefix string
		from   source
	}{
		{"method.request.header.", fromHeader},
		{"method.request.multivalueheader.", fromMultiHeader},
		{"method.request.querystring.", fromQuery},
		{"method.request.multivaluequerystring.", fromMultiQuery},
		{"method.request.path.", fromPath},
		{"method.input.params.", fromParams},
		{"stageVariables.", fromStageVariable},
		{"context.", fromContext},
	} {
		if arg, ok := strings.CutPrefix(value, s.prefix); ok && arg != "" {
			m.from, m.arg = s.from, arg
			return m, nil
		}
	}
	return headerMapping{}, fmt.Errorf("response parameter %q: cannot map from %q (want 'static', method.request.{header|querystring|path}.{name}, stageVariables.{name} or context.{name})", key, value)
}

// value is the mapped value, and false when the request has none (the header is then left out,
// as API Gateway leaves it out).
func (m headerMapping) value(ctx *Context, context map[string]string) (string, bool) {
	var v string
	switch m.from {
	case fromStatic:
		return m.arg, true
	case fromHeader:
		v = last(ctx.Header[textproto.CanonicalMIMEHeaderKey(m.arg)])
	case fromMultiHeader:
		v = strings.Join(ctx.Header[textproto.CanonicalMIMEHeaderKey(m.arg)], ",")
	case fromQuery:
		v = last(ctx.Query[m.arg])
	case fromMultiQuery:
		v = strings.Join(ctx.Query[m.arg], ",")
	case fromPath:
		v = ctx.Path[m.arg]
	case fromParams:
		if v = ctx.Path[m.arg]; v == "" {
			if v = last(ctx.Query[m.arg]); v == "" {
				v = headerAnyCase(ctx, m.arg)
			}
		}
	case fromStageVariable:
		v = ctx.StageVariables[m.arg]
	case fromContext:
		v = context[m.arg]
	}
	if v == "" || !validHeaderValue(v) {
		return "", false
	}
	return v, true
}

// last is the value API Gateway keeps of a repeated parameter: the last.
func last(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[len(values)-1]
}

func headerAnyCase(ctx *Context, name string) string {
	return last(ctx.Header[textproto.CanonicalMIMEHeaderKey(name)])
}

// validHeaderName: a header name is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

// validHeaderValue: no control characters but tab, so a value cannot split the header block.
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
