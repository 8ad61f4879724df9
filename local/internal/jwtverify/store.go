// Package jwtverify verifies JSON Web Tokens the way API Gateway's JWT and Cognito user pool
// authorizers do: the signature against the issuer's JSON Web Key Set, then the iss, aud or
// client_id, exp, nbf and iat claims.
//
// API Gateway fetches each issuer's keys from its jwks_uri; the runner has no network, so the
// keys come from local files added to a [Store] per issuer. A token whose issuer has no keys in
// the store is refused, never waved through.
//
// The JOSE parsing and the signature check are go-jose's; this package decides which keys and
// algorithms are acceptable and checks the claims.
//
// # Example
//
//	s := jwtverify.NewStore()
//	if err := s.Add("https://issuer.example.com", jwksJSON); err != nil { ... }
//	tok, err := s.Verify(r.Header.Get("Authorization"), jwtverify.Expect{
//		Issuers:   []string{"https://issuer.example.com"},
//		Audiences: []string{"my-client"},
//	})
//	if err != nil { /* 401; err.(*jwtverify.Error).Reason says why */ }
package jwtverify

import (
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	jose "github.com/go-jose/go-jose/v4"
)

// Store holds each issuer's keys (JWKS documents), safe for concurrent use.
type Store struct {
	mu      sync.RWMutex
	issuers map[string]*keySet
	// sigs remembers tokens whose signature has been checked, so a client sending the same
	// token again costs a hash, not an RSA verification. Claims are checked on every call.
	sigs *sigCache
}

// keySet is one issuer's usable keys, in the order of its JWKS.
type keySet struct {
	issuer string
	keys   []*key
}

// key is one usable public key of a JWKS.
type key struct {
	kid string
	alg string // the JWK's "alg", empty when the JWK does not restrict it
	pub *rsa.PublicKey
}

// NewStore returns an empty store: every token is refused until its issuer's keys are added.
func NewStore() *Store {
	return &Store{issuers: map[string]*keySet{}, sigs: newSigCache(sigCacheSize)}
}

// Add parses a JWKS document (RFC 7517 {"keys":[...]}) for an issuer ("https://..."); the
// issuer string is compared exactly with the token's iss claim. Adding an issuer again
// replaces its keys.
//
// Keys API Gateway could not use are skipped: keys for encryption ("use":"enc"), symmetric
// ("oct") keys, and keys other than RSA (API Gateway's JWT authorizers verify only RSA
// signatures). A document with no usable key is an error naming why each key was skipped.
func (s *Store) Add(issuer string, jwks []byte) error {
	if issuer == "" {
		return fmt.Errorf("adding a JWKS: the issuer is empty")
	}
	set, err := parseJWKS(jwks)
	if err != nil {
		return fmt.Errorf("issuer %s: %w", issuer, err)
	}
	set.issuer = issuer
	s.mu.Lock()
	s.issuers[issuer] = set
	s.mu.Unlock()
	return nil
}

// Has reports whether the store holds keys for the issuer.
func (s *Store) Has(issuer string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.issuers[issuer]
	return ok
}

// keysOf returns the issuer's key set, nil when there is none.
func (s *Store) keysOf(issuer string) *keySet {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.issuers[issuer]
}

// parseJWKS reads a JWKS document and keeps its usable keys.
func parseJWKS(doc []byte) (*keySet, error) {
	var raw struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(doc, &raw); err != nil {
		return nil, fmt.Errorf("not a JWKS (RFC 7517 {\"keys\":[...]}): %v", err)
	}
	if raw.Keys == nil {
		return nil, fmt.Errorf("not a JWKS (RFC 7517 {\"keys\":[...]}): no \"keys\" array")
	}
	set := &keySet{}
	var skipped []string
	for i, k := range raw.Keys {
		parsed, why := parseKey(k)
		if parsed == nil {
			skipped = append(skipped, fmt.Sprintf("key %d: %s", i, why))
			continue
		}
		set.keys = append(set.keys, parsed)
	}
	if len(set.keys) == 0 {
		if len(skipped) == 0 {
			return nil, fmt.Errorf("the JWKS has no keys")
		}
		return nil, fmt.Errorf("the JWKS has no usable key (%s)", strings.Join(skipped, "; "))
	}
	return set, nil
}

// parseKey returns the key a JWK holds, or nil and why it cannot verify API Gateway tokens.
func parseKey(doc json.RawMessage) (*key, string) {
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(doc); err != nil {
		var hdr struct {
			Kty string `json:"kty"`
		}
		_ = json.Unmarshal(doc, &hdr)
		if hdr.Kty != "" && hdr.Kty != "RSA" {
			return nil, fmt.Sprintf("kty %s is not RSA, the only key type API Gateway JWT authorizers use", hdr.Kty)
		}
		return nil, fmt.Sprintf("not a valid JWK: %v", err)
	}
	name := "kid " + jwk.KeyID
	if jwk.KeyID == "" {
		name = "no kid"
	}
	if jwk.Use != "" && jwk.Use != "sig" {
		return nil, fmt.Sprintf("%s: use %q is not sig", name, jwk.Use)
	}
	if jwk.Algorithm != "" && !rsaAlgorithm(jwk.Algorithm) {
		return nil, fmt.Sprintf("%s: alg %s is not an RSA signature algorithm", name, jwk.Algorithm)
	}
	var pub *rsa.PublicKey
	switch k := jwk.Key.(type) {
	case *rsa.PublicKey:
		pub = k
	case *rsa.PrivateKey:
		// A JWKS should hold public keys only, but a private one still names its public half.
		pub = &k.PublicKey
	default:
		return nil, fmt.Sprintf("%s: a %T key is not RSA, the only key type API Gateway JWT authorizers use", name, jwk.Key)
	}
	if !jwk.Valid() || pub.N == nil || pub.E < 3 {
		return nil, fmt.Sprintf("%s: incomplete RSA key", name)
	}
	if pub.N.BitLen() < minRSABits {
		return nil, fmt.Sprintf("%s: a %d-bit RSA key is shorter than %d bits", name, pub.N.BitLen(), minRSABits)
	}
	return &key{kid: jwk.KeyID, alg: jwk.Algorithm, pub: pub}, ""
}

// minRSABits is the shortest RSA key accepted. Go's crypto/rsa refuses to verify with anything
// shorter, so a shorter key is better reported when the JWKS is added than at every request.
const minRSABits = 1024
