package wsapi

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/ohler55/ojg/jp"
	"github.com/ohler55/ojg/oj"

	"github.com/gatehouse-dev/gatehouse/local/internal/vtl"
)

// templates caches parsed mapping templates by their source.
var templates sync.Map // string -> *vtl.Template

// render runs a mapping template (VTL) with API Gateway's variables for a WebSocket event:
// $input (the message or the integration's response body), $context, $stageVariables, $util.
func (c *conn) render(src string, body []byte, ev *Event) (string, error) {
	t, ok := templates.Load(src)
	if !ok {
		parsed, err := vtl.Parse("template", src)
		if err != nil {
			return "", err
		}
		t, _ = templates.LoadOrStore(src, parsed)
	}
	var out strings.Builder
	vars := map[string]any{
		"input":          &inputVar{body: body, conn: c, connect: ev.RequestContext.EventType == eventConnect},
		"context":        contextVar(c.contextVars(ev)),
		"stageVariables": stringMap(c.stage.Variables),
		"util":           utilVar{},
	}
	if err := t.(*vtl.Template).Execute(&out, vars); err != nil {
		return "", err
	}
	return out.String(), nil
}

func stringMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// contextVar nests dotted context names ("identity.sourceIp") as $context.identity.sourceIp.
func contextVar(flat map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range flat {
		parent, leaf, nested := strings.Cut(k, ".")
		if !nested {
			out[k] = v
			continue
		}
		m, _ := out[parent].(map[string]any)
		if m == nil {
			m = map[string]any{}
			out[parent] = m
		}
		m[leaf] = v
	}
	return out
}

// inputVar is $input.
type inputVar struct {
	body    []byte
	conn    *conn
	connect bool

	once   sync.Once
	parsed any
	err    error
}

func (in *inputVar) doc() (any, error) {
	in.once.Do(func() { in.parsed, in.err = oj.Parse(in.body) })
	return in.parsed, in.err
}

func (in *inputVar) Property(name string) (any, bool) {
	if name == "body" {
		return string(in.body), true
	}
	return nil, false
}

func (in *inputVar) Call(method string, args []any) (any, error) {
	switch {
	case method == "json" && len(args) == 1:
		matches, err := in.match(args[0])
		if err != nil {
			return nil, err
		}
		switch len(matches) {
		case 0:
			return "", nil
		case 1:
			return oj.JSON(matches[0]), nil
		}
		return oj.JSON(matches), nil
	case method == "path" && len(args) == 1:
		matches, err := in.match(args[0])
		if err != nil || len(matches) == 0 {
			return nil, err
		}
		v := any(matches)
		if len(matches) == 1 {
			v = matches[0]
		}
		return vtl.ParseJSON([]byte(oj.JSON(v)))
	case method == "body" && len(args) == 0:
		return string(in.body), nil
	case method == "params" && len(args) <= 1:
		params := map[string]any{"path": map[string]any{}, "querystring": map[string]any{}, "header": map[string]any{}}
		if in.connect {
			q, h := params["querystring"].(map[string]any), params["header"].(map[string]any)
			for k, v := range in.conn.query {
				q[k] = v[len(v)-1]
			}
			for k, v := range in.conn.header {
				h[k] = v[len(v)-1]
			}
		}
		if len(args) == 0 {
			return params, nil
		}
		name := fmt.Sprint(args[0])
		for _, where := range []string{"path", "querystring", "header"} {
			if v, ok := params[where].(map[string]any)[name]; ok {
				return v, nil
			}
		}
		return "", nil
	}
	return nil, fmt.Errorf("$input.%s: %w", method, vtl.ErrUnknownMethod)
}

// match evaluates a JSONPath on the body. A body that is not JSON matches nothing.
func (in *inputVar) match(arg any) ([]any, error) {
	path, ok := arg.(string)
	if !ok {
		return nil, fmt.Errorf("$input.json/path: the JSONPath must be a string, got %T", arg)
	}
	x, err := jp.ParseString(path)
	if err != nil {
		return nil, fmt.Errorf("JSONPath %q: %w", path, err)
	}
	doc, err := in.doc()
	if err != nil {
		return nil, nil
	}
	return x.Get(doc), nil
}

// utilVar is $util.
type utilVar struct{}

func (utilVar) Property(string) (any, bool) { return nil, false }

func (utilVar) Call(method string, args []any) (any, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("$util.%s: %w", method, vtl.ErrUnknownMethod)
	}
	s := fmt.Sprint(args[0])
	switch method {
	case "escapeJavaScript":
		b, _ := json.Marshal(s)
		// JSON string escaping without the quotes, and single quotes escaped as the guide's
		// escapeJavaScript does.
		return strings.ReplaceAll(string(b[1:len(b)-1]), "'", `\'`), nil
	case "parseJson":
		return vtl.ParseJSON([]byte(s))
	case "urlEncode":
		return url.QueryEscape(s), nil
	case "urlDecode":
		return url.QueryUnescape(s)
	case "base64Encode":
		return base64.StdEncoding.EncodeToString([]byte(s)), nil
	case "base64Decode":
		b, err := base64.StdEncoding.DecodeString(s)
		return string(b), err
	}
	return nil, fmt.Errorf("$util.%s: %w", method, vtl.ErrUnknownMethod)
}
