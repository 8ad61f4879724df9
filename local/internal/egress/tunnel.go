package egress

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// tunnelConn is a client connection taken over from the proxy's server after CONNECT. Reads
// go through the server's reader, which may already hold the start of the tunnelled stream.
type tunnelConn struct {
	net.Conn
	r          *bufio.Reader
	host, port string
	tls        bool
	p          *Proxy
	once       sync.Once
}

func (c *tunnelConn) Read(b []byte) (int, error) { return c.r.Read(b) }

func (c *tunnelConn) Close() error {
	err := net.ErrClosed
	c.once.Do(func() {
		c.p.mu.Lock()
		delete(c.p.hijacked, c)
		c.p.mu.Unlock()
		err = c.Conn.Close()
	})
	return err
}

// CloseWrite half-closes, so a tunnel passes on one side's end of stream to the other.
func (c *tunnelConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return c.Close()
}

// hijack takes the client connection over from the proxy's server and tracks it, so that Close
// can end it. It returns nil (having answered or closed) when that is not possible.
func (p *Proxy) hijack(w http.ResponseWriter, host, port string) *tunnelConn {
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "CONNECT needs an HTTP/1.1 connection", http.StatusHTTPVersionNotSupported)
		return nil
	}
	conn, brw, err := hj.Hijack()
	if err != nil {
		p.log.Debug("taking over a CONNECT connection", "host", host, "error", err)
		return nil
	}
	conn.SetDeadline(time.Time{})
	c := &tunnelConn{Conn: conn, r: brw.Reader, host: host, port: port, p: p}
	p.mu.Lock()
	closed := p.closed
	if !closed {
		p.hijacked[c] = struct{}{}
	}
	p.mu.Unlock()
	if closed {
		conn.Close()
		return nil
	}
	return c
}

// answer writes a complete response on a taken-over connection, with the reason phrase given
// (net/http's ResponseWriter only writes the standard one).
func (c *tunnelConn) answer(code int, reason, body string) error {
	c.SetWriteDeadline(time.Now().Add(headerTimeout))
	defer c.SetWriteDeadline(time.Time{})
	if body == "" {
		_, err := fmt.Fprintf(c, "HTTP/1.1 %d %s\r\n\r\n", code, reason)
		return err
	}
	_, err := fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		code, reason, len(body), body)
	return err
}

func (p *Proxy) serveConnect(w http.ResponseWriter, r *http.Request) {
	host, port, err := splitAuthority(r.Host, "443")
	if err != nil {
		http.Error(w, "CONNECT: "+err.Error(), http.StatusBadRequest)
		return
	}
	if a, err := netip.ParseAddr(host); err == nil && isMetadataAddr(a) {
		p.refuseConnect(w, host)
		return
	}
	switch {
	case p.local(host):
		p.serveLocalTunnel(w, host, port)
	case isAWSHost(host):
		p.refuseConnect(w, host)
	default:
		p.serveRemoteTunnel(w, r, host, port)
	}
}

func (p *Proxy) refuseConnect(w http.ResponseWriter, host string) {
	reason := p.refusal(host)
	if c := p.hijack(w, host, ""); c != nil {
		c.answer(http.StatusForbidden, reason, reason+"\n")
		c.Close()
	}
}

// serveLocalTunnel answers a CONNECT to a host the runner serves: it accepts the tunnel and
// hands it to the inner server, which terminates TLS with a certificate for the host (or, when
// the client speaks plain HTTP in the tunnel, serves that) and runs Handler.
func (p *Proxy) serveLocalTunnel(w http.ResponseWriter, host, port string) {
	c := p.hijack(w, host, port)
	if c == nil {
		return
	}
	if err := c.answer(http.StatusOK, "Connection established", ""); err != nil {
		c.Close()
		return
	}
	// The first byte says whether the client starts TLS (a handshake record is 0x16).
	c.SetReadDeadline(time.Now().Add(headerTimeout))
	first, err := c.r.Peek(1)
	c.SetReadDeadline(time.Time{})
	if err != nil {
		c.Close()
		return
	}
	var conn net.Conn = c
	if first[0] == 0x16 {
		c.tls = true
		conn = tls.Server(c, &tls.Config{
			MinVersion: tls.VersionTLS12,
			NextProtos: []string{"http/1.1"},
			// The CONNECT target, not SNI: it is the name the client verifies, and a client
			// that sends no SNI (an IP literal) still gets the right certificate.
			GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return p.ca.ServerCertificate(host) },
		})
	}
	if !p.tunnels.push(conn) {
		c.Close()
	}
}

