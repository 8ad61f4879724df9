package jwtverify

import (
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// BenchmarkVerifyRS256 is a JWT authorizer's work per request: keys parsed once (Add), the same
// token sent again and again, as a load test or a browser session does.
func BenchmarkVerifyRS256(b *testing.B) {
	s := testStore(b)
	tok := "Bearer " + sign(b, keyA, jose.RS256, map[string]any{"kid": "a"}, claims())
	e := Expect{Issuers: []string{testIssuer}, Audiences: []string{"client-1"}, Now: testNow}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Verify(tok, e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyRS256Uncached checks the RSA signature on every call: the cost of a token
// seen for the first time.
func BenchmarkVerifyRS256Uncached(b *testing.B) {
	s := testStore(b)
	s.sigs = nil
	tok := "Bearer " + sign(b, keyA, jose.RS256, map[string]any{"kid": "a"}, claims())
	e := Expect{Issuers: []string{testIssuer}, Audiences: []string{"client-1"}, Now: testNow}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Verify(tok, e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyRS256Parallel is the cached path under concurrent requests.
func BenchmarkVerifyRS256Parallel(b *testing.B) {
	s := testStore(b)
	tok := sign(b, keyA, jose.RS256, map[string]any{"kid": "a"}, claims())
	e := Expect{Issuers: []string{testIssuer}, Audiences: []string{"client-1"}, Now: testNow}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Verify(tok, e); err != nil {
				b.Fatal(err)
			}
		}
	})
}
