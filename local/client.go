package local

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Client is an HTTP client for tests that reaches the runner by the assembly's own names,
// without DNS or /etc/hosts: a request to one of its custom domain names (a name a wildcard
// covers included, or its *.localhost alias), to {apiId}.execute-api.localhost or to localhost
// is sent to the runner, https:// and port 443 (or the TLS port) to its TLS listener, anything
// else to its plain one. TLS trusts the runner's local CA (and only it), and presents the CA's
// client certificate to mutual TLS domains. Other hosts are dialled as usual, except AWS's,
// which are refused: nothing a test does through the runner reaches AWS.
//
//	resp, err := r.Client().Get("https://api.example.com/orders/items")
func (r *Runner) Client() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               nil, // the names exist only here: a proxy could not resolve them
			DialContext:         r.DialContext,
			TLSClientConfig:     r.clientTLSConfig(),
			TLSHandshakeTimeout: 10 * time.Second,
			ForceAttemptHTTP2:   false,
		},
		Timeout: 60 * time.Second,
	}
}

// WebSocketDialer is a gorilla/websocket Dialer that reaches the runner as Client does:
// ws://{domain}/{key} to the plain listener, wss:// to the TLS one.
//
//	conn, _, err := r.WebSocketDialer().Dial("wss://chat.example.com/live", nil)
func (r *Runner) WebSocketDialer() *websocket.Dialer {
	return &websocket.Dialer{
		NetDialContext:   r.DialContext,
		TLSClientConfig:  r.clientTLSConfig(),
		HandshakeTimeout: 10 * time.Second,
	}
}

// DialContext connects to addr ("host:port") as Client does: the runner for its own names,
// the network for others. Use it in clients of your own (an AWS SDK's HTTP client, a
// different WebSocket library).
func (r *Runner) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dialling %s: %w", addr, err)
	}
	h := hostname(host)
	var d net.Dialer
	if r.dialsRunner(h) {
		target, tlsTarget := r.Addr(), r.TLSAddr()
		if target == "" {
			return nil, fmt.Errorf("dialling %s: the runner is not listening (Load without Start)", addr)
		}
		if port == "443" || (tlsTarget != "" && port == portOf(tlsTarget)) {
			if tlsTarget == "" {
				return nil, fmt.Errorf("dialling %s: an https/wss address, but the runner serves no TLS (start it with TLS: true, or --tls)", addr)
			}
			target = tlsTarget
		}
		return d.DialContext(ctx, network, dialable(target))
	}
	if h == "amazonaws.com" || strings.HasSuffix(h, ".amazonaws.com") || (net.ParseIP(h) != nil && net.ParseIP(h).IsLinkLocalUnicast()) {
		return nil, fmt.Errorf("dialling %s: gatehouse does not contact AWS", addr)
	}
	return d.DialContext(ctx, network, addr)
}

// dialsRunner reports whether Client sends a host's requests to the runner.
func (r *Runner) dialsRunner(h string) bool {
	if h == "localhost" || strings.HasSuffix(h, hostSuffix) {
		return true
	}
	d, _ := r.domains.lookup(h)
	return d != nil
}

// clientTLSConfig trusts the runner's CA and presents its client certificate when asked.
func (r *Runner) clientTLSConfig() *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if r.ca == nil {
		return c
	}
	c.RootCAs = r.ca.Pool()
	c.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
		cert, err := r.ca.ClientCertificate()
		if err != nil {
			return nil, errors.Join(errors.New("the runner's client certificate"), err)
		}
		return cert, nil
	}
	return c
}

// dialable turns a listening address into one to dial: 0.0.0.0 and :: listen everywhere, and
// are reached on loopback.
func dialable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if isUnspecified(host) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}
