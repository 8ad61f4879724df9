package authorizer

import (
	"fmt"
	"testing"
	"time"
)

// TestCacheBound: a full cache drops its oldest entry; a replaced entry moves to the back.
func TestCacheBound(t *testing.T) {
	c := newCache(3)
	a := &answer{}
	for i := range 3 {
		c.put(fmt.Sprint(i), a, testNow, time.Minute)
	}
	c.put("0", a, testNow, time.Minute) // refreshes 0: 1 is now the oldest
	c.put("3", a, testNow, time.Minute)
	if c.len() != 3 {
		t.Fatalf("%d entries", c.len())
	}
	for key, want := range map[string]bool{"0": true, "1": false, "2": true, "3": true} {
		if _, ok := c.get(key, testNow); ok != want {
			t.Errorf("%s cached: %v", key, ok)
		}
	}
	// Expired entries are gone on lookup.
	if _, ok := c.get("2", testNow.Add(time.Minute)); ok || c.len() != 2 {
		t.Errorf("expired entry served or kept (%d entries)", c.len())
	}
}

// TestCacheKeyUnambiguous: values that concatenate alike are different keys.
func TestCacheKeyUnambiguous(t *testing.T) {
	keys := map[string]bool{}
	for _, vs := range [][]string{{"a,b"}, {"a", "b"}, {"ab"}, {"a", "", "b"}, {"1:a"}} {
		k := cacheKey("L", vs)
		if keys[k] {
			t.Errorf("%q collides", vs)
		}
		keys[k] = true
	}
	if cacheKey("L1", []string{"x"}) == cacheKey("L", []string{"1x"}) {
		t.Error("authorizer id and value collide")
	}
}

// TestCacheConcurrent: many requests at once, with tokens enough to keep a small cache
// evicting; run with -race.
func TestCacheConcurrent(t *testing.T) {
	inv := &fakeInvoker{respond: answering(policy("Allow", "*"))}
	api := restAPI(tokenAuthorizer(time.Minute))
	s, err := New(api, Options{Account: "123456789012", Region: "us-east-1", Invoker: inv, CacheSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for g := range 8 {
		go func() {
			for i := range 50 {
				d := s.Authorize(t.Context(), "CUSTOM", "Tok", nil, restRequest("GET", "/", fmt.Sprint((g+i)%6)))
				if d.Refusal != nil {
					done <- fmt.Errorf("refused: %s", d.Refusal.Reason)
					return
				}
				_ = d.REST()
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if s.cache.len() > 4 {
		t.Errorf("cache holds %d entries, bound 4", s.cache.len())
	}
}
