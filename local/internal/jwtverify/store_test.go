package jwtverify

import (
	"encoding/json"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

func TestAddRefuses(t *testing.T) {
	testKeys(t)
	// A 512-bit modulus: parseable, far too short.
	short := `{"kty":"RSA","kid":"s","n":"` + b64(append([]byte{0xc0}, make([]byte, 63)...)) + `","e":"AQAB"}`
	tests := []struct {
		name   string
		issuer string
		doc    string
		want   string // a piece of the error
	}{
		{"empty issuer", "", string(jwksOf(t, jwk(&keyA.PublicKey, "a", "RS256"))), "issuer is empty"},
		{"not JSON", testIssuer, "<html>", "not a JWKS"},
		{"a single JWK", testIssuer, `{"kty":"RSA","n":"AQAB","e":"AQAB"}`, `no "keys" array`},
		{"keys not an array", testIssuer, `{"keys":{}}`, "not a JWKS"},
		{"no keys", testIssuer, `{"keys":[]}`, "no keys"},
		{"symmetric key", testIssuer, `{"keys":[{"kty":"oct","kid":"h","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}]}`, "key 0: kid h: a []uint8 key is not RSA"},
		{"EC key", testIssuer, string(jwksOf(t, jwk(&keyEC.PublicKey, "e", "ES256"))), "alg ES256 is not an RSA"},
		{"EC key without alg", testIssuer, string(jwksOf(t, jwk(&keyEC.PublicKey, "e", ""))), "is not RSA"},
		{"OKP key", testIssuer, `{"keys":[{"kty":"OKP","crv":"X25519","x":"AAAA"}]}`, "kty OKP is not RSA"},
		{"unknown kty", testIssuer, `{"keys":[{"kty":"XYZ"}]}`, "kty XYZ is not RSA"},
		{"no kty", testIssuer, `{"keys":[{"n":"AQAB","e":"AQAB"}]}`, "not a valid JWK"},
		{"encryption key", testIssuer, `{"keys":[` + strings.Replace(string(must(json.Marshal(jwk(&keyA.PublicKey, "a", "")))), `"use":"sig"`, `"use":"enc"`, 1) + `]}`, `use "enc" is not sig`},
		{"HMAC alg on an RSA key", testIssuer, string(jwksOf(t, jwk(&keyA.PublicKey, "a", "HS256"))), "alg HS256 is not an RSA"},
		{"short key", testIssuer, `{"keys":[` + short + `]}`, "512-bit RSA key is shorter than 1024"},
		{"RSA without n", testIssuer, `{"keys":[{"kty":"RSA","e":"AQAB"}]}`, "not a valid JWK"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewStore()
			err := s.Add(tc.issuer, []byte(tc.doc))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to hold %q", err, tc.want)
			}
			if s.Has(tc.issuer) {
				t.Error("the store has the issuer after a failed Add")
			}
		})
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// A JWKS mixing usable and unusable keys keeps the usable ones, as RFC 7517 section 5 asks.
func TestAddSkipsUnusableKeys(t *testing.T) {
	testKeys(t)
	doc := `{"keys":[{"kty":"oct","k":"c2VjcmV0"},` + string(must(json.Marshal(jwk(&keyEC.PublicKey, "e", "ES256")))) + `,` +
		string(must(json.Marshal(jwk(keyA, "a", "RS256")))) + `]}` // a private JWK: its public half is used
	s := NewStore()
	if err := s.Add(testIssuer, []byte(doc)); err != nil {
		t.Fatal(err)
	}
	if !s.Has(testIssuer) || s.Has("https://other.example.com") {
		t.Fatal("Has")
	}
	if n := len(s.keysOf(testIssuer).keys); n != 1 {
		t.Fatalf("%d keys kept, want 1", n)
	}
	if _, err := s.Verify(sign(t, keyA, jose.RS256, map[string]any{"kid": "a"}, claims()), Expect{Issuers: []string{testIssuer}, Now: testNow}); err != nil {
		t.Fatal(err)
	}
}

// Two keys with one kid (a JWKS mid-rotation done badly): a token signed by either verifies,
// one signed by neither does not.
func TestDuplicateKid(t *testing.T) {
	testKeys(t)
	s := NewStore()
	if err := s.Add(testIssuer, jwksOf(t, jwk(&keyA.PublicKey, "k", ""), jwk(&keyB.PublicKey, "k", ""))); err != nil {
		t.Fatal(err)
	}
	e := Expect{Issuers: []string{testIssuer}, Now: testNow}
	for _, k := range []any{keyA, keyB} {
		if _, err := s.Verify(sign(t, k, jose.RS256, map[string]any{"kid": "k"}, claims()), e); err != nil {
			t.Error(err)
		}
	}
	if _, err := s.Verify(sign(t, keyOther, jose.RS256, map[string]any{"kid": "k"}, claims()), e); err == nil {
		t.Error("a token of another key accepted")
	}
}
