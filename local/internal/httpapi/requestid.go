package httpapi

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"time"
)

// newRequestID makes an id shaped like API Gateway's HTTP API request ids ("LV7fzho-PHcEJPw="):
// 11 random bytes in URL-safe base64 with its padding, 16 characters. Handlers and log
// parsers that assume that shape keep working locally.
func newRequestID() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[0:], rand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rand.Uint64())
	return base64.URLEncoding.EncodeToString(b[:11])
}

// newTraceID makes an X-Amzn-Trace-Id value in X-Ray's format: version 1, the epoch seconds
// in hex, and 96 random bits.
func newTraceID(now time.Time) string {
	return fmt.Sprintf("Root=1-%08x-%08x%016x", uint32(now.Unix()), rand.Uint32(), rand.Uint64())
}
