package authorizer

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/jwtverify"
)

// keyStore is what JWT and Cognito authorizers need of a JWKS store: *jwtverify.Store, or a
// fake in tests.
type keyStore interface {
	Has(issuer string) bool
	Verify(token string, e jwtverify.Expect) (*jwtverify.Token, error)
}

// storeKeys keeps a nil *jwtverify.Store from becoming a non-nil interface.
type storeKeys struct{ *jwtverify.Store }

// describe is a refusal's reason as API Gateway words it in WWW-Authenticate
// ("the token has expired"), without the details the runner's log adds after a colon.
func describe(err error) string {
	var je *jwtverify.Error
	if errors.As(err, &je) {
		for _, r := range []string{jwtverify.ReasonExpired, jwtverify.ReasonAudience, jwtverify.ReasonIssuer} {
			if strings.HasPrefix(je.Reason, r) {
				return r
			}
		}
		short, _, _ := strings.Cut(je.Reason, ": ")
		return short
	}
	return err.Error()
}

// bearerToken reads the token from the authorizer's identity source: "the identitySource can
// include only the token, or the token prefixed with Bearer".
func bearerToken(c *compiled, r *Request) string {
	if len(c.sources) == 0 {
		return ""
	}
	v := strings.TrimSpace(c.sources[0].value(r))
	if len(v) > 7 && strings.EqualFold(v[:7], "bearer ") {
		v = strings.TrimSpace(v[7:])
	}
	return v
}

// authorizeJWT is an HTTP API's JWT authorizer: the token, the issuer's keys, then the
// route's scopes ("the token must include at least one of the route's scopes").
func (s *Set) authorizeJWT(c *compiled, scopes []string, r *Request) Decision {
	a := c.a
	token := bearerToken(c, r)
	if token == "" {
		return Decision{Refusal: unauthorized(r.Protocol, "the request has no token in "+c.sources[0].raw)}
	}
	if s.keys == nil || !s.keys.Has(a.Issuer) {
		return Decision{Refusal: unauthorized(r.Protocol, fmt.Sprintf(
			"the runner has no keys for issuer %s, so no token can be verified: start it with --jwks %s=FILE (a JWKS file; Options.JWKS in Go)", a.Issuer, a.Issuer))}
	}
	tok, err := s.keys.Verify(token, jwtverify.Expect{Issuers: []string{a.Issuer}, Audiences: a.Audience, Now: s.now()})
	if err != nil {
		ref := unauthorized(r.Protocol, "the token is not valid: "+err.Error())
		ref.Header = http.Header{"Www-Authenticate": {fmt.Sprintf(`Bearer scope="" error="invalid_token" error_description=%q`, describe(err))}}
		return Decision{Refusal: ref}
	}
	d := Decision{Claims: tok.Claims, Scopes: tok.Scopes}
	if len(scopes) > 0 && !anyScope(tok.Scopes, scopes) {
		ref := forbidden(r.Protocol, false, fmt.Sprintf("the token's scopes %v include none of the route's %v", tok.Scopes, scopes))
		ref.Header = http.Header{"Www-Authenticate": {fmt.Sprintf(`Bearer scope=%q error="insufficient_scope" error_description="expected scopes: %v"`, strings.Join(scopes, " "), scopes)}}
		d.Refusal = ref
	}
	return d
}

// authorizeCognito is a REST API's Cognito user pool authorizer. Without authorization scopes
// on the method the token must be an identity token; with them, an access token holding one
// of the scopes (the guide: "if the OAuth Scopes option isn't specified, API Gateway treats the
// supplied token as an identity token … Otherwise, API Gateway treats the supplied token as an
// access token"). A scope mismatch is a 401 ("the call fails with a 401 Unauthorized
// response").
func (s *Set) authorizeCognito(c *compiled, scopes []string, r *Request) Decision {
	a := c.a
	token := strings.TrimSpace(c.sources[0].value(r))
	if token == "" {
		return Decision{Refusal: unauthorized(r.Protocol, "the request has no token in "+c.sources[0].raw)}
	}
	var missing []string
	for _, iss := range a.Issuers {
		if s.keys == nil || !s.keys.Has(iss) {
			missing = append(missing, iss)
		}
	}
	if len(missing) == len(a.Issuers) {
		return Decision{Refusal: unauthorized(r.Protocol, fmt.Sprintf(
			"the runner has no keys for user pool issuer %s, so no token can be verified: start it with --jwks %s=FILE (a JWKS file; Options.JWKS in Go)",
			strings.Join(missing, ", "), missing[0]))}
	}
	tok, err := s.keys.Verify(token, jwtverify.Expect{Issuers: a.Issuers, Now: s.now()})
	if err != nil {
		return Decision{Refusal: unauthorized(r.Protocol, "the token is not valid: "+err.Error())}
	}
	use, _ := tok.Claims["token_use"].(string)
	if len(scopes) == 0 {
		if use != "id" {
			return Decision{Refusal: unauthorized(r.Protocol, fmt.Sprintf(
				"the method has no authorization scopes, so it takes an identity token (token_use \"id\"), and this token's token_use is %q", use))}
		}
		if c.validation != nil {
			// The guide applies the token validation expression to the identity token's aud.
			aud, _ := tok.Claims["aud"].(string)
			if !c.validation.MatchString(aud) {
				return Decision{Refusal: unauthorized(r.Protocol, fmt.Sprintf("the token's aud %q does not match the token validation expression %q", aud, a.IdentityValidationExpression))}
			}
		}
	} else {
		if use != "access" {
			return Decision{Refusal: unauthorized(r.Protocol, fmt.Sprintf(
				"the method has authorization scopes, so it takes an access token (token_use \"access\"), and this token's token_use is %q", use))}
		}
		if c.validation != nil {
			return Decision{Refusal: unauthorized(r.Protocol, fmt.Sprintf(
				"the authorizer's token validation expression %q checks an identity token's aud, which an access token does not have", a.IdentityValidationExpression))}
		}
		if !anyScope(tok.Scopes, scopes) {
			return Decision{Refusal: unauthorized(r.Protocol, fmt.Sprintf("the token's scopes %v include none of the method's %v", tok.Scopes, scopes))}
		}
	}
	return Decision{Claims: tok.Claims, Scopes: tok.Scopes}
}

func anyScope(have, want []string) bool {
	for _, w := range want {
		for _, h := range have {
			if h == w {
				return true
			}
		}
	}
	return false
}
