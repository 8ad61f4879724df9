package selexpr

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ohler55/ojg/jp"
)

// Path is a compiled JSONPath into a message body, such as "$.action" or "$.items[0].name".
//
// Paths made only of member names and non-negative indices are answered by scanning the raw
// message; anything else JSONPath can say (wildcards, "..", slices, unions, filters, negative
// indices) is handed to ojg's jp package against a tree parsed once per [Body].
type Path struct {
	src   string
	steps []step  // the simple form; nil when expr is used
	expr  jp.Expr // the general form
	// multi: the path can select more than one node (a wildcard, "..", a slice, a union or a
	// filter), so its result is always a list, even of one.
	multi bool
}

type step struct {
	name  string
	index int // >= 0 for an array index; -1 for a member name
}

// ParsePath compiles a JSONPath that starts at the root, "$".
func ParsePath(s string) (*Path, error) {
	if !strings.HasPrefix(s, "$") {
		return nil, fmt.Errorf("JSONPath %q does not start at the root ($)", s)
	}
	if steps, ok := simpleSteps(s[1:]); ok {
		return &Path{src: s, steps: steps}, nil
	}
	x, err := jp.ParseString(s)
	if err != nil {
		return nil, fmt.Errorf("JSONPath %q: %v", s, err)
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("JSONPath %q is empty", s)
	}
	if _, ok := x[0].(jp.Root); !ok {
		return nil, fmt.Errorf("JSONPath %q does not start at the root ($)", s)
	}
	p := &Path{src: s, expr: x}
	for _, f := range x[1:] {
		switch f.(type) {
		case jp.Wildcard, jp.Descent, jp.Slice, jp.Union, *jp.Filter:
			p.multi = true
		case jp.Child, jp.Nth, jp.Bracket:
		default:
			return nil, fmt.Errorf("JSONPath %q: %q is not allowed in a body path", s, f.Append(nil, true, false))
		}
	}
	return p, nil
}

// String returns the path as written.
func (p *Path) String() string { return p.src }

// simpleSteps parses ".name", "['name']", "[\"name\"]" and "[3]" steps; ok is false when the
// path needs the general JSONPath machinery (or is malformed, which jp then reports).
func simpleSteps(s string) ([]step, bool) {
	var steps []step
	for s != "" {
		switch s[0] {
		case '.':
			s = s[1:]
			n := strings.IndexAny(s, ".[")
			if n < 0 {
				n = len(s)
			}
			name := s[:n]
			// Dot names may hold "-" (a header-like "x-id" key), which jp does not allow;
			// characters that mean something else in JSONPath go to jp.
			if name == "" || strings.ContainsAny(name, "]()?*@'\",: $\\") {
				return nil, false
			}
			steps = append(steps, step{name: name, index: -1})
			s = s[n:]
		case '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, false
			}
			inner := s[1:end]
			switch {
			case len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0]:
				name := inner[1 : len(inner)-1]
				if strings.ContainsAny(name, "\\'\"") {
					return nil, false
				}
				steps = append(steps, step{name: name, index: -1})
			default:
				if inner == "" || strings.Trim(inner, "0123456789") != "" {
					return nil, false
				}
				n, err := strconv.Atoi(inner)
				if err != nil {
					// Too large for an index (jp would wrap it around): no value
					// can be there, so the path finds nothing.
					n = math.MaxInt
				}
				steps = append(steps, step{index: n})
			}
			s = s[end+1:]
		default:
			return nil, false
		}
	}
	return steps, true
}
