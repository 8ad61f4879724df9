package jwtverify

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// testStore holds testIssuer's keys: keyA as kid "a" (RS256 only) and keyB as kid "b" (no alg),
// and "https://single.example.com" with keyA alone and no kid.
func testStore(t testing.TB) *Store {
	t.Helper()
	testKeys(t)
	s := NewStore()
	if err := s.Add(testIssuer, jwksOf(t, jwk(&keyA.PublicKey, "a", "RS256"), jwk(&keyB.PublicKey, "b", ""))); err != nil {
		t.Fatal(err)
	}
	if err := s.Add("https://single.example.com", jwksOf(t, jwk(&keyA.PublicKey, "", "RS256"))); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestVerifyRefuses(t *testing.T) {
	s := testStore(t)
	expect := Expect{Issuers: []string{testIssuer}, Audiences: []string{"client-1"}, Now: testNow}
	good := sign(t, keyA, jose.RS256, map[string]any{"kid": "a"}, claims())
	parts := strings.Split(good, ".")
	kidA := map[string]any{"kid": "a"}

	tests := []struct {
		name   string
		token  string                // what the client sends
		expect func(e Expect) Expect // changes to the authorizer's expectations, or nil
		reason string                // a piece of the reason
	}{
		// Not a token at all.
		{"empty", "", nil, "no token"},
		{"bearer alone", "Bearer ", nil, "no token"},
		{"too large", good + strings.Repeat("A", MaxTokenBytes), nil, "more than the 10240"},
		{"one part", "abc", nil, "has 1"},
		{"two parts", parts[0] + "." + parts[1], nil, "has 2"},
		{"four parts", good + ".x", nil, "has 4"},
		{"header not base64", "@@@." + parts[1] + "." + parts[2], nil, "malformed: header"},
		{"header not JSON", b64([]byte("{alg")) + "." + parts[1] + "." + parts[2], nil, "malformed: header"},
		{"header an array", b64([]byte(`["RS256"]`)) + "." + parts[1] + "." + parts[2], nil, "malformed: header"},
		{"header without alg", raw(t, kidA, claims(), parts[2]), nil, "no alg"},
		{"payload not base64", parts[0] + ".!!!." + parts[2], nil, "malformed: payload"},
		{"payload not JSON", parts[0] + "." + b64([]byte("nope")) + "." + parts[2], nil, "malformed: payload"},
		{"payload an array", parts[0] + "." + b64([]byte("[1]")) + "." + parts[2], nil, "malformed: payload"},
		{"payload null", parts[0] + "." + b64([]byte("null")) + "." + parts[2], nil, "malformed: payload"},
		{"payload with trailing data", parts[0] + "." + b64([]byte(`{"iss":"x"} {}`)) + "." + parts[2], nil, "malformed: payload"},
		{"payload with a trailing brace", parts[0] + "." + b64([]byte(`{"iss":"x"}}`)) + "." + parts[2], nil, "malformed: payload"},

		// Algorithms API Gateway does not verify.
		{"alg none", raw(t, map[string]any{"alg": "none", "kid": "a"}, claims(), ""), nil, "unsigned (alg none)"},
		{"alg None", raw(t, map[string]any{"alg": "None"}, claims(), ""), nil, "unsigned (alg none)"},
		{"alg none with a signature", raw(t, map[string]any{"alg": "none", "kid": "a"}, claims(), parts[2]), nil, "unsigned"},
		{"HS256 keyed with the RSA public key", hs256WithPublicKey(t), nil, "algorithm HS256 is not accepted"},
		{"ES256", sign(t, keyEC, jose.ES256, kidA, claims()), nil, "algorithm ES256 is not accepted"},
		{"unknown alg", raw(t, map[string]any{"alg": "RS999", "kid": "a"}, claims(), parts[2]), nil, "algorithm RS999 is not accepted"},

		// Issuers and keys.
		{"wrong issuer", sign(t, keyA, jose.RS256, kidA, with(claims(), "iss", "https://evil.example.com")), nil, ReasonIssuer},
		{"no iss", sign(t, keyA, jose.RS256, kidA, with(claims(), "iss", nil)), nil, ReasonIssuer},
		{"iss not a string", sign(t, keyA, jose.RS256, kidA, with(claims(), "iss", 7)), nil, ReasonIssuer},
		{"issuer differs by a slash", sign(t, keyA, jose.RS256, kidA, with(claims(), "iss", testIssuer+"/")), nil, ReasonIssuer},
		{"no issuer configured", good, func(e Expect) Expect { e.Issuers = nil; return e }, "no issuer is configured"},
		{"issuer without JWKS", sign(t, keyA, jose.RS256, kidA, with(claims(), "iss", "https://nokeys.example.com")),
			func(e Expect) Expect { e.Issuers = []string{"https://nokeys.example.com"}; return e }, "no JWKS for issuer https://nokeys.example.com"},
		{"unknown kid", sign(t, keyA, jose.RS256, map[string]any{"kid": "zzz"}, claims()), nil, "kid zzz is not a key of issuer"},
		{"kid of a key for another alg", sign(t, keyA, jose.RS512, kidA, claims()), nil, "kid a is not a key of issuer " + testIssuer + " for RS512"},
		{"no kid, two keys", sign(t, keyA, jose.RS256, nil, claims()), nil, "no kid and issuer " + testIssuer + " has 2 keys"},
		{"no kid, no key for the alg", sign(t, keyA, jose.RS384, nil, with(claims(), "iss", "https://single.example.com")),
			func(e Expect) Expect { e.Issuers = []string{"https://single.example.com"}; return e }, "has no key for RS384"},

		// Signatures.
		{"signed by another key", sign(t, keyOther, jose.RS256, kidA, claims()), nil, "signature does not match key a"},
		{"signed by key b, claims kid a", sign(t, keyB, jose.RS256, kidA, claims()), nil, "signature does not match"},
		{"payload changed", withPayload(t, good, with(claims(), "sub", "admin")), nil, "signature does not match"},
		{"signature truncated", good[:len(good)-10], nil, "signature does not match"},
		{"signature empty", parts[0] + "." + parts[1] + ".", nil, "signature does not match"},
		{"signature not base64", parts[0] + "." + parts[1] + ".***", nil, "malformed"},
		{"embedded jwk of the signer", sign(t, keyOther, jose.RS256, map[string]any{"kid": "a", "jwk": jwk(&keyOther.PublicKey, "a", "RS256")}, claims()), nil, "signature does not match"},
		{"unknown critical header", sign(t, keyA, jose.RS256, map[string]any{"kid": "a", "crit": []string{"exp"}, "exp": 1}, claims()), nil, "crit"},

		// Audience and client id.
		{"wrong audience", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", "client-2")), nil, ReasonAudience},
		{"wrong audiences", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", []string{"x", "y"})), nil, ReasonAudience},
		{"aud wins over a good client_id", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", "x", "client_id", "client-1")), nil, ReasonAudience},
		{"no aud, wrong client_id", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", nil, "client_id", "x")), nil, ReasonAudience},
		{"no aud, no client_id", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", nil)), nil, ReasonAudience},
		{"aud a number", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", 5)), nil, "aud claim is a number"},
		{"aud holds a number", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", []any{"client-1", 5})), nil, "aud claim holds a number"},
		{"Cognito access token for another client", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", nil, "token_use", "access", "client_id", "x")),
			cognito, ReasonAudience},
		{"Cognito id token for another client", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", "x", "token_use", "id", "client_id", "client-1")),
			cognito, ReasonAudience},
		{"Cognito access token naming the client in aud only", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", "client-1", "token_use", "access")),
			cognito, ReasonAudience},

		// Times.
		{"expired", sign(t, keyA, jose.RS256, kidA, with(claims(), "exp", testNow.Add(-time.Second).Unix())), nil, ReasonExpired},
		{"expires now", sign(t, keyA, jose.RS256, kidA, with(claims(), "exp", testNow.Unix())), nil, ReasonExpired},
		{"expired beyond the leeway", sign(t, keyA, jose.RS256, kidA, with(claims(), "exp", testNow.Add(-time.Minute).Unix())),
			func(e Expect) Expect { e.Leeway = 30 * time.Second; return e }, ReasonExpired},
		{"no exp", sign(t, keyA, jose.RS256, kidA, with(claims(), "exp", nil)), nil, "no exp claim"},
		{"exp a string", sign(t, keyA, jose.RS256, kidA, with(claims(), "exp", "tomorrow")), nil, "exp claim is a string"},
		{"exp huge", sign(t, keyA, jose.RS256, kidA, with(claims(), "exp", json.Number("1e300"))), nil, "not a usable date"},
		{"not valid yet", sign(t, keyA, jose.RS256, kidA, with(claims(), "nbf", testNow.Add(time.Second).Unix())), nil, "not valid yet"},
		{"nbf a boolean", sign(t, keyA, jose.RS256, kidA, with(claims(), "nbf", true)), nil, "nbf claim is a boolean"},
		{"issued in the future", sign(t, keyA, jose.RS256, kidA, with(claims(), "iat", testNow.Add(time.Minute).Unix())), nil, "issued in the future"},

		// Scopes of the wrong shape.
		{"scope a number", sign(t, keyA, jose.RS256, kidA, with(claims(), "scope", 1)), nil, "scope claim is a number"},
		{"scp holds an object", sign(t, keyA, jose.RS256, kidA, with(claims(), "scp", []any{map[string]any{}})), nil, "scp claim holds an object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := expect
			if tc.expect != nil {
				e = tc.expect(e)
			}
			tok, err := s.Verify(tc.token, e)
			if err == nil {
				t.Fatalf("accepted: %+v", tok)
			}
			var ve *Error
			if !errors.As(err, &ve) {
				t.Fatalf("error %T %v is not an *Error", err, err)
			}
			if !strings.Contains(ve.Reason, tc.reason) {
				t.Errorf("reason %q, want it to hold %q", ve.Reason, tc.reason)
			}
			if tok != nil {
				t.Errorf("a token with the error: %+v", tok)
			}
		})
	}
}

// cognito is a Cognito user pool authorizer's expectation: app client ids, no audience.
func cognito(e Expect) Expect {
	e.Audiences = nil
	e.ClientIDs = []string{"client-1"}
	return e
}

// hs256WithPublicKey is the algorithm confusion attack: an HMAC keyed with the RSA public key a
// verifier might mistake for a shared secret.
func hs256WithPublicKey(t testing.TB) string {
	pub, err := json.Marshal(jwk(&keyA.PublicKey, "a", ""))
	if err != nil {
		t.Fatal(err)
	}
	return sign(t, pub, jose.HS256, map[string]any{"kid": "a"}, claims())
}

func TestVerifyAccepts(t *testing.T) {
	s := testStore(t)
	expect := Expect{Issuers: []string{testIssuer}, Audiences: []string{"client-1"}, Now: testNow}
	kidA := map[string]any{"kid": "a"}
	single := func(e Expect) Expect { e.Issuers = []string{"https://single.example.com"}; return e }

	tests := []struct {
		name   string
		token  string
		expect func(e Expect) Expect
		scopes []string // the token's scopes
	}{
		{"RS256 by kid", sign(t, keyA, jose.RS256, kidA, claims()), nil, []string{"read", "write"}},
		{"Bearer prefix", "Bearer " + sign(t, keyA, jose.RS256, kidA, claims()), nil, []string{"read", "write"}},
		{"bearer prefix, any case", "bEaReR  " + sign(t, keyA, jose.RS256, kidA, claims()), nil, []string{"read", "write"}},
		{"key without alg takes RS512", sign(t, keyB, jose.RS512, map[string]any{"kid": "b"}, claims()), nil, []string{"read", "write"}},
		{"PS256", sign(t, keyB, jose.PS256, map[string]any{"kid": "b"}, claims()), nil, []string{"read", "write"}},
		{"no kid, the issuer's only key", sign(t, keyA, jose.RS256, nil, with(claims(), "iss", "https://single.example.com")), single, []string{"read", "write"}},
		{"one of several issuers", sign(t, keyA, jose.RS256, nil, with(claims(), "iss", "https://single.example.com")),
			func(e Expect) Expect { e.Issuers = []string{testIssuer, "https://single.example.com"}; return e }, []string{"read", "write"}},
		{"aud array holding the audience", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", []string{"x", "client-1"})), nil, []string{"read", "write"}},
		{"client_id when aud is absent", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", nil, "client_id", "client-1")), nil, []string{"read", "write"}},
		{"audience not checked", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", "anything")),
			func(e Expect) Expect { e.Audiences = nil; return e }, []string{"read", "write"}},
		{"Cognito access token", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", nil, "token_use", "access", "client_id", "client-1")),
			cognito, []string{"read", "write"}},
		{"Cognito id token", sign(t, keyA, jose.RS256, kidA, with(claims(), "aud", "client-1", "token_use", "id", "scope", nil)),
			cognito, nil},
		{"expired within the leeway", sign(t, keyA, jose.RS256, kidA, with(claims(), "exp", testNow.Add(-10*time.Second).Unix())),
			func(e Expect) Expect { e.Leeway = 30 * time.Second; return e }, []string{"read", "write"}},
		{"nbf now", sign(t, keyA, jose.RS256, kidA, with(claims(), "nbf", testNow.Unix())), nil, []string{"read", "write"}},
		{"fractional exp", sign(t, keyA, jose.RS256, kidA, with(claims(), "exp", json.Number("1748779200.5"))), nil, []string{"read", "write"}},
		{"scp array", sign(t, keyA, jose.RS256, kidA, with(claims(), "scope", nil, "scp", []string{"a", "b"})), nil, []string{"a", "b"}},
		{"scope and scp", sign(t, keyA, jose.RS256, kidA, with(claims(), "scope", "x", "scp", "y z")), nil, []string{"x", "y", "z"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := expect
			if tc.expect != nil {
				e = tc.expect(e)
			}
			tok, err := s.Verify(tc.token, e)
			if err != nil {
				t.Fatal(err)
			}
			if tok.Subject != "alice" || tok.Claims["sub"] != "alice" {
				t.Errorf("subject %q, claims %v", tok.Subject, tok.Claims)
			}
			if !contains(e.Issuers, tok.Issuer) {
				t.Errorf("issuer %q", tok.Issuer)
			}
			if strings.Join(tok.Scopes, " ") != strings.Join(tc.scopes, " ") {
				t.Errorf("scopes %q, want %q", tok.Scopes, tc.scopes)
			}
		})
	}
}

// Numbers come back as written, so an exp can go into an event as AWS writes it.
func TestVerifyKeepsNumbers(t *testing.T) {
	s := testStore(t)
	tok, err := s.Verify(sign(t, keyA, jose.RS256, map[string]any{"kid": "a"}, with(claims(), "n", json.Number("12345678901234567890"))),
		Expect{Issuers: []string{testIssuer}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Claims["exp"]; got != json.Number("1748782800") {
		t.Errorf("exp %#v", got)
	}
	if got := tok.Claims["n"]; got != json.Number("12345678901234567890") {
		t.Errorf("n %#v", got)
	}
}

// The signature cache must not outlive the keys: once an issuer's keys are replaced, a token
// verified with the old ones is refused.
func TestVerifyAfterKeysReplaced(t *testing.T) {
	s := testStore(t)
	e := Expect{Issuers: []string{testIssuer}, Now: testNow}
	tok := sign(t, keyA, jose.RS256, map[string]any{"kid": "a"}, claims())
	for i := 0; i < 2; i++ { // the second time from the cache
		if _, err := s.Verify(tok, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Add(testIssuer, jwksOf(t, jwk(&keyOther.PublicKey, "a", "RS256"))); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(tok, e); err == nil || !strings.Contains(err.Error(), "signature does not match") {
		t.Fatalf("after the keys changed: %v", err)
	}
	// And the claims are checked on every call, cached signature or not.
	s = testStore(t)
	if _, err := s.Verify(tok, e); err != nil {
		t.Fatal(err)
	}
	e.Now = testNow.Add(2 * time.Hour)
	if _, err := s.Verify(tok, e); err == nil || !strings.Contains(err.Error(), ReasonExpired) {
		t.Fatalf("two hours later: %v", err)
	}
}

// A reason may go into a header or a log line: what the client wrote cannot break out of it.
func TestReasonIsClean(t *testing.T) {
	s := testStore(t)
	evil := "https://x\"\r\nSet-Cookie: a=b\\é" + strings.Repeat("x", 500)
	_, err := s.Verify(sign(t, keyA, jose.RS256, map[string]any{"kid": "a"}, with(claims(), "iss", evil)),
		Expect{Issuers: []string{testIssuer}, Now: testNow})
	if err == nil {
		t.Fatal("accepted")
	}
	r := err.(*Error).Reason
	if strings.ContainsAny(r, "\"\r\n\\é") || len(r) > 400 {
		t.Errorf("reason %q", r)
	}
}

// Requests verify while keys are reloaded: run with -race.
func TestConcurrentVerifyAndAdd(t *testing.T) {
	s := testStore(t)
	tok := sign(t, keyA, jose.RS256, map[string]any{"kid": "a"}, claims())
	doc := jwksOf(t, jwk(&keyA.PublicKey, "a", "RS256"))
	e := Expect{Issuers: []string{testIssuer}, Now: testNow}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func() {
			var err error
			for i := 0; i < 200 && err == nil; i++ {
				_, err = s.Verify(tok, e)
				if g == 0 && err == nil {
					err = s.Add(testIssuer, doc)
				}
			}
			done <- err
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
