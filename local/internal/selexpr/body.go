package selexpr

import (
	"sync"

	"github.com/ohler55/ojg/oj"
)

// Body is a message body (a WebSocket message, or an integration's response) that selection
// expressions and data mappings read. It is checked for JSON at most once and, only if a
// path needs the general JSONPath machinery, parsed into a tree at most once, however many
// expressions read it. A Body is safe for concurrent use.
type Body struct {
	raw []byte

	validOnce sync.Once
	valid     bool

	treeOnce sync.Once
	tree     any
	treeOK   bool
}

// NewBody wraps raw; the caller must not change raw afterwards.
func NewBody(raw []byte) *Body { return &Body{raw: raw} }

// Bytes returns the body as it was given. A nil Body has none.
func (b *Body) Bytes() []byte {
	if b == nil {
		return nil
	}
	return b.raw
}

// IsJSON reports whether the body is one valid JSON value. The guide sends non-JSON messages
// to the $default route.
func (b *Body) IsJSON() bool {
	if b == nil {
		return false
	}
	b.validOnce.Do(func() { b.valid = validJSON(b.raw) })
	return b.valid
}

// Lookup evaluates p against the body. ok is false when the body is not JSON, when nothing
// is at p, or when what is there is JSON null: all of them mean "resolves to nothing".
func (b *Body) Lookup(p *Path) (Value, bool) {
	if p == nil || !b.IsJSON() {
		return Value{}, false
	}
	if p.expr == nil {
		raw, ok := walk(b.raw, p.steps)
		if !ok || raw[0] == 'n' { // null
			return Value{}, false
		}
		return Value{raw: raw}, true
	}
	b.treeOnce.Do(func() {
		v, err := oj.Parse(b.raw)
		b.tree, b.treeOK = v, err == nil
	})
	if !b.treeOK {
		return Value{}, false
	}
	got := p.expr.Get(b.tree)
	if p.multi {
		if len(got) == 0 {
			return Value{}, false
		}
		return Value{node: got, list: true}, true
	}
	if len(got) == 0 || got[0] == nil {
		return Value{}, false
	}
	return Value{node: got[0]}, true
}
