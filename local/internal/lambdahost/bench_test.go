package lambdahost

import (
	"context"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// BenchmarkInvokeWarm measures the runner's share of a warm invocation of a real aws-lambda-go
// handler: two loopback HTTP exchanges with the runtime plus our bookkeeping.
func BenchmarkInvokeWarm(b *testing.B) {
	payload := []byte(`{"version":"2.0","routeKey":"GET /items/{id}","rawPath":"/items/1","body":"hello"}`)
	setup := func(b *testing.B, maxInstances int) *testHost {
		h := newTestHost(b, Config{Functions: []*model.Function{testFunction(b, "echo", "echo")}, MaxInstances: maxInstances})
		if err := h.Warm(context.Background(), "echo"); err != nil {
			b.Fatal(err)
		}
		return h
	}
	b.Run("sequential", func(b *testing.B) {
		h := setup(b, 0)
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := h.Invoke(ctx, "echo", payload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		h := setup(b, 8)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			ctx := context.Background()
			for pb.Next() {
				if _, err := h.Invoke(ctx, "echo", payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
