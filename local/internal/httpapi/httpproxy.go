package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// proxyHTTP runs an HTTP_PROXY integration ("Working with HTTP proxy integrations for HTTP
// APIs"): the request goes to the integration URI, with {variables} replaced by the route's
// path parameters and ${stageVariables.x} by the stage's variables; a $default route sends
// the full request path; the query string, headers and body follow; the backend's status,
// headers and body come back as they are.
func (c *call) proxyHTTP(ctx context.Context, in *model.Integration, params map[string]string, req *mappedRequest, body []byte) (*Response, error) {
	target, err := c.backendURL(in, params, req)
	if err != nil {
		return nil, err
	}
	method := in.Method
	if method == "" || method == "ANY" {
		method = c.r.Method
	}
	var rd io.Reader
	if len(body) > 0 {
		rd = bytes.NewReader(body)
	}
	out, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return nil, fmt.Errorf("building the request to %q: %w", target, err)
	}
	for name, vs := range req.header {
		ck := http.CanonicalHeaderKey(name)
		if hopByHop[ck] || ck == "Host" || ck == "Content-Length" {
			continue
		}
		out.Header[ck] = vs
	}
	out.Header.Set("Forwarded", fmt.Sprintf("by=%s;for=%s;host=%s;proto=%s",
		localPort(c.r), sourceIP(c.r), c.r.Host, req.header["x-forwarded-proto"][0]))
	if _, ok := out.Header["User-Agent"]; !ok {
		out.Header["User-Agent"] = nil // no Go default user agent when the client sent none
	}
	out.ContentLength = int64(len(body))
	res, err := c.s.client.Do(out)
	if err != nil {
		return nil, fmt.Errorf("calling %s %s: %w", method, target, err)
	}
	defer res.Body.Close()
	rb, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("reading the response of %s %s: %w", method, target, err)
	}
	h := res.Header.Clone()
	for k := range h {
		if hopByHop[k] {
			delete(h, k)
		}
	}
	return &Response{Status: res.StatusCode, Header: h, Body: rb}, nil
}

// backendURL resolves the integration URI for this request.
func (c *call) backendURL(in *model.Integration, params map[string]string, req *mappedRequest) (string, error) {
	raw := substituteStageVariables(in.URI, c.t.Stage.Variables)
	raw = substitutePathParams(raw, params)
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("integration %q: URI %q is not an absolute URL", in.LogicalID, raw)
	}
	switch {
	case req.path != "":
		// overwrite:path replaces the path entirely.
		u.Path, u.RawPath = "", ""
		if p, err := url.PathUnescape(req.path); err == nil {
			u.Path, u.RawPath = p, req.path
		} else {
			u.Path = req.path
		}
	case c.route != nil && c.route.Key == "$default":
		base := strings.TrimSuffix(u.EscapedPath(), "/")
		full := base + c.t.Path
		p, err := url.PathUnescape(full)
		if err != nil {
			p = full
		}
		u.Path, u.RawPath = p, full
	}
	if req.rawQuery != "" {
		if u.RawQuery != "" {
			u.RawQuery += "&" + req.rawQuery
		} else {
			u.RawQuery = req.rawQuery
		}
	}
	return u.String(), nil
}

// substituteStageVariables replaces ${stageVariables.name}; an unknown name becomes "".
func substituteStageVariables(s string, vars map[string]string) string {
	const open = "${stageVariables."
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return s
		}
		name := s[i+len(open) : i+j]
		s = s[:i] + vars[name] + s[i+j+1:]
	}
}

// substitutePathParams replaces {name} (and {name+}) with the path parameter, escaped for a
// path; a greedy value keeps its slashes.
func substitutePathParams(s string, params map[string]string) string {
	if len(params) == 0 || !strings.Contains(s, "{") {
		return s
	}
	for name, v := range params {
		esc := escapePathKeepSlash(v)
		s = strings.ReplaceAll(s, "{"+name+"+}", esc)
		s = strings.ReplaceAll(s, "{"+name+"}", esc)
	}
	return s
}

func escapePathKeepSlash(v string) string {
	parts := strings.Split(v, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}
