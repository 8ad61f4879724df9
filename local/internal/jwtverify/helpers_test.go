package jwtverify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// The tests' clock: every token is checked at this instant.
var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const testIssuer = "https://issuer.example.com/pool"

// Keys are slow to make; the tests share a few.
var (
	keysOnce             sync.Once
	keyA, keyB, keyOther *rsa.PrivateKey
	keyEC                *ecdsa.PrivateKey
)

func testKeys(t testing.TB) {
	t.Helper()
	keysOnce.Do(func() {
		keyA = mustRSA(t)
		keyB = mustRSA(t)
		keyOther = mustRSA(t)
		var err error
		keyEC, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
	})
}

func mustRSA(t testing.TB) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// jwk is one key of a test JWKS.
func jwk(key any, kid, alg string) jose.JSONWebKey {
	return jose.JSONWebKey{Key: key, KeyID: kid, Algorithm: alg, Use: "sig"}
}

func jwksOf(t testing.TB, keys ...jose.JSONWebKey) []byte {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKeySet{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// claims are a valid token's claims at testNow; tests change what they need.
func claims() map[string]any {
	return map[string]any{
		"iss":   testIssuer,
		"sub":   "alice",
		"aud":   "client-1",
		"scope": "read write",
		"iat":   testNow.Add(-time.Minute).Unix(),
		"exp":   testNow.Add(time.Hour).Unix(),
	}
}

// sign makes a compact JWS of c with key, alg and extra header fields ("kid" among them).
func sign(t testing.TB, key any, alg jose.SignatureAlgorithm, hdr map[string]any, c map[string]any) string {
	t.Helper()
	opts := &jose.SignerOptions{}
	for k, v := range hdr {
		opts = opts.WithHeader(jose.HeaderKey(k), v)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// raw builds a compact token from a header and claims as given, with sig as the signature.
func raw(t testing.TB, hdr map[string]any, c map[string]any, sig string) string {
	t.Helper()
	h, err := json.Marshal(hdr)
	if err != nil {
		t.Fatal(err)
	}
	p, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b64(h) + "." + b64(p) + "." + sig
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// withPayload keeps token's header and signature around another payload.
func withPayload(t testing.TB, token string, c map[string]any) string {
	t.Helper()
	parts := strings.Split(token, ".")
	p, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return parts[0] + "." + b64(p) + "." + parts[2]
}

func with(c map[string]any, kv ...any) map[string]any {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(c, kv[i].(string))
			continue
		}
		c[kv[i].(string)] = kv[i+1]
	}
	return c
}
