package restapi

import (
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func keyedAPI() (*model.API, []*model.APIKey, []*model.UsagePlan) {
	get := mockMethod("GET", 200, `{"ok": true}`)
	get.APIKeyRequired = true
	post := mockMethod("POST", 200, `{"posted": true}`)
	post.APIKeyRequired = true
	open := mockMethod("GET", 200, `{"open": true}`)
	api := testAPI(res("/items", get, post), res("/open", open))
	prod := model.APIStage{APIID: api.ID, Stage: "prod"}
	keys := []*model.APIKey{
		{ID: "k1", Value: "key-one-0123456789abcdef", Enabled: true, Stages: []model.APIStage{prod}},
		{ID: "k2", Value: "key-two-0123456789abcdef", Enabled: true, Stages: []model.APIStage{prod}},
		{ID: "k3", Value: "key-off-0123456789abcdef", Enabled: false, Stages: []model.APIStage{prod}},
		{ID: "k4", Value: "key-dev-0123456789abcdef", Enabled: true, Stages: []model.APIStage{{APIID: api.ID, Stage: "dev"}}},
	}
	plans := []*model.UsagePlan{{LogicalID: "Plan", Name: "basic", Stages: []model.APIStage{prod},
		Throttle: &model.Throttle{RateLimit: 1, BurstLimit: 2},
		Quota:    &model.Quota{Limit: 5, Period: "DAY"},
		// POST /items has its own, tighter throttle.
		MethodThrottle: map[string]*model.Throttle{api.ID + "/prod/items/POST": {RateLimit: 0.5, BurstLimit: 1}},
		Keys:           []string{keys[0].Value, keys[1].Value}}}
	return api, keys, plans
}

func TestAPIKeys(t *testing.T) {
	api, keys, plans := keyedAPI()
	s, _ := newTestServer(t, api, nil, func(o *Options) { o.APIKeys, o.UsagePlans = keys, plans })
	for _, tc := range []struct {
		name   string
		path   string
		key    string
		status int
		body   string
	}{
		{"no key", "/items", "", 403, `{"message":"Forbidden"}`},
		{"unknown key", "/items", "nope", 403, `{"message":"Forbidden"}`},
		{"disabled key", "/items", keys[2].Value, 403, `{"message":"Forbidden"}`},
		{"key for another stage", "/items", keys[3].Value, 403, `{"message":"Forbidden"}`},
		{"valid key", "/items", keys[0].Value, 200, `{"ok": true}`},
		{"a method without apiKeyRequired ignores keys", "/open", "nope", 200, `{"open": true}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.key != "" {
				hdr = []string{"X-API-Key", tc.key}
			}
			w := do(s, "GET", tc.path, "", hdr...)
			if w.Code != tc.status || w.Body.String() != tc.body {
				t.Errorf("got %d %s, want %d %s", w.Code, w.Body, tc.status, tc.body)
			}
		})
	}
}

func TestUsagePlanThrottleAndQuota(t *testing.T) {
	api, keys, plans := keyedAPI()
	clk := &clock{t: time.Date(2024, 3, 5, 23, 59, 0, 0, time.UTC)}
	s, _ := newTestServer(t, api, nil, func(o *Options) { o.APIKeys, o.UsagePlans, o.Now = keys, plans, clk.now })
	get := func(key string) int { return do(s, "GET", "/items", "", "x-api-key", key).Code }

	// Burst of 2, then throttled: 429 Too Many Requests.
	if a, b, c := get(keys[0].Value), get(keys[0].Value), get(keys[0].Value); a != 200 || b != 200 || c != 429 {
		t.Fatalf("burst: %d %d %d, want 200 200 429", a, b, c)
	}
	w := do(s, "GET", "/items", "", "x-api-key", keys[0].Value)
	if w.Body.String() != `{"message":"Too Many Requests"}` || w.Header().Get("X-Amzn-Errortype") != "TooManyRequestsException" {
		t.Errorf("throttled answer: %s %v", w.Body, w.Header())
	}
	// Limits are per key: the second key has its own bucket.
	if got := get(keys[1].Value); got != 200 {
		t.Errorf("second key: %d", got)
	}
	// One token a second refills; the quota of 5 a day ends it.
	for i := 0; i < 3; i++ {
		clk.add(time.Second)
		if got := get(keys[0].Value); got != 200 {
			t.Fatalf("request %d after refill: %d", i, got)
		}
	}
	clk.add(time.Second)
	w = do(s, "GET", "/items", "", "x-api-key", keys[0].Value)
	if w.Code != 429 || w.Body.String() != `{"message":"Limit Exceeded"}` {
		t.Fatalf("over quota: %d %s", w.Code, w.Body)
	}
	// A new UTC day starts a new quota period.
	clk.add(time.Minute)
	if got := get(keys[0].Value); got != 200 {
		t.Errorf("next day: %d", got)
	}
	// The per-method throttle: POST has a burst of 1.
	post := func() int { return do(s, "POST", "/items", "", "x-api-key", keys[1].Value).Code }
	if a, b := post(), post(); a != 200 || b != 429 {
		t.Errorf("POST: %d %d, want 200 429", a, b)
	}
}

func TestQuotaOffsetAndPeriods(t *testing.T) {
	q := &model.Quota{Limit: 3, Period: "WEEK", Offset: 2}
	c := &quota{}
	sat := time.Date(2024, 3, 9, 12, 0, 0, 0, time.UTC) // a Saturday
	// The first period allows Limit - Offset.
	if !c.take(q, sat) || c.take(q, sat) {
		t.Fatal("first week: want exactly one request")
	}
	sun := sat.Add(24 * time.Hour) // Sunday starts the next week
	for i := 0; i < 3; i++ {
		if !c.take(q, sun) {
			t.Fatalf("second week, request %d refused", i)
		}
	}
	if c.take(q, sun) {
		t.Fatal("second week: a fourth request was allowed")
	}
	if got := periodStart(time.Date(2024, 2, 29, 5, 0, 0, 0, time.UTC), "MONTH"); !got.Equal(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("month start %v", got)
	}
}

func TestStageMethodThrottle(t *testing.T) {
	api := testAPI(res("/a", mockMethod("GET", 200, "a")), res("/b", mockMethod("GET", 200, "b")))
	api.Stages[0].MethodThrottle = map[string]*model.Throttle{
		"/*/*":   {RateLimit: 100, BurstLimit: 100},
		"/a/GET": {RateLimit: 0, BurstLimit: 1},
	}
	s, _ := newTestServer(t, api, nil)
	if a1, a2 := do(s, "GET", "/a", "").Code, do(s, "GET", "/a", "").Code; a1 != 200 || a2 != 429 {
		t.Errorf("/a: %d %d, want 200 429", a1, a2)
	}
	for i := 0; i < 5; i++ {
		if got := do(s, "GET", "/b", "").Code; got != 200 {
			t.Fatalf("/b request %d: %d", i, got)
		}
	}
}

func TestUsageSharedAcrossServers(t *testing.T) {
	api, keys, plans := keyedAPI()
	plans[0].Throttle = nil
	plans[0].Quota = &model.Quota{Limit: 1, Period: "DAY"}
	usage := NewUsage()
	opts := func(o *Options) { o.APIKeys, o.UsagePlans, o.Usage = keys, plans, usage }
	s1, _ := newTestServer(t, api, nil, opts)
	s2, _ := newTestServer(t, api, nil, opts)
	if a, b := do(s1, "GET", "/items", "", "x-api-key", keys[0].Value).Code, do(s2, "GET", "/items", "", "x-api-key", keys[0].Value).Code; a != 200 || b != 429 {
		t.Errorf("%d %d: the quota should count across servers sharing a Usage", a, b)
	}
}
