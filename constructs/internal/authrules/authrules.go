// Package authrules holds the authorizer rules that the httpapi, websocketapi and restapi
// constructs share, so that each is written, tested and worded once: the names authorizers are
// declared under, identity source syntax for each kind of API, result caching TTLs, JWT issuers
// and audiences, REST token validation expressions, and authorizers declared but attached to
// nothing.
//
// Every function returns messages (or an error) that start with what they are about,
// `authorizer "jwt": ...`; the constructs record them on their validation list, which reports
// them at synthesis with the construct path.
package authrules

import (
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/javaregex"
)

// NoAuthorizer is the name a route or method uses to opt out of the API's default authorizer.
// No authorizer may be declared under it.
const NoAuthorizer = "NONE"

// MaxCacheTTLSeconds is the longest an authorizer's result may be cached, for REST and HTTP
// APIs alike ("The maximum value is 3600 seconds; this limit cannot be increased").
const MaxCacheTTLSeconds = 3600

// Subject is what a message is about: `authorizer "name"`.
func Subject(name string) string { return fmt.Sprintf("authorizer %q", name) }

// CheckName checks the name an authorizer is declared under (its key in Props.Authorizers):
// routes refer to it by that name, and it becomes part of a construct id, where "/" separates
// path components.
func CheckName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("authorizer name must not be empty")
	case name == NoAuthorizer:
		return fmt.Errorf("authorizer name %q is reserved: routes use it to opt out of the default authorizer", name)
	case strings.Contains(name, "/"):
		return fmt.Errorf("authorizer name %q must not contain \"/\"", name)
	case len(name) > 128:
		return fmt.Errorf("authorizer name %q is longer than 128 characters", name)
	}
	return nil
}

// CheckCacheTTL checks a result caching TTL in seconds: whole seconds from 0 (caching off) to
// an hour. A cached result is keyed by the identity sources, so caching needs at least one.
func CheckCacheTTL(name string, seconds float64, sources int) []string {
	var errs []string
	if seconds < 0 || seconds > MaxCacheTTLSeconds || seconds != math.Trunc(seconds) {
		errs = append(errs, fmt.Sprintf("%s: ResultsCacheTtl %vs must be whole seconds from 0 (caching off) to %d", Subject(name), seconds, MaxCacheTTLSeconds))
	}
	if seconds > 0 && sources == 0 {
		errs = append(errs, fmt.Sprintf("%s: caching (ResultsCacheTtl %vs) needs at least one identity source, the cache key; set IdentitySource or turn caching off with a TTL of 0", Subject(name), seconds))
	}
	return errs
}

// CheckIssuer checks a JWT authorizer's issuer: an https URL, compared with the token's iss
// claim. An issuer built from deploy-time tokens (a Cognito pool's URL) is checked as far as it
// is known: its scheme, when the string starts with one.
func CheckIssuer(name, issuer string, unresolved bool) error {
	bad := fmt.Errorf("%s: Issuer %q must be an https:// URL (the token's iss claim), e.g. https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", Subject(name), issuer)
	if unresolved {
		// Known at deploy time only; a literal scheme in front can still be the wrong one.
		if strings.HasPrefix(issuer, "https://") || !strings.Contains(issuer, "://") {
			return nil
		}
		return bad
	}
	u, err := url.Parse(issuer)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return bad
	}
	return nil
}

// CheckAudiences checks a JWT authorizer's audiences: at least one, none empty. API Gateway
// compares each with the token's aud (or client_id) claim.
func CheckAudiences(name string, audiences []string) []string {
	if len(audiences) == 0 {
		return []string{fmt.Sprintf("%s: Audiences must hold at least one audience (the token's aud or client_id)", Subject(name))}
	}
	var errs []string
	seen := map[string]bool{}
	for _, a := range audiences {
		switch {
		case a == "":
			errs = append(errs, fmt.Sprintf("%s: an audience must not be empty", Subject(name)))
		case seen[a]:
			errs = append(errs, fmt.Sprintf("%s: audience %q is listed twice", Subject(name), a))
		}
		seen[a] = true
	}
	return errs
}

