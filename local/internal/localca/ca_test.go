package localca

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLoadOrCreateKeepsOneCA(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	// Several processes (here goroutines) starting at once share one CA.
	var wg sync.WaitGroup
	cas := make([]*Authority, 6)
	errs := make([]error, len(cas))
	for i := range cas {
		wg.Go(func() { cas[i], errs[i] = LoadOrCreate(dir) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("LoadOrCreate #%d: %v", i, err)
		}
		if !bytes.Equal(cas[i].PEM(), cas[0].PEM()) {
			t.Fatalf("LoadOrCreate #%d made a second CA", i)
		}
	}
	again, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.PEM(), cas[0].PEM()) {
		t.Error("a later run made a new CA instead of loading the kept one")
	}
	if again.CertPath() != filepath.Join(dir, CertFile) {
		t.Errorf("CertPath = %s", again.CertPath())
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	if c := again.Certificate(); !c.IsCA || c.NotAfter.Before(time.Now().Add(5*365*24*time.Hour)) {
		t.Errorf("CA certificate: IsCA %v, NotAfter %s", c.IsCA, c.NotAfter)
	}
}

func TestLoadOrCreateRefusesBrokenDirectories(t *testing.T) {
	good := t.TempDir()
	if _, err := LoadOrCreate(good); err != nil {
		t.Fatal(err)
	}
	otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherDER, _ := x509.MarshalPKCS8PrivateKey(otherKey)
	expiredDER, _ := selfSign(caName, otherKey, time.Now().Add(-11*365*24*time.Hour))
	for _, tc := range []struct {
		name  string
		setup func(dir string)
		want  string
	}{
		{"key without certificate", func(dir string) { os.Remove(filepath.Join(dir, CertFile)) }, "has a key (ca-key.pem) but no certificate"},
		{"key of another CA", func(dir string) {
			os.WriteFile(filepath.Join(dir, KeyFile), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: otherDER}), 0o600)
		}, "does not belong to the certificate"},
		{"expired CA", func(dir string) {
			os.WriteFile(filepath.Join(dir, KeyFile), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: otherDER}), 0o600)
			os.WriteFile(filepath.Join(dir, CertFile), encodeCert(expiredDER), 0o644)
		}, "expired on"},
		{"not PEM", func(dir string) { os.WriteFile(filepath.Join(dir, CertFile), []byte("hello"), 0o644) }, "no PEM CERTIFICATE block"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range []string{KeyFile, CertFile} {
				b, _ := os.ReadFile(filepath.Join(good, f))
				os.WriteFile(filepath.Join(dir, f), b, 0o600)
			}
			tc.setup(dir)
			start := time.Now()
			_, err := LoadOrCreate(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one saying %q", err, tc.want)
			}
			if tc.name == "key without certificate" && time.Since(start) < raceWait {
				t.Errorf("gave up after %s, before another process could have finished", time.Since(start))
			}
		})
	}
}

// TestServerCertificate: a name's certificate verifies against the CA for that name, a
// wildcard's for names one label deeper only (as TLS clients match them), and an IP's for
// the address.
func TestServerCertificate(t *testing.T) {
	a, err := New("test CA")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		names []string
		host  string
		ok    bool
	}{
		{[]string{"api.example.com", "api.example.com.localhost"}, "api.example.com", true},
		{[]string{"api.example.com", "api.example.com.localhost"}, "api.example.com.localhost", true},
		{[]string{"api.example.com"}, "other.example.com", false},
		{[]string{"*.example.com"}, "tenant.example.com", true},
		{[]string{"*.example.com"}, "a.b.example.com", false},
		{[]string{"*.example.com"}, "example.com", false},
		{[]string{"localhost", "127.0.0.1", "::1"}, "127.0.0.1", true},
		{[]string{"localhost", "127.0.0.1", "::1"}, "::1", true},
	} {
		c, err := a.ServerCertificate(tc.names...)
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := a.ServerCertificate(tc.names...); again != c {
			t.Error("a second request for the same names issued a second certificate")
		}
		inter := x509.NewCertPool()
		_, err = c.Leaf.Verify(x509.VerifyOptions{DNSName: tc.host, Roots: a.Pool(), Intermediates: inter})
		if (err == nil) != tc.ok {
			t.Errorf("certificate for %v, host %s: verify err = %v, want ok=%v", tc.names, tc.host, err, tc.ok)
		}
	}
	if _, err := a.ServerCertificate(); err == nil {
		t.Error("a certificate with no name was issued")
	}
}

func TestClientCertificate(t *testing.T) {
	dir := t.TempDir()
	a, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile, err := a.ClientFiles()
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.ClientCertificate()
	if err != nil {
		t.Fatal(err)
	}
	if err := a.VerifyClient([]*x509.Certificate{c.Leaf}, time.Now()); err != nil {
		t.Errorf("the CA's own client certificate: %v", err)
	}
	if _, err := os.Stat(certFile); err != nil {
		t.Error(err)
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("client key mode %v (%v)", fi.Mode().Perm(), err)
	}

	// A later run keeps the same client certificate.
	b, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := b.ClientCertificate()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c2.Certificate[0], c.Certificate[0]) {
		t.Error("the kept client certificate was reissued")
	}

	// Another CA's client certificate, a server certificate and no certificate are refused.
	other, _ := New("other")
	oc, _ := other.ClientCertificate()
	if err := a.VerifyClient([]*x509.Certificate{oc.Leaf}, time.Now()); err == nil || !strings.Contains(err.Error(), "unknown authority") {
		t.Errorf("another CA's certificate: %v", err)
	}
	sc, _ := a.ServerCertificate("api.example.com")
	if err := a.VerifyClient([]*x509.Certificate{sc.Leaf}, time.Now()); err == nil {
		t.Error("a server certificate was accepted as a client's")
	}
	if err := a.VerifyClient(nil, time.Now()); err == nil || !strings.Contains(err.Error(), "no client certificate") {
		t.Errorf("no certificate: %v", err)
	}
	if err := a.VerifyClient([]*x509.Certificate{c.Leaf}, time.Now().Add(2*365*24*time.Hour)); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("an expired certificate: %v", err)
	}
}
