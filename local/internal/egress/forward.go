package egress

import (
	"errors"
	"net/http"
	"net/netip"
)

// serveAbsolute answers a proxy request in absolute form (GET http://host/path).
func (p *Proxy) serveAbsolute(w http.ResponseWriter, r *http.Request) {
	defaultPort := "80"
	switch r.URL.Scheme {
	case "http":
	case "https":
		defaultPort = "443"
	default:
		http.Error(w, "the proxy forwards http and https URLs, not "+r.URL.Scheme, http.StatusBadRequest)
		return
	}
	host, port, err := splitAuthority(r.URL.Host, defaultPort)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if a, err := netip.ParseAddr(host); err == nil && isMetadataAddr(a) {
		http.Error(w, p.refusal(host), http.StatusForbidden)
		return
	}
	switch {
	case p.local(host):
		// Handler sees what a direct request would have given it: origin-form URL, Host set.
		r.Host = hostHeader(host, port, defaultPort)
		r.URL.Scheme, r.URL.Host = "", ""
		r.RequestURI = r.URL.RequestURI()
		r.Header.Del("Proxy-Connection")
		r.Header.Del("Proxy-Authorization")
		p.handler.ServeHTTP(w, r)
	case isAWSHost(host):
		http.Error(w, p.refusal(host), http.StatusForbidden)
	default:
		p.forward.ServeHTTP(w, r)
	}
}

// forwardError is the ReverseProxy's answer when the upstream could not be reached.
func (p *Proxy) forwardError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errMetadata) {
		http.Error(w, p.refusal(r.URL.Hostname()), http.StatusForbidden)
		return
	}
	p.log.Info("a handler's proxied request failed", "url", r.URL.Redacted(), "error", err)
	http.Error(w, "forwarding to "+r.URL.Host+": "+err.Error(), http.StatusBadGateway)
}
