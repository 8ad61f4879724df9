package httpapi

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Parameter mapping ("Transforming API requests and responses" in the guide): a key names
// what to change and how ("append:header.x", "overwrite:querystring.y", "remove:header.z",
// "overwrite:path", "overwrite:statuscode"), a value says what to put there: static text,
// "$request.header.x", "${context.requestId}", or a mixture of them.

type mapAction uint8

// Applied in this order, so a rename (append the new name, remove the old) works whichever
// way the keys happen to be listed.
const (
	actRemove mapAction = iota
	actOverwrite
	actAppend
)

type mapTarget uint8

const (
	tgtHeader mapTarget = iota
	tgtQuery
	tgtPath
	tgtStatus
)

type mapping struct {
	action mapAction
	target mapTarget
	name   string // header (lower case) or query string name
	value  valueTemplate
	key    string // as written, for messages
}

// valueTemplate is a mapping value split into literal text and references.
type valueTemplate []valuePart

type valuePart struct {
	literal string
	source  string // "" for a literal, else one of the sources below
	name    string
}

// Sources a value can refer to. The request ones are valid in request mappings, the response
// ones in response mappings; context and stage variables in both.
const (
	srcReqHeader  = "request.header"
	srcReqQuery   = "request.querystring"
	srcReqBody    = "request.body"
	srcReqPath    = "request.path"
	srcContext    = "context"
	srcStageVar   = "stageVariables"
	srcRespHeader = "response.header"
	srcRespBody   = "response.body"
)

var sources = []string{srcReqHeader, srcReqQuery, srcReqBody, srcReqPath, srcContext, srcStageVar, srcRespHeader, srcRespBody}

