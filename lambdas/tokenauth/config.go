package tokenauth

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// Environment variables FromEnv reads.
const (
	// EnvSecret is the HS256 key, at least 32 bytes; required.
	EnvSecret = "TOKENAUTH_SECRET"
	// EnvIssuer, when set, is the iss a token must carry.
	EnvIssuer = "TOKENAUTH_ISSUER"
	// EnvAudience, when set, is an audience a token's aud must hold.
	EnvAudience = "TOKENAUTH_AUDIENCE"
	// EnvScope, when set, is a scope a token must hold; a valid token without it is denied
	// (403) rather than refused as unauthenticated (401).
	EnvScope = "TOKENAUTH_SCOPE"
	// EnvResponse is how an HTTP API payload 2.0 authorizer answers: "simple" (default, for
	// authorizers with simple responses enabled) or "iam".
	EnvResponse = "TOKENAUTH_RESPONSE"
	// EnvHeader and EnvQuery name where REQUEST authorizers look for the token: the header
	// (default Authorization, with or without "Bearer "), then the query string parameter
	// (default token; browsers cannot set headers on a WebSocket handshake).
	EnvHeader = "TOKENAUTH_HEADER"
	EnvQuery  = "TOKENAUTH_QUERY"
)

// Config is what an authorizer checks and how it answers.
type Config struct {
	// Secret is the HS256 key, at least MinSecretLen bytes.
	Secret []byte
	// Issuer and Audience, when set, must match the token's iss and be in its aud.
	Issuer, Audience string
	// RequiredScope, when set, must be in the token's scope; a valid token without it is
	// denied.
	RequiredScope string
	// SimpleResponses makes HTTP API payload 2.0 answers {"isAuthorized": ...} instead of IAM
	// policies.
	SimpleResponses bool
	// Header and Query name where REQUEST events carry the token; default "Authorization" and
	// "token".
	Header, Query string
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// FromEnv reads a Config from the TOKENAUTH_* variables. A missing or short secret is an
// error: an authorizer that cannot verify must fail (API Gateway answers 500), never allow.
func FromEnv() (Config, error) {
	c := Config{
		Secret:          []byte(os.Getenv(EnvSecret)),
		Issuer:          os.Getenv(EnvIssuer),
		Audience:        os.Getenv(EnvAudience),
		RequiredScope:   os.Getenv(EnvScope),
		SimpleResponses: true,
		Header:          os.Getenv(EnvHeader),
		Query:           os.Getenv(EnvQuery),
	}
	switch r := strings.ToLower(os.Getenv(EnvResponse)); r {
	case "", "simple":
	case "iam":
		c.SimpleResponses = false
	default:
		return Config{}, fmt.Errorf("tokenauth: %s=%q: want simple or iam", EnvResponse, r)
	}
	if err := c.check(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// check reports a configuration that cannot verify tokens.
func (c Config) check() error {
	if len(c.Secret) < MinSecretLen {
		return fmt.Errorf("tokenauth: %s holds %d bytes; HS256 needs a secret of at least %d", EnvSecret, len(c.Secret), MinSecretLen)
	}
	return nil
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Decision is what an authorizer concluded about a token.
type Decision struct {
	// Claims are the verified token's claims; nil when there was no valid token
	// (unauthenticated: 401 where the API kind allows it).
	Claims *Claims
	// Allow: the token is valid and holds the required scope. Claims without Allow is a
	// denial (403).
	Allow bool
	// Reason says why, for the log.
	Reason string
}

// Decide verifies token and applies the issuer, audience and scope rules.
func (c Config) Decide(token string) Decision {
	if err := c.check(); err != nil {
		return Decision{Reason: err.Error()}
	}
	if token == "" {
		return Decision{Reason: "no token"}
	}
	claims, err := Verify(token, c.Secret, c.now())
	if err != nil {
		return Decision{Reason: err.Error()}
	}
	if c.Issuer != "" && claims.Issuer != c.Issuer {
		return Decision{Reason: fmt.Sprintf("%v: iss %q, want %q", ErrClaims, claims.Issuer, c.Issuer)}
	}
	if c.Audience != "" && !slices.Contains(claims.Audience, c.Audience) {
		return Decision{Reason: fmt.Sprintf("%v: aud %q does not hold %q", ErrClaims, claims.Audience, c.Audience)}
	}
	if c.RequiredScope != "" && !claims.HasScope(c.RequiredScope) {
		return Decision{Claims: claims, Reason: fmt.Sprintf("scope %q does not hold %q", claims.Scope, c.RequiredScope)}
	}
	return Decision{Claims: claims, Allow: true, Reason: "allowed"}
}
