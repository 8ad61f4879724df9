package lambdahost

import (
	"encoding/hex"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"
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
		id:      newRequestID(),
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

// newRequestID returns a random (version 4) UUID, the shape of Lambda request ids.
func newRequestID() string {
	var b [16]byte
	putRandom(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
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
