package issuer

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gatehouse-dev/gatehouse/local/internal/persist"
)

// Files LoadOrCreate keeps in its directory.
const (
	KeyFile  = "key.pem"   // the RSA private key, PKCS #8 PEM, readable by the owner only
	JWKSFile = "jwks.json" // the public key as a JWKS, for the runner's --jwks
)

// LoadOrCreate returns an issuer for issuerURL whose key is kept in dir (created if need be):
// the key in dir/key.pem, made on first use, and its JWKS written beside it as dir/jwks.json.
// Tokens minted by one process verify with the JWKS in another, and survive restarts.
//
// One directory may serve several issuer URLs: the key does not depend on the URL.
func LoadOrCreate(dir, issuerURL string) (*Issuer, error) {
	if err := checkURL(issuerURL); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the issuer directory: %w", err)
	}
	key, err := loadOrCreateKey(filepath.Join(dir, KeyFile))
	if err != nil {
		return nil, err
	}
	i, err := newIssuer(issuerURL, key)
	if err != nil {
		return nil, err
	}
	i.path = filepath.Join(dir, JWKSFile)
	if old, err := os.ReadFile(i.path); err != nil || !bytes.Equal(old, i.jwks) {
		if err := persist.WriteAtomic(i.path, i.jwks, 0o644); err != nil {
			return nil, fmt.Errorf("writing the issuer's JWKS: %w", err)
		}
	}
	return i, nil
}

// loadOrCreateKey reads the key at path or, when there is none, makes one. Two processes
// starting at once end up with the same key: the file is linked into place only if absent.
func loadOrCreateKey(path string) (*rsa.PrivateKey, error) {
	key, err := readKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	key, err = rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, fmt.Errorf("generating the issuer's RSA key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encoding the issuer's key: %w", err)
	}
	won, err := persist.WriteNew(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	if err != nil {
		return nil, fmt.Errorf("writing the issuer's key: %w", err)
	}
	if !won {
		// Another process won the race: use its key.
		return readKey(path)
	}
	return key, nil
}

// readKey reads an RSA private key from a PEM file (PKCS #8 or PKCS #1).
func readKey(path string) (*rsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the issuer's key: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("reading the issuer's key %s: no PEM block", path)
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("reading the issuer's key %s: %w", path, err)
		}
		return k, nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("reading the issuer's key %s: %w", path, err)
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("reading the issuer's key %s: a %T, not an RSA key (the issuer signs RS256)", path, k)
		}
		return rk, nil
	}
	return nil, fmt.Errorf("reading the issuer's key %s: a PEM %q block, not a private key", path, block.Type)
}
