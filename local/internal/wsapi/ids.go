package wsapi

import (
	"encoding/base64"
	"encoding/binary"
	"math/rand/v2"
	"strings"
)

// newID makes an id shaped like API Gateway's WebSocket connection, message and request ids
// ("R1kmxc2VNjMCFIA="): 11 random bytes in standard base64, 16 characters with one "=".
// Ids with "/" or "+" are drawn again: API Gateway's ids are used in @connections URL paths,
// and a "/" there would need escaping that hand-written clients often forget.
func newID() string {
	var b [16]byte
	for {
		binary.LittleEndian.PutUint64(b[0:], rand.Uint64())
		binary.LittleEndian.PutUint64(b[8:], rand.Uint64())
		id := base64.StdEncoding.EncodeToString(b[:11])
		if !strings.ContainsAny(id, "/+") {
			return id
		}
	}
}
