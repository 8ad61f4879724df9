package throttle

import (
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

func TestSet(t *testing.T) {
	dev := &model.Stage{Name: "dev", DefaultRouteThrottle: &model.Throttle{RateLimit: 1, BurstLimit: 2},
		RouteThrottle: map[string]*model.Throttle{"ping": {RateLimit: 0, BurstLimit: 0}}}
	open := &model.Stage{Name: "open"}
	api := &model.API{Stages: []*model.Stage{dev, open}, Routes: []*model.Route{{Key: "$default"}, {Key: "ping"}}}
	s := NewSet(api)
	t0 := time.Unix(1000, 0)
	steps := []struct {
		stage *model.Stage
		key   string
		at    time.Duration
		want  bool
	}{
		{dev, "$default", 0, true},                       // burst of 2
		{dev, "$default", 0, true},                       //
		{dev, "$default", 0, false},                      // bucket empty
		{dev, "$default", 500 * time.Millisecond, false}, // half a token back
		{dev, "$default", 1000 * time.Millisecond, true}, // one token after 1 s at 1/s
		{dev, "ping", 0, false},                          // a zero limit lets nothing through
		{open, "$default", 0, true},                      // no throttling on this stage
		{dev, "unknown", 0, true},                        // a key without a bucket is not throttled
		{dev, "$default", 10 * time.Second, true},        // refills up to the burst only
		{dev, "$default", 10 * time.Second, true},        //
		{dev, "$default", 10 * time.Second, false},       //
	}
	for i, st := range steps {
		if got := s.Allow(st.stage, st.key, t0.Add(st.at)); got != st.want {
			t.Errorf("step %d: Allow(%s, %s, +%s) = %v, want %v", i, st.stage.Name, st.key, st.at, got, st.want)
		}
	}
}

func TestStrip(t *testing.T) {
	th := func() *model.Throttle { return &model.Throttle{RateLimit: 1, BurstLimit: 1} }
	quota := &model.Quota{Limit: 10, Period: "DAY"}
	httpStage := &model.Stage{Name: "dev", DefaultRouteThrottle: th(), RouteThrottle: map[string]*model.Throttle{"GET /a": th()}}
	restStage := &model.Stage{Name: "prod", MethodThrottle: map[string]*model.Throttle{"/*/*": th()}, Variables: map[string]string{"v": "1"}}
	plan := &model.UsagePlan{LogicalID: "P", Throttle: th(), Quota: quota, MethodThrottle: map[string]*model.Throttle{"id/prod/a/GET": th()}}
	m := &model.Model{
		APIs:       []*model.API{{ID: "h", Stages: []*model.Stage{httpStage}}, {ID: "r", Stages: []*model.Stage{restStage}}},
		UsagePlans: []*model.UsagePlan{plan},
	}
	Strip(m)
	for _, tc := range []struct {
		what string
		left bool // whether a limit is still set
	}{
		{"HTTP stage DefaultRouteThrottle", httpStage.DefaultRouteThrottle != nil},
		{"HTTP stage RouteThrottle", httpStage.RouteThrottle != nil},
		{"REST stage MethodThrottle", restStage.MethodThrottle != nil},
		{"usage plan Throttle", plan.Throttle != nil},
		{"usage plan MethodThrottle", plan.MethodThrottle != nil},
	} {
		if tc.left {
			t.Errorf("%s is still set after Strip", tc.what)
		}
	}
	if plan.Quota != quota {
		t.Error("Strip removed the usage plan's quota; quotas are not throttles")
	}
	if restStage.Variables["v"] != "1" {
		t.Error("Strip changed the stage's variables")
	}
}
