package websocketapi

import (
	"fmt"
	"strings"

	"github.com/ohler55/ojg/jp"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/parammap"
)

// selectionVars returns the variables of a WebSocket selection expression, each without its
// "$" and braces, following the grammar of "WebSocket selection expressions": a variable starts
// with "$"; "${...}" bounds it explicitly ("${request.body.version}-beta"); "\$" is a literal
// dollar ("\$default"); everything else is literal text.
//
// An unbraced variable runs over letters, digits and "._-[]'*@", the characters of a JSONPath
// and of header names, so "$request.body.a-b" is one variable: braces are the way to end one
// early, as the guide's own example does.
func selectionVars(expr string) ([]string, error) {
	var vars []string
	for i := 0; i < len(expr); i++ {
		switch expr[i] {
		case '\\':
			if i+1 < len(expr) && expr[i+1] == '$' {
				i++ // "\$": a literal dollar
			}
		case '$':
			if i+1 < len(expr) && expr[i+1] == '{' {
				end := strings.IndexByte(expr[i+2:], '}')
				if end < 0 {
					return nil, fmt.Errorf("\"${\" at offset %d has no closing \"}\"", i)
				}
				name := expr[i+2 : i+2+end]
				if name == "" {
					return nil, fmt.Errorf("empty variable \"${}\" at offset %d", i)
				}
				vars = append(vars, name)
				i += 2 + end
				continue
			}
			j := i + 1
			for j < len(expr) && varChar(expr[j]) {
				j++
			}
			if j == i+1 {
				return nil, fmt.Errorf("\"$\" at offset %d starts no variable (write \"\\$\" for a literal dollar, e.g. \"\\$default\")", i)
			}
			vars = append(vars, expr[i+1:j])
			i = j - 1
		}
	}
	return vars, nil
}

func varChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("._-[]'*@", c) >= 0
}

// bodyPath checks the JSONPath after a "request.body" or "route.request.body" prefix: rest is
// what follows the prefix, e.g. ".action" or "['a b']". It returns the full JSONPath ("$.action").
func bodyPath(rest string) (string, error) {
	if rest == "" || rest == "." || (rest[0] != '.' && rest[0] != '[') {
		return "", fmt.Errorf("needs a JSONPath after the body, e.g. .action")
	}
	path := "$" + rest
	if _, err := jp.ParseString(path); err != nil {
		return "", fmt.Errorf("JSONPath %q does not parse: %v", path, err)
	}
	return path, nil
}

// selectionContext names which selection expression is being checked; each allows its own
// variables (guide, "WebSocket selection expression summary").
type selectionContext int

const (
	// Api.RouteSelectionExpression: "$request.body.{path_to_body_element}".
	routeSelection selectionContext = iota
	// Integration.TemplateSelectionExpression: "${request.body.jsonPath} and static values".
	requestTemplateSelection
	// IntegrationResponse.TemplateSelectionExpression: the request body, the integration
	// response's status code, headers and multi-value headers, and static values.
	responseTemplateSelection
)

func (c selectionContext) allowed() string {
	switch c {
	case routeSelection, requestTemplateSelection:
		return "$request.body.JSONPATH variables and static text"
	default:
		return "$request.body.JSONPATH, $integration.response.statuscode, $integration.response.header.NAME, $integration.response.multivalueheader.NAME and static text"
	}
}

// checkSelection checks that expr parses and uses only the variables its context allows.
func checkSelection(what string, ctx selectionContext, expr string) []string {
	if expr == "" {
		return []string{fmt.Sprintf("%s: must not be empty", what)}
	}
	vars, err := selectionVars(expr)
	if err != nil {
		return []string{fmt.Sprintf("%s %q: %v", what, expr, err)}
	}
	var errs []string
	for _, v := range vars {
		if err := checkSelectionVar(ctx, v); err != nil {
			errs = append(errs, fmt.Sprintf("%s %q: variable $%s %v (allowed: %s)", what, expr, v, err, ctx.allowed()))
		}
	}
	return errs
}

func checkSelectionVar(ctx selectionContext, v string) error {
	if rest, ok := strings.CutPrefix(v, "request.body"); ok {
		_, err := bodyPath(rest)
		return err
	}
	if ctx == responseTemplateSelection {
		if v == "integration.response.statuscode" {
			return nil
		}
		for _, p := range []string{"integration.response.header.", "integration.response.multivalueheader."} {
			if name, ok := strings.CutPrefix(v, p); ok {
				if !parammap.ValidName(name) {
					return fmt.Errorf("names an invalid header %q", name)
				}
				return nil
			}
		}
	}
	return fmt.Errorf("is not available here")
}
