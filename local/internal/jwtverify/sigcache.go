package jwtverify

import (
	"crypto/sha256"
	"sync"
)

// sigCacheSize bounds the remembered signatures: at 40 bytes an entry, a few hundred KB.
const sigCacheSize = 8192

// sigCache remembers which tokens carry a good signature by one issuer's key set. An RSA
// verification costs tens of microseconds; a load test sends the same few tokens thousands of
// times a second, and API Gateway itself caches keys, so checking each token once is what
// keeps a JWT-protected route near the speed of an open one. Only the signature is remembered:
// every call still checks the claims against its own Expect and clock.
//
// Entries name the key set by pointer, so a JWKS added again (new keys) misses the cache.
type sigCache struct {
	mu   sync.Mutex
	max  int
	good map[[sha256.Size]byte]*keySet
}

func newSigCache(max int) *sigCache {
	return &sigCache{max: max, good: make(map[[sha256.Size]byte]*keySet)}
}

// seen reports whether token was verified with set before.
func (c *sigCache) seen(token string, set *keySet) bool {
	if c == nil || c.max <= 0 {
		return false
	}
	h := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.good[h] == set
}

// add remembers a good signature, evicting an arbitrary entry when full.
func (c *sigCache) add(token string, set *keySet) {
	if c == nil || c.max <= 0 {
		return
	}
	h := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.good) >= c.max {
		for k := range c.good {
			delete(c.good, k)
			break
		}
	}
	c.good[h] = set
}
