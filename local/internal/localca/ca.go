// Package localca is the runner's own certificate authority: it issues the server certificates
// of `gatehouse start --tls` (one per custom domain name, wildcards included) and the client
// certificate that mutual TLS domains ask for.
//
// [LoadOrCreate] keeps the CA in a directory (.gatehouse/ca by default) so that a person trusts
// it once, in curl, Node, a browser or the OS trust store, and every later run's certificates
// verify against it. [New] makes one that lives only in memory: the egress proxy's, which lasts
// as long as one runner process and is trusted only by the handlers that process starts.
package localca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"time"
)

// Files an Authority keeps in its directory.
const (
	CertFile       = "ca.pem"         // the CA certificate: what clients trust
	KeyFile        = "ca-key.pem"     // the CA's private key, PKCS #8 PEM, readable by the owner only
	ClientCertFile = "client.pem"     // a client certificate for mutual TLS domains
	ClientKeyFile  = "client-key.pem" // its private key
)

// Lifetimes. The CA is kept for years so that trusting it is done once; leaves are issued
// afresh by every run, so they need only outlast one.
const (
	caLifetime     = 10 * 365 * 24 * time.Hour
	leafLifetime   = 90 * 24 * time.Hour
	clientLifetime = 365 * 24 * time.Hour
	// backdate covers a clock that is a little behind the one that issued a certificate.
	backdate = time.Hour
)

// maxCachedLeaves bounds the leaf cache: names come from the assembly's domains, so the set is
// small; past the bound certificates are still issued, just not kept.
const maxCachedLeaves = 4096

// Authority is a CA with its key, and the certificates it has issued in this process.
type Authority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
	pool *x509.CertPool
	dir  string // "" for an in-memory authority

	// leafKey signs every server certificate: a key per name buys nothing on loopback.
	leafKey *ecdsa.PrivateKey

	mu     sync.Mutex
	leaves map[string]*tls.Certificate
	client *tls.Certificate
}

// New makes an authority that lives only in memory, named "{name} {serial}" so that two of
// them are told apart in error messages.
func New(name string) (*Authority, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating the CA key: %w", err)
	}
	der, err := selfSign(name, key, time.Now())
	if err != nil {
		return nil, err
	}
	return newAuthority(der, key, "")
}

func newAuthority(der []byte, key *ecdsa.PrivateKey, dir string) (*Authority, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parsing the CA certificate: %w", err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating the server certificates' key: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &Authority{
		cert: cert, key: key, pem: encodeCert(der), pool: pool, dir: dir,
		leafKey: leafKey, leaves: map[string]*tls.Certificate{},
	}, nil
}

// selfSign makes a CA certificate for key.
func selfSign(name string, key *ecdsa.PrivateKey, now time.Time) ([]byte, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"Gatehouse"}, CommonName: name + " " + serial.Text(16)[:8]},
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.Add(caLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("creating the CA certificate: %w", err)
	}
	return der, nil
}

func randomSerial() (*big.Int, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("generating a certificate serial number: %w", err)
	}
	return serial.Add(serial, big.NewInt(1<<32)), nil // never small, so Text(16) has 8+ digits
}

// Certificate is the CA certificate.
func (a *Authority) Certificate() *x509.Certificate { return a.cert }

// PEM is the CA certificate in PEM form.
func (a *Authority) PEM() []byte { return append([]byte(nil), a.pem...) }

// Pool is a pool holding only the CA certificate, for clients that should trust it alone.
func (a *Authority) Pool() *x509.CertPool { return a.pool }

// Dir is the directory the authority is kept in; "" for one made by New.
func (a *Authority) Dir() string { return a.dir }

// ServerCertificate returns a server certificate for names (DNS names, "*.example.com"
// wildcards, IP addresses), issuing it on first use; the first name is its subject. The
// chain holds the leaf and the CA, so a client that trusts the CA verifies it.
func (a *Authority) ServerCertificate(names ...string) (*tls.Certificate, error) {
	if len(names) == 0 {
		return nil, errors.New("issuing a server certificate: no name")
	}
	cacheKey := strings.Join(names, " ")
	a.mu.Lock()
	c := a.leaves[cacheKey]
	a.mu.Unlock()
	if c != nil {
		return c, nil
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: names[0]},
		NotBefore:    now.Add(-backdate),
		NotAfter:     earliest(now.Add(leafLifetime), a.cert.NotAfter),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	c, err = a.issue(tmpl, a.leafKey)
	if err != nil {
		return nil, fmt.Errorf("issuing a certificate for %s: %w", cacheKey, err)
	}
	a.mu.Lock()
	if prev := a.leaves[cacheKey]; prev != nil {
		c = prev // another handshake issued one first; keep one per name set
	} else if len(a.leaves) < maxCachedLeaves {
		a.leaves[cacheKey] = c
	}
	a.mu.Unlock()
	return c, nil
}

// issue signs tmpl for key's public half and returns it with the CA in its chain.
func (a *Authority) issue(tmpl *x509.Certificate, key *ecdsa.PrivateKey) (*tls.Certificate, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, &key.PublicKey, a.key)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der, a.cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// VerifyClient checks a client's certificate chain (as tls.ConnectionState.PeerCertificates
// holds it, leaf first) against the CA: signed by it, within its validity, for client
// authentication. The error says which of these failed.
func (a *Authority) VerifyClient(chain []*x509.Certificate, now time.Time) error {
	if len(chain) == 0 {
		return errors.New("no client certificate was presented")
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{
		Roots: a.pool, Intermediates: inter, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	if err != nil {
		return fmt.Errorf("client certificate %q: %w", chain[0].Subject.CommonName, err)
	}
	return nil
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
