package authrules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
)

// Location is where an identity source reads from.
type Location string

const (
	Header        Location = "header"
	QueryString   Location = "querystring"
	Context       Location = "context"
	StageVariable Location = "stageVariables"
)

// sourcePrefixes are the identity source forms of each kind of API, from the guide's identity
// source tables (HTTP: "$request.header.name", ...; REST and WebSocket: the request parameter
// mapping expressions "method.request.header.name" and "route.request.header.name").
var sourcePrefixes = map[stagerules.Protocol][]struct {
	prefix string
	loc    Location
}{
	stagerules.HTTP: {
		{"$request.header.", Header}, {"$request.querystring.", QueryString},
		{"$context.", Context}, {"$stageVariables.", StageVariable},
	},
	stagerules.WebSocket: {
		{"route.request.header.", Header}, {"route.request.querystring.", QueryString},
		{"context.", Context}, {"stageVariables.", StageVariable},
	},
	stagerules.REST: {
		{"method.request.header.", Header}, {"method.request.querystring.", QueryString},
		{"context.", Context}, {"stageVariables.", StageVariable},
	},
}

var (
	// headerNameRE is an HTTP field name (RFC 9110 token).
	headerNameRE = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
	// queryNameRE refuses what would split or end a query parameter, and "," which separates
	// identity sources where API Gateway joins them into one string (REST's IdentitySource,
	// HTTP payload 1.0's identitySource).
	queryNameRE = regexp.MustCompile(`^[^\s,&=#]+$`)
	// contextNameRE is a $context variable path, "identity.sourceIp".
	contextNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)
)

// Source is a parsed identity source.
type Source struct {
	Location Location
	Name     string
}

// ParseIdentitySource parses one identity source of an API of kind p.
func ParseIdentitySource(p stagerules.Protocol, s string) (Source, error) {
	forms := sourcePrefixes[p]
	for _, f := range forms {
		name, ok := strings.CutPrefix(s, f.prefix)
		if !ok {
			continue
		}
		var valid bool
		switch f.loc {
		case Header:
			valid = headerNameRE.MatchString(name)
		case QueryString:
			valid = queryNameRE.MatchString(name)
		case Context:
			valid = contextNameRE.MatchString(name)
		case StageVariable:
			valid = stagerules.ValidVariableName(name)
		}
		if !valid {
			return Source{}, fmt.Errorf("identity source %q: %q is not a valid %s name", s, name, f.loc)
		}
		return Source{Location: f.loc, Name: name}, nil
	}
	examples := make([]string, len(forms))
	for i, f := range forms {
		examples[i] = f.prefix + "NAME"
	}
	return Source{}, fmt.Errorf("identity source %q must be one of %s", s, strings.Join(examples, ", "))
}

// SourceRule is what an authorizer type allows of its identity sources.
type SourceRule struct {
	// Kind names the authorizer type in messages, "a JWT authorizer".
	Kind string
	// Only lists the locations allowed; nil allows every location.
	Only []Location
	// One: exactly one source, the token (JWT, REST TOKEN and Cognito authorizers).
	One bool
}

// CheckIdentitySources checks an authorizer's identity sources for an API of kind p: their
// syntax, that none is listed twice (header names compare without case, as HTTP does), and
// what the authorizer type allows.
func CheckIdentitySources(p stagerules.Protocol, name string, sources []string, r SourceRule) []string {
	var errs []string
	add := func(format string, args ...any) {
		errs = append(errs, Subject(name)+": "+fmt.Sprintf(format, args...))
	}
	if r.One && len(sources) != 1 {
		add("%s reads its token from exactly one identity source, not %d", r.Kind, len(sources))
	}
	seen := map[Source]bool{}
	for _, s := range sources {
		src, err := ParseIdentitySource(p, s)
		if err != nil {
			add("%v", err)
			continue
		}
		if r.Only != nil && !slices.Contains(r.Only, src.Location) {
			allowed := make([]string, len(r.Only))
			for i, l := range r.Only {
				allowed[i] = string(l)
			}
			add("identity source %q: %s reads only from %s", s, r.Kind, strings.Join(allowed, " or "))
			continue
		}
		key := src
		if key.Location == Header {
			key.Name = strings.ToLower(key.Name)
		}
		if seen[key] {
			add("identity source %q is listed twice", s)
		}
		seen[key] = true
	}
	return errs
}
