package issuer

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/jwtverify"
)

// decode returns a token's header and claims, unverified.
func decode(t *testing.T, token string) (map[string]any, map[string]any) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	var h, c map[string]any
	for i, v := range []*map[string]any{&h, &c} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
	return h, c
}

// Tokens minted here verify with the issuer's JWKS exactly as the runner verifies them.
func TestMintVerifies(t *testing.T) {
	now := time.Now()
	iss, err := New("https://auth.example.com/pool")
	if err != nil {
		t.Fatal(err)
	}
	s := jwtverify.NewStore()
	if err := s.Add(iss.URL(), iss.JWKS()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		claims Claims
		expect jwtverify.Expect
		want   string // "" to accept, else a piece of the refusal
	}{
		{"JWT authorizer", Claims{Subject: "alice", Audience: []string{"app"}, Scopes: []string{"a", "b"}},
			jwtverify.Expect{Issuers: []string{iss.URL()}, Audiences: []string{"app"}}, ""},
		{"several audiences", Claims{Audience: []string{"x", "app"}},
			jwtverify.Expect{Issuers: []string{iss.URL()}, Audiences: []string{"app"}}, ""},
		{"client_id for an audience", Claims{ClientID: "app"},
			jwtverify.Expect{Issuers: []string{iss.URL()}, Audiences: []string{"app"}}, ""},
		{"Cognito access token", Claims{ClientID: "app", TokenUse: "access"},
			jwtverify.Expect{Issuers: []string{iss.URL()}, ClientIDs: []string{"app"}}, ""},
		{"Cognito id token", Claims{Audience: []string{"app"}, TokenUse: "id"},
			jwtverify.Expect{Issuers: []string{iss.URL()}, ClientIDs: []string{"app"}}, ""},
		{"wrong audience", Claims{Audience: []string{"other"}},
			jwtverify.Expect{Issuers: []string{iss.URL()}, Audiences: []string{"app"}}, jwtverify.ReasonAudience},
		{"expired", Claims{ExpiresIn: -time.Second},
			jwtverify.Expect{Issuers: []string{iss.URL()}}, jwtverify.ReasonExpired},
		{"not yet valid", Claims{NotBefore: now.Add(time.Hour)},
			jwtverify.Expect{Issuers: []string{iss.URL()}}, "not valid yet"},
		{"another issuer through Extra", Claims{Extra: map[string]any{"iss": "https://evil.example.com"}},
			jwtverify.Expect{Issuers: []string{iss.URL()}}, jwtverify.ReasonIssuer},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			token, err := iss.Mint(tc.claims)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := s.Verify(token, tc.expect)
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want != "" && err == nil:
				t.Fatalf("accepted: %v", tok.Claims)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("error %v, want %q", err, tc.want)
			case tc.want == "":
				if tok.Subject != tc.claims.Subject || strings.Join(tok.Scopes, " ") != strings.Join(tc.claims.Scopes, " ") {
					t.Errorf("subject %q scopes %q", tok.Subject, tok.Scopes)
				}
			}
		})
	}
}

