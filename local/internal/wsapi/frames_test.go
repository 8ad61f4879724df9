package wsapi

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/gorilla/websocket"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// readerConn is a net.Conn that reads from a buffer in chunks of the given sizes.
type readerConn struct {
	net.Conn
	r      io.Reader
	chunks []int
}

func (c *readerConn) Read(p []byte) (int, error) {
	if len(c.chunks) > 0 {
		n := c.chunks[0] % (len(p) + 1)
		c.chunks = c.chunks[1:]
		if n > 0 {
			p = p[:n]
		}
	}
	return c.r.Read(p)
}

// frame builds a client frame header for a payload of length n (masked, as clients send).
func frameHeader(n int) []byte {
	h := []byte{0x81} // FIN, text
	switch {
	case n < 126:
		h = append(h, 0x80|byte(n))
	case n <= 0xffff:
		h = append(h, 0x80|126, byte(n>>8), byte(n))
	default:
		h = append(h, 0x80|127)
		h = binary.BigEndian.AppendUint64(h, uint64(n))
	}
	return append(h, 1, 2, 3, 4) // mask key
}

func TestFrameGuard(t *testing.T) {
	for _, tc := range []struct {
		name    string
		frames  []int
		tooBig  bool
		chunked []int
	}{
		{"small frames", []int{0, 5, 125, 126, 300}, false, nil},
		{"exactly 32 KB", []int{MaxFrame}, false, nil},
		{"one byte over", []int{10, MaxFrame + 1}, true, nil},
		{"64-bit length", []int{70000}, true, nil},
		{"read one byte at a time", []int{3, 200, MaxFrame}, false, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
		{"over, split across reads", []int{1, MaxFrame + 5}, true, []int{2, 3, 1, 1, 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stream bytes.Buffer
			for _, n := range tc.frames {
				stream.Write(frameHeader(n))
				stream.Write(make([]byte, n))
			}
			want := stream.Len()
			f := &frameConn{Conn: &readerConn{r: &stream, chunks: tc.chunked}}
			got, err := io.Copy(io.Discard, f)
			if tc.tooBig != errors.Is(err, errFrameTooLarge) {
				t.Fatalf("read %d bytes, err %v; want frame-too-large %v", got, err, tc.tooBig)
			}
			if !tc.tooBig && int(got) != want {
				t.Errorf("read %d of %d bytes", got, want)
			}
		})
	}
}

// FuzzFrameGuard feeds arbitrary streams, read in arbitrary chunks, to the frame guard: it must
// never panic, and must refuse a stream exactly when a frame header in it declares more than
// MaxFrame bytes.
func FuzzFrameGuard(f *testing.F) {
	f.Add(append(frameHeader(5), "hello"...), []byte{1, 2, 3})
	f.Add(frameHeader(MaxFrame+1), []byte{})
	f.Add([]byte{0x81, 0xff, 0, 0, 0, 0, 0, 1, 0, 0}, []byte{4})
	f.Fuzz(func(t *testing.T, stream, chunks []byte) {
		sizes := make([]int, len(chunks))
		for i, c := range chunks {
			sizes[i] = int(c)
		}
		f := &frameConn{Conn: &readerConn{r: bytes.NewReader(stream), chunks: sizes}}
		_, err := io.Copy(io.Discard, f)
		if want := declaresTooLarge(stream); errors.Is(err, errFrameTooLarge) != want {
			t.Fatalf("err %v, want frame-too-large %v", err, want)
		}
	})
}

// declaresTooLarge walks frame headers the simple way, as a reference for the guard.
func declaresTooLarge(b []byte) bool {
	for len(b) >= 2 {
		need, l := 2, uint64(b[1]&0x7f)
		switch l {
		case 126:
			need += 2
		case 127:
			need += 8
		}
		if b[1]&0x80 != 0 {
			need += 4
		}
		if len(b) < need {
			return false
		}
		switch l {
		case 126:
			l = uint64(binary.BigEndian.Uint16(b[2:4]))
		case 127:
			l = binary.BigEndian.Uint64(b[2:10])
		}
		if l > MaxFrame {
			return true
		}
		if uint64(len(b)-need) < l {
			return false
		}
		b = b[need+int(l):]
	}
	return false
}

// TestMalformedFrames: garbage after the handshake ends that connection (with $disconnect) and
// disturbs no other.
func TestMalformedFrames(t *testing.T) {
	a := newTestAPI(t, []*model.Route{proxyRoute("$default", "echo", true), proxyRoute("$disconnect", "disconnect", false)}, Options{})
	a.lambda.fns["echo"] = func(ev events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) { return reply(ev.Body) }
	a.lambda.fns["disconnect"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) { return reply("") }
	good := dial(t, a.url, nil)
	for _, garbage := range [][]byte{
		{0x81, 0x05, 'h', 'e', 'l', 'l', 'o'},  // unmasked client frame
		{0x8f, 0x80, 1, 2, 3, 4},               // reserved opcode
		append(frameHeader(2), 0xff^1, 0xfe^2), // text that is not UTF-8 after unmasking
		{0x09, 0x80, 1, 2, 3, 4},               // fragmented control frame
		bytes.Repeat([]byte{0xff}, 64),         // noise
	} {
		bad := dial(t, a.url, nil)
		bad.UnderlyingConn().Write(garbage)
		bad.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, _, err := bad.ReadMessage(); err == nil {
			t.Errorf("garbage % x: the connection still delivers messages", garbage)
		}
		a.lambda.waitFor(t, "$disconnect")
	}
	good.WriteMessage(websocket.TextMessage, []byte("still here"))
	if got := readText(t, good); got != "still here" {
		t.Errorf("the good connection answered %q", got)
	}
	resp, err := http.Get(a.http + "/other")
	if err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("server after garbage: %v %v", resp, err)
	}
}
