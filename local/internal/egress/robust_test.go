package egress

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// shortTimeouts makes stalls end quickly for the length of a test.
func shortTimeouts(t *testing.T) {
	h, i := headerTimeout, idleTimeout
	headerTimeout, idleTimeout = 300*time.Millisecond, time.Second
	t.Cleanup(func() { headerTimeout, idleTimeout = h, i })
}

// connectLocal opens a tunnel to a local host and returns the connection after the 200.
func connectLocal(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(c, "CONNECT abc.execute-api.localhost:443 HTTP/1.1\r\nHost: abc.execute-api.localhost:443\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("CONNECT: %v %v", resp, err)
	}
	return c
}

// TestMisbehavingClientsDoNotDisturbOthers holds several bad connections open (silent, slow
// headers, a tunnel that never starts TLS, a stalled handshake, a stalled request inside TLS,
// garbage, a body cut short) while a good client works, then checks the proxy ended each one.
func TestMisbehavingClientsDoNotDisturbOthers(t *testing.T) {
	shortTimeouts(t)
	f := newFixture(t)
	env := f.Env()
	roots := envTransport(t, env).TLSClientConfig.RootCAs

	var bad []string
	var conns []net.Conn
	open := func(what string, setup func() net.Conn) {
		c := setup()
		t.Cleanup(func() { c.Close() })
		bad, conns = append(bad, what), append(conns, c)
	}
	dial := func() net.Conn {
		c, err := net.Dial("tcp", f.Addr())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	open("silent", dial)
	open("slow headers", func() net.Conn {
		c := dial()
		io.WriteString(c, "GET http://abc.execute-api.localhost/ HTTP/1.1\r\nHost: abc")
		return c
	})
	open("tunnel without a first byte", func() net.Conn { return connectLocal(t, f.Addr()) })
	open("stalled handshake", func() net.Conn {
		c := connectLocal(t, f.Addr())
		c.Write([]byte{0x16, 0x03, 0x01, 0x00, 0x50, 0x01}) // a ClientHello's first bytes, no more
		return c
	})
	open("stalled request inside TLS", func() net.Conn {
		tc := tls.Client(connectLocal(t, f.Addr()), &tls.Config{ServerName: "abc.execute-api.localhost", RootCAs: roots})
		if err := tc.Handshake(); err != nil {
			t.Fatalf("handshake in tunnel: %v", err)
		}
		io.WriteString(tc, "GET /dev HTTP/1.1\r\nHost: abc")
		return tc
	})
	open("garbage", func() net.Conn {
		c := dial()
		c.Write([]byte("\x00\xff\x16garbage\r\n\r\n\r\n"))
		return c
	})

	// A body cut short: the client goes away mid-request.
	tc := tls.Client(connectLocal(t, f.Addr()), &tls.Config{ServerName: "abc.execute-api.localhost", RootCAs: roots})
	io.WriteString(tc, "POST /dev/cut HTTP/1.1\r\nHost: abc.execute-api.localhost\r\nContent-Length: 100\r\n\r\nonly ten!!")
	tc.Close()

	// Meanwhile a well-behaved client is served promptly, over and over.
	client := &http.Client{Transport: envTransport(t, env), Timeout: 2 * time.Second}
	for i := range 5 {
		resp, err := client.Get("https://abc.execute-api.localhost/dev/good")
		if err != nil {
			t.Fatalf("good request %d while others misbehave: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}

	// Every bad connection is closed by the proxy within a few timeouts.
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, err := io.Copy(io.Discard, c)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("%s: the proxy did not close the connection", bad[i])
		}
	}
	good := 0
	for _, s := range f.requests() {
		if s.uri == "/dev/good" {
			good++
		}
	}
	if good != 5 {
		t.Errorf("Handler saw %d good requests, want 5", good)
	}
	if strings.Contains(f.logs.String(), "panic") {
		t.Errorf("a panic was logged: %s", f.logs.String())
	}
}

// TestCloseEndsTunnels checks that Close does not wait on clients: open tunnels (local and
// remote) end at once.
func TestCloseEndsTunnels(t *testing.T) {
	f := newFixture(t)
	upstream, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer upstream.Close()
	go func() {
		for {
			c, err := upstream.Accept()
			if err != nil {
				return
			}
			go io.Copy(c, c) // echo
		}
	}()
	f.route("echo.example:7", upstream.Addr().String())

	local := connectLocal(t, f.Addr())
	defer local.Close()
	remote, err := net.Dial("tcp", f.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	io.WriteString(remote, "CONNECT echo.example:7 HTTP/1.1\r\nHost: echo.example:7\r\n\r\n")
	br := bufio.NewReader(remote)
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != 200 {
		t.Fatalf("CONNECT echo.example:7: %v %v", resp, err)
	}
	io.WriteString(remote, "ping\n")
	if line, err := br.ReadString('\n'); err != nil || line != "ping\n" {
		t.Fatalf("echo through the tunnel: %q %v", line, err)
	}

	done := make(chan struct{})
	go func() { f.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited on open tunnels")
	}
	for name, c := range map[string]io.Reader{"local": local, "remote": br} {
		local.SetReadDeadline(time.Now().Add(2 * time.Second))
		remote.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := io.Copy(io.Discard, c); err != nil {
			t.Errorf("%s tunnel after Close: %v, want it closed", name, err)
		}
	}
}
