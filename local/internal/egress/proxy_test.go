package egress

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// seen is one request as Handler saw it.
type seen struct {
	method, host, uri, body string
	tls                     bool
	serverName              string
	remote                  string
	auth                    string
}

// fixture is a proxy whose Handler records requests and whose dialer records (and, unless a
// test routes them, refuses) every connection it is asked to make: nothing leaves the machine.
type fixture struct {
	*Proxy
	logs *syncBuffer

	mu     sync.Mutex
	seen   []seen
	dials  []string
	routes map[string]string // dial address -> where it really goes (127.0.0.1:port)
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// localHost is the test's Local predicate: the runner's own host form for any id, and the AWS
// form for the one API id it "knows".
func localHost(host string) bool {
	return strings.HasSuffix(host, ".execute-api.localhost") ||
		strings.HasPrefix(host, "abc.execute-api.") && strings.HasSuffix(host, ".amazonaws.com")
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{logs: &syncBuffer{}, routes: map[string]string{}}
	p, err := New(Options{
		Handler: http.HandlerFunc(f.handle),
		Local:   localHost,
		Logger:  slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Dial:    f.dial,
	})
	if err != nil {
		t.Fatal(err)
	}
	f.Proxy = p
	t.Cleanup(func() { p.Close() })
	return f
}

func (f *fixture) handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s := seen{method: r.Method, host: r.Host, uri: r.RequestURI, body: string(body), tls: r.TLS != nil,
		remote: r.RemoteAddr, auth: r.Header.Get("Authorization")}
	if r.TLS != nil {
		s.serverName = r.TLS.ServerName
	}
	f.mu.Lock()
	f.seen = append(f.seen, s)
	f.mu.Unlock()
	fmt.Fprintf(w, "handler: %s %s", r.Method, r.RequestURI)
}

func (f *fixture) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	f.mu.Lock()
	f.dials = append(f.dials, addr)
	to, ok := f.routes[addr]
	f.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("test dialer: %s is not routed", addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, to)
}

func (f *fixture) route(addr, to string) {
	f.mu.Lock()
	f.routes[addr] = to
	f.mu.Unlock()
}

func (f *fixture) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.seen...)
}

func (f *fixture) dialled() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.dials...)
}

// envProxy chooses a proxy from the variables Env returns, as Go's http.ProxyFromEnvironment
// (golang.org/x/net/http/httpproxy) does from the process environment: never for localhost or
// a loopback IP, not for NO_PROXY entries (an entry covers the name and its subdomains), else
// HTTPS_PROXY for https and HTTP_PROXY for http.
func envProxy(env map[string]string) func(*http.Request) (*url.URL, error) {
	return func(r *http.Request) (*url.URL, error) {
		host := normalHost(r.URL.Hostname())
		if host == "localhost" {
			return nil, nil
		}
		if a, err := netip.ParseAddr(host); err == nil && a.IsLoopback() {
			return nil, nil
		}
		for _, entry := range strings.Split(env["NO_PROXY"], ",") {
			entry = normalHost(strings.TrimSpace(entry))
			entry = strings.TrimPrefix(strings.TrimPrefix(entry, "*"), ".")
			if entry == "" {
				continue
			}
			if host == entry || strings.HasSuffix(host, "."+entry) {
				return nil, nil
			}
		}
		v := env["HTTP_PROXY"]
		if r.URL.Scheme == "https" {
			v = env["HTTPS_PROXY"]
		}
		if v == "" {
			return nil, nil
		}
		return url.Parse(v)
	}
}

