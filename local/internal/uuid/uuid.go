// Package uuid makes the random UUIDs that stand for API Gateway's REST request ids and
// Lambda's invocation request ids, so both are shaped alike: version 4, lower-case hex, 36
// characters ("0c5b4f32-7a3e-4d1f-9b2a-5e6f7a8b9c0d").
package uuid

import (
	"encoding/hex"
	"math/rand/v2"
)

// New returns a random (version 4, RFC 9562 variant) UUID in its text form. The bits come from
// math/rand/v2's per-goroutine ChaCha8 source: ids need to be unique, not secret, and
// crypto/rand would be a system call on every request's path.
func New() string {
	var b [16]byte
	for i := 0; i < len(b); i += 8 {
		v := rand.Uint64()
		for j := i; j < i+8; j++ {
			b[j] = byte(v)
			v >>= 8
		}
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // variant 10
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
