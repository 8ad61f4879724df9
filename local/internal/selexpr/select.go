package selexpr

import (
	"fmt"
	"strings"
)

// SelectRoute picks the route for a message from the evaluated route selection expression
// (value, ok from [Expr.Eval]) and the API's route keys. The guide ("Route selection
// expressions"): the route whose key exactly matches the value (case-sensitive); if none does,
// or the expression cannot be evaluated, the $default route; "" when there is no $default
// route, for which API Gateway returns an error to the client.
//
// $connect and $disconnect are never selected for a message, even if a message names them:
// API Gateway calls them only when a connection opens and closes.
func SelectRoute(value string, ok bool, keys []string) string {
	if ok && value != "$connect" && value != "$disconnect" {
		for _, k := range keys {
			if k == value {
				return k
			}
		}
	}
	for _, k := range keys {
		if k == DefaultKey {
			return k
		}
	}
	return ""
}

// SelectKey picks the key of a template, model or response template for an evaluated
// template or model selection expression: the key equal to the value, else the $default key
// ("All of them will fall back to the $default template if a matching template is not
// found"). ok is false when neither exists: for a model, validation then fails; for a
// response template, the response goes back untransformed.
//
// Keys are compared with "\$" read as "$", since the guide's console steps enter the
// default template key as "\$default"; the key returned is the one from keys, as written.
func SelectKey(value string, ok bool, keys []string) (string, bool) {
	if ok {
		for _, k := range keys {
			if unescapeKey(k) == value {
				return k, true
			}
		}
	}
	for _, k := range keys {
		if unescapeKey(k) == DefaultKey {
			return k, true
		}
	}
	return "", false
}

func unescapeKey(k string) string {
	if !strings.Contains(k, `\$`) {
		return k
	}
	return strings.ReplaceAll(k, `\$`, "$")
}

// Passthrough is an integration's PassthroughBehavior: what happens to a message when no
// request template applies.
type Passthrough uint8

const (
	// WhenNoMatch passes the message through untransformed whenever no template is
	// selected. It is API Gateway's default (the guide's create-integration output shows it
	// on an integration created without one).
	WhenNoMatch Passthrough = iota
	// WhenNoTemplates passes the message through only if the integration has no templates
	// at all; with templates, an unmatched message is rejected.
	WhenNoTemplates
	// Never rejects a message no template is selected for, templates or not.
	Never
)

var passthroughNames = [...]string{WhenNoMatch: "WHEN_NO_MATCH", WhenNoTemplates: "WHEN_NO_TEMPLATES", Never: "NEVER"}

func (p Passthrough) String() string {
	if int(p) < len(passthroughNames) {
		return passthroughNames[p]
	}
	return fmt.Sprintf("Passthrough(%d)", p)
}

// ParsePassthrough reads a PassthroughBehavior; "" is the default, WHEN_NO_MATCH. Case does
// not matter (OpenAPI definitions write "when_no_match").
func ParsePassthrough(s string) (Passthrough, error) {
	if s == "" {
		return WhenNoMatch, nil
	}
	for i, n := range passthroughNames {
		if strings.EqualFold(s, n) {
			return Passthrough(i), nil
		}
	}
	return 0, fmt.Errorf("passthrough behavior %q is not WHEN_NO_MATCH, WHEN_NO_TEMPLATES or NEVER", s)
}

// TemplateDecision is what to do with a message's body before calling a non-proxy
// integration.
type TemplateDecision uint8

const (
	// UseTemplate: transform the body with the request template of the returned key.
	UseTemplate TemplateDecision = iota
	// PassThrough: send the body untransformed.
	PassThrough
	// Reject: do not call the integration. (A REST API answers 415 Unsupported Media Type
	// here; a WebSocket API has no status code to send, so the caller reports the error on
	// the connection.)
	Reject
)

func (d TemplateDecision) String() string {
	switch d {
	case UseTemplate:
		return "use template"
	case PassThrough:
		return "pass through"
	case Reject:
		return "reject"
	}
	return fmt.Sprintf("TemplateDecision(%d)", d)
}

// SelectTemplate picks the request template for an evaluated template selection expression
// (pass ok false when the integration has none): [SelectKey]'s exact key, else $default;
// when neither exists, the passthrough behavior decides, as in the guide's "Integration
// passthrough behaviors" tables:
//
//	                     WHEN_NO_MATCH   WHEN_NO_TEMPLATES   NEVER
//	no templates         pass through    pass through        reject
//	templates, no match  pass through    reject              reject
func SelectTemplate(value string, ok bool, keys []string, p Passthrough) (string, TemplateDecision) {
	if k, found := SelectKey(value, ok, keys); found {
		return k, UseTemplate
	}
	switch {
	case p == WhenNoMatch, p == WhenNoTemplates && len(keys) == 0:
		return "", PassThrough
	default:
		return "", Reject
	}
}
