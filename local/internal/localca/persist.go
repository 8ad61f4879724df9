package localca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/persist"
)

// caName names the CAs LoadOrCreate makes; the serial appended tells two machines' apart.
const caName = "Gatehouse local development CA"

// raceWait bounds how long LoadOrCreate waits for another process that is creating the same
// directory's CA to finish writing it.
const raceWait = 3 * time.Second

// LoadOrCreate returns the authority kept in dir, making it on first use: the certificate in
// dir/ca.pem and the key beside it in dir/ca-key.pem (owner-only). Two processes starting at
// once end up with the same CA, as the key is linked into place only if absent.
//
// A CA past its validity, a key that does not match its certificate or half a CA (one file of
// the two) is an error that names the directory to remove, never silently replaced: people
// trusted the old one.
func LoadOrCreate(dir string) (*Authority, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the CA directory %s: %w", dir, err)
	}
	keyPath, certPath := filepath.Join(dir, KeyFile), filepath.Join(dir, CertFile)
	a, err := load(dir, keyPath, certPath)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return a, err
	}
	if _, kerr := os.Stat(keyPath); kerr == nil {
		// A key without its certificate: another process is between the two writes, or one
		// died there.
		return waitForCA(dir, keyPath, certPath)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating the CA key: %w", err)
	}
	der, err := selfSign(caName, key, time.Now())
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encoding the CA key: %w", err)
	}
	won, err := persist.WriteNew(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)
	if err != nil {
		return nil, fmt.Errorf("writing the CA key: %w", err)
	}
	if !won {
		return waitForCA(dir, keyPath, certPath)
	}
	if _, err := persist.WriteNew(certPath, encodeCert(der), 0o644); err != nil {
		return nil, fmt.Errorf("writing the CA certificate: %w", err)
	}
	return newAuthority(der, key, dir)
}

// waitForCA loads a CA another process is writing, giving it raceWait to finish.
func waitForCA(dir, keyPath, certPath string) (*Authority, error) {
	deadline := time.Now().Add(raceWait)
	for {
		a, err := load(dir, keyPath, certPath)
		if err == nil || !errors.Is(err, fs.ErrNotExist) || time.Now().After(deadline) {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("the CA directory %s has a key (%s) but no certificate (%s): remove the directory to make a new CA (and trust the new one)", dir, KeyFile, CertFile)
			}
			return a, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// load reads a CA kept in dir; a missing file is an fs.ErrNotExist error.
func load(dir, keyPath, certPath string) (*Authority, error) {
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, err
	}
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, err
	}
	key, err := parseKey(keyPEM)
	if err != nil {
		return nil, fmt.Errorf("reading the CA key %s: %w", keyPath, err)
	}
	block, _ := pem.Decode(certPEM)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("reading the CA certificate %s: no PEM CERTIFICATE block", certPath)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("reading the CA certificate %s: %w", certPath, err)
	}
	if !cert.IsCA {
		return nil, fmt.Errorf("the certificate %s is not a CA certificate: remove %s to make a new CA", certPath, dir)
	}
	if pub, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok || !pub.Equal(&key.PublicKey) {
		return nil, fmt.Errorf("the CA key %s does not belong to the certificate %s: remove %s to make a new CA", keyPath, certPath, dir)
	}
	if now := time.Now(); now.After(cert.NotAfter) {
		return nil, fmt.Errorf("the CA in %s expired on %s: remove the directory to make a new one (and trust the new one)", dir, cert.NotAfter.Format(time.DateOnly))
	}
	return newAuthority(block.Bytes, key, dir)
}

func parseKey(b []byte) (*ecdsa.PrivateKey, error) {
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	switch block.Type {
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		ek, ok := k.(*ecdsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("a %T, not an ECDSA key", k)
		}
		return ek, nil
	case "EC PRIVATE KEY":
		return x509.ParseECPrivateKey(block.Bytes)
	}
	return nil, fmt.Errorf("a PEM %q block, not a private key", block.Type)
}

// CertPath is the file holding the CA certificate, the one to trust; "" for an authority
// made by New.
func (a *Authority) CertPath() string {
	if a.dir == "" {
		return ""
	}
	return filepath.Join(a.dir, CertFile)
}

// ClientCertificate returns the client certificate mutual TLS domains accept: issued by this
// CA, for client authentication. A kept authority keeps it too (dir/client.pem and
// dir/client-key.pem, for curl --cert and --key), reissuing it when it has expired or is not
// this CA's; an in-memory one makes one per process.
func (a *Authority) ClientCertificate() (*tls.Certificate, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.client != nil {
		return a.client, nil
	}
	if a.dir != "" {
		if c, err := tls.LoadX509KeyPair(filepath.Join(a.dir, ClientCertFile), filepath.Join(a.dir, ClientKeyFile)); err == nil && a.issued(c) {
			a.client = &c
			return a.client, nil
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating the client certificate's key: %w", err)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	c, err := a.issue(&x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{Organization: []string{"Gatehouse"}, CommonName: "gatehouse local client"},
		NotBefore:    now.Add(-backdate),
		NotAfter:     earliest(now.Add(clientLifetime), a.cert.NotAfter),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, key)
	if err != nil {
		return nil, fmt.Errorf("issuing the client certificate: %w", err)
	}
	if a.dir != "" {
		keyDER, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return nil, fmt.Errorf("encoding the client certificate's key: %w", err)
		}
		// The key first: a reader that finds the new certificate finds its key.
		if err := persist.WriteAtomic(filepath.Join(a.dir, ClientKeyFile), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
			return nil, fmt.Errorf("writing the client certificate's key: %w", err)
		}
		chain := append(encodeCert(c.Certificate[0]), encodeCert(a.cert.Raw)...)
		if err := persist.WriteAtomic(filepath.Join(a.dir, ClientCertFile), chain, 0o644); err != nil {
			return nil, fmt.Errorf("writing the client certificate: %w", err)
		}
	}
	a.client = c
	return c, nil
}

// ClientFiles are the client certificate's files (for curl --cert and --key), written on
// first use; both "" for an in-memory authority.
func (a *Authority) ClientFiles() (cert, key string, err error) {
	if a.dir == "" {
		return "", "", nil
	}
	if _, err := a.ClientCertificate(); err != nil {
		return "", "", err
	}
	return filepath.Join(a.dir, ClientCertFile), filepath.Join(a.dir, ClientKeyFile), nil
}

// issued reports whether c is a client certificate of this CA that is still valid.
func (a *Authority) issued(c tls.Certificate) bool {
	if len(c.Certificate) == 0 {
		return false
	}
	leaf, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil {
		return false
	}
	return a.VerifyClient([]*x509.Certificate{leaf}, time.Now().Add(time.Hour)) == nil
}

func encodeCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
