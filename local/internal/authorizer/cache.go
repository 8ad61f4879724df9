package authorizer

import (
	"container/list"
	"strconv"
	"strings"
	"sync"
	"time"
)

// defaultCacheSize bounds one API's cached authorizer answers unless Options says otherwise.
// API Gateway's cache is per authorizer and identity; a bound keeps a client that varies its
// token on every request from growing the runner without limit.
const defaultCacheSize = 10000

// cache holds Lambda authorizers' answers by authorizer and identity-source values until
// their TTL runs out. When full, the oldest entry goes first.
type cache struct {
	mu    sync.RWMutex
	max   int
	items map[string]*list.Element
	order *list.List // of *cacheEntry, oldest first
}

type cacheEntry struct {
	key     string
	answer  *answer
	expires time.Time
}

func newCache(max int) *cache {
	return &cache{max: max, items: map[string]*list.Element{}, order: list.New()}
}

// cacheKey joins the authorizer's id and the identity values unambiguously: each part is
// prefixed with its length, so ("a,b") and ("a", "b") never collide.
func cacheKey(authorizerID string, values []string) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(len(authorizerID)))
	b.WriteByte(':')
	b.WriteString(authorizerID)
	for _, v := range values {
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(v)
	}
	return b.String()
}

// get returns the answer cached under key if it has not expired at now.
func (c *cache) get(key string, now time.Time) (*answer, bool) {
	c.mu.RLock()
	el, ok := c.items[key]
	var e *cacheEntry
	if ok {
		e = el.Value.(*cacheEntry)
	}
	c.mu.RUnlock()
	if !ok {
		return nil, false
	}
	if now.Before(e.expires) {
		return e.answer, true
	}
	c.mu.Lock()
	if el, ok := c.items[key]; ok && el.Value.(*cacheEntry) == e {
		c.order.Remove(el)
		delete(c.items, key)
	}
	c.mu.Unlock()
	return nil, false
}

// put caches a for ttl from now, replacing any earlier answer for key.
func (c *cache) put(key string, a *answer, now time.Time, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.Remove(el)
		delete(c.items, key)
	}
	for c.order.Len() >= c.max {
		oldest := c.order.Front()
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*cacheEntry).key)
	}
	c.items[key] = c.order.PushBack(&cacheEntry{key: key, answer: a, expires: now.Add(ttl)})
}

// len is the number of entries, expired or not.
func (c *cache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}
