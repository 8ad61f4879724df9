package lambdahost

import (
	"context"
	"fmt"
	"runtime"
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
	// parallel-N keeps N invocations in flight (N instances busy) on this machine's cores, as N
	// client connections would: the figure the HTTP benchmarks are bounded by.
	for _, n := range []int{2, 8} {
		b.Run(fmt.Sprintf("parallel-%d", n), func(b *testing.B) {
			h := setup(b, n)
			b.ReportAllocs()
			b.SetParallelism((n + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
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
}
