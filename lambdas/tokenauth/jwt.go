package tokenauth

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// MinSecretLen is the shortest HS256 key accepted: RFC 7518 section 3.2 requires a key at
// least as long as the hash output (256 bits).
const MinSecretLen = 32

// MaxTokenLen bounds the work a token can cause before its signature is checked. API Gateway
// caps a header at 10 KB, so a longer token could not arrive anyway.
const MaxTokenLen = 10 * 1024

// Reasons a token is refused. Verify wraps them with the detail; errors.Is tells them apart.
var (
	ErrMalformed   = errors.New("malformed token")
	ErrAlgorithm   = errors.New("token algorithm not accepted")
	ErrSignature   = errors.New("token signature does not verify")
	ErrExpired     = errors.New("token expired")
	ErrNotYetValid = errors.New("token not valid yet")
	ErrClaims      = errors.New("token claims not accepted")
)

// Claims are a verified token's claims.
type Claims struct {
	// Subject is "sub", the user; required.
	Subject string
	// Scope is "scope" (space-separated), or "scp" (a list) joined with spaces.
	Scope string
	// Issuer is "iss" and Audience "aud" (a string or a list), when present.
	Issuer   string
	Audience []string
	// ExpiresAt is "exp", required; NotBefore ("nbf") and IssuedAt ("iat") are zero when
	// absent.
	ExpiresAt, NotBefore, IssuedAt time.Time
	// All holds every claim as decoded JSON (numbers as json.Number).
	All map[string]any
}

// HasScope reports whether the token holds scope.
func (c *Claims) HasScope(scope string) bool {
	for _, s := range strings.Fields(c.Scope) {
		if s == scope {
			return true
		}
	}
	return false
}

// header is the part of a JOSE header Verify reads.
type header struct {
	Alg  string   `json:"alg"`
	Crit []string `json:"crit"`
}

var b64 = base64.RawURLEncoding.Strict()

// Sign makes a compact HS256 JWT of claims with secret. Callers set "sub" and "exp" (Unix
// seconds) at least, since Verify requires them.
func Sign(secret []byte, claims map[string]any) (string, error) {
	if len(secret) < MinSecretLen {
		return "", fmt.Errorf("tokenauth: signing: secret is %d bytes, at least %d are needed for HS256", len(secret), MinSecretLen)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("tokenauth: signing: encoding claims: %w", err)
	}
	input := b64.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + b64.EncodeToString(payload)
	return input + "." + b64.EncodeToString(mac(secret, input)), nil
}

func mac(secret []byte, input string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(input))
	return m.Sum(nil)
}

// Verify checks a compact JWT signed with HS256 and secret: its form, the algorithm (only
// HS256: "none" and every other algorithm are refused, so a token cannot choose how it is
// checked), the signature (before any claim is read), then "exp" (required), "nbf" and "iat"
// against now, without leeway, as API Gateway's JWT authorizers do. "sub" is required.
func Verify(token string, secret []byte, now time.Time) (*Claims, error) {
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("tokenauth: secret is %d bytes, at least %d are needed for HS256", len(secret), MinSecretLen)
	}
	if len(token) > MaxTokenLen {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrMalformed, len(token), MaxTokenLen)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: %d dot-separated parts, want 3", ErrMalformed, len(parts))
	}
	rawHeader, err := b64.DecodeString(parts[0])
	if err != nil {
		return nil, fmt.Errorf("%w: header is not base64url: %v", ErrMalformed, err)
	}
	var h header
	if err := strictUnmarshal(rawHeader, &h); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	if h.Alg != "HS256" {
		return nil, fmt.Errorf("%w: alg %q, want HS256", ErrAlgorithm, h.Alg)
	}
	if len(h.Crit) > 0 {
		return nil, fmt.Errorf("%w: critical header extensions %q are not understood", ErrMalformed, h.Crit)
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil {
		return nil, fmt.Errorf("%w: signature is not base64url: %v", ErrMalformed, err)
	}
	if !hmac.Equal(sig, mac(secret, parts[0]+"."+parts[1])) {
		return nil, ErrSignature
	}
	rawPayload, err := b64.DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("%w: payload is not base64url: %v", ErrMalformed, err)
	}
	var all map[string]any
	if err := strictUnmarshal(rawPayload, &all); err != nil || all == nil {
		return nil, fmt.Errorf("%w: payload is not a JSON object", ErrMalformed)
	}
	return readClaims(all, now)
}

