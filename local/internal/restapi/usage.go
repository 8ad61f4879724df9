package restapi

import (
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/throttle"
)

// Usage holds the usage plans' counters: a token bucket and a quota per plan and API key, and
// a bucket per plan, key and method for per-method throttling. The guide ("Usage plans"):
// "Throttling and quota limits apply to requests for individual API keys that are aggregated
// across all API stages within a usage plan", so the servers of every API an assembly serves
// share one Usage. It is safe for concurrent use.
type Usage struct {
	mu      sync.Mutex
	buckets map[usageKey]*limiter
	quotas  map[usageKey]*quota
}

type usageKey struct {
	plan   *model.UsagePlan
	key    string // the API key's value
	method string // "" for the plan-wide bucket and the quota
}

// NewUsage returns empty counters.
func NewUsage() *Usage {
	return &Usage{buckets: map[usageKey]*limiter{}, quotas: map[usageKey]*quota{}}
}

// bucket returns the bucket for k, made with th on first use.
func (u *Usage) bucket(k usageKey, th *model.Throttle) *limiter {
	u.mu.Lock()
	defer u.mu.Unlock()
	b := u.buckets[k]
	if b == nil {
		b = newLimiter(th)
		u.buckets[k] = b
	}
	return b
}

// takeQuota counts one request against the plan's quota for a key; false when the quota for
// the current period is used up (the request is then not counted).
func (u *Usage) takeQuota(k usageKey, q *model.Quota, now time.Time) bool {
	u.mu.Lock()
	c := u.quotas[k]
	if c == nil {
		c = &quota{}
		u.quotas[k] = c
	}
	u.mu.Unlock()
	return c.take(q, now)
}

// limiterKey is the one route of the throttle.Set behind a limiter.
const limiterKey = "limiter"

// limiter is one token bucket. It borrows package throttle's buckets, which are keyed by
// stage and route, through a stage and route of its own, so the REST server's stage, method
// and usage plan limits refill and burst exactly as HTTP API route throttling does.
type limiter struct {
	set   throttle.Set
	stage *model.Stage
}

func newLimiter(th *model.Throttle) *limiter {
	st := &model.Stage{DefaultRouteThrottle: th}
	api := &model.API{Stages: []*model.Stage{st}, Routes: []*model.Route{{Key: limiterKey}}}
	return &limiter{set: throttle.NewSet(api), stage: st}
}

func (l *limiter) allow(now time.Time) bool { return l.set.Allow(l.stage, limiterKey, now) }

// quota counts requests in the current quota period. Periods are calendar days, weeks
// (starting on Sunday) and months, in UTC. Offset is "the number of requests subtracted from
// the given limit in the initial time period" (QuotaSettings in the API reference): the first
// period this counter sees allows Limit - Offset.
type quota struct {
	mu      sync.Mutex
	initial time.Time // start of the first period seen
	current time.Time // start of the period being counted
	used    int
}

func (c *quota) take(q *model.Quota, now time.Time) bool {
	start := periodStart(now, q.Period)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.initial.IsZero() {
		c.initial = start
	}
	if !start.Equal(c.current) {
		c.current, c.used = start, 0
	}
	limit := q.Limit
	if start.Equal(c.initial) {
		limit -= q.Offset
	}
	if c.used >= limit {
		return false
	}
	c.used++
	return true
}

// periodStart is the start of the quota period that contains now.
func periodStart(now time.Time, period string) time.Time {
	now = now.UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch period {
	case "WEEK":
		return day.AddDate(0, 0, -int(day.Weekday()))
	case "MONTH":
		return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	default: // DAY
		return day
	}
}
