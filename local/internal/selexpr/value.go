package selexpr

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Value is what a [Path] found in a [Body]: one JSON value as written in the body, or
// (for paths that go through ojg) a decoded node or the list of nodes a multi-valued path
// selected.
type Value struct {
	raw  []byte
	node any
	list bool // node is the []any of a multi-valued path's results
}

// String is the value as a selection expression sees it. The guide (route selection
// expressions): "the result will be stringified. For example, if your JSONPath expression
// returns an array of two elements, that will be presented as the string "[item1, item2]"".
// So strings are their text, numbers and booleans as written, arrays and multi-valued results
// "[a, b]" with string elements unquoted, and objects (on which the guide is silent) compact
// JSON.
func (v Value) String() string {
	if v.raw != nil {
		switch v.raw[0] {
		case '"':
			return unquote(v.raw)
		case '[':
			var b strings.Builder
			b.WriteByte('[')
			first := true
			elements(v.raw, 0, func(e []byte) {
				if !first {
					b.WriteString(", ")
				}
				first = false
				if e[0] == '"' {
					b.WriteString(unquote(e))
				} else {
					b.WriteString(compact(e))
				}
			})
			b.WriteByte(']')
			return b.String()
		case '{':
			return compact(v.raw)
		default:
			return string(v.raw)
		}
	}
	switch n := v.node.(type) {
	case string:
		return n
	case []any:
		var b strings.Builder
		b.WriteByte('[')
		for i, e := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			if s, ok := e.(string); ok {
				b.WriteString(s)
			} else {
				b.WriteString(jsonText(e))
			}
		}
		b.WriteByte(']')
		return b.String()
	default:
		return jsonText(n)
	}
}

// Text is the value as a data mapping puts it into a header or query string: strings as
// their text, everything else (numbers, booleans, objects, arrays and multi-valued results)
// as compact JSON, since the guide gives no other form for them.
func (v Value) Text() string {
	if v.raw != nil {
		switch v.raw[0] {
		case '"':
			return unquote(v.raw)
		case '{', '[':
			return compact(v.raw)
		default:
			return string(v.raw)
		}
	}
	if s, ok := v.node.(string); ok && !v.list {
		return s
	}
	return jsonText(v.node)
}

// unquote decodes a JSON string literal; the common literal without escapes is one copy.
func unquote(q []byte) string {
	if len(q) >= 2 && bytes.IndexByte(q, '\\') < 0 {
		return string(q[1 : len(q)-1])
	}
	var s string
	if json.Unmarshal(q, &s) != nil {
		return string(q)
	}
	return s
}

func compact(raw []byte) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// jsonText encodes a node decoded by ojg: map keys sorted (so the text does not change from
// one message to the next), "<", ">" and "&" left as they are.
func jsonText(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return ""
	}
	return strings.TrimSuffix(b.String(), "\n")
}
