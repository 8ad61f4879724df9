package jwtverify

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

var (
	errNotObject = errors.New("the claims are not a JSON object")
	errTrailing  = errors.New("data after the claims object")
)

// checkClaims applies the claim rules of the guide's JWT authorizer workflow to a token whose
// signature is good: aud or client_id, exp, nbf, iat (iss was checked to pick the keys).
func checkClaims(claims map[string]any, iss string, e Expect) (*Token, error) {
	aud, audPresent, err := audience(claims)
	if err != nil {
		return nil, err
	}
	clientID, _ := claims["client_id"].(string)
	if len(e.Audiences) > 0 {
		// "API Gateway validates client_id only if aud is not present. When both aud and
		// client_id are present, API Gateway evaluates aud."
		ok := false
		if audPresent {
			ok = anyIn(aud, e.Audiences)
		} else {
			ok = clientID != "" && contains(e.Audiences, clientID)
		}
		if !ok {
			return nil, refuse(ReasonAudience+": aud %s, client_id %s, want %s", strings.Join(aud, " "), clientID, strings.Join(e.Audiences, " or "))
		}
	}
	if len(e.ClientIDs) > 0 {
		// Cognito puts the app client in aud of ID tokens and in client_id of access tokens.
		var ok bool
		switch use, _ := claims["token_use"].(string); {
		case use == "access":
			ok = contains(e.ClientIDs, clientID)
		case use == "id" || audPresent:
			ok = anyIn(aud, e.ClientIDs)
		default:
			ok = contains(e.ClientIDs, clientID)
		}
		if !ok {
			return nil, refuse(ReasonAudience+": aud %s, client_id %s, want app client %s", strings.Join(aud, " "), clientID, strings.Join(e.ClientIDs, " or "))
		}
	}

	now := e.Now
	if now.IsZero() {
		now = time.Now()
	}
	exp, ok, err := numericDate(claims, "exp")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, refuse("the token has no exp claim")
	}
	if !now.Before(exp.Add(e.Leeway)) {
		return nil, refuse(ReasonExpired+" (exp %s, now %s)", exp.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if nbf, ok, err := numericDate(claims, "nbf"); err != nil {
		return nil, err
	} else if ok && now.Add(e.Leeway).Before(nbf) {
		return nil, refuse("the token is not valid yet (nbf %s, now %s)", nbf.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if iat, ok, err := numericDate(claims, "iat"); err != nil {
		return nil, err
	} else if ok && now.Add(e.Leeway).Before(iat) {
		return nil, refuse("the token was issued in the future (iat %s, now %s)", iat.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}

	sub, _ := claims["sub"].(string)
	scopes, err := scopesOf(claims)
	if err != nil {
		return nil, err
	}
	return &Token{Claims: claims, Scopes: scopes, Issuer: iss, Subject: sub}, nil
}

// audience reads aud, a string or an array of strings (RFC 7519 4.1.3).
func audience(claims map[string]any) ([]string, bool, error) {
	v, ok := claims["aud"]
	if !ok || v == nil {
		return nil, false, nil
	}
	switch a := v.(type) {
	case string:
		return []string{a}, true, nil
	case []any:
		out := make([]string, 0, len(a))
		for _, x := range a {
			s, ok := x.(string)
			if !ok {
				return nil, true, refuse("the token's aud claim holds %s, not a string", jsonType(x))
			}
			out = append(out, s)
		}
		return out, true, nil
	}
	return nil, true, refuse("the token's aud claim is %s, not a string or an array of strings", jsonType(v))
}

// numericDate reads a NumericDate claim: seconds since the epoch, maybe fractional.
func numericDate(claims map[string]any, name string) (time.Time, bool, error) {
	v, ok := claims[name]
	if !ok || v == nil {
		return time.Time{}, false, nil
	}
	n, isNum := v.(json.Number)
	if !isNum {
		return time.Time{}, true, refuse("the token's %s claim is %s, not a number of seconds", name, jsonType(v))
	}
	f, err := n.Float64()
	// Beyond ±1e15 seconds (30 million years) a date means nothing and overflows time.Duration.
	if err != nil || math.IsNaN(f) || math.Abs(f) > 1e15 {
		return time.Time{}, true, refuse("the token's %s claim %s is not a usable date", name, n.String())
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true, nil
}

// scopesOf reads "scope" (a space-separated string, RFC 8693) and "scp" (an array of strings,
// as Okta and Azure AD send it, or a string).
func scopesOf(claims map[string]any) ([]string, error) {
	var out []string
	for _, name := range []string{"scope", "scp"} {
		switch v := claims[name].(type) {
		case nil:
		case string:
			out = append(out, strings.Fields(v)...)
		case []any:
			for _, x := range v {
				s, ok := x.(string)
				if !ok {
					return nil, refuse("the token's %s claim holds %s, not a string", name, jsonType(x))
				}
				out = append(out, s)
			}
		default:
			return nil, refuse("the token's %s claim is %s, not a string or an array of strings", name, jsonType(v))
		}
	}
	return out, nil
}

func anyIn(have, want []string) bool {
	for _, h := range have {
		if contains(want, h) {
			return true
		}
	}
	return false
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}

// sprintf formats a reason. Its string arguments may come from the token, so they are cut
// short and stripped of quotes, control characters and non-ASCII: a reason can go into a log line or a
// www-authenticate header without letting a client write either.
func sprintf(format string, args ...any) string {
	for i, a := range args {
		switch v := a.(type) {
		case string:
			args[i] = clean(v)
		case error:
			args[i] = clean(v.Error())
		}
	}
	return fmt.Sprintf(format, args...)
}

func clean(s string) string {
	const max = 120
	if s == "" {
		return "(none)"
	}
	var b strings.Builder
	for i, r := range s {
		if i >= max {
			b.WriteString("...")
			break
		}
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}
