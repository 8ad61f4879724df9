package local

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/localca"
)

// DefaultCADir is where `gatehouse start --tls` keeps its certificate authority, relative to
// the directory it runs in (.gatehouse/ is git-ignored).
const DefaultCADir = ".gatehouse/ca"

// minTLSVersion is the oldest TLS version a domain's security policy accepts. The guide's
// "Choosing a security policy": TLS_1_0 accepts TLS 1.0 and later, TLS_1_2 (the default)
// 1.2 and later, and a WebSocket API's domain only 1.2 and later whatever it says. The newer
// enhanced policies name their minimum in the name (SecurityPolicy_TLS13_1_3_2025_09: 1.3);
// anything else is served as TLS_1_2, with a warning to say so.
func minTLSVersion(policy string, websocket bool) (uint16, string) {
	v, warn := uint16(tls.VersionTLS12), ""
	switch p := strings.ToUpper(policy); {
	case p == "" || p == "TLS_1_2":
	case p == "TLS_1_0":
		v = tls.VersionTLS10
	default:
		if m := enhancedPolicy.FindStringSubmatch(p); m != nil {
			minor := m[2] // the minimum: _1_2 in SecurityPolicy_TLS13_1_2_...
			if minor == "" {
				minor = m[1] // none named: the version in TLS12_PFS_...
			}
			v = tls.VersionTLS10 + uint16(minor[0]-'0')
		} else {
			warn = fmt.Sprintf("security policy %q is not one the runner knows: TLS 1.2 is the minimum", policy)
		}
	}
	if websocket && v < tls.VersionTLS12 {
		v = tls.VersionTLS12
	}
	return v, warn
}

// enhancedPolicy reads the versions of a SecurityPolicy_TLS1x[_1_y]_... policy name.
var enhancedPolicy = regexp.MustCompile(`^SECURITYPOLICY_TLS1([0-3])(?:_1_([0-3]))?(_|$)`)

// tlsDefaultNames are the names the TLS listener's own certificate covers, for requests that
// name no custom domain: the execute-api forms and the loopback addresses.
var tlsDefaultNames = []string{"localhost", "*" + hostSuffix, "127.0.0.1", "::1"}

// setupTLS loads (or makes) the CA and issues a certificate, with its handshake settings, for
// every domain name and for the runner's own names.
func (r *Runner) setupTLS() error {
	dir := r.opts.CADir
	if dir == "" {
		dir = DefaultCADir
	}
	ca, err := localca.LoadOrCreate(dir)
	if err != nil {
		return fmt.Errorf("--tls: %w", err)
	}
	names := slices.Clone(tlsDefaultNames)
	if h := strings.Trim(r.opts.Host, "[]"); h != "" && !slices.Contains(names, h) && !isUnspecified(h) {
		names = append(names, h)
	}
	def, err := ca.ServerCertificate(names...)
	if err != nil {
		return fmt.Errorf("--tls: %w", err)
	}
	// Names that name no domain may reach any API, WebSocket ones included: HTTP/1.1 only,
	// as a WebSocket upgrade needs it.
	r.tlsDefault = r.handshakeConfig(def, tls.VersionTLS10, false)
	for _, d := range r.domains.routes() {
		// The name and its *.localhost alias, so a browser can use either.
		cert, err := ca.ServerCertificate(d.name, d.name+localhostAlias)
		if err != nil {
			return fmt.Errorf("--tls: custom domain %s: %w", d.name, err)
		}
		d.tls = r.handshakeConfig(cert, d.minTLS, d.mutualTLS)
	}
	if r.domains.hasMutualTLS() {
		if _, _, err := ca.ClientFiles(); err != nil {
			return fmt.Errorf("--tls: %w", err)
		}
	}
	r.ca = ca
	return nil
}

// handshakeConfig is the TLS configuration of one certificate's names.
func (r *Runner) handshakeConfig(cert *tls.Certificate, minVersion uint16, mutual bool) *tls.Config {
	c := &tls.Config{
		Certificates: []tls.Certificate{*cert},
		MinVersion:   minVersion,
		// HTTP/1.1 only: API Gateway's WebSocket APIs are HTTP/1.1 upgrades, and a browser
		// that negotiated h2 on a domain would try the upgrade over it.
		NextProtos: []string{"http/1.1"},
	}
	if mutual {
		// Asked for, then checked per request against the local CA, so that a missing or
		// untrusted certificate gets API Gateway's 403 and a log line saying why, not a
		// handshake failure the client reports as a network error.
		c.ClientAuth = tls.RequestClientCert
	}
	return c
}

// configForClient picks the handshake settings by the name the client asked for (SNI): the
// domain's certificate and minimum version, or the runner's own. A client that offers only
// older versions than the minimum gets TLS's protocol_version alert from crypto/tls; the log
// says which policy refused it.
func (r *Runner) configForClient(hello *tls.ClientHelloInfo) (*tls.Config, error) {
	name := strings.ToLower(strings.TrimSuffix(hello.ServerName, "."))
	cfg := r.tlsDefault
	policy := "the execute-api endpoint's TLS_1_0"
	if d, _ := r.domains.lookup(name); d != nil {
		cfg = d.tls
		policy = "custom domain " + d.name + "'s security policy"
	}
	if len(hello.SupportedVersions) > 0 && slices.Max(hello.SupportedVersions) < cfg.MinVersion {
		r.log.Warn("TLS handshake refused: the client offers only versions older than "+policy+" allows",
			"serverName", hello.ServerName, "client", hello.Conn.RemoteAddr().String(),
			"offered", versionNames(hello.SupportedVersions), "minimum", tls.VersionName(cfg.MinVersion))
	}
	return cfg, nil
}

