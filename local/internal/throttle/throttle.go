// Package throttle is API Gateway's stage and route throttling: a token bucket per stage and
// route key, shared by the HTTP and WebSocket servers (and the REST server's limiters), and
// Strip, which lifts every rate limit of an assembly for load tests.
package throttle

import (
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// bucket is a token bucket as the guide's "Throttling requests to your HTTP API" describes:
// it holds up to burst tokens, refills at rate per second, and each request takes one.
// A limit of zero lets nothing through, as in API Gateway.
type bucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func newBucket(t *model.Throttle) *bucket {
	return &bucket{rate: t.RateLimit, burst: float64(t.BurstLimit), tokens: float64(t.BurstLimit)}
}

func (b *bucket) take(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.last.IsZero() {
		if d := now.Sub(b.last).Seconds(); d > 0 {
			b.tokens = min(b.burst, b.tokens+d*b.rate)
		}
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Set holds one bucket per stage and route: route settings apply to each route on its
// own, DefaultRouteSettings to every route without its own.
type Set map[*model.Stage]map[string]*bucket

// NewSet builds the buckets of every stage of api that sets throttling.
func NewSet(api *model.API) Set {
	t := Set{}
	for _, st := range api.Stages {
		if st.DefaultRouteThrottle == nil && len(st.RouteThrottle) == 0 {
			continue
		}
		m := map[string]*bucket{}
		for _, r := range api.Routes {
			if th := st.RouteThrottle[r.Key]; th != nil {
				m[r.Key] = newBucket(th)
			} else if st.DefaultRouteThrottle != nil {
				m[r.Key] = newBucket(st.DefaultRouteThrottle)
			}
		}
		t[st] = m
	}
	return t
}

// Allow reports whether a request for routeKey on stage may go ahead.
func (t Set) Allow(stage *model.Stage, routeKey string, now time.Time) bool {
	if b := t[stage][routeKey]; b != nil {
		return b.take(now)
	}
	return true
}

// Strip removes every rate limit from m, for load tests (gatehouse start --no-throttle): the
// stages' route throttling (HTTP and WebSocket APIs) and method throttling (REST APIs), and the
// usage plans' throttling, plan-wide and per method. Quotas are not rate limits and stay, as do
// Lambda concurrency limits. It changes m in place: call it before any server is built from m.
func Strip(m *model.Model) {
	for _, api := range m.APIs {
		for _, st := range api.Stages {
			st.DefaultRouteThrottle, st.RouteThrottle, st.MethodThrottle = nil, nil, nil
		}
	}
	for _, p := range m.UsagePlans {
		p.Throttle, p.MethodThrottle = nil, nil
	}
}