// strictUnmarshal decodes one JSON value, numbers as json.Number, and refuses trailing data.
func strictUnmarshal(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}

// readClaims reads the registered claims of a verified payload and checks the times.
func readClaims(all map[string]any, now time.Time) (*Claims, error) {
	c := &Claims{All: all}
	var err error
	if c.Subject, err = stringClaim(all, "sub"); err != nil {
		return nil, err
	}
	if c.Subject == "" {
		return nil, fmt.Errorf("%w: no sub claim", ErrClaims)
	}
	if c.Issuer, err = stringClaim(all, "iss"); err != nil {
		return nil, err
	}
	switch aud := all["aud"].(type) {
	case nil:
	case string:
		c.Audience = []string{aud}
	case []any:
		for _, a := range aud {
			s, ok := a.(string)
			if !ok {
				return nil, fmt.Errorf("%w: aud holds a %T", ErrClaims, a)
			}
			c.Audience = append(c.Audience, s)
		}
	default:
		return nil, fmt.Errorf("%w: aud is a %T, want a string or a list", ErrClaims, aud)
	}
	switch scope := all["scope"].(type) {
	case nil:
		if scp, ok := all["scp"].([]any); ok {
			var list []string
			for _, s := range scp {
				if str, ok := s.(string); ok {
					list = append(list, str)
				}
			}
			c.Scope = strings.Join(list, " ")
		}
	case string:
		c.Scope = scope
	default:
		return nil, fmt.Errorf("%w: scope is a %T, want a space-separated string", ErrClaims, scope)
	}

	exp, ok, err := timeClaim(all, "exp")
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, fmt.Errorf("%w: no exp claim (a token that never expires is refused)", ErrClaims)
	case !now.Before(exp):
		return nil, fmt.Errorf("%w: at %s", ErrExpired, exp.UTC().Format(time.RFC3339))
	}
	c.ExpiresAt = exp
	if c.NotBefore, ok, err = timeClaim(all, "nbf"); err != nil {
		return nil, err
	} else if ok && now.Before(c.NotBefore) {
		return nil, fmt.Errorf("%w: not before %s", ErrNotYetValid, c.NotBefore.UTC().Format(time.RFC3339))
	}
	if c.IssuedAt, ok, err = timeClaim(all, "iat"); err != nil {
		return nil, err
	} else if ok && now.Before(c.IssuedAt) {
		return nil, fmt.Errorf("%w: issued in the future, at %s", ErrNotYetValid, c.IssuedAt.UTC().Format(time.RFC3339))
	}
	return c, nil
}

func stringClaim(all map[string]any, name string) (string, error) {
	switch v := all[name].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	default:
		return "", fmt.Errorf("%w: %s is a %T, want a string", ErrClaims, name, v)
	}
}

// timeClaim reads a NumericDate (seconds since the epoch, possibly fractional).
func timeClaim(all map[string]any, name string) (time.Time, bool, error) {
	v, present := all[name]
	if !present {
		return time.Time{}, false, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, false, fmt.Errorf("%w: %s is a %T, want seconds since the epoch", ErrClaims, name, v)
	}
	f, err := n.Float64()
	// Beyond ±2^53 seconds a float has no whole seconds left; such dates are garbage.
	if err != nil || math.IsNaN(f) || math.Abs(f) > 1<<53 {
		return time.Time{}, false, fmt.Errorf("%w: %s %q is not a date", ErrClaims, name, n)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true, nil
}
