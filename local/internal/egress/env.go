package egress

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// systemRootFiles are where Linux distributions and macOS keep their PEM root bundles, in the
// order Go's crypto/x509 looks for them. The runner's own SSL_CERT_FILE, if set, comes first.
var systemRootFiles = []string{
	"/etc/ssl/certs/ca-certificates.crt",                // Debian, Ubuntu, Gentoo, Arch
	"/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora, RHEL 6
	"/etc/ssl/ca-bundle.pem",                            // openSUSE
	"/etc/pki/tls/cacert.pem",                           // OpenELEC
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS, RHEL 7
	"/etc/ssl/cert.pem",                                 // Alpine, macOS
}

// noProxy is what handlers must reach directly. The Runtime API is at 127.0.0.1, so it is
// here; "localhost" is not, deliberately: Python, curl and Go's own NO_PROXY matching treat an
// entry "localhost" as covering every *.localhost name too, which would send
// {apiId}.execute-api.localhost past the proxy to a name that resolves nowhere useful.
// (Go never proxies "localhost" itself or a loopback IP anyway.)
const noProxy = "127.0.0.1,::1"

// writeBundles writes ca.pem (the CA alone) and bundle.pem (the system roots, then the CA)
// into dir, and returns their paths and the system bundle used ("" if none was found).
func writeBundles(dir string, caPEM []byte) (caFile, bundleFile, systemFile string, err error) {
	caFile = filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o644); err != nil {
		return "", "", "", fmt.Errorf("writing the CA certificate: %w", err)
	}
	var system []byte
	candidates := systemRootFiles
	if f := os.Getenv("SSL_CERT_FILE"); f != "" {
		candidates = append([]string{f}, candidates...)
	}
	for _, f := range candidates {
		b, err := os.ReadFile(f)
		if err == nil && bytes.Contains(b, []byte("-----BEGIN CERTIFICATE-----")) {
			system, systemFile = b, f
			break
		}
	}
	var bundle bytes.Buffer
	bundle.Write(system)
	if len(system) > 0 && system[len(system)-1] != '\n' {
		bundle.WriteByte('\n')
	}
	bundle.Write(caPEM)
	bundleFile = filepath.Join(dir, "bundle.pem")
	if err := os.WriteFile(bundleFile, bundle.Bytes(), 0o644); err != nil {
		return "", "", "", fmt.Errorf("writing the CA bundle: %w", err)
	}
	return caFile, bundleFile, systemFile, nil
}

// Env returns the variables that point a handler process at the proxy and make it trust the
// proxy's CA. Every value is fixed for the Proxy's life; the map is a fresh copy.
//
//   - HTTPS_PROXY, HTTP_PROXY, https_proxy, http_proxy: http://127.0.0.1:PORT, the proxy.
//   - NO_PROXY, no_proxy: 127.0.0.1,::1 (the Runtime API; see noProxy for why not localhost).
//   - SSL_CERT_FILE: the system roots plus the CA. Go's crypto/x509, OpenSSL (Python's ssl,
//     curl, Ruby) read it as their root store.
//   - AWS_CA_BUNDLE: the same bundle. aws-sdk-go-v2 builds a new root pool from it alone, and
//     botocore replaces its own bundle with it, hence the system roots in it.
//   - REQUESTS_CA_BUNDLE: the same bundle, for Python's requests, which ignores SSL_CERT_FILE.
//   - NODE_EXTRA_CA_CERTS: the CA alone; Node adds it to its built-in roots.
//   - NODE_USE_ENV_PROXY: 1, so recent Node (24, and late 22 releases) honours HTTP(S)_PROXY in
//     fetch and its global agents. Older Node, and agents a library makes itself (the AWS SDK
//     for JavaScript v3's), ignore the proxy.
func (p *Proxy) Env() map[string]string {
	proxy := "http://" + p.Addr()
	return map[string]string{
		"HTTPS_PROXY":         proxy,
		"HTTP_PROXY":          proxy,
		"https_proxy":         proxy,
		"http_proxy":          proxy,
		"NO_PROXY":            noProxy,
		"no_proxy":            noProxy,
		"SSL_CERT_FILE":       p.bundleFile,
		"AWS_CA_BUNDLE":       p.bundleFile,
		"REQUESTS_CA_BUNDLE":  p.bundleFile,
		"NODE_EXTRA_CA_CERTS": p.caFile,
		"NODE_USE_ENV_PROXY":  "1",
	}
}