// envTransport is what a handler's default HTTP client amounts to with Env's variables: the
// proxy they name and the roots SSL_CERT_FILE holds.
func envTransport(t testing.TB, env map[string]string) *http.Transport {
	t.Helper()
	pem, err := os.ReadFile(env["SSL_CERT_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("SSL_CERT_FILE %s holds no certificate", env["SSL_CERT_FILE"])
	}
	tr := &http.Transport{Proxy: envProxy(env), TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

func TestLocalHostsReachHandler(t *testing.T) {
	f := newFixture(t)
	client := &http.Client{Transport: envTransport(t, f.Env()), Timeout: 10 * time.Second}
	tests := []struct {
		url      string
		wantHost string // Host as Handler sees it
		wantURI  string
		wantTLS  bool
	}{
		{"https://abc.execute-api.localhost/dev/@connections/x", "abc.execute-api.localhost", "/dev/@connections/x", true},
		{"https://abc.execute-api.us-east-1.amazonaws.com/dev/@connections/x%2Fy?q=1", "abc.execute-api.us-east-1.amazonaws.com", "/dev/@connections/x%2Fy?q=1", true},
		{"https://ABC.execute-api.localhost:8443/prod", "abc.execute-api.localhost:8443", "/prod", true},
		{"http://abc.execute-api.localhost/dev/plain", "abc.execute-api.localhost", "/dev/plain", false},
		{"http://abc.execute-api.localhost:9000/dev/plain", "abc.execute-api.localhost:9000", "/dev/plain", false},
	}
	for i, tt := range tests {
		resp, err := client.Post(tt.url, "text/plain", strings.NewReader("body "+tt.url))
		if err != nil {
			t.Errorf("POST %s: %v", tt.url, err)
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(b) != "handler: POST "+tt.wantURI {
			t.Errorf("POST %s: %d %q", tt.url, resp.StatusCode, b)
		}
		reqs := f.requests()
		if len(reqs) != i+1 {
			t.Fatalf("POST %s: Handler saw %d requests in all, want %d", tt.url, len(reqs), i+1)
		}
		s := reqs[i]
		if s.host != tt.wantHost || s.uri != tt.wantURI || s.tls != tt.wantTLS || s.body != "body "+tt.url {
			t.Errorf("POST %s: Handler saw host %q uri %q tls %v body %q; want %q %q %v", tt.url, s.host, s.uri, s.tls, s.body, tt.wantHost, tt.wantURI, tt.wantTLS)
		}
		if !strings.HasPrefix(s.remote, "127.0.0.1:") {
			t.Errorf("POST %s: RemoteAddr %q, want the client's 127.0.0.1 address", tt.url, s.remote)
		}
		if u, _ := url.Parse(tt.url); tt.wantTLS && !strings.EqualFold(s.serverName, u.Hostname()) {
			t.Errorf("POST %s: TLS server name %q", tt.url, s.serverName)
		}
	}
	if d := f.dialled(); len(d) != 0 {
		t.Errorf("local hosts were dialled: %v", d)
	}
}

func TestTunnelKeepsAlive(t *testing.T) {
	f := newFixture(t)
	client := &http.Client{Transport: envTransport(t, f.Env())}
	var reused []bool
	for range 3 {
		ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
			GotConn: func(i httptrace.GotConnInfo) { reused = append(reused, i.Reused) },
		})
		req, _ := http.NewRequestWithContext(ctx, "GET", "https://abc.execute-api.localhost/dev", nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.ProtoMajor != 1 || resp.ProtoMinor != 1 {
			t.Errorf("tunnelled response is %s, want HTTP/1.1", resp.Proto)
		}
	}
	if fmt.Sprint(reused) != "[false true true]" {
		t.Errorf("connections reused: %v, want one tunnel for all three requests", reused)
	}
	reqs := f.requests()
	if len(reqs) != 3 || reqs[0].remote != reqs[2].remote {
		t.Errorf("requests came from %v, want one connection", reqs)
	}
}

func TestRefusesAWSWithoutDialling(t *testing.T) {
	f := newFixture(t)
	client := &http.Client{Transport: envTransport(t, f.Env()), Timeout: 10 * time.Second}
	for _, host := range []string{
		"dynamodb.us-east-1.amazonaws.com",
		"xyz.execute-api.us-east-1.amazonaws.com", // an API the runner does not serve
		"sts.amazonaws.com",
		"s3.cn-north-1.amazonaws.com.cn",
		"lambda.us-east-1.api.aws",
		"169.254.169.254",
		"169.254.170.2",
		"[fd00:ec2::254]",
	} {
		// https goes through CONNECT: Go reports the refusal by its reason phrase.
		_, err := client.Get("https://" + host + "/latest/meta-data/")
		if err == nil || !strings.Contains(err.Error(), "does not reach AWS") || !strings.Contains(err.Error(), strings.Trim(host, "[]")) {
			t.Errorf("GET https://%s: err = %v, want the proxy's refusal naming the host", host, err)
		}
		// http goes in absolute form: a 403 whose body says why.
		resp, err := client.Get("http://" + host + "/latest/meta-data/")
		if err != nil {
			t.Errorf("GET http://%s: %v", host, err)
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "does not reach AWS") {
			t.Errorf("GET http://%s: %d %q, want 403 saying the runner does not reach AWS", host, resp.StatusCode, b)
		}
		if !strings.Contains(f.logs.String(), "host="+strings.Trim(host, "[]")) {
			t.Errorf("no log line names %s: %s", host, f.logs.String())
		}
	}
	if d := f.dialled(); len(d) != 0 {
		t.Errorf("AWS hosts were dialled: %v", d)
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("Handler saw %d requests for AWS hosts", n)
	}
}

func TestOtherHostsAreTunnelledAndForwarded(t *testing.T) {
	f := newFixture(t)
	var upstream []string
	var mu sync.Mutex
	record := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		upstream = append(upstream, fmt.Sprintf("%s %s%s tls=%v", r.Method, r.Host, r.RequestURI, r.TLS != nil))
		mu.Unlock()
		if r.Header.Get("Proxy-Connection") != "" {
			t.Errorf("upstream got a Proxy-Connection header")
		}
		io.WriteString(w, "upstream")
	})
	tlsSrv := httptest.NewTLSServer(record) // its certificate names example.com
	defer tlsSrv.Close()
	plainSrv := httptest.NewServer(record)
	defer plainSrv.Close()
	f.route("example.com:443", tlsSrv.Listener.Addr().String())
	f.route("example.com:80", plainSrv.Listener.Addr().String())

	tr := envTransport(t, f.Env())
	tr.TLSClientConfig.RootCAs.AddCert(tlsSrv.Certificate())
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	for _, u := range []string{"https://example.com/a?b=c", "http://example.com/plain"} {
		resp, err := client.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(b) != "upstream" {
			t.Errorf("GET %s: %d %q", u, resp.StatusCode, b)
		}
	}
	mu.Lock()
	got := strings.Join(upstream, "\n")
	mu.Unlock()
	if want := "GET example.com/a?b=c tls=true\nGET example.com/plain tls=false"; got != want {
		t.Errorf("upstream saw\n%s\nwant\n%s", got, want)
	}
	if d := fmt.Sprint(f.dialled()); d != "[example.com:443 example.com:80]" {
		t.Errorf("dialled %s", d)
	}

	// A host that cannot be reached gets 502 with the dial error, not a hang.
	if _, err := client.Get("https://down.example/"); err == nil || !strings.Contains(err.Error(), "Bad Gateway") || !strings.Contains(err.Error(), "not routed") {
		t.Errorf("GET https://down.example/: %v, want Bad Gateway naming the dial error", err)
	}
	resp, err := client.Get("http://down.example/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(b), "not routed") {
		t.Errorf("GET http://down.example/: %d %q", resp.StatusCode, b)
	}
}

// metadataConn is a connection that claims to have reached the metadata service, as a name
// resolving there would give.
type metadataConn struct{ net.Conn }

func (metadataConn) RemoteAddr() net.Addr {
	return net.TCPAddrFromAddrPort(netip.MustParseAddrPort("169.254.169.254:80"))
}

func TestNameResolvingToMetadataIsRefused(t *testing.T) {
	var dialled atomic.Bool
	p, err := New(Options{
		Handler: http.NotFoundHandler(),
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			a, b := net.Pipe()
			b.Close()
			dialled.Store(true)
			return metadataConn{a}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	client := &http.Client{Transport: envTransport(t, p.Env()), Timeout: 10 * time.Second}
	_, err = client.Get("https://metadata.example/latest/")
	if err == nil || !strings.Contains(err.Error(), "does not reach AWS") {
		t.Errorf("CONNECT to a name that reached a metadata address: %v, want a refusal", err)
	}
	resp, err := client.Get("http://metadata.example/latest/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("forwarding to a name that reached a metadata address: %d, want 403", resp.StatusCode)
	}
	if !dialled.Load() {
		t.Error("the dialer was never called")
	}
}

func TestEnvAndCA(t *testing.T) {
	f := newFixture(t)
	env := f.Env()
	proxy := "http://" + f.Addr()
	want := map[string]string{
		"HTTPS_PROXY": proxy, "HTTP_PROXY": proxy, "https_proxy": proxy, "http_proxy": proxy,
		"NO_PROXY": "127.0.0.1,::1", "no_proxy": "127.0.0.1,::1", "NODE_USE_ENV_PROXY": "1",
		"SSL_CERT_FILE": env["AWS_CA_BUNDLE"], "REQUESTS_CA_BUNDLE": env["AWS_CA_BUNDLE"],
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q", k, env[k], v)
		}
	}
	if !strings.HasPrefix(f.Addr(), "127.0.0.1:") {
		t.Errorf("Addr %q is not on 127.0.0.1", f.Addr())
	}
	// The CA alone for Node; the bundle ends with it, after the system roots when there are any.
	ca, err := os.ReadFile(env["NODE_EXTRA_CA_CERTS"])
	if err != nil || !bytes.Equal(ca, f.CAPEM()) {
		t.Errorf("NODE_EXTRA_CA_CERTS holds %q (%v), want the CA", ca, err)
	}
	block, _ := pem.Decode(ca)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil || !cert.IsCA || cert.PublicKeyAlgorithm != x509.ECDSA || time.Until(cert.NotAfter) < 300*24*time.Hour {
		t.Errorf("CA: %v; IsCA %v, key %v, until %v", err, cert.IsCA, cert.PublicKeyAlgorithm, cert.NotAfter)
	}
	bundle, err := os.ReadFile(env["SSL_CERT_FILE"])
	if err != nil || !bytes.HasSuffix(bundle, ca) {
		t.Errorf("bundle does not end with the CA: %v", err)
	}
	if system, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt"); err == nil && os.Getenv("SSL_CERT_FILE") == "" {
		if !bytes.HasPrefix(bundle, system) {
			t.Error("bundle does not start with the system roots")
		}
	}
	// NO_PROXY must leave {apiId}.execute-api.localhost to the proxy.
	r := httptest.NewRequest("GET", "https://abc.execute-api.localhost/", nil)
	if u, _ := envProxy(env)(r); u == nil || u.String() != proxy {
		t.Errorf("proxy for abc.execute-api.localhost = %v, want %s", u, proxy)
	}
	// Leaves are issued once per host, for that host, by the CA.
	a, err := f.ca.ServerCertificate("abc.execute-api.localhost")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := f.ca.ServerCertificate("abc.execute-api.localhost")
	if a != b {
		t.Error("the leaf for one host was issued twice")
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	if _, err := a.Leaf.Verify(x509.VerifyOptions{DNSName: "abc.execute-api.localhost", Roots: pool}); err != nil {
		t.Errorf("leaf does not verify: %v", err)
	}
	if ip, _ := f.ca.ServerCertificate("127.0.0.2"); ip == nil || len(ip.Leaf.IPAddresses) != 1 {
		t.Error("a leaf for an IP host does not name the IP")
	}

	dir := env["SSL_CERT_FILE"][:strings.LastIndex(env["SSL_CERT_FILE"], "/")]
	f.Close()
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Close left %s: %v", dir, err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := net.DialTimeout("tcp", f.Addr(), time.Second); err == nil {
		t.Error("the proxy still accepts connections after Close")
	}
}

func TestNewNeedsHandler(t *testing.T) {
	if _, err := New(Options{}); err == nil || !strings.Contains(err.Error(), "Handler") {
		t.Errorf("New without a Handler: %v", err)
	}
}

func TestNotAProxyRequest(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get("http://" + f.Addr() + "/dev")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "CONNECT") {
		t.Errorf("origin-form request to the proxy: %d %q", resp.StatusCode, b)
	}
}