type tunnelKey struct{}

// withTunnel is the inner server's ConnContext: it makes the tunnel known to its requests.
func withTunnel(ctx context.Context, c net.Conn) context.Context {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if t, ok := c.(*tunnelConn); ok {
		ctx = context.WithValue(ctx, tunnelKey{}, t)
	}
	return ctx
}

// serveTunnelled runs Handler for a request inside a tunnel. Its Host is the tunnelled host,
// whatever the client wrote: that is the name the client connected to and verified.
func (p *Proxy) serveTunnelled(w http.ResponseWriter, r *http.Request) {
	t, _ := r.Context().Value(tunnelKey{}).(*tunnelConn)
	if t == nil {
		http.Error(w, "request outside a tunnel", http.StatusInternalServerError) // cannot happen: inner only serves tunnels
		return
	}
	defaultPort := "80"
	if t.tls {
		defaultPort = "443"
	}
	r.Host = hostHeader(t.host, t.port, defaultPort)
	p.handler.ServeHTTP(w, r)
}

// serveRemoteTunnel connects a CONNECT to a host that is neither local nor AWS, as any proxy
// would: a handler may call other services on this machine.
func (p *Proxy) serveRemoteTunnel(w http.ResponseWriter, r *http.Request, host, port string) {
	upstream, err := p.dial(r.Context(), "tcp", net.JoinHostPort(host, port))
	if err != nil {
		if errors.Is(err, errMetadata) {
			p.refuseConnect(w, host)
			return
		}
		p.log.Info("a handler's CONNECT failed", "host", host, "port", port, "error", err)
		if c := p.hijack(w, host, port); c != nil {
			msg := "dialling " + net.JoinHostPort(host, port) + ": " + err.Error()
			c.answer(http.StatusBadGateway, "Bad Gateway: "+printable(msg), msg+"\n")
			c.Close()
		}
		return
	}
	c := p.hijack(w, host, port)
	if c == nil {
		upstream.Close()
		return
	}
	if err := c.answer(http.StatusOK, "Connection established", ""); err != nil {
		c.Close()
		upstream.Close()
		return
	}
	p.splice(c, upstream)
}

// splice copies both ways until both sides have ended, passing a clean end of stream on as a
// half-close and any error as a full close.
func (p *Proxy) splice(client *tunnelConn, upstream net.Conn) {
	var wg sync.WaitGroup
	pipe := func(dst, src net.Conn) {
		defer wg.Done()
		if _, err := io.Copy(dst, src); err != nil {
			client.Close()
			upstream.Close()
			return
		}
		if cw, ok := dst.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		} else {
			dst.Close()
		}
	}
	wg.Add(2)
	go pipe(upstream, client)
	go pipe(client, upstream)
	wg.Wait()
	client.Close()
	upstream.Close()
}

// connListener is a net.Listener fed with connections, so tunnels get net/http's server
// (keep-alive, timeouts, TLS state, hijacking for WebSockets) rather than a copy of it.
type connListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
	addr  net.Addr
}

func newConnListener(addr net.Addr) *connListener {
	return &connListener{conns: make(chan net.Conn), done: make(chan struct{}), addr: addr}
}

func (l *connListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// push hands a connection to the server; false when the listener is closed.
func (l *connListener) push(c net.Conn) bool {
	select {
	case l.conns <- c:
		return true
	case <-l.done:
		return false
	}
}

func (l *connListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *connListener) Addr() net.Addr { return l.addr }
