package tokenauth

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	secret = []byte("0123456789abcdef0123456789abcdef") // 32 bytes
	now    = time.Unix(1_700_000_000, 0)
)

// token signs claims with the test secret, failing the test on error.
func token(t testing.TB, claims map[string]any) string {
	t.Helper()
	tok, err := Sign(secret, claims)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// valid are the claims of a good token; with overrides them (nil deletes).
func valid(with map[string]any) map[string]any {
	c := map[string]any{"sub": "alice", "scope": "read write", "iss": "https://issuer.example.com", "aud": "books", "exp": now.Unix() + 60, "iat": now.Unix() - 1}
	for k, v := range with {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

// forge builds a token from a header and payload as written, signed with the test secret.
func forge(header, payload string) string {
	input := b64.EncodeToString([]byte(header)) + "." + b64.EncodeToString([]byte(payload))
	return input + "." + b64.EncodeToString(mac(secret, input))
}

func TestVerify(t *testing.T) {
	good := token(t, valid(nil))
	parts := strings.Split(good, ".")
	tests := []struct {
		name    string
		token   string
		wantErr error // nil: valid
	}{
		{"valid", good, nil},
		{"fractional dates", token(t, valid(map[string]any{"exp": float64(now.Unix()) + 0.5, "nbf": float64(now.Unix()) - 0.5})), nil},
		{"scp list", token(t, valid(map[string]any{"scope": nil, "scp": []string{"read"}})), nil},
		{"aud list", token(t, valid(map[string]any{"aud": []string{"a", "books"}})), nil},
		{"expired", token(t, valid(map[string]any{"exp": now.Unix()})), ErrExpired},
		{"not yet valid", token(t, valid(map[string]any{"nbf": now.Unix() + 1})), ErrNotYetValid},
		{"issued in the future", token(t, valid(map[string]any{"iat": now.Unix() + 1})), ErrNotYetValid},
		{"no exp", token(t, valid(map[string]any{"exp": nil})), ErrClaims},
		{"exp a string", token(t, valid(map[string]any{"exp": "tomorrow"})), ErrClaims},
		{"exp huge", token(t, valid(map[string]any{"exp": 1e300})), ErrClaims},
		{"no sub", token(t, valid(map[string]any{"sub": nil})), ErrClaims},
		{"sub a number", token(t, valid(map[string]any{"sub": 7})), ErrClaims},
		{"aud a number", token(t, valid(map[string]any{"aud": 7})), ErrClaims},
		{"scope a list", token(t, valid(map[string]any{"scope": []string{"read"}})), ErrClaims},
		{"alg none", b64.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".", ErrAlgorithm},
		{"alg none signed", forge(`{"alg":"none"}`, `{"sub":"a","exp":9999999999}`), ErrAlgorithm},
		{"alg HS512", forge(`{"alg":"HS512"}`, `{"sub":"a","exp":9999999999}`), ErrAlgorithm},
		{"alg RS256", forge(`{"alg":"RS256"}`, `{"sub":"a","exp":9999999999}`), ErrAlgorithm},
		{"crit", forge(`{"alg":"HS256","crit":["b64"]}`, `{"sub":"a","exp":9999999999}`), ErrMalformed},
		{"other secret", func() string {
			tok, _ := Sign([]byte("ffffffffffffffffffffffffffffffff"), valid(nil))
			return tok
		}(), ErrSignature},
		{"payload swapped", parts[0] + "." + b64.EncodeToString([]byte(`{"sub":"mallory","exp":9999999999}`)) + "." + parts[2], ErrSignature},
		{"truncated signature", parts[0] + "." + parts[1] + "." + parts[2][:40], ErrSignature},
		{"no signature", parts[0] + "." + parts[1] + ".", ErrSignature},
		{"padded signature", good + "=", ErrMalformed},
		{"std base64 signature", parts[0] + "." + parts[1] + "." + base64.StdEncoding.EncodeToString(mac(secret, parts[0]+"."+parts[1])), ErrMalformed},
		{"two parts", parts[0] + "." + parts[1], ErrMalformed},
		{"four parts", good + ".x", ErrMalformed},
		{"garbage", "not a token", ErrMalformed},
		{"empty", "", ErrMalformed},
		{"header not JSON", b64.EncodeToString([]byte("alg")) + "." + parts[1] + "." + parts[2], ErrMalformed},
		{"header trailing data", forge(`{"alg":"HS256"} {}`, `{"sub":"a","exp":9999999999}`), ErrMalformed},
		{"payload not an object", forge(`{"alg":"HS256"}`, `[1,2]`), ErrMalformed},
		{"payload null", forge(`{"alg":"HS256"}`, `null`), ErrMalformed},
		{"huge", strings.Repeat("a", MaxTokenLen+1), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Verify(tt.token, secret, now)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if c.Subject != "alice" || !c.HasScope("read") {
					t.Errorf("claims = %+v", c)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify error = %v, want %v", err, tt.wantErr)
			}
			if c != nil {
				t.Errorf("claims %+v returned with an error", c)
			}
		})
	}
}

func TestVerifyClaims(t *testing.T) {
	c, err := Verify(token(t, valid(map[string]any{"aud": []string{"a", "b"}, "nbf": now.Unix()})), secret, now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Issuer != "https://issuer.example.com" || strings.Join(c.Audience, ",") != "a,b" || c.Scope != "read write" ||
		!c.ExpiresAt.Equal(now.Add(time.Minute)) || !c.NotBefore.Equal(now) || c.All["sub"] != "alice" {
		t.Errorf("claims = %+v", c)
	}
	if c.HasScope("rea") || !c.HasScope("write") {
		t.Errorf("HasScope matches parts of scopes or misses whole ones: %q", c.Scope)
	}
}

func TestSecretLength(t *testing.T) {
	short := []byte("short")
	if _, err := Sign(short, valid(nil)); err == nil {
		t.Error("Sign accepted a 5-byte secret")
	}
	if _, err := Verify(token(t, valid(nil)), short, now); err == nil || !strings.Contains(err.Error(), "at least 32") {
		t.Errorf("Verify with a 5-byte secret: %v", err)
	}
}

// FuzzVerify: nothing a client sends makes Verify panic or accept a token it did not sign. A
// change of any byte of a signed token (the fuzzer picks where and what) must be refused;
// any other string must be refused too, since the fuzzer cannot sign.
func FuzzVerify(f *testing.F) {
	good := token(f, valid(nil))
	f.Add(good, 0, byte('x'))
	f.Add("a.b.c", 3, byte('.'))
	f.Add(forge(`{"alg":"none"}`, `{}`), 10, byte('A'))
	f.Add("", 0, byte(0))
	f.Fuzz(func(t *testing.T, s string, pos int, b byte) {
		if _, err := Verify(s, secret, now); err == nil && s != good {
			t.Fatalf("Verify accepted %q", s)
		}
		if pos < 0 || pos >= len(good) || good[pos] == b {
			return
		}
		mutated := good[:pos] + string(b) + good[pos+1:]
		if _, err := Verify(mutated, secret, now); err == nil {
			t.Fatalf("Verify accepted %q, %q with byte %d changed", mutated, good, pos)
		}
	})
}
