package local

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/httpapi"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/restapi"
	"github.com/gatehouse-dev/gatehouse/local/internal/wsapi"
)

// ServeHTTP picks the API from the Host header ({apiId}.execute-api.localhost, as AWS picks it
// from {apiId}.execute-api.{region}.amazonaws.com), from a custom domain's API mappings when
// the Host names one of the assembly's domains (serveDomain), or, for plain clients on
// 127.0.0.1, from the first path segment; then the stage, as the guide's "Routing API
// requests" says: a path that starts with a stage's name goes to that stage, anything else to
// $default, and with no $default stage the answer is {"message":"Not Found"}. Any other host
// name is one API Gateway has no domain for: 403 {"message":"Forbidden"}.
func (r *Runner) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	escaped := req.URL.EscapedPath()
	host := hostname(req.Host)

	id, viaHost := apiIDFromHost(host)
	if !viaHost {
		if d, name := r.domains.lookup(host); d != nil {
			r.serveDomain(w, req, d, name, escaped)
			return
		}
		if !r.ownHost(host) {
			r.unknownHost(w, req, host)
			return
		}
		if escaped == "/" || escaped == "" {
			r.serveIndex(w)
			return
		}
		id, escaped = firstSegment(escaped)
	}
	e := r.apis[id]
	if e == nil {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	if e.api.DisableExecuteAPIEndpoint {
		// AWS answers the execute-api host of such an API with 403 Forbidden.
		writeMessage(w, http.StatusForbidden, "Forbidden")
		return
	}
	domainName := id + hostSuffix
	if viaHost {
		domainName = host
	}

	stage, path, rawPath := selectStage(e, escaped)
	if stage == nil {
		if e.api.Protocol == model.ProtocolREST {
			// A REST API has no $default stage; API Gateway answers a path that names none of
			// its stages with 403 Forbidden.
			writeMessage(w, http.StatusForbidden, "Forbidden")
			return
		}
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	switch e.api.Protocol {
	case model.ProtocolHTTP:
		e.http.Serve(w, req, httpapi.Target{
			Stage:        stage,
			Path:         path,
			RawPath:      rawPath,
			DomainName:   domainName,
			DomainPrefix: id,
		})
	case model.ProtocolWebSocket:
		e.ws.Serve(w, req, wsapi.Target{Stage: stage, Path: path, DomainName: domainName})
	case model.ProtocolREST:
		// REST resources are matched on the path as sent (an encoded slash stays inside its
		// segment), and events report it so; requestContext.path keeps the stage.
		restPath := rawPath
		if stage.Name != model.DefaultStage {
			_, restPath = firstSegment(rawPath)
		}
		e.rest.Serve(w, req, restapi.Target{Stage: stage, Path: restPath, RawPath: rawPath, DomainName: domainName})
	default:
		// The loader warns about these at start; a request still gets a clear answer.
		r.log.Warn("request for an API whose protocol is not served yet", "api", e.api.LogicalID, "protocol", e.api.Protocol)
		writeMessage(w, http.StatusNotImplemented, string(e.api.Protocol)+" APIs are not served by this version of gatehouse")
	}
}

// selectStage applies API Gateway's stage selection to an escaped path (the API's own path,
// after any API id prefix). It returns the stage, the decoded path the route matcher sees, and
// the escaped path API Gateway reports in events (which keeps the /{stage} prefix).
func selectStage(e *apiEntry, escaped string) (stage *model.Stage, path, rawPath string) {
	if escaped == "" {
		escaped = "/"
	}
	if seg, rest := firstSegment(escaped); seg != "" {
		name, err := url.PathUnescape(seg)
		if err == nil && name != model.DefaultStage {
			if s := e.stages[name]; s != nil {
				return s, unescapePath(rest), escaped
			}
		}
	}
	if s := e.stages[model.DefaultStage]; s != nil {
		return s, unescapePath(escaped), escaped
	}
	return nil, "", ""
}

// firstSegment splits "/a/b/c" into "a" and "/b/c"; "/a" gives "a" and "/".
func firstSegment(p string) (seg, rest string) {
	p = strings.TrimPrefix(p, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i], p[i:]
	}
	return p, "/"
}

func unescapePath(p string) string {
	if !strings.Contains(p, "%") {
		return p
	}
	if u, err := url.PathUnescape(p); err == nil {
		return u
	}
	return p
}

// apiIDFromHost recognises {id}.execute-api.localhost and the AWS form
// {id}.execute-api.{region}.amazonaws.com (which HTTP proxy integrations that call another API of
// the assembly use, and which never leaves the machine).
func apiIDFromHost(host string) (string, bool) {
	if id, ok := strings.CutSuffix(host, hostSuffix); ok && id != "" && !strings.Contains(id, ".") {
		return id, true
	}
	if i := strings.Index(host, ".execute-api."); i > 0 && strings.HasSuffix(host, ".amazonaws.com") {
		return host[:i], true
	}
	return "", false
}

// servesHost reports whether a handler's request to host (no port) is for this runner: every
// {id}.execute-api.localhost (the router answers unknown ids itself), the AWS form of an
// API id the assembly has, and the assembly's custom domain names (a handler's @connections
// callback through a domain).
func (r *Runner) servesHost(host string) bool {
	if strings.HasSuffix(host, hostSuffix) {
		return true
	}
	if d, _ := r.domains.lookup(host); d != nil {
		return true
	}
	id, ok := apiIDFromHost(host)
	return ok && r.apis[id] != nil
}

// hostname is the Host header without its port, lower-cased.
func hostname(h string) string {
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	return strings.ToLower(strings.TrimSuffix(strings.Trim(h, "[]"), "."))
}

// writeMessage answers as API Gateway answers its own errors: a JSON body {"message": "..."}.
func writeMessage(w http.ResponseWriter, status int, msg string) {
	body, _ := json.Marshal(map[string]string{"message": msg})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Apigw-Requestid", httpapi.NewRequestID())
	w.WriteHeader(status)
	w.Write(body)
}

// serveIndex answers GET / on the runner's own address with the list of APIs and their URLs, so
// a person who opens the printed address in a browser finds their way.
func (r *Runner) serveIndex(w http.ResponseWriter) {
	body, _ := json.MarshalIndent(map[string]any{"apis": r.APIs(), "domains": r.Domains(), "warnings": r.Warnings()}, "", "  ")
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}
