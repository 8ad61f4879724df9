// Package issuer is a local token issuer: it signs JSON Web Tokens (RS256) that the gatehouse
// runner's JWT and Cognito authorizers accept once the runner has the issuer's keys, so tests
// can call protected routes without an identity provider or a network.
//
// The runner verifies tokens as API Gateway does: give it the issuer's JWKS (local.Options.JWKS
// or JWKSData, or `gatehouse start --jwks ISSUER=FILE`) under the issuer URL the authorizer is
// configured with, and mint tokens whose audience, client id and scopes match the authorizer.
//
// Keys live in memory ([New]) or in a directory ([LoadOrCreate]) so that tokens minted by
// `gatehouse token` stay valid across runner restarts.
package issuer

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// DefaultExpiresIn is how long a token lives when Claims.ExpiresIn is zero: Cognito's default
// for ID and access tokens.
const DefaultExpiresIn = time.Hour

// keyBits is the RSA key size: Cognito's, and what any JWKS consumer accepts.
const keyBits = 2048

// Issuer signs tokens with one RSA key. It is safe for concurrent use.
type Issuer struct {
	url    string
	kid    string
	jwks   []byte
	path   string // the JWKS file, when the key is persisted
	signer jose.Signer
	now    func() time.Time
}

// Claims are the claims of a token to mint. Zero fields are left out of the token, except
// those every token gets: iss, iat, exp and jti.
type Claims struct {
	// Subject is sub: the user.
	Subject string
	// Audience is aud: one value is written as a string, several as an array. A JWT
	// authorizer's audience list must hold one of them.
	Audience []string
	// ClientID is client_id, which a JWT authorizer checks when aud is absent, as in Cognito
	// access tokens.
	ClientID string
	// Scopes are written space-separated in scope; a route's authorization scopes need one.
	Scopes []string
	// TokenUse is Cognito's token_use: "id" or "access".
	TokenUse string
	// ExpiresIn sets exp from now (default DefaultExpiresIn); negative mints a token that has
	// already expired.
	ExpiresIn time.Duration
	// NotBefore sets nbf when not zero.
	NotBefore time.Time
	// Extra claims are written last, so they may also replace any claim above (a test can
	// mint a token with a wrong iss this way). Values must encode to JSON.
	Extra map[string]any
}

// New returns an issuer for issuerURL with a fresh key held in memory only.
func New(issuerURL string) (*Issuer, error) {
	if err := checkURL(issuerURL); err != nil {
		return nil, err
	}
	key, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, fmt.Errorf("generating the issuer's RSA key: %w", err)
	}
	return newIssuer(issuerURL, key)
}

// newIssuer prepares signing with key and the JWKS that publishes it.
func newIssuer(issuerURL string, key *rsa.PrivateKey) (*Issuer, error) {
	pub := jose.JSONWebKey{Key: &key.PublicKey, Algorithm: string(jose.RS256), Use: "sig"}
	tp, err := pub.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("computing the key's thumbprint: %w", err)
	}
	// The RFC 7638 thumbprint as kid: stable for a key, different for every other key.
	pub.KeyID = base64.RawURLEncoding.EncodeToString(tp)
	jwks, err := json.MarshalIndent(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{pub}}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("writing the JWKS: %w", err)
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", pub.KeyID),
	)
	if err != nil {
		return nil, fmt.Errorf("preparing the RS256 signer: %w", err)
	}
	return &Issuer{url: issuerURL, kid: pub.KeyID, jwks: append(jwks, '\n'), signer: signer, now: time.Now}, nil
}

// checkURL refuses what cannot be an iss claim an authorizer compares with.
func checkURL(u string) error {
	if u == "" {
		return fmt.Errorf("the issuer URL is empty: give the issuer the authorizer is configured with")
	}
	if strings.TrimSpace(u) != u || strings.ContainsAny(u, " \t\r\n") {
		return fmt.Errorf("the issuer URL %q holds white space", u)
	}
	return nil
}

// URL is the issuer, the iss claim of every token.
func (i *Issuer) URL() string { return i.url }

// KeyID is the kid of the signing key: its RFC 7638 SHA-256 thumbprint.
func (i *Issuer) KeyID() string { return i.kid }

// JWKS is the JSON Web Key Set publishing the issuer's public key: what the runner needs for
// this issuer.
func (i *Issuer) JWKS() []byte { return append([]byte(nil), i.jwks...) }

// JWKSPath is the file holding JWKS when the issuer was made by LoadOrCreate, else "".
func (i *Issuer) JWKSPath() string { return i.path }

// Mint signs a token with c's claims.
func (i *Issuer) Mint(c Claims) (string, error) {
	now := i.now()
	ttl := c.ExpiresIn
	if ttl == 0 {
		ttl = DefaultExpiresIn
	}
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", fmt.Errorf("minting a token id: %w", err)
	}
	claims := map[string]any{
		"iss": i.url,
		"iat": now.Unix(),
		"exp": now.Add(ttl).Unix(),
		"jti": hex.EncodeToString(jti),
	}
	if c.Subject != "" {
		claims["sub"] = c.Subject
	}
	switch len(c.Audience) {
	case 0:
	case 1:
		claims["aud"] = c.Audience[0]
	default:
		claims["aud"] = c.Audience
	}
	if c.ClientID != "" {
		claims["client_id"] = c.ClientID
	}
	if len(c.Scopes) > 0 {
		claims["scope"] = strings.Join(c.Scopes, " ")
	}
	if c.TokenUse != "" {
		claims["token_use"] = c.TokenUse
	}
	if !c.NotBefore.IsZero() {
		claims["nbf"] = c.NotBefore.Unix()
	}
	for k, v := range c.Extra {
		claims[k] = v
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encoding the token's claims: %w", err)
	}
	jws, err := i.signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("signing the token: %w", err)
	}
	return jws.CompactSerialize()
}
