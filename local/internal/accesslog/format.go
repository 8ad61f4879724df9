package accesslog

import (
	"errors"
	"strings"
)

// Format is a compiled access log format: literal text and $context variables in turn.
type Format struct {
	parts []part
}

// part is literal text, or a variable when name is set.
type part struct {
	text string
	name string // dotted name below $context: "requestId", "identity.sourceIp"
}

const prefix = "$context."

// Compile splits a format into its literal text and its $context variables. A variable name
// runs over letters, digits, '_' and '.', and a trailing '.' is text again ("$context.status."
// ends a sentence). Anything else after a '$' is text: API Gateway substitutes nothing else.
func Compile(format string) *Format {
	f := &Format{}
	lit := strings.Builder{}
	for i := 0; i < len(format); {
		if !strings.HasPrefix(format[i:], prefix) {
			lit.WriteByte(format[i])
			i++
			continue
		}
		j := i + len(prefix)
		for j < len(format) && isNameByte(format[j]) {
			j++
		}
		for j > i+len(prefix) && format[j-1] == '.' {
			j--
		}
		if j == i+len(prefix) {
			lit.WriteString(prefix)
			i = j
			continue
		}
		if lit.Len() > 0 {
			f.parts = append(f.parts, part{text: lit.String()})
			lit.Reset()
		}
		f.parts = append(f.parts, part{name: format[i+len(prefix) : j]})
		i = j
	}
	if lit.Len() > 0 {
		f.parts = append(f.parts, part{text: lit.String()})
	}
	return f
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
}

// Names are the variables the format uses, in order, repeats included.
func (f *Format) Names() []string {
	var names []string
	for _, p := range f.parts {
		if p.name != "" {
			names = append(names, p.name)
		}
	}
	return names
}

// Render writes the line for one request. lookup returns a variable's value by dotted name;
// a variable it does not know, or an empty value, is written as "-".
func (f *Format) Render(lookup func(name string) (string, bool)) string {
	var b strings.Builder
	for _, p := range f.parts {
		if p.name == "" {
			b.WriteString(p.text)
			continue
		}
		if v, ok := lookup(p.name); ok && v != "" {
			b.WriteString(v)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// ErrNoRequestID is what API Gateway says of a format without a request id: it refuses to
// update the stage.
var ErrNoRequestID = errors.New("an access log format must include $context.requestId or $context.extendedRequestId")

// Check reports what API Gateway refuses in a format.
func Check(format string) error {
	for _, n := range Compile(format).Names() {
		if n == "requestId" || n == "extendedRequestId" {
			return nil
		}
	}
	return ErrNoRequestID
}
