package gatewayresp

import (
	"strings"
)

// The guide is explicit that a gateway response's body mapping template "isn't processed by the
// Velocity Template Language (VTL) engine" and supports "only simple variable substitution":
// $context and $stageVariables values. So #if, #set, ## and $util are text here, as in AWS, and
// a template that would not be valid Velocity is still a template. A variable with no value
// becomes empty.
//
// The forms substituted are $context.a.b, ${context.a.b}, $stageVariables.name and
// ${stageVariables.name}; names are letters, digits and underscores, so "$context.stage-x" is
// the stage followed by "-x". Everything else, $ included, is kept as written.

// template is a parsed body mapping template: text and variables, alternately.
type template struct {
	parts []part
}

// part is literal text, or a variable when name is set.
type part struct {
	text string
	// scope is "context" or "stageVariables"; name is the dotted name within it.
	scope, name string
}

func parseTemplate(src string) *template {
	t := &template{}
	var text strings.Builder
	for i := 0; i < len(src); {
		if src[i] != '$' {
			j := strings.IndexByte(src[i:], '$')
			if j < 0 {
				j = len(src) - i
			}
			text.WriteString(src[i : i+j])
			i += j
			continue
		}
		scope, name, n := variableAt(src[i:])
		if n == 0 {
			text.WriteByte('$')
			i++
			continue
		}
		if text.Len() > 0 {
			t.parts = append(t.parts, part{text: text.String()})
			text.Reset()
		}
		t.parts = append(t.parts, part{scope: scope, name: name})
		i += n
	}
	if text.Len() > 0 {
		t.parts = append(t.parts, part{text: text.String()})
	}
	return t
}

// variableAt reads a variable at the start of s ("$context.x", "${stageVariables.y}"), or
// returns n == 0 when there is none.
func variableAt(s string) (scope, name string, n int) {
	rest := s[1:]
	braced := strings.HasPrefix(rest, "{")
	if braced {
		rest = rest[1:]
	}
	for _, sc := range []string{"context", "stageVariables"} {
		after, ok := strings.CutPrefix(rest, sc+".")
		if !ok {
			continue
		}
		// stageVariables are flat; $context names may be dotted.
		name, used := dottedName(after, sc == "context")
		if used == 0 {
			return "", "", 0
		}
		n = 1 + len(sc) + 1 + used
		if braced {
			if !strings.HasPrefix(after[used:], "}") {
				return "", "", 0
			}
			n += 2
		}
		return sc, name, n
	}
	return "", "", 0
}

// dottedName reads name characters, and dots between them when dots are allowed.
func dottedName(s string, dots bool) (string, int) {
	end := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
			end = i + 1
		case c == '.' && dots && end == i && i+1 < len(s) && isNameChar(s[i+1]):
			// a dot continues the name only between name characters
		default:
			return s[:end], end
		}
	}
	return s[:end], end
}

func isNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// render substitutes the variables.
func (t *template) render(context, stageVariables map[string]string) []byte {
	var b strings.Builder
	for _, p := range t.parts {
		switch p.scope {
		case "":
			b.WriteString(p.text)
		case "context":
			b.WriteString(context[p.name])
		default:
			b.WriteString(stageVariables[p.name])
		}
	}
	return []byte(b.String())
}