// CheckValidationExpression checks a REST TOKEN or Cognito authorizer's identity validation
// expression. API Gateway compiles it as a Java regular expression and the local runner as a
// Go one, so a Java-only construct is named.
func CheckValidationExpression(name, expr string) error {
	if expr == "" {
		return fmt.Errorf("%s: ValidationExpression must not be empty (leave it unset to skip validation)", Subject(name))
	}
	if err := javaregex.Check(expr); err != nil {
		return fmt.Errorf("%s: ValidationExpression %q %v", Subject(name), expr, err)
	}
	return nil
}

// CheckScopes checks authorization scopes, which only JWT and Cognito authorizers use:
// allowed says whether the authorizer takes them, kinds names the ones that do.
func CheckScopes(subject string, scopes []string, allowed bool, authorizerDesc, kinds string) []string {
	if len(scopes) == 0 {
		return nil
	}
	if !allowed {
		return []string{fmt.Sprintf("%s: AuthorizationScopes apply only to %s; %s checks no scopes", subject, kinds, authorizerDesc)}
	}
	var errs []string
	seen := map[string]bool{}
	for _, s := range scopes {
		switch {
		case s == "" || strings.ContainsAny(s, " \t\n"):
			errs = append(errs, fmt.Sprintf("%s: authorization scope %q must be one non-empty word (a token's scope claim is space-separated)", subject, s))
		case seen[s]:
			errs = append(errs, fmt.Sprintf("%s: authorization scope %q is listed twice", subject, s))
		}
		seen[s] = true
	}
	return errs
}

// CheckUsed reports every declared authorizer that no route or method uses: the CDK's
// authorizers exist in the template only once attached, so an unused one would silently be
// missing. noun is "route" or "method", where says how to attach one.
func CheckUsed(declared []string, used map[string]bool, noun, where string) []string {
	var errs []string
	for _, name := range declared {
		if !used[name] {
			errs = append(errs, fmt.Sprintf("%s: no %s uses it; name it in %s or remove it", Subject(name), noun, where))
		}
	}
	return errs
}

// UnknownAuthorizer is the message for a route or method naming an authorizer the API does
// not declare.
func UnknownAuthorizer(subject, name string, declared []string) string {
	if len(declared) == 0 {
		return fmt.Sprintf("%s: Authorizer %q is not declared: the API has no Authorizers", subject, name)
	}
	return fmt.Sprintf("%s: Authorizer %q is not one of the API's Authorizers (%s), or %q for none", subject, name, strings.Join(declared, ", "), NoAuthorizer)
}

// SortedNames returns a map's keys in order, for messages that read the same every run.
func SortedNames[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// Field is one field of an authorizer declaration, for CheckFields.
type Field struct {
	Name string
	// Set says whether the declaration sets it.
	Set bool
	// For lists the authorizer types it applies to.
	For []string
	// Required: the types in For need it.
	Required bool
}

// CheckFields reports the fields set on an authorizer of a type they do not apply to, and the
// required ones it lacks, so that a field never silently has no effect.
func CheckFields(name, typ string, fields []Field) []string {
	var errs []string
	for _, f := range fields {
		applies := slices.Contains(f.For, typ)
		switch {
		case f.Set && !applies:
			errs = append(errs, fmt.Sprintf("%s: %s does not apply to %s authorizer (only %s)", Subject(name), f.Name, Article(typ), strings.Join(f.For, ", ")))
		case !f.Set && applies && f.Required:
			errs = append(errs, fmt.Sprintf("%s: %s authorizer needs %s", Subject(name), Article(typ), f.Name))
		}
	}
	return errs
}

// CheckType reports a missing or unknown authorizer type; types are the package's, in the
// order the message lists them.
func CheckType(name, typ string, types []string) error {
	if slices.Contains(types, typ) {
		return nil
	}
	if typ == "" {
		return fmt.Errorf("%s: Type is required: %s", Subject(name), strings.Join(types, ", "))
	}
	return fmt.Errorf("%s: Type %q must be one of %s", Subject(name), typ, strings.Join(types, ", "))
}

// Article is an authorizer type with its indefinite article: "a JWT", "an IAM".
func Article(typ string) string {
	if typ != "" && strings.ContainsRune("AEIOU", rune(typ[0])) {
		return "an " + typ
	}
	return "a " + typ
}
