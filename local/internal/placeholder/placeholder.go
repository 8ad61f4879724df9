// Package placeholder fills the {name} and ${name} placeholders of an integration URI.
//
// API Gateway writes both forms into one URI: "https://${stageVariables.host}/items/{id}"
// takes a stage variable and a mapped path parameter. What a name stands for, and how its
// value is escaped, is the caller's business (a REST API keeps a greedy value's slashes, a
// WebSocket API escapes the whole value); this package only finds the placeholders, so that
// every server reads them the same way.
package placeholder

import "strings"

// Fill replaces each {name} and ${name} in s for which lookup reports true; the "$" of
// ${name} goes with it. A placeholder lookup does not know stays as written, so that the
// caller can report it, and text after an unclosed "{" is kept as it is.
func Fill(s string, lookup func(name string) (string, bool)) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		name := s[i+1 : i+j]
		start := i
		if i > 0 && s[i-1] == '$' {
			start = i - 1
		}
		if v, ok := lookup(name); ok {
			b.WriteString(s[:start])
			b.WriteString(v)
		} else {
			b.WriteString(s[:i+j+1])
		}
		s = s[i+j+1:]
	}
}
