package jwtverify

import (
	"errors"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// FuzzVerify feeds Verify garbage and near-tokens. Nothing may panic, every refusal is an
// *Error, and the only tokens accepted carry the claims the key's owner signed.
func FuzzVerify(f *testing.F) {
	s := testStore(f)
	good := sign(f, keyA, jose.RS256, map[string]any{"kid": "a"}, claims())
	parts := strings.Split(good, ".")
	for _, seed := range []string{
		good,
		"Bearer " + good,
		good[:len(good)/2],
		parts[0] + "." + parts[1] + ".",
		raw(f, map[string]any{"alg": "none"}, claims(), ""),
		raw(f, map[string]any{"alg": "RS256", "kid": "a", "crit": []string{"b64"}, "b64": false}, claims(), parts[2]),
		sign(f, keyA, jose.RS256, nil, claims()),
		hs256WithPublicKey(f),
		"", ".", "..", "a.b.c", "eyJ9.eyJ9.e", "\x00\xff",
	} {
		f.Add(seed)
	}
	e := Expect{Issuers: []string{testIssuer}, Audiences: []string{"client-1"}, Now: testNow}
	f.Fuzz(func(t *testing.T, token string) {
		tok, err := s.Verify(token, e)
		if err != nil {
			var ve *Error
			if !errors.As(err, &ve) || ve.Reason == "" {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		// base64 leaves a few bits of a segment's last character unused, so a variant of the
		// good token may verify; it must still be the signed token's claims.
		if tok.Subject != "alice" || tok.Issuer != testIssuer || tok.Claims["aud"] != "client-1" {
			t.Fatalf("accepted %q with claims %v", token, tok.Claims)
		}
	})
}
