package restapi

import (
	"net/http"
)

// The guide's "Amazon API Gateway important notes for REST APIs" has a table of the headers
// API Gateway drops, remaps or overwrites on the way to an integration (the Request column,
// per http / http_proxy / lambda) and on the way back (the Response column). These sets are
// that table, in canonical header names.

var (
	// lambdaDropped: request headers a Lambda integration never sees.
	lambdaDropped = headerSet("Connection", "Content-Md5", "Expect", "Max-Forwards", "Proxy-Authenticate",
		"Server", "Te", "Transfer-Encoding", "Trailer", "Upgrade", "Www-Authenticate")
	// httpDropped: request headers an HTTP integration never receives (Host is overwritten
	// with the endpoint's).
	httpDropped = headerSet("Content-Md5", "Expect", "Max-Forwards", "Proxy-Authenticate", "Server", "Te",
		"Transfer-Encoding", "Trailer", "Upgrade", "Via", "Www-Authenticate", "Host", "Connection", "Proxy-Connection", "Keep-Alive")
	// httpProxyDropped: the same for HTTP_PROXY, which drops Content-Encoding too.
	httpProxyDropped = headerSet("Content-Md5", "Expect", "Max-Forwards", "Proxy-Authenticate", "Server", "Te",
		"Transfer-Encoding", "Trailer", "Upgrade", "Via", "Www-Authenticate", "Host", "Connection", "Proxy-Connection", "Keep-Alive",
		"Content-Encoding")
)

// responseRule is what happens to one response header.
type responseRule uint8

const (
	passHeader responseRule = iota
	dropHeader
	// remapHeader renames X to X-Amzn-Remapped-X; for Date and Server API Gateway then sends
	// its own value under the original name (net/http's Date, no Server).
	remapHeader
)

// responseRules are the Response column for HTTP_PROXY and Lambda proxy integrations. Via
// and Accept differ for HTTP: see responseRuleFor.
var responseRules = map[string]responseRule{
	"Authorization":      remapHeader,
	"Connection":         remapHeader,
	"Content-Md5":        remapHeader,
	"Date":               remapHeader,
	"Max-Forwards":       remapHeader,
	"Server":             remapHeader,
	"User-Agent":         remapHeader,
	"Www-Authenticate":   remapHeader,
	"Expect":             dropHeader,
	"Host":               dropHeader,
	"Proxy-Authenticate": dropHeader,
	"Te":                 dropHeader,
	"Transfer-Encoding":  dropHeader,
	"Trailer":            dropHeader,
	"Upgrade":            dropHeader,
	"Via":                dropHeader,
	"Content-Length":     dropHeader, // generated from the body
	"Keep-Alive":         dropHeader,
	"Proxy-Connection":   dropHeader,
}

// responseRuleFor is the rule for a header from an integration; plainHTTP is true for HTTP (non
// proxy) integrations, whose Via passes and Accept is dropped.
func responseRuleFor(name string, plainHTTP bool) responseRule {
	if plainHTTP {
		switch name {
		case "Via":
			return passHeader
		case "Accept":
			return dropHeader
		}
	}
	return responseRules[name]
}

// clientHeaders applies the Response column to an integration's response headers (names in
// canonical form or not), giving what the client receives.
func clientHeaders(in http.Header, plainHTTP bool) http.Header {
	out := make(http.Header, len(in))
	for k, vs := range in {
		ck := canonical(k)
		switch responseRuleFor(ck, plainHTTP) {
		case dropHeader:
		case remapHeader:
			rk := "X-Amzn-Remapped-" + ck
			out[rk] = append(out[rk], vs...)
		default:
			out[ck] = append(out[ck], vs...)
		}
	}
	return out
}

func canonical(k string) string { return http.CanonicalHeaderKey(k) }

func headerSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}