func TestMintClaims(t *testing.T) {
	iss, err := New("https://auth.example.com")
	if err != nil {
		t.Fatal(err)
	}
	fixed := time.Unix(1_750_000_000, 0)
	iss.now = func() time.Time { return fixed }
	token, err := iss.Mint(Claims{
		Subject: "alice", Audience: []string{"app"}, ClientID: "cid", Scopes: []string{"x", "y"},
		TokenUse: "access", ExpiresIn: time.Minute, NotBefore: fixed.Add(-time.Second),
		Extra: map[string]any{"email": "a@example.com", "groups": []string{"admin"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	h, c := decode(t, token)
	if h["alg"] != "RS256" || h["kid"] != iss.KeyID() || h["typ"] != "JWT" {
		t.Errorf("header %v", h)
	}
	want := map[string]any{
		"iss": "https://auth.example.com", "sub": "alice", "aud": "app", "client_id": "cid",
		"scope": "x y", "token_use": "access", "iat": 1.75e9, "exp": 1.75e9 + 60, "nbf": 1.75e9 - 1,
		"email": "a@example.com", "groups": []any{"admin"},
	}
	for k, v := range want {
		if got, _ := json.Marshal(c[k]); string(got) != string(must(json.Marshal(v))) {
			t.Errorf("%s = %s, want %v", k, got, v)
		}
	}
	if jti, _ := c["jti"].(string); len(jti) != 32 {
		t.Errorf("jti %v", c["jti"])
	}
	if len(c) != len(want)+1 {
		t.Errorf("claims %v", c)
	}

	// The defaults: an hour, and nothing the caller did not ask for.
	token, err = iss.Mint(Claims{})
	if err != nil {
		t.Fatal(err)
	}
	_, c = decode(t, token)
	if c["exp"] != float64(fixed.Add(DefaultExpiresIn).Unix()) {
		t.Errorf("exp %v", c["exp"])
	}
	for _, k := range []string{"sub", "aud", "client_id", "scope", "token_use", "nbf"} {
		if _, ok := c[k]; ok {
			t.Errorf("%s present in %v", k, c)
		}
	}

	if _, err := iss.Mint(Claims{Extra: map[string]any{"bad": func() {}}}); err == nil {
		t.Error("a claim that is not JSON was minted")
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestJWKS(t *testing.T) {
	iss, err := New("https://auth.example.com")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(iss.JWKS(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Keys) != 1 {
		t.Fatalf("%d keys", len(doc.Keys))
	}
	k := doc.Keys[0]
	if k["kty"] != "RSA" || k["alg"] != "RS256" || k["use"] != "sig" || k["kid"] != iss.KeyID() || k["d"] != nil {
		t.Errorf("key %v", k)
	}
	if iss.JWKSPath() != "" {
		t.Errorf("JWKSPath %q for a key in memory", iss.JWKSPath())
	}
	other, err := New("https://auth.example.com")
	if err != nil {
		t.Fatal(err)
	}
	if other.KeyID() == iss.KeyID() {
		t.Error("two fresh keys share a kid")
	}
	// JWKS hands out a copy.
	b := iss.JWKS()
	b[0] = 'x'
	if iss.JWKS()[0] != '{' {
		t.Error("JWKS shares its buffer")
	}
}

func TestBadURL(t *testing.T) {
	for _, u := range []string{"", " https://x", "https://x y"} {
		if _, err := New(u); err == nil {
			t.Errorf("New(%q) accepted", u)
		}
		if _, err := LoadOrCreate(t.TempDir(), u); err == nil {
			t.Errorf("LoadOrCreate(%q) accepted", u)
		}
	}
}

// A key persisted by one issuer is the key of the next: its tokens verify with either JWKS.
func TestLoadOrCreate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "issuer")
	a, err := LoadOrCreate(dir, "https://auth.example.com")
	if err != nil {
		t.Fatal(err)
	}
	if a.JWKSPath() != filepath.Join(dir, JWKSFile) {
		t.Errorf("JWKSPath %q", a.JWKSPath())
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key mode %v", fi.Mode())
	}
	token, err := a.Mint(Claims{Subject: "alice"})
	if err != nil {
		t.Fatal(err)
	}

	b, err := LoadOrCreate(dir, "https://auth.example.com")
	if err != nil {
		t.Fatal(err)
	}
	if b.KeyID() != a.KeyID() {
		t.Fatalf("kid %s then %s", a.KeyID(), b.KeyID())
	}
	onDisk, err := os.ReadFile(b.JWKSPath())
	if err != nil {
		t.Fatal(err)
	}
	s := jwtverify.NewStore()
	if err := s.Add(b.URL(), onDisk); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(token, jwtverify.Expect{Issuers: []string{b.URL()}}); err != nil {
		t.Fatal(err)
	}
	// A JWKS file removed by hand comes back.
	os.Remove(b.JWKSPath())
	if _, err := LoadOrCreate(dir, "https://other.example.com"); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(b.JWKSPath()); err != nil || string(got) != string(onDisk) {
		t.Errorf("JWKS rewritten as %s, %v", got, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the directory holds %d files, want key and JWKS only", len(entries))
	}
}

// Two processes (here goroutines) creating the same directory at once get one key.
func TestLoadOrCreateRace(t *testing.T) {
	dir := t.TempDir()
	const n = 4
	kids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			iss, err := LoadOrCreate(dir, "https://auth.example.com")
			if err != nil {
				t.Error(err)
				return
			}
			kids[i] = iss.KeyID()
		}()
	}
	wg.Wait()
	for _, k := range kids[1:] {
		if k != kids[0] {
			t.Fatalf("kids %v", kids)
		}
	}
}

func TestLoadOrCreateBadKey(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, content, want string
	}{
		{"not PEM", "hello", "no PEM block"},
		{"a certificate", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}})), `a PEM "CERTIFICATE" block`},
		{"an EC key", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})), "not an RSA key"},
		{"broken PKCS #8", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2}})), "reading the issuer's key"},
		{"broken PKCS #1", string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: []byte{1, 2}})), "reading the issuer's key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, KeyFile), []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadOrCreate(dir, "https://auth.example.com")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			// The key the user had is left alone.
			if got, _ := os.ReadFile(filepath.Join(dir, KeyFile)); string(got) != tc.content {
				t.Error("the key file was replaced")
			}
		})
	}
}

// A PKCS #1 key, as openssl genrsa -traditional writes it, is read too.
func TestLoadPKCS1(t *testing.T) {
	dir := t.TempDir()
	a, err := LoadOrCreate(dir, "https://x")
	if err != nil {
		t.Fatal(err)
	}
	key, err := readKey(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(filepath.Join(dir, KeyFile), pkcs1, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := LoadOrCreate(dir, "https://x")
	if err != nil {
		t.Fatal(err)
	}
	if a.KeyID() != b.KeyID() {
		t.Error("the PKCS #1 key is another key")
	}
}
