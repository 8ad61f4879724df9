package egress

import (
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	clientBin string
	buildErr  error
	buildOut  []byte
)

// envClient builds internal/envclient (a package of the module, so go mod tidy keeps what it imports) once per test binary.
func envClient(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "egress-envclient")
		if err != nil {
			buildErr = err
			return
		}
		clientBin = filepath.Join(dir, "envclient")
		cmd := exec.Command("go", "build", "-o", clientBin, "./internal/envclient")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("building internal/envclient: %v\n%s", buildErr, buildOut)
	}
	return clientBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if clientBin != "" {
		os.RemoveAll(filepath.Dir(clientBin))
	}
	os.Exit(code)
}

// TestUnchangedClientProcess runs a program that knows nothing of the runner, with only the
// environment a handler process gets: Env's variables and the Lambda-style credentials and
// region. Its stock http.DefaultClient and aws-sdk-go-v2 configuration must reach Handler.
func TestUnchangedClientProcess(t *testing.T) {
	bin := envClient(t)
	f := newFixture(t)
	home := t.TempDir()
	env := []string{
		"HOME=" + home,
		"AWS_ACCESS_KEY_ID=ASIAHANDLER", "AWS_SECRET_ACCESS_KEY=secret", "AWS_SESSION_TOKEN=token",
		"AWS_REGION=us-east-1",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "none"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none"),
	}
	for k, v := range f.Env() {
		env = append(env, k+"="+v)
	}
	tests := []struct {
		args     []string
		wantOut  string
		wantHost string // "" = Handler sees nothing
		wantURI  string
	}{
		{[]string{"get", "https://abc.execute-api.localhost/dev/@connections/x"}, "200 handler: GET /dev/@connections/x", "abc.execute-api.localhost", "/dev/@connections/x"},
		{[]string{"get", "http://abc.execute-api.localhost/dev/plain"}, "200 handler: GET /dev/plain", "abc.execute-api.localhost", "/dev/plain"},
		{[]string{"post-to-connection", "https://abc.execute-api.localhost/dev"}, "posted", "abc.execute-api.localhost", "/dev/@connections/conn-1"},
		{[]string{"post-to-connection", "https://abc.execute-api.us-east-1.amazonaws.com/dev"}, "posted", "abc.execute-api.us-east-1.amazonaws.com", "/dev/@connections/conn-1"},
		{[]string{"get", "https://dynamodb.us-east-1.amazonaws.com/"}, "error: ", "", ""},
	}
	for _, tt := range tests {
		before := len(f.requests())
		cmd := exec.Command(bin, tt.args...)
		cmd.Env = env
		out, _ := cmd.CombinedOutput()
		got := strings.TrimSpace(string(out))
		if !strings.HasPrefix(got, tt.wantOut) {
			t.Errorf("envclient %v: %q, want %q", tt.args, got, tt.wantOut)
			continue
		}
		reqs := f.requests()[before:]
		if tt.wantHost == "" {
			if len(reqs) != 0 || !strings.Contains(got, "does not reach AWS") {
				t.Errorf("envclient %v: %q, Handler saw %v; want the proxy's refusal", tt.args, got, reqs)
			}
			continue
		}
		if len(reqs) != 1 || reqs[0].host != tt.wantHost || reqs[0].uri != tt.wantURI {
			t.Errorf("envclient %v: Handler saw %+v, want one request for %s%s", tt.args, reqs, tt.wantHost, tt.wantURI)
		}
	}
	if d := f.dialled(); len(d) != 0 {
		t.Errorf("dialled %v", d)
	}
}

// TestOtherClients runs stock clients of other languages with the same environment: curl and
// Python's urllib read the proxy and the bundle from it as Go does. Each is skipped where it is
// not installed.
func TestOtherClients(t *testing.T) {
	f := newFixture(t)
	env := []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	for k, v := range f.Env() {
		env = append(env, k+"="+v)
	}
	for _, tt := range []struct {
		name string
		argv []string
	}{
		{"curl", []string{"curl", "-sS", "--max-time", "10", "https://abc.execute-api.localhost/dev/curl"}},
		{"python3", []string{"python3", "-c", "import urllib.request as u; print(u.urlopen('https://abc.execute-api.localhost/dev/python3', timeout=10).read().decode())"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := exec.LookPath(tt.argv[0]); err != nil {
				t.Skipf("%s is not installed", tt.argv[0])
			}
			cmd := exec.Command(tt.argv[0], tt.argv[1:]...)
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			if got := strings.TrimSpace(string(out)); err != nil || got != "handler: GET /dev/"+tt.name {
				t.Errorf("%s: %q, %v; want Handler's answer", tt.name, got, err)
			}
		})
	}
}

// TestCertificatesPassStrictVerification checks the CA and a leaf against OpenSSL's strict
// X.509 rules, which Python 3.13 applies by default (VERIFY_X509_STRICT).
func TestCertificatesPassStrictVerification(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed")
	}
	f := newFixture(t)
	leaf, err := f.ca.ServerCertificate("abc.execute-api.localhost")
	if err != nil {
		t.Fatal(err)
	}
	leafFile := filepath.Join(t.TempDir(), "leaf.pem")
	if err := os.WriteFile(leafFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Certificate[0]}), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("openssl", "verify", "-x509_strict", "-purpose", "sslserver",
		"-verify_hostname", "abc.execute-api.localhost", "-CAfile", f.Env()["NODE_EXTRA_CA_CERTS"], leafFile).CombinedOutput()
	if err != nil || !strings.Contains(string(out), ": OK") {
		t.Errorf("openssl verify -x509_strict: %v\n%s", err, out)
	}
}
