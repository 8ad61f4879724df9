package local

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/jwtverify"
	"github.com/gatehouse-dev/gatehouse/local/issuer"
)

func TestJWKSOptions(t *testing.T) {
	dir := t.TempDir()
	iss, err := issuer.LoadOrCreate(filepath.Join(dir, "issuer"), "https://auth.example.com")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	notJSON := write("page.html", "<html>")
	single := write("single.json", `{"kty":"RSA","n":"AQAB","e":"AQAB"}`)
	hmac := write("hmac.json", `{"keys":[{"kty":"oct","kid":"h","k":"c2VjcmV0"}]}`)
	missing := filepath.Join(dir, "missing.json")

	tests := []struct {
		name string
		opts Options
		want string // a piece of the error; "" for none
	}{
		{"none", Options{}, ""},
		{"file", Options{JWKS: map[string]string{iss.URL(): iss.JWKSPath()}}, ""},
		{"data", Options{JWKSData: map[string][]byte{iss.URL(): iss.JWKS()}}, ""},
		{"both kinds for two issuers", Options{JWKS: map[string]string{iss.URL(): iss.JWKSPath()}, JWKSData: map[string][]byte{"https://b": iss.JWKS()}}, ""},
		{"file missing", Options{JWKS: map[string]string{iss.URL(): missing}}, "reading the JWKS of issuer https://auth.example.com: open " + missing},
		{"file not JSON", Options{JWKS: map[string]string{iss.URL(): notJSON}}, "JWKS file " + notJSON + ": issuer https://auth.example.com: not a JWKS"},
		{"a single JWK", Options{JWKS: map[string]string{iss.URL(): single}}, `no "keys" array`},
		{"no usable key", Options{JWKS: map[string]string{iss.URL(): hmac}}, "no usable key"},
		{"no file named", Options{JWKS: map[string]string{iss.URL(): ""}}, "no file named"},
		{"empty issuer", Options{JWKS: map[string]string{"": iss.JWKSPath()}}, "the issuer is empty"},
		{"empty issuer in data", Options{JWKSData: map[string][]byte{"": iss.JWKS()}}, "empty issuer"},
		{"data not a JWKS", Options{JWKSData: map[string][]byte{iss.URL(): []byte("{}")}}, "Options.JWKSData: issuer https://auth.example.com: not a JWKS"},
		{"one issuer twice", Options{JWKS: map[string]string{iss.URL(): iss.JWKSPath()}, JWKSData: map[string][]byte{iss.URL(): iss.JWKS()}}, "given both as a file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := tc.opts.jwksStore()
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v, want %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for issuerURL := range tc.opts.JWKS {
				if !s.Has(issuerURL) {
					t.Errorf("no keys for %s", issuerURL)
				}
			}
			for issuerURL := range tc.opts.JWKSData {
				if !s.Has(issuerURL) {
					t.Errorf("no keys for %s", issuerURL)
				}
			}
		})
	}
}

// The store the runner keeps verifies what the issuer mints.
func TestLoadKeepsJWKS(t *testing.T) {
	iss, err := issuer.New("https://auth.example.com")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Options{JWKSData: map[string][]byte{iss.URL(): iss.JWKS()}}.jwksStore()
	if err != nil {
		t.Fatal(err)
	}
	token, err := iss.Mint(issuer.Claims{Subject: "alice", Audience: []string{"app"}})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Verify("Bearer "+token, jwtverify.Expect{Issuers: []string{iss.URL()}, Audiences: []string{"app"}})
	if err != nil {
		t.Fatal(err)
	}
	if tok.Subject != "alice" {
		t.Errorf("subject %q", tok.Subject)
	}

	// Load checks the keys before the assembly, so a bad --jwks is the error reported.
	_, err = Load(Options{Assembly: filepath.Join(t.TempDir(), "no-such-cdk.out"), JWKS: map[string]string{iss.URL(): "/no/such/jwks.json"}})
	if err == nil || !strings.Contains(err.Error(), "reading the JWKS of issuer https://auth.example.com") {
		t.Fatalf("Load: %v", err)
	}
}
