// Package parammap holds the parameter mapping rules REST and WebSocket APIs share: the
// PARAM_NAME pattern, 'static value' and stageVariables.NAME sources (the guide's "Amazon API
// Gateway API request and response data mapping reference" and "Setting up data mapping for
// WebSocket APIs" give the same rules for them), and the walk over an integration's request
// parameters that checks each destination and source and collects the request parameters the
// sources read. What a destination or a request source may be differs by API kind and stays
// in each construct package.
package parammap

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
)

// NamePattern is PARAM_NAME: a parameter name "must match the regular expression
// '^[a-zA-Z0-9._$-]+$'".
const NamePattern = `^[a-zA-Z0-9._$-]+$`

var nameRE = regexp.MustCompile(NamePattern)

// ValidName reports whether name matches [NamePattern].
func ValidName(name string) bool { return nameRE.MatchString(name) }

// CheckStatic checks a 'static value' source, which starts with a single quote.
func CheckStatic(src string) error {
	if len(src) < 2 || !strings.HasSuffix(src, "'") {
		return fmt.Errorf("static value %s must be enclosed in single quotes, e.g. 'gatehouse'", src)
	}
	return nil
}

// CheckStageVariable checks a stageVariables.NAME source: NAME must be able to name a stage
// variable.
func CheckStageVariable(src string) error {
	if name := strings.TrimPrefix(src, "stageVariables."); !stagerules.ValidVariableName(name) {
		return fmt.Errorf("%s: stage variable name %q must be 1 to %d letters, digits and \"_\"", src, name, stagerules.MaxVariableNameLen)
	}
	return nil
}

// Requests is one API kind's grammar for an integration's request parameters.
type Requests struct {
	// Dest matches a destination, "integration.request.header.NAME"; its second group is NAME.
	Dest *regexp.Regexp
	// DestForms says what a destination may be, for the error when Dest does not match.
	DestForms string
	// Source checks a source expression and returns the request parameter declaration it
	// needs ("method.request.querystring.q"), or "" when it reads none.
	Source func(src string) (declared string, err error)
}

// Check checks request parameters (destination -> source) in destination order. what names
// one parameter at the start of its errors ("route \"$connect\": request parameter
// \"integration.request.header.x\""). declared lists the declarations the sources need, in
// destination order, each once.
func (r Requests) Check(what func(dest string) string, m map[string]string) (errs, declared []string) {
	seen := map[string]bool{}
	for _, dest := range slices.Sorted(maps.Keys(m)) {
		if sub := r.Dest.FindStringSubmatch(dest); sub == nil {
			errs = append(errs, fmt.Sprintf("%s must be %s", what(dest), r.DestForms))
		} else if !ValidName(sub[2]) {
			errs = append(errs, fmt.Sprintf("%s: name %q must match %s", what(dest), sub[2], NamePattern))
		}
		d, err := r.Source(m[dest])
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", what(dest), err))
			continue
		}
		if d != "" && !seen[d] {
			seen[d] = true
			declared = append(declared, d)
		}
	}
	return errs, declared
}
