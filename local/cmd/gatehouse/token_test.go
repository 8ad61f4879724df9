package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/jwtverify"
)

// mint runs `gatehouse token` and returns the token and the --jwks value it printed.
func mint(t *testing.T, args ...string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := token(args, &out, &errOut); err != nil {
		t.Fatalf("token %v: %v\n%s", args, err, errOut.String())
	}
	m := regexp.MustCompile(`--jwks (\S+)`).FindStringSubmatch(errOut.String())
	if m == nil {
		t.Fatalf("no --jwks on stderr: %q", errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("stdout %q: want the token alone", out.String())
	}
	return lines[0], m[1]
}

// The round trip: a token minted by the CLI verifies with the keys `start --jwks` loads from
// what the CLI printed, and carries the claims asked for.
func TestTokenRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "issuer")
	const iss = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example"
	tok, jwksArg := mint(t, "--issuer", iss, "--dir", dir, "--aud", "app", "--aud", "other",
		"--scope", "orders/read", "--scope", "orders/write", "--sub", "alice", "--token-use", "access",
		"--client-id", "cid", "--claim", "admin=true", "--claim", "level=3", "--claim", "email=a@example.com",
		"--claim", `groups=["x","y"]`, "--ttl", "10m")
	if jwksArg != iss+"="+filepath.Join(dir, "jwks.json") {
		t.Errorf("--jwks %s", jwksArg)
	}

	var jwks jwksFlag
	if err := jwks.Set(jwksArg); err != nil {
		t.Fatal(err)
	}
	s := jwtverify.NewStore()
	for issuer, file := range jwks {
		doc, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Add(issuer, doc); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Verify("Bearer "+tok, jwtverify.Expect{Issuers: []string{iss}, Audiences: []string{"app"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject != "alice" || strings.Join(got.Scopes, " ") != "orders/read orders/write" {
		t.Errorf("subject %q scopes %q", got.Subject, got.Scopes)
	}
	claims, _ := json.Marshal(got.Claims)
	for _, want := range []string{`"admin":true`, `"level":3`, `"email":"a@example.com"`, `"groups":["x","y"]`,
		`"aud":["app","other"]`, `"token_use":"access"`, `"client_id":"cid"`} {
		if !strings.Contains(string(claims), want) {
			t.Errorf("claims %s lack %s", claims, want)
		}
	}

	// A second token from the same directory is signed by the same key.
	tok2, _ := mint(t, "--issuer", iss, "--dir", dir, "--aud", "app")
	if _, err := s.Verify(tok2, jwtverify.Expect{Issuers: []string{iss}, Audiences: []string{"app"}}); err != nil {
		t.Fatal(err)
	}
	// An expired one is minted on request, and refused.
	tok3, _ := mint(t, "--issuer", iss, "--dir", dir, "--ttl", "-1m")
	if _, err := s.Verify(tok3, jwtverify.Expect{Issuers: []string{iss}}); err == nil || !strings.Contains(err.Error(), jwtverify.ReasonExpired) {
		t.Fatalf("expired token: %v", err)
	}
}

func TestTokenRefuses(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string // a piece of the error or of stderr
	}{
		{"no issuer", []string{"--dir", dir}, "--issuer is required"},
		{"bad token use", []string{"--issuer", "https://x", "--dir", dir, "--token-use", "refresh"}, `--token-use "refresh"`},
		{"zero ttl", []string{"--issuer", "https://x", "--dir", dir, "--ttl", "0s"}, "--ttl 0"},
		{"claim without =", []string{"--issuer", "https://x", "--dir", dir, "--claim", "admin"}, "want NAME=VALUE"},
		{"empty aud", []string{"--issuer", "https://x", "--dir", dir, "--aud", ""}, "empty value"},
		{"unknown flag", []string{"--issuer", "https://x", "--dir", dir, "--audience", "a"}, "flag provided but not defined"},
		{"an argument", []string{"--issuer", "https://x", "--dir", dir, "extra"}, `unexpected argument "extra"`},
		{"issuer with a space", []string{"--issuer", "https://x y", "--dir", dir}, "white space"},
		{"dir is a file", []string{"--issuer", "https://x", "--dir", file}, "creating the issuer directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := token(tc.args, &out, &errOut)
			if err == nil {
				t.Fatalf("minted %q", out.String())
			}
			if msg := err.Error() + errOut.String(); !strings.Contains(msg, tc.want) {
				t.Errorf("error %v, stderr %q; want %q", err, errOut.String(), tc.want)
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q", out.String())
			}
		})
	}
}

func TestJWKSFlag(t *testing.T) {
	var j jwksFlag
	for _, v := range []string{"https://a=a.json", "https://b=dir/x=y.json", "https://a=a.json"} {
		if err := j.Set(v); err != nil {
			t.Fatalf("Set(%q): %v", v, err)
		}
	}
	if j["https://a"] != "a.json" || j["https://b"] != "dir/x=y.json" || len(j) != 2 {
		t.Errorf("%v", j)
	}
	for _, v := range []string{"https://a", "=a.json", "https://c=", "https://a=other.json"} {
		if err := j.Set(v); err == nil {
			t.Errorf("Set(%q) accepted", v)
		}
	}
}

// `start --jwks` hands the files to the runner, which checks them before the assembly.
func TestStartJWKS(t *testing.T) {
	dir := t.TempDir()
	_, jwksArg := mint(t, "--issuer", "https://auth.example.com", "--dir", filepath.Join(dir, "issuer"))
	noAssembly := filepath.Join(dir, "cdk.out")
	err := start([]string{"--assembly", noAssembly, "--port", "0", "--jwks", "https://auth.example.com=" + filepath.Join(dir, "missing.json")})
	if err == nil || !strings.Contains(err.Error(), "reading the JWKS of issuer https://auth.example.com") {
		t.Fatalf("missing JWKS file: %v", err)
	}
	// With the file the token command wrote, the keys load and the missing assembly is what fails.
	err = start([]string{"--assembly", noAssembly, "--port", "0", "--jwks", jwksArg})
	if err == nil || strings.Contains(err.Error(), "reading the JWKS") || !strings.Contains(err.Error(), "loading assembly") {
		t.Fatalf("good JWKS, no assembly: %v", err)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"https://a.example.com/x=.gatehouse/issuer/jwks.json": "https://a.example.com/x=.gatehouse/issuer/jwks.json",
		"https://a=/tmp/my dir/jwks.json":                     "'https://a=/tmp/my dir/jwks.json'",
		"it's":                                                `'it'\''s'`,
		"":                                                    "''",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
