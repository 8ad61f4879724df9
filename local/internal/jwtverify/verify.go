package jwtverify

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// MaxTokenBytes is the longest token Verify reads. API Gateway refuses request headers over
// 10 KB before any authorizer runs, so no longer token can reach one in AWS.
const MaxTokenBytes = 10240

// Expect is what a token must satisfy.
type Expect struct {
	Issuers   []string // the token's iss must be one of them (JWT: one; Cognito: one per pool)
	Audiences []string // JWT authorizers: aud (or, if aud is absent, client_id) must hold one of them; empty: not checked
	ClientIDs []string // Cognito: aud (id tokens) or client_id (access tokens) in this list; empty: not checked
	Now       time.Time
	Leeway    time.Duration // clock skew allowed on exp/nbf/iat; API Gateway: 0
}

// Token is a verified token.
type Token struct {
	// Claims holds every claim as decoded JSON, numbers as json.Number so that an exp of
	// 1700000000 prints as written rather than as 1.7e+09.
	Claims          map[string]any
	Scopes          []string // "scope" (space-separated) or "scp" (array) claim
	Issuer, Subject string
}

// Error is why a token was refused. Callers answer 401 for every error.
type Error struct{ Reason string }

func (e *Error) Error() string { return "jwt: " + e.Reason }

func refuse(format string, args ...any) *Error {
	return &Error{Reason: sprintf(format, args...)}
}

// Reasons callers may want to tell apart; the others are free text for logs.
const (
	// ReasonExpired is the reason of a token whose exp has passed (API Gateway's wording).
	ReasonExpired = "the token has expired"
	// ReasonAudience is the reason of a token for another audience or client.
	ReasonAudience = "the token does not have a valid audience"
	// ReasonIssuer is the reason of a token from an issuer the authorizer does not accept.
	ReasonIssuer = "the token does not have a valid issuer"
)

// rsaAlgorithms are the signature algorithms accepted: API Gateway's JWT authorizers verify
// "only RSA-based algorithms" (Developer Guide, JWT authorizers), and Cognito signs with RS256.
var rsaAlgorithms = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512}

func rsaAlgorithm(alg string) bool {
	for _, a := range rsaAlgorithms {
		if string(a) == alg {
			return true
		}
	}
	return false
}

// header is the part of a JWS header Verify reads before the signature is checked.
type header struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

// Verify checks the compact JWS: the header's alg is one the key supports (RS256/384/512,
// PS256/384/512: API Gateway verifies only RSA signatures, so ES*, HS* and "none" are
// refused), kid names a key of the issuer's JWKS, the signature, then iss, aud/client_id,
// exp, nbf, iat. A "Bearer " prefix, as the identity source may carry, is dropped first.
// Errors are *Error with a Reason a log line can print; callers answer 401 for every error.
func (s *Store) Verify(token string, e Expect) (*Token, error) {
	token = strings.TrimSpace(token)
	if len(token) >= 6 && strings.EqualFold(token[:6], "bearer") && (len(token) == 6 || token[6] == ' ') {
		token = strings.TrimSpace(token[6:])
	}
	if token == "" {
		return nil, refuse("no token")
	}
	if len(token) > MaxTokenBytes {
		return nil, refuse("the token is %d bytes, more than the %d API Gateway accepts", len(token), MaxTokenBytes)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, refuse("the token is malformed: a compact JWS has 3 dot-separated parts, this one has %d", len(parts))
	}
	var h header
	if err := decodeSegment(parts[0], &h); err != nil {
		return nil, refuse("the token is malformed: header: %v", err)
	}
	switch {
	case h.Alg == "":
		return nil, refuse("the token is malformed: the header has no alg")
	case strings.EqualFold(h.Alg, "none"):
		return nil, refuse("the token is unsigned (alg none)")
	case !rsaAlgorithm(h.Alg):
		return nil, refuse("the token's algorithm %s is not accepted: API Gateway verifies only RSA signatures (RS256/384/512, PS256/384/512)", h.Alg)
	}
	claims, payload, err := decodeClaims(parts[1])
	if err != nil {
		return nil, refuse("the token is malformed: payload: %v", err)
	}

	iss, _ := claims["iss"].(string)
	if len(e.Issuers) == 0 {
		return nil, refuse("no issuer is configured, so no token can be accepted")
	}
	if !contains(e.Issuers, iss) {
		return nil, refuse(ReasonIssuer+": iss %s, want %s", iss, strings.Join(e.Issuers, " or "))
	}
	set := s.keysOf(iss)
	if set == nil {
		return nil, refuse("no JWKS for issuer %s: give the runner its keys (--jwks ISSUER=FILE)", iss)
	}
	keys, why := set.pick(h)
	if keys == nil {
		return nil, &Error{Reason: why}
	}
	if err := s.checkSignature(token, payload, set, keys); err != nil {
		return nil, err
	}
	return checkClaims(claims, iss, e)
}

// pick finds the keys the token may be signed with: the key its kid names or, when the token
// has no kid, the issuer's only key for the token's algorithm. Two keys sharing a kid make the
// JWKS ambiguous; each is tried, which is no open door: only a key of the issuer can have made
// the signature.
func (set *keySet) pick(h header) ([]*key, string) {
	var found []*key
	for _, k := range set.keys {
		if h.Kid != "" && k.kid != h.Kid {
			continue
		}
		if k.alg != "" && k.alg != h.Alg {
			continue
		}
		found = append(found, k)
	}
	switch {
	case h.Kid != "" && len(found) == 0:
		return nil, sprintf("the token's kid %s is not a key of issuer %s for %s", h.Kid, set.issuer, h.Alg)
	case len(found) == 0:
		return nil, sprintf("the token has no kid and issuer %s has no key for %s", set.issuer, h.Alg)
	case h.Kid == "" && len(found) > 1:
		return nil, sprintf("the token has no kid and issuer %s has %d keys for %s", set.issuer, len(found), h.Alg)
	}
	return found, ""
}

// checkSignature verifies the JWS signature with one of keys, or remembers having done so.
// payload is what the claims were read from: it must be what the signature covers.
func (s *Store) checkSignature(token string, payload []byte, set *keySet, keys []*key) error {
	if s.sigs.seen(token, set) {
		return nil
	}
	jws, err := jose.ParseSignedCompact(token, rsaAlgorithms)
	if err != nil {
		return refuse("the token is malformed: %v", err)
	}
	for _, k := range keys {
		signed, err := jws.Verify(k.pub)
		if err == nil {
			if !bytes.Equal(signed, payload) {
				return refuse("the token is malformed: the signed payload is not the one decoded")
			}
			s.sigs.add(token, set)
			return nil
		}
		if !errors.Is(err, jose.ErrCryptoFailure) {
			// Not a bad signature but a JWS go-jose refuses to check (a "crit" header it does
			// not know, say).
			return refuse("the token is malformed: %v", err)
		}
	}
	return refuse("the token's signature does not match key %s of issuer %s", keys[0].kid, set.issuer)
}

// decodeSegment decodes one base64url JSON segment of a compact JWS into v.
func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// decodeClaims decodes the payload segment into a claims object, numbers as json.Number, and
// returns the payload's bytes too.
func decodeClaims(seg string) (map[string]any, []byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return nil, nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var claims map[string]any
	if err := d.Decode(&claims); err != nil {
		return nil, nil, err
	}
	if claims == nil {
		return nil, nil, errNotObject
	}
	if len(bytes.TrimSpace(b[d.InputOffset():])) > 0 {
		return nil, nil, errTrailing
	}
	return claims, b, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
