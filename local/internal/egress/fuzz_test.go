package egress

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// panicWatch is a slog handler that notes the panics net/http recovers in server goroutines,
// which would otherwise go unseen by the fuzzer.
type panicWatch struct{ panics *atomic.Int64 }

func (h panicWatch) Enabled(context.Context, slog.Level) bool { return true }
func (h panicWatch) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "panic") {
		h.panics.Add(1)
	}
	return nil
}
func (h panicWatch) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h panicWatch) WithGroup(string) slog.Handler      { return h }

// FuzzProxyRequest feeds arbitrary bytes to the proxy's listener: it must never panic, and a
// well-formed request must still be served after each input.
func FuzzProxyRequest(f *testing.F) {
	for _, seed := range []string{
		"CONNECT abc.execute-api.localhost:443 HTTP/1.1\r\nHost: abc.execute-api.localhost:443\r\n\r\n\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00",
		"CONNECT abc.execute-api.localhost:443 HTTP/1.1\r\n\r\nGET /dev HTTP/1.1\r\nHost: x\r\n\r\n",
		"CONNECT abc.execute-api.localhost:80 HTTP/1.1\r\n\r\nPOST /dev HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n\r\n",
		"CONNECT dynamodb.us-east-1.amazonaws.com:443 HTTP/1.1\r\n\r\n",
		"CONNECT [fd00:ec2::254]:80 HTTP/1.1\r\n\r\n",
		"CONNECT elsewhere.example:443 HTTP/1.1\r\n\r\n",
		"CONNECT :0 HTTP/1.1\r\n\r\n",
		"CONNECT \x00\xff HTTP/1.1\r\n\r\n",
		"GET http://abc.execute-api.localhost/dev?x=1 HTTP/1.1\r\nHost: abc.execute-api.localhost\r\nProxy-Connection: keep-alive\r\n\r\n",
		"GET https://169.254.169.254/latest/meta-data/ HTTP/1.1\r\n\r\n",
		"GET ftp://x/ HTTP/1.1\r\n\r\n",
		"GET http://elsewhere.example/ HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
		"GET / HTTP/1.1\r\n\r\n",
		"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
		"",
	} {
		f.Add([]byte(seed))
	}
	var panics atomic.Int64
	p, err := New(Options{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			io.WriteString(w, "handler")
		}),
		Local:  localHost,
		Logger: slog.New(panicWatch{&panics}),
		Dial: func(context.Context, string, string) (net.Conn, error) {
			return nil, errors.New("the fuzz test dials nothing")
		},
	})
	if err != nil {
		f.Fatal(err)
	}
	defer p.Close()
	client := &http.Client{Transport: envTransport(f, p.Env()), Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()

	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := net.Dial("tcp", p.Addr())
		if err != nil {
			t.Fatalf("the proxy stopped accepting: %v", err)
		}
		c.SetDeadline(time.Now().Add(5 * time.Second))
		c.Write(data)
		c.(*net.TCPConn).CloseWrite()
		io.Copy(io.Discard, c) // until the proxy is done with the input
		c.Close()

		resp, err := client.Get("http://abc.execute-api.localhost/dev/alive")
		if err != nil {
			t.Fatalf("after %q the proxy does not serve: %v", data, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "handler" {
			t.Fatalf("after %q: %d %q", data, resp.StatusCode, b)
		}
		if n := panics.Load(); n > 0 {
			t.Fatalf("%d panics logged (the last input: %q)", n, data)
		}
	})
}