// reservedHeader reports whether the guide's "Reserved headers" list forbids mapping name.
func reservedHeader(name string) bool {
	switch name {
	case "authorization", "connection", "content-encoding", "content-length", "content-location",
		"forwarded", "keep-alive", "origin", "proxy-authenticate", "proxy-authorization", "te",
		"trailers", "transfer-encoding", "upgrade", "x-forwarded-for", "x-forwarded-host",
		"x-forwarded-proto", "via":
		return true
	}
	for _, p := range []string{"access-control-", "apigw-", "x-amz-", "x-amzn-"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// compileMappings parses a request (response=false) or response parameter mapping.
func compileMappings(params map[string]string, response bool) ([]mapping, error) {
	var out []mapping
	for key, value := range params {
		m := mapping{key: key}
		action, loc, ok := strings.Cut(key, ":")
		if !ok {
			return nil, fmt.Errorf("parameter mapping %q: the key is not action:location", key)
		}
		switch action {
		case "append":
			m.action = actAppend
		case "overwrite":
			m.action = actOverwrite
		case "remove":
			m.action = actRemove
		default:
			return nil, fmt.Errorf("parameter mapping %q: action %q is not append, overwrite or remove", key, action)
		}
		switch {
		case strings.HasPrefix(loc, "header."):
			m.target, m.name = tgtHeader, strings.ToLower(strings.TrimPrefix(loc, "header."))
			if m.name == "" {
				return nil, fmt.Errorf("parameter mapping %q: no header name", key)
			}
			if reservedHeader(m.name) {
				return nil, fmt.Errorf("parameter mapping %q: header %q is reserved and cannot be mapped", key, m.name)
			}
		case strings.HasPrefix(loc, "querystring.") && !response:
			m.target, m.name = tgtQuery, strings.TrimPrefix(loc, "querystring.")
			if m.name == "" {
				return nil, fmt.Errorf("parameter mapping %q: no query string name", key)
			}
		case loc == "path" && !response && m.action == actOverwrite:
			m.target = tgtPath
		case loc == "statuscode" && response && m.action == actOverwrite:
			m.target = tgtStatus
		default:
			return nil, fmt.Errorf("parameter mapping %q: %q cannot be mapped in a %s", key, loc, map[bool]string{false: "request", true: "response"}[response])
		}
		m.value = parseValue(value)
		for _, p := range m.value {
			if p.source == "" {
				continue
			}
			if response && strings.HasPrefix(p.source, "request.") || !response && strings.HasPrefix(p.source, "response.") {
				return nil, fmt.Errorf("parameter mapping %q: $%s cannot be used in a %s mapping", key, p.source, map[bool]string{false: "request", true: "response"}[response])
			}
		}
		if m.target == tgtStatus {
			if lit, ok := m.value.literalOnly(); ok {
				if n, err := strconv.Atoi(lit); err != nil || n < 100 || n > 599 {
					return nil, fmt.Errorf("parameter mapping %q: %q is not a status code", key, lit)
				}
			}
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b mapping) int {
		if c := cmp.Compare(a.action, b.action); c != 0 {
			return c
		}
		return cmp.Compare(a.key, b.key)
	})
	return out, nil
}

// parseValue splits a mapping value into literal text and $references. A reference is either
// braced, "${request.path.id}", or bare, "$request.header.x", where it runs to the first
// character that cannot be part of a name. Text after "$" that is no known source stays text.
func parseValue(v string) valueTemplate {
	var t valueTemplate
	lit := strings.Builder{}
	for i := 0; i < len(v); {
		if v[i] != '$' || i+1 >= len(v) {
			lit.WriteByte(v[i])
			i++
			continue
		}
		var ref string
		end := 0
		if v[i+1] == '{' {
			j := strings.IndexByte(v[i+2:], '}')
			if j < 0 {
				lit.WriteByte(v[i])
				i++
				continue
			}
			ref, end = v[i+2:i+2+j], i+2+j+1
		} else {
			j := i + 1
			for j < len(v) && refChar(v[j]) {
				j++
			}
			ref, end = v[i+1:j], j
		}
		src, name, ok := splitRef(ref)
		if ok && v[i+1] != '{' && (src == srcContext || src == srcStageVar) {
			// Context and stage variable names have only letters, digits, "." and "_"; a bare
			// reference ends before anything else, e.g. "$context.stage-suffix".
			if k := strings.IndexFunc(name, func(r rune) bool { return r == '-' || r == '[' || r == ']' }); k >= 0 {
				end -= len(name) - k
				name = name[:k]
				ok = name != ""
			}
		}
		if !ok {
			lit.WriteString(v[i:end])
			i = end
			continue
		}
		if lit.Len() > 0 {
			t = append(t, valuePart{literal: lit.String()})
			lit.Reset()
		}
		t = append(t, valuePart{source: src, name: name})
		i = end
	}
	if lit.Len() > 0 {
		t = append(t, valuePart{literal: lit.String()})
	}
	return t
}

func refChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '.' || c == '_' || c == '-' || c == '[' || c == ']'
}

func splitRef(ref string) (source, name string, ok bool) {
	for _, s := range sources {
		if ref == s && (s == srcReqBody || s == srcReqPath || s == srcRespBody) {
			return s, "", true
		}
		if rest, found := strings.CutPrefix(ref, s+"."); found && rest != "" {
			return s, rest, true
		}
	}
	return "", "", false
}

func (t valueTemplate) literalOnly() (string, bool) {
	var b strings.Builder
	for _, p := range t {
		if p.source != "" {
			return "", false
		}
		b.WriteString(p.literal)
	}
	return b.String(), true
}

// mapEnv is what a mapping's references read. Values come from the request as the client
// sent it (or the response as the integration sent it), never from an earlier mapping.
type mapEnv struct {
	header     map[string][]string // request headers, lower-case names
	query      map[string][]string
	path       string // request path without the stage
	pathParams map[string]string
	body       []byte
	context    func(name string) string
	stageVars  map[string]string
	respHeader http.Header
	respBody   []byte

	reqJSON, respJSON any
	reqDone, respDone bool
}

func (t valueTemplate) eval(env *mapEnv) string {
	if len(t) == 1 && t[0].source == "" {
		return t[0].literal
	}
	var b strings.Builder
	for _, p := range t {
		switch p.source {
		case "":
			b.WriteString(p.literal)
		case srcReqHeader:
			b.WriteString(strings.Join(env.header[strings.ToLower(p.name)], ","))
		case srcReqQuery:
			b.WriteString(strings.Join(env.query[p.name], ","))
		case srcReqPath:
			if p.name == "" {
				b.WriteString(env.path)
			} else {
				b.WriteString(env.pathParams[p.name])
			}
		case srcReqBody:
			if p.name == "" {
				b.Write(env.body)
			} else {
				if !env.reqDone {
					env.reqJSON, env.reqDone = parseJSONPrefix(env.body), true
				}
				b.WriteString(jsonPath(env.reqJSON, p.name))
			}
		case srcRespHeader:
			b.WriteString(strings.Join(env.respHeader.Values(p.name), ","))
		case srcRespBody:
			if p.name == "" {
				b.Write(env.respBody)
			} else {
				if !env.respDone {
					env.respJSON, env.respDone = parseJSONPrefix(env.respBody), true
				}
				b.WriteString(jsonPath(env.respJSON, p.name))
			}
		case srcContext:
			if env.context != nil {
				b.WriteString(env.context(p.name))
			}
		case srcStageVar:
			b.WriteString(env.stageVars[p.name])
		}
	}
	return b.String()
}

// jsonBodyLimit: the guide says API Gateway truncates the body at 100 KB before applying a
// JSON path, so a larger body yields nothing rather than a partial answer.
const jsonBodyLimit = 100 << 10

func parseJSONPrefix(body []byte) any {
	if len(body) > jsonBodyLimit {
		body = body[:jsonBodyLimit]
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	return v
}

// jsonPath evaluates a simple JSON path ("a.b[0].c", optionally starting with "$.") against
// decoded JSON. Strings come out as their text, anything else as JSON; a miss is "".
func jsonPath(doc any, path string) string {
	path = strings.TrimPrefix(strings.TrimPrefix(path, "$"), ".")
	cur := doc
	for path != "" && cur != nil {
		var key string
		switch {
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return ""
			}
			key, path = strings.Trim(path[1:end], `'"`), path[end+1:]
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			key, path = path[:end], path[end:]
		}
		path = strings.TrimPrefix(path, ".")
		switch node := cur.(type) {
		case map[string]any:
			cur = node[key]
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(node) {
				return ""
			}
			cur = node[i]
		default:
			return ""
		}
	}
	switch v := cur.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// mappedRequest is the part of a request that request mappings may change.
type mappedRequest struct {
	header   map[string][]string
	rawQuery string
	path     string // "" when not overwritten
}

// applyRequest runs request mappings; it changes header in place and returns the new raw
// query string and path override.
func applyRequest(ms []mapping, env *mapEnv, req *mappedRequest) {
	var names []string
	var query map[string][]string
	queryTouched := false
	for _, m := range ms {
		switch m.target {
		case tgtHeader:
			switch m.action {
			case actRemove:
				delete(req.header, m.name)
			case actOverwrite:
				req.header[m.name] = []string{m.value.eval(env)}
			case actAppend:
				req.header[m.name] = append(req.header[m.name], m.value.eval(env))
			}
		case tgtQuery:
			if !queryTouched {
				names, query = queryValues(req.rawQuery)
				if query == nil {
					query = map[string][]string{}
				}
				queryTouched = true
			}
			if _, ok := query[m.name]; !ok && m.action != actRemove {
				names = append(names, m.name)
			}
			switch m.action {
			case actRemove:
				delete(query, m.name)
			case actOverwrite:
				query[m.name] = []string{m.value.eval(env)}
			case actAppend:
				query[m.name] = append(query[m.name], m.value.eval(env))
			}
		case tgtPath:
			req.path = m.value.eval(env)
		}
	}
	if queryTouched {
		var b strings.Builder
		for _, n := range names {
			for _, v := range query[n] {
				if b.Len() > 0 {
					b.WriteByte('&')
				}
				b.WriteString(url.QueryEscape(n))
				b.WriteByte('=')
				b.WriteString(url.QueryEscape(v))
			}
		}
		req.rawQuery = b.String()
	}
}

// applyResponse runs the response mappings configured for resp's status code.
func applyResponse(ms []mapping, env *mapEnv, resp *Response) {
	for _, m := range ms {
		switch m.target {
		case tgtHeader:
			switch m.action {
			case actRemove:
				resp.Header.Del(m.name)
			case actOverwrite:
				resp.Header.Set(m.name, m.value.eval(env))
			case actAppend:
				resp.Header.Add(m.name, m.value.eval(env))
			}
		case tgtStatus:
			if n, err := strconv.Atoi(strings.TrimSpace(m.value.eval(env))); err == nil && n >= 100 && n <= 599 {
				resp.Status = n
			}
		}
	}
}
