// Package pathmatch parses the path templates of API Gateway routes and resources
// ("/pets/{id}", "/files/{proxy+}") and matches request paths against them.
//
// HTTP API route keys and REST API resource paths follow the same rules: a template is "/" or
// slash-separated segments, each a literal, a whole {name} variable, or a greedy {name+}
// variable that only the last segment may be; variable names are unique within a template.
// Matching is case-sensitive and compares segments after percent-decoding, but an encoded
// slash ("%2F") stays inside its segment. What differs between the two kinds of API (a REST
// API ignores one trailing slash, an HTTP API does not; an HTTP API ranks any non-greedy route
// above every greedy one and then its own method above ANY) is left to each server's table;
// this package holds what they share.
//
// # Example
//
//	t, err := pathmatch.Parse("/pets/{id}/{rest+}")
//	params, ok := t.Match("/pets/7/a/b") // {"id": "7", "rest": "a/b"}, true
package pathmatch

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Kind orders segments by how specific they are: at the first segment where two templates
// differ, the lower kind is the more specific, which is how API Gateway picks among several
// routes or resources that match one request.
type Kind uint8

const (
	Literal Kind = iota // "pets": matches itself only
	Var                 // "{id}": any one non-empty segment
	Greedy              // "{proxy+}": one or more characters, slashes included; always last
)

// Segment is one parsed path segment.
type Segment struct {
	Kind Kind
	Text string // the literal for Literal, the variable name (without braces or +) otherwise
}

// Template is a parsed path template. The zero Template is the root, "/".
type Template struct {
	Segments []Segment
}

// Parse reads a route or resource path. Its errors do not repeat the path: callers name the
// route or resource it belongs to.
func Parse(path string) (Template, error) {
	if !strings.HasPrefix(path, "/") {
		return Template{}, errors.New("path must start with /")
	}
	var t Template
	if path == "/" {
		return t, nil
	}
	names := map[string]bool{}
	parts := strings.Split(path[1:], "/")
	for i, p := range parts {
		if p == "" {
			return Template{}, errors.New("path has an empty segment")
		}
		if !strings.HasPrefix(p, "{") {
			if strings.ContainsAny(p, "{}") {
				return Template{}, fmt.Errorf("path segment %q mixes text and a variable", p)
			}
			t.Segments = append(t.Segments, Segment{Kind: Literal, Text: p})
			continue
		}
		if !strings.HasSuffix(p, "}") || len(p) < 3 {
			return Template{}, fmt.Errorf("path segment %q is not a {variable}", p)
		}
		name, kind := p[1:len(p)-1], Var
		if strings.HasSuffix(name, "+") {
			if i != len(parts)-1 {
				return Template{}, fmt.Errorf("greedy variable %q must be the last path segment", p)
			}
			name, kind = name[:len(name)-1], Greedy
		}
		if name == "" || strings.ContainsAny(name, "{}+") {
			return Template{}, fmt.Errorf("path segment %q has a bad variable name", p)
		}
		if names[name] {
			return Template{}, fmt.Errorf("path variable %q appears twice", name)
		}
		names[name] = true
		t.Segments = append(t.Segments, Segment{Kind: kind, Text: name})
	}
	return t, nil
}

// Static reports whether the template has no variables, so that a map keyed by the decoded
// request path can serve it without a scan.
func (t Template) Static() bool {
	for _, s := range t.Segments {
		if s.Kind != Literal {
			return false
		}
	}
	return true
}

// Greedy reports whether the template ends in a greedy variable.
func (t Template) Greedy() bool {
	return len(t.Segments) > 0 && t.Segments[len(t.Segments)-1].Kind == Greedy
}

// Shape is the template with variable names erased ("/a/{}/{+}"): two templates of the same
// shape match the same requests.
func (t Template) Shape() string {
	if len(t.Segments) == 0 {
		return "/"
	}
	var b strings.Builder
	for _, s := range t.Segments {
		b.WriteByte('/')
		switch s.Kind {
		case Literal:
			b.WriteString(s.Text)
		case Var:
			b.WriteString("{}")
		case Greedy:
			b.WriteString("{+}")
		}
	}
	return b.String()
}

// Match matches a request path as sent (percent-encoded, stage removed, starting with "/")
// and returns the decoded path parameters, nil when the template has no variables. A trailing
// slash is a segment of its own: "/pets/" does not match "/pets". A greedy variable takes one
// or more characters, so "/{proxy+}" does not match "/": API Gateway sends the root to the
// root route or resource only.
func (t Template) Match(path string) (map[string]string, bool) {
	rest, ok := strings.CutPrefix(path, "/")
	if !ok {
		return nil, false
	}
	if len(t.Segments) == 0 {
		return nil, rest == ""
	}
	var params map[string]string
	for i, s := range t.Segments {
		if s.Kind == Greedy {
			if rest == "" {
				return nil, false
			}
			if params == nil {
				params = make(map[string]string, len(t.Segments))
			}
			params[s.Text] = unescape(rest)
			return params, true
		}
		seg, next, more := strings.Cut(rest, "/")
		if seg == "" {
			return nil, false
		}
		v := unescape(seg)
		switch s.Kind {
		case Literal:
			if v != s.Text {
				return nil, false
			}
		case Var:
			if params == nil {
				params = make(map[string]string, len(t.Segments))
			}
			params[s.Text] = v
		}
		if i == len(t.Segments)-1 {
			return params, !more // more: a longer path, or a trailing slash
		}
		if !more {
			return nil, false
		}
		rest = next
	}
	return params, true // not reached: the last segment returns
}

// CompareSegments orders two templates segment by segment, left to right, literal before
// variable before greedy. Where one is a prefix of the other in kinds (only greedy templates
// of different depths get there, "/a/{proxy+}" and "/a/b/{proxy+}"), the longer comes first.
// Callers add their API kind's own tie-breaks.
func CompareSegments(a, b Template) int {
	for i := 0; i < len(a.Segments) && i < len(b.Segments); i++ {
		if c := cmp.Compare(a.Segments[i].Kind, b.Segments[i].Kind); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(b.Segments), len(a.Segments))
}

// DecodePath percent-decodes a whole request path for a lookup among static templates. It
// refuses a path with an encoded slash, which must not be taken for a segment break.
func DecodePath(path string) (string, bool) {
	dec, err := url.PathUnescape(path)
	if err != nil || strings.Count(dec, "/") != strings.Count(path, "/") {
		return "", false
	}
	return dec, true
}

// unescape decodes one segment. A malformed escape is kept as sent, so that a stray "%"
// compares as itself instead of making the path unmatchable.
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	if v, err := url.PathUnescape(s); err == nil {
		return v
	}
	return s
}
