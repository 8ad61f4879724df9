package local

import (
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/httpapi"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/restapi"
	"github.com/gatehouse-dev/gatehouse/local/internal/wsapi"
)

// serveDomain serves a request whose Host is a custom domain name (name is the name the
// client used, without a *.localhost alias), as the guide's "Working with API mappings"
// says: the mapping whose key the path starts with (whole segments, or the longest prefix on
// a domain with multi-level keys) picks the API and stage, the key is stripped, and the empty
// key takes what no other matches. No mapping: 403 {"message":"Forbidden"}, a WebSocket
// upgrade included.
func (r *Runner) serveDomain(w http.ResponseWriter, req *http.Request, d *domainRoute, name, escaped string) {
	if escaped == "" {
		escaped = "/"
	}
	m, rest := d.match(escaped)
	if m == nil {
		r.log.Info("request refused with 403: no API mapping of custom domain "+d.name+" matches the path",
			"host", name, "path", escaped, "keys", d.keys())
		r.hintCallbackURL(d, name, escaped)
		writeMessage(w, http.StatusForbidden, "Forbidden")
		return
	}
	if d.mutualTLS && !r.checkClientCertificate(w, req, d) {
		return
	}
	e := m.entry
	switch e.api.Protocol {
	case model.ProtocolHTTP:
		// rawPath and requestContext.http.path are the path as sent, key included, as AWS
		// reports them; routes match what follows the key.
		e.http.Serve(w, req, httpapi.Target{
			Stage:           m.stage,
			Path:            unescapePath(rest),
			RawPath:         escaped,
			DomainName:      name,
			DomainPrefix:    domainPrefix(name),
			BasePathMatched: m.key,
		})
	case model.ProtocolWebSocket:
		if rest != "/" && !strings.HasPrefix(rest, "/@connections/") && !strings.HasPrefix(rest, "/%40connections/") {
			r.hintCallbackURL(d, name, escaped)
		}
		e.ws.Serve(w, req, wsapi.Target{Stage: m.stage, Path: unescapePath(rest), DomainName: name})
	case model.ProtocolREST:
		stage := m.stage
		if stage == nil {
			// A base path mapping without a stage ("(none)"): API Gateway takes the stage from
			// the segment after the key, and answers 403 when it names none.
			seg, after := firstSegment(rest)
			if stageName, err := url.PathUnescape(seg); err == nil {
				stage = e.stages[stageName]
			}
			if stage == nil {
				r.log.Info("request refused with 403: custom domain "+d.name+" maps key "+m.key+" to REST API "+e.api.LogicalID+" without a stage, and the path names none of its stages after the key",
					"host", name, "path", escaped)
				writeMessage(w, http.StatusForbidden, "Forbidden")
				return
			}
			rest = after
		}
		// The Lambda proxy event's path and requestContext.path are the path as sent, base
		// path included (what AWS reports through a domain); resources match the rest.
		e.rest.Serve(w, req, restapi.Target{
			Stage:                stage,
			Path:                 rest,
			RawPath:              escaped,
			EventPath:            escaped,
			DomainName:           name,
			LowerCaseHeaderNames: d.multiLevel,
			BasePathMatched:      m.key,
		})
	default:
		r.log.Warn("request for an API whose protocol is not served yet", "api", e.api.LogicalID, "protocol", e.api.Protocol)
		writeMessage(w, http.StatusNotImplemented, string(e.api.Protocol)+" APIs are not served by this version of gatehouse")
	}
}

// hintCallbackURL explains the usual mistake behind a @connections call through a custom
// domain that fails: a callback URL built as https://{domainName}/{stage}, which works on the
// execute-api host, while through a domain the path is the mapping's key.
func (r *Runner) hintCallbackURL(d *domainRoute, name, escaped string) {
	if !d.websocket || !(strings.Contains(escaped, "/@connections/") || strings.Contains(escaped, "/%40connections/")) {
		return
	}
	r.warnOnce("callback "+d.name+" "+escaped[:strings.Index(escaped[1:], "/")+1],
		"a @connections request through custom domain "+name+" has a path API Gateway would not serve ("+escaped+"): through a custom domain the callback URL is https://"+name+"/{mapping key} (keys: "+d.keys()+"), not https://"+name+"/{stage}")
}

// ownHost reports whether a host name (lower case, no port) addresses the runner itself, so
// that the first path segment names the API: an IP address, localhost, a single-label name,
// the address it listens on, the machine's name, and Docker's names for the host.
func (r *Runner) ownHost(host string) bool {
	if host == "" || host == "localhost" || !strings.Contains(host, ".") || net.ParseIP(host) != nil {
		return true
	}
	if strings.HasSuffix(host, ".internal") { // host.docker.internal, host.containers.internal
		return true
	}
	return r.ownNames[host]
}

// ownHostNames are the names ownHost accepts beyond the fixed ones.
func ownHostNames(listenHost string) map[string]bool {
	names := map[string]bool{}
	if h := hostname(listenHost); h != "" {
		names[h] = true
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		h = strings.ToLower(h)
		names[h] = true
		names[h+".local"] = true // its mDNS name
	}
	return names
}

// unknownHost answers a host name that is neither an API's execute-api host, nor a custom
// domain of the assembly, nor the runner's own: API Gateway answers 403 Forbidden for a name
// it has no domain for. The log line, once per name, says what would have worked.
func (r *Runner) unknownHost(w http.ResponseWriter, req *http.Request, host string) {
	known := "it has none"
	if r.domains != nil && len(r.domains.all) > 0 {
		var names []string
		for _, d := range r.domains.all {
			names = append(names, d.name)
		}
		known = "it has " + strings.Join(names, ", ")
	}
	r.warnOnce("host "+host, "request refused with 403: "+host+" is not a custom domain name of this assembly ("+known+"); reach an API as http://"+r.Addr()+"/{apiId}/{stage}, http://{apiId}"+hostSuffix+portSuffix(r.Addr())+"/{stage}, or through one of its domain names",
		"host", req.Host, "path", req.URL.Path)
	writeMessage(w, http.StatusForbidden, "Forbidden")
}

// maxWarnings bounds the distinct once-only warnings kept, so a client that sends a new host
// name with every request cannot grow the runner's memory.
const maxWarnings = 1024

// warnOnce logs a warning the first time its key comes up.
func (r *Runner) warnOnce(key, msg string, args ...any) {
	r.warnMu.Lock()
	if r.warned == nil {
		r.warned = map[string]bool{}
	}
	seen := r.warned[key]
	if !seen && len(r.warned) < maxWarnings {
		r.warned[key] = true
	}
	r.warnMu.Unlock()
	if !seen {
		r.log.Warn(msg, args...)
	}
}
