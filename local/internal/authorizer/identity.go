package authorizer

import (
	"fmt"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/querystring"
)

type sourceKind int

const (
	sourceHeader sourceKind = iota
	sourceQuery
	sourceContext
	sourceStageVariable
)

// identitySource is one parsed identity source: where to read, and the name.
type identitySource struct {
	raw  string
	kind sourceKind
	name string
}

// sourcePrefixes are the identity-source spellings of each API kind, as the guide writes them:
// HTTP "$request.header.X", WebSocket "route.request.header.X", REST "method.request.header.X";
// context and stage variables with a "$" for HTTP APIs and without one for the others.
var sourcePrefixes = map[model.Protocol][]struct {
	prefix string
	kind   sourceKind
}{
	model.ProtocolHTTP: {
		{"$request.header.", sourceHeader}, {"$request.querystring.", sourceQuery},
		{"$context.", sourceContext}, {"$stageVariables.", sourceStageVariable},
	},
	model.ProtocolWebSocket: {
		{"route.request.header.", sourceHeader}, {"route.request.querystring.", sourceQuery},
		{"context.", sourceContext}, {"stageVariables.", sourceStageVariable},
		// CloudFormation examples of WebSocket authorizers also write the "$" forms.
		{"$context.", sourceContext}, {"$stageVariables.", sourceStageVariable},
	},
	model.ProtocolREST: {
		{"method.request.header.", sourceHeader}, {"method.request.querystring.", sourceQuery},
		{"context.", sourceContext}, {"stageVariables.", sourceStageVariable},
		{"$context.", sourceContext}, {"$stageVariables.", sourceStageVariable},
	},
}

func parseIdentitySource(p model.Protocol, raw string) (identitySource, error) {
	s := strings.TrimSpace(raw)
	for _, sp := range sourcePrefixes[p] {
		if name, ok := strings.CutPrefix(s, sp.prefix); ok && name != "" {
			return identitySource{raw: s, kind: sp.kind, name: name}, nil
		}
	}
	var forms []string
	for _, sp := range sourcePrefixes[p] {
		forms = append(forms, sp.prefix+"NAME")
	}
	return identitySource{}, fmt.Errorf("identity source %q is not one of %s", raw, strings.Join(forms, ", "))
}

// value reads the source from the request: "" when it is absent or empty, which API Gateway
// treats alike ("missing, null, or empty"). A repeated header or query parameter gives every
// value, comma-joined in order, as API Gateway keys its cache.
func (is identitySource) value(r *Request) string {
	switch is.kind {
	case sourceHeader:
		return strings.Join(headerValues(r.Header, is.name), ",")
	case sourceQuery:
		_, values := querystring.Split(r.RawQuery)
		return strings.Join(values[is.name], ",")
	case sourceContext:
		if r.ContextVar == nil {
			return ""
		}
		return r.ContextVar(is.name)
	case sourceStageVariable:
		return r.StageVariables[is.name]
	}
	return ""
}

// headerValues finds a header's values by name, case-insensitively: header names in the
// request keep the client's spelling for REST and WebSocket APIs.
func headerValues(h map[string][]string, name string) []string {
	if vs, ok := h[name]; ok {
		return vs
	}
	var out []string
	for k, vs := range h {
		if strings.EqualFold(k, name) {
			out = append(out, vs...)
		}
	}
	return out
}

// identityValues reads every identity source; missing names the first one absent.
func identityValues(sources []identitySource, r *Request) (values []string, missing string) {
	values = make([]string, len(sources))
	for i, is := range sources {
		v := is.value(r)
		if v == "" {
			return nil, is.raw
		}
		values[i] = v
	}
	return values, ""
}
