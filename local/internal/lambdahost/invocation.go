package lambdahost

import (
	"encoding/hex"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/uuid"
)

// Invocation states. An invocation is queued for an instance, then either delivered to the
// runtime by /next or abandoned when the instance dies first (so it can be retried elsewhere:
// the handler never saw it).
const (
	invQueued int32 = iota
	invDelivered
	invAbandoned
)

// invocation is one event on its way through an instance. Exactly one outcome is ever recorded
// (finish), whichever of response, error, timeout or crash comes first.
type invocation struct {
	id       string
	traceID  string
	arn      string
	payload  []byte
	timeout  time.Duration
	deadline time.Time // set when delivered, from timeout

	state    atomic.Int32
	finished atomic.Bool
	done     chan *Result // buffered 1: the single outcome
}

func newInvocation(arn string, payload []byte, timeout time.Duration) *invocation {
	return &invocation{
		id:      uuid.New(), // Lambda's request ids are version 4 UUIDs
		traceID: newTraceID(time.Now()),
		arn:     arn,
		payload: payload,
		timeout: timeout,
		done:    make(chan *Result, 1),
	}
}

// finish records the outcome unless another one already won; it reports whether this one did.
func (inv *invocation) finish(r *Result) bool {
	if !inv.finished.CompareAndSwap(false, true) {
		return false
	}
	r.RequestID = inv.id
	inv.done <- r
	return true
}

// newTraceID returns an X-Ray trace header as Lambda passes it to runtimes when tracing is off:
// Root=1-{epoch seconds, 8 hex}-{96 random bits};Parent={64 random bits};Sampled=0.
func newTraceID(now time.Time) string {
	var root [12]byte
	var parent [8]byte
	putRandom(root[:])
	putRandom(parent[:])
	buf := make([]byte, 0, 80)
	buf = append(buf, "Root=1-"...)
	epoch := strconv.FormatUint(uint64(now.Unix())&0xffffffff, 16)
	for i := len(epoch); i < 8; i++ {
		buf = append(buf, '0')
	}
	buf = append(buf, epoch...)
	buf = append(buf, '-')
	buf = hex.AppendEncode(buf, root[:])
	buf = append(buf, ";Parent="...)
	buf = hex.AppendEncode(buf, parent[:])
	buf = append(buf, ";Sampled=0"...)
	return string(buf)
}

// putRandom fills b from math/rand/v2's per-goroutine ChaCha8 source: ids need to be unique,
// not secret, and crypto/rand would be a syscall on the hot path.
func putRandom(b []byte) {
	for i := 0; i < len(b); i += 8 {
		v := rand.Uint64()
		for j := i; j < len(b) && j < i+8; j++ {
			b[j] = byte(v)
			v >>= 8
		}
	}
}