func versionNames(vs []uint16) string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = tls.VersionName(v)
	}
	return strings.Join(names, " ")
}

// viaTLSListener marks requests that arrived on the runner's own TLS listener: only those can
// carry a client certificate for mutual TLS.
type viaTLSListener struct{}

// checkClientCertificate applies a mutual TLS domain's rule to a request: over the runner's TLS
// listener the client must have presented a certificate the local CA issued, or the answer is
// 403 {"message":"Forbidden"} as API Gateway gives. Plain HTTP cannot carry one: it is let
// through with a warning, once per domain, so that plain local testing keeps working.
func (r *Runner) checkClientCertificate(w http.ResponseWriter, req *http.Request, d *domainRoute) bool {
	if req.Context().Value(viaTLSListener{}) == nil || req.TLS == nil {
		r.warnOnce("mtls-plain "+d.name, "custom domain "+d.name+" requires mutual TLS in AWS; a request without TLS cannot present a client certificate and is let through (start with --tls and present the local client certificate to test it)")
		return true
	}
	if r.ca == nil {
		writeMessage(w, http.StatusForbidden, "Forbidden")
		return false
	}
	if err := r.ca.VerifyClient(req.TLS.PeerCertificates, time.Now()); err != nil {
		r.log.Warn("request refused with 403: custom domain "+d.name+" requires mutual TLS and "+err.Error()+"; present the client certificate of the local CA", "host", req.Host, "path", req.URL.Path)
		writeMessage(w, http.StatusForbidden, "Forbidden")
		return false
	}
	return true
}

// serveTLS starts the HTTPS/WSS listener beside the plain one.
func (r *Runner) serveTLS(ln net.Listener) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tlsLn = ln
	r.tlsBase = ln.Addr().String()
	srv := &http.Server{
		Handler:           r,
		ReadHeaderTimeout: 30 * time.Second,
		MaxHeaderBytes:    1 << 20,
		TLSConfig:         &tls.Config{GetConfigForClient: r.configForClient, MinVersion: tls.VersionTLS10},
		ConnContext: func(ctx context.Context, _ net.Conn) context.Context {
			return context.WithValue(ctx, viaTLSListener{}, true)
		},
		// Handshake failures are logged by configForClient when they are the policy's doing;
		// the rest is noise a client's aborted connection makes.
		ErrorLog: slog.NewLogLogger(r.log.Handler(), slog.LevelDebug),
	}
	r.tlsSrv = srv // Close clears r.tlsSrv: the goroutine keeps its own
	go func() {
		if err := srv.ServeTLS(ln, "", ""); err != nil && err != http.ErrServerClosed {
			r.log.Error("serving TLS", "err", err)
		}
	}()
}

// TLSURL is the runner's HTTPS base URL, https://HOST:PORT; "" without TLS.
func (r *Runner) TLSURL() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tlsBase == "" {
		return ""
	}
	return "https://" + r.tlsBase
}

// TLSAddr is the address the TLS listener is on; "" without TLS.
func (r *Runner) TLSAddr() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tlsBase
}

// CAFile is the file of the CA certificate --tls serves certificates from (the one to trust);
// "" without TLS.
func (r *Runner) CAFile() string {
	if r.ca == nil {
		return ""
	}
	if p, err := filepath.Abs(r.ca.CertPath()); err == nil {
		return p
	}
	return r.ca.CertPath()
}

// ClientCertFiles are the client certificate and key mutual TLS domains accept (for curl
// --cert and --key); "" without TLS.
func (r *Runner) ClientCertFiles() (cert, key string) {
	if r.ca == nil {
		return "", ""
	}
	c, k, err := r.ca.ClientFiles()
	if err != nil {
		r.log.Error("writing the client certificate", "err", err)
		return "", ""
	}
	abs := func(p string) string {
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	return abs(c), abs(k)
}

// TrustInstructions say how to make clients trust the CA in caFile, one line each: what
// `gatehouse start --tls` prints.
func TrustInstructions(caFile string) []string {
	return []string{
		"curl:     curl --cacert " + caFile + " https://...",
		"Go, OpenSSL, Python: SSL_CERT_FILE=" + caFile + " (replaces the system roots for that process)",
		"Node.js:  NODE_EXTRA_CA_CERTS=" + caFile,
		"Python requests: REQUESTS_CA_BUNDLE=" + caFile,
		"Debian/Ubuntu: sudo cp " + caFile + " /usr/local/share/ca-certificates/gatehouse-local-ca.crt && sudo update-ca-certificates",
		"Fedora/RHEL:   sudo cp " + caFile + " /etc/pki/ca-trust/source/anchors/gatehouse-local-ca.pem && sudo update-ca-trust",
		"macOS:    sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain " + caFile,
		"Windows:  certutil -addstore -f ROOT " + caFile,
		"Chrome/Firefox on Linux (NSS): certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n gatehouse-local-ca -i " + caFile,
	}
}

func isUnspecified(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsUnspecified()
}
