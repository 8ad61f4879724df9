package iamauth

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// Decision is the outcome of evaluating identity-based policy statements for one request.
type Decision int

const (
	// ImplicitDeny: no statement allows the request (nor denies it).
	ImplicitDeny Decision = iota
	// Allow: a statement allows the request and none denies it.
	Allow
	// ExplicitDeny: a statement denies the request, whatever else allows it.
	ExplicitDeny
)

func (d Decision) String() string {
	switch d {
	case Allow:
		return "allow"
	case ExplicitDeny:
		return "explicit deny"
	default:
		return "implicit deny"
	}
}

// Allowed is whether statements allow action on resource: [Evaluate] is [Allow].
func Allowed(statements []*model.Statement, action, resource string) bool {
	return Evaluate(statements, action, resource) == Allow
}

// Evaluate applies IAM's evaluation logic to one principal's identity-based statements: an
// explicit Deny wins, then any Allow, else the request is implicitly denied.
//
// Actions match case-insensitively ("execute-api:managEconnections" is the same action),
// resources case-sensitively, both with IAM's wildcards: * for any run of characters
// (including "/" and ":") and ? for any one.
//
// A statement with a Condition never matches. Its keys (aws:SourceIp, aws:PrincipalTag/…,
// aws:CurrentTime, …) describe a request context the runner does not have, and guessing would
// let a local run pass where AWS refuses or the reverse; the model warns about each one, and
// not matching is at least predictable: a conditional Allow grants nothing locally, a
// conditional Deny denies nothing.
func Evaluate(statements []*model.Statement, action, resource string) Decision {
	allowed := false
	for _, st := range statements {
		if st == nil || st.HasCondition || !statementMatches(st, action, resource) {
			continue
		}
		switch st.Effect {
		case "Deny":
			return ExplicitDeny
		case "Allow":
			allowed = true
		}
	}
	if allowed {
		return Allow
	}
	return ImplicitDeny
}

func statementMatches(st *model.Statement, action, resource string) bool {
	var actionOK bool
	switch {
	case len(st.Actions) > 0:
		actionOK = anyMatch(st.Actions, action, true)
	case len(st.NotActions) > 0:
		actionOK = !anyMatch(st.NotActions, action, true)
	}
	if !actionOK {
		return false
	}
	switch {
	case len(st.Resources) > 0:
		return anyMatch(st.Resources, resource, false)
	case len(st.NotResources) > 0:
		return !anyMatch(st.NotResources, resource, false)
	}
	// A statement with neither Resource nor NotResource is not valid in an identity-based
	// policy; IAM would refuse to create it, so it grants and denies nothing here.
	return false
}

func anyMatch(patterns []string, value string, foldCase bool) bool {
	for _, p := range patterns {
		if foldCase {
			if wildcardMatch(strings.ToLower(p), strings.ToLower(value)) {
				return true
			}
		} else if wildcardMatch(p, value) {
			return true
		}
	}
	return false
}

// wildcardMatch reports whether s matches pattern, where * matches any run of bytes and ?
// any one character. IAM matches an ARN pattern against the whole ARN this way (the guide: a
// wildcard "applies ... to the rest of the expression"), so * crosses "/" and ":".
//
// It runs in O(len(pattern)·len(s)) at worst, by remembering only the last star: a later star
// supersedes an earlier one, so there is never more than one position to go back to.
func wildcardMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			if pattern[p] == '?' {
				// ? stands for one character, not one byte.
				_, size := utf8.DecodeRuneInString(s[i:])
				i += size
			} else {
				i++
			}
			p++
		case star >= 0:
			p = star + 1
			_, size := utf8.DecodeRuneInString(s[mark:])
			mark += size
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// AccessDenied is API Gateway's answer when the signer's policies do not allow the request:
// 403 with {"Message":"User: … is not authorized to perform: … on resource: … because …"}.
// principal is the caller's ARN (for a function, its role's assumed-role ARN: see
// [AssumedRoleARN]); d is what [Evaluate] decided.
func AccessDenied(principal, action, resource string, d Decision) *Error {
	reason := "because no identity-based policy allows the " + action + " action"
	if d == ExplicitDeny {
		reason = "with an explicit deny in an identity-based policy"
	}
	e := newError(TypeAccessDenied, CodeAccessDenied,
		fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s %s", principal, action, resource, reason))
	e.messageKey = "Message"
	return e
}
