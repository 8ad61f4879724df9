package egress

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/localca"
)

// Timeouts that keep one stalled or hostile client from holding anything the others need.
// They are variables so tests can shorten them.
var (
	// headerTimeout bounds reading a request's headers (to the proxy, and inside a tunnel),
	// a TLS handshake inside a tunnel, and waiting for a tunnel's first byte.
	headerTimeout = 10 * time.Second
	// idleTimeout is how long a kept-alive connection may wait for its next request.
	idleTimeout = 2 * time.Minute
)

// Options configure a Proxy.
type Options struct {
	// Handler serves the requests for Local hosts: those sent through the proxy in absolute
	// form and those inside a CONNECT tunnel, once the proxy has terminated TLS. Required.
	Handler http.Handler
	// Local says whether the runner serves a host: the host name alone, lowercased, without a
	// port, the brackets of an IPv6 literal or a trailing dot. Nil: no host is local.
	Local func(host string) bool
	// Logger gets the proxy's log lines (nil: discard).
	Logger *slog.Logger
	// Dial connects to the hosts the proxy tunnels or forwards to (nil: a net.Dialer that
	// refuses link-local addresses after name resolution). Tests set it so that nothing leaves
	// the machine; whatever it is, literal metadata addresses are refused before it is called.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Proxy is a running egress proxy. See the package documentation for what it does.
type Proxy struct {
	handler http.Handler
	local   func(host string) bool
	log     *slog.Logger
	dial    func(ctx context.Context, network, addr string) (net.Conn, error)
	ca      *localca.Authority // in memory: it lives as long as the proxy and only its handlers trust it

	dir, caFile, bundleFile string

	ln        net.Listener
	outer     *http.Server  // the proxy protocol itself: CONNECT and absolute-form requests
	inner     *http.Server  // requests inside tunnels to Local hosts
	tunnels   *connListener // feeds inner
	transport *http.Transport
	forward   *httputil.ReverseProxy

	mu       sync.Mutex
	closed   bool
	hijacked map[*tunnelConn]struct{} // client connections taken over from outer
	wg       sync.WaitGroup           // the two servers' Serve loops
	once     sync.Once
}

// New starts a proxy on 127.0.0.1 with a fresh CA, whose PEM files it writes into a temporary
// directory that Close removes.
func New(opts Options) (*Proxy, error) {
	if opts.Handler == nil {
		return nil, errors.New("starting the egress proxy: no Handler for local hosts")
	}
	p := &Proxy{
		handler:  opts.Handler,
		local:    opts.Local,
		log:      opts.Logger,
		hijacked: map[*tunnelConn]struct{}{},
	}
	if p.local == nil {
		p.local = func(string) bool { return false }
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	dial := opts.Dial
	if dial == nil {
		dial = defaultDial()
	}
	p.dial = guardDial(dial)

	// The serial localca appends to the name tells two runs' CAs apart in a handler's errors.
	ca, err := localca.New("Gatehouse local runner CA")
	if err != nil {
		return nil, fmt.Errorf("starting the egress proxy: %w", err)
	}
	p.ca = ca
	if p.dir, err = os.MkdirTemp("", "gatehouse-egress-"); err != nil {
		return nil, fmt.Errorf("starting the egress proxy: making a directory for its CA: %w", err)
	}
	var system string
	if p.caFile, p.bundleFile, system, err = writeBundles(p.dir, ca.PEM()); err != nil {
		os.RemoveAll(p.dir)
		return nil, fmt.Errorf("starting the egress proxy: %w", err)
	}
	if system == "" {
		p.log.Warn("no system CA bundle found: handlers will trust only the runner's own CA", "bundle", p.bundleFile)
	}
	if p.ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		os.RemoveAll(p.dir)
		return nil, fmt.Errorf("starting the egress proxy: %w", err)
	}

	errLog := slog.NewLogLogger(p.log.Handler(), slog.LevelDebug) // handshake noise, not news
	p.outer = &http.Server{
		Handler:           http.HandlerFunc(p.serveProxy),
		ReadHeaderTimeout: headerTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          errLog,
	}
	p.tunnels = newConnListener(p.ln.Addr())
	p.inner = &http.Server{
		Handler:           http.HandlerFunc(p.serveTunnelled),
		ReadHeaderTimeout: headerTimeout, // also bounds the TLS handshake
		IdleTimeout:       idleTimeout,
		ErrorLog:          errLog,
		ConnContext:       withTunnel,
		// Handlers speak HTTP/1.1 through the proxy (ALPN offers nothing else); a non-nil
		// empty map keeps net/http from configuring HTTP/2 on its own.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
	p.transport = &http.Transport{
		Proxy:                 nil, // the runner's own HTTPS_PROXY must not apply, nor loop here
		DialContext:           p.dial,
		TLSHandshakeTimeout:   headerTimeout,
		MaxIdleConns:          16,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	p.forward = &httputil.ReverseProxy{
		Rewrite:      func(pr *httputil.ProxyRequest) {}, // Out already has In's absolute URL
		Transport:    p.transport,
		ErrorLog:     errLog,
		ErrorHandler: p.forwardError,
	}
	p.wg.Go(func() { p.outer.Serve(p.ln) })
	p.wg.Go(func() { p.inner.Serve(p.tunnels) })
	p.log.Debug("egress proxy listening", "addr", p.Addr(), "ca", p.caFile, "bundle", p.bundleFile)
	return p, nil
}

// Addr is the proxy's listening address, 127.0.0.1:PORT.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// CAPEM is the proxy's CA certificate in PEM form.
func (p *Proxy) CAPEM() []byte { return p.ca.PEM() }

// Close stops the proxy, closes every connection it holds (tunnels included) and removes its CA
// files. Handler calls in flight are not waited for. Close is idempotent.
func (p *Proxy) Close() error {
	p.once.Do(func() {
		p.mu.Lock()
		p.closed = true
		conns := make([]*tunnelConn, 0, len(p.hijacked))
		for c := range p.hijacked {
			conns = append(conns, c)
		}
		p.mu.Unlock()
		p.outer.Close()
		p.tunnels.Close()
		p.inner.Close()
		for _, c := range conns {
			c.Close()
		}
		p.transport.CloseIdleConnections()
		p.wg.Wait()
		os.RemoveAll(p.dir)
	})
	return nil
}

// serveProxy answers what clients send to the proxy itself.
func (p *Proxy) serveProxy(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.serveConnect(w, r)
		return
	}
	if !r.URL.IsAbs() || r.URL.Host == "" {
		http.Error(w, "this is gatehouse's egress proxy: send CONNECT host:port or an absolute-form request (GET http://host/path)", http.StatusBadRequest)
		return
	}
	p.serveAbsolute(w, r)
}

// splitAuthority splits host[:port] into a normalised host and a port, defaulting the port.
func splitAuthority(authority, defaultPort string) (host, port string, err error) {
	host, port, err = net.SplitHostPort(authority)
	if err != nil {
		host, port = authority, "" // no port: the scheme's
	}
	if port == "" {
		port = defaultPort
	}
	host = normalHost(host)
	if host == "" {
		return "", "", fmt.Errorf("no host in %q", authority)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", "", fmt.Errorf("bad port in %q", authority)
	}
	return host, port, nil
}

// hostHeader is the Host header a client sends for host:port: the port only when it is not
// the scheme's default.
func hostHeader(host, port, defaultPort string) string {
	if port == defaultPort {
		if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
			return "[" + host + "]"
		}
		return host
	}
	return net.JoinHostPort(host, port)
}

// refusal is the reason phrase and body of a 403 for a host the runner will not reach. Go's
// HTTP client reports a failed CONNECT by its reason phrase alone, so the reason says it all.
func (p *Proxy) refusal(host string) string {
	p.log.Warn("refused a handler's request: the local runner does not reach AWS or instance metadata", "host", host)
	return "Forbidden: the gatehouse local runner does not reach AWS or instance metadata (" + printable(host) + " is not served locally)"
}

// printable keeps text safe to put in a status line: no control characters (CR, LF above all).
func printable(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}
