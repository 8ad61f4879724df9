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
