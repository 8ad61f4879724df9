package restapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/placeholder"
)

// httpProxy runs an HTTP_PROXY integration: the client's method (unless the integration names
// one), headers, query string and body go to the integration URI, with path variables filled
// from the integration's path parameters (or, when it maps none, the method's own); the
// backend's status, headers and body come back as they are, but for the headers the guide's
// table drops or remaps.
func (c *call) httpProxy(ctx context.Context) (*response, *integrationError) {
	mr := c.mapRequest(nil)
	method := c.integrationMethod()
	u, ierr := c.integrationURL(mr, true)
	if ierr != nil {
		return nil, ierr
	}
	q := c.r.URL.RawQuery
	if len(mr.query) > 0 {
		extra := mr.query.Encode()
		if q != "" {
			q += "&" + extra
		} else {
			q = extra
		}
	}
	if u.RawQuery != "" && q != "" {
		u.RawQuery += "&" + q
	} else if q != "" {
		u.RawQuery = q
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(c.body))
	if err != nil {
		return nil, &integrationError{errConfiguration, fmt.Errorf("building the request to %s: %w", u.Redacted(), err)}
	}
	req.Header = c.forwardedHeaders(httpProxyDropped)
	for k, vs := range mr.header {
		req.Header[k] = vs
	}
	status, header, body, ierr := c.do(req)
	if ierr != nil {
		return nil, ierr
	}
	return &response{status: status, header: clientHeaders(header, false), body: body}, nil
}

// httpCustom calls an HTTP (non-proxy) integration: the integration's method and URI, only
// the mapped headers and query string parameters, and the integration request body.
func (c *call) httpCustom(ctx context.Context, payload []byte, mr *mappedRequest) (*backendResult, *integrationError) {
	method := c.integrationMethod()
	u, ierr := c.integrationURL(mr, false)
	if ierr != nil {
		return nil, ierr
	}
	if len(mr.query) > 0 {
		q := u.Query()
		for k, vs := range mr.query {
			q[k] = append(q[k], vs...)
		}
		u.RawQuery = q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(payload))
	if err != nil {
		return nil, &integrationError{errConfiguration, fmt.Errorf("building the request to %s: %w", u.Redacted(), err)}
	}
	for k, vs := range mr.header {
		if !httpDropped[k] {
			req.Header[k] = vs
		}
	}
	if req.Header.Get("Content-Type") == "" && len(payload) > 0 {
		req.Header.Set("Content-Type", mr.contentType)
	}
	status, header, body, ierr := c.do(req)
	if ierr != nil {
		return nil, ierr
	}
	binary := !c.s.binary.empty() && c.s.binary.matches(mediaType(header.Get("Content-Type")))
	return &backendResult{value: strconv.Itoa(status), header: header, body: body, binary: binary}, nil
}

// integrationMethod is the integration's HTTP method; an integration without one, or with
// ANY, sends the client's.
func (c *call) integrationMethod() string {
	if m := c.m.in.Method; m != "" && m != "ANY" {
		return m
	}
	return c.r.Method
}

// integrationURL is the integration URI with its {name} placeholders filled from the
// integration request's path parameters (and, for HTTP_PROXY, the method request's when the
// integration maps none of that name) and ${stageVariables.name} from the stage.
func (c *call) integrationURL(mr *mappedRequest, fallback bool) (*url.URL, *integrationError) {
	in := c.m.in
	missing := ""
	uri := placeholder.Fill(in.URI, func(name string) (string, bool) {
		if v, ok := strings.CutPrefix(name, "stageVariables."); ok {
			return c.t.Stage.Variables[v], true
		}
		name = strings.TrimSuffix(name, "+")
		v, ok := mr.path[name]
		if !ok && fallback {
			v, ok = c.params[name]
		}
		if !ok {
			if missing == "" {
				missing = name
			}
			return "", false
		}
		// A greedy parameter's value keeps its slashes: {proxy} of "a/b" is a/b.
		return escapeSegments(v), true
	})
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &integrationError{errConfiguration, fmt.Errorf("integration URI %q is not an http(s) URL", uri)}
	}
	if missing != "" {
		return nil, &integrationError{errConfiguration, fmt.Errorf("integration URI %q: no integration request path parameter %q fills {%s}", in.URI, missing, missing)}
	}
	return u, nil
}

// escapeSegments percent-encodes each segment of a path, keeping the slashes.
func escapeSegments(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// do sends an integration request and reads the response, up to the payload quota.
func (c *call) do(req *http.Request) (int, http.Header, []byte, *integrationError) {
	resp, err := c.s.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return 0, nil, nil, &integrationError{errIntegrationTimeout, err}
		}
		return 0, nil, nil, &integrationError{errConfiguration, fmt.Errorf("calling %s %s: %w", req.Method, req.URL.Redacted(), err)}
	}
	defer resp.Body.Close()
	if a := c.access; a != nil {
		a.IntegrationStatus, a.BackendStatus = resp.StatusCode, resp.StatusCode
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPayload+1))
	if err != nil {
		return 0, nil, nil, &integrationError{errConfiguration, fmt.Errorf("reading the response of %s %s: %w", req.Method, req.URL.Redacted(), err)}
	}
	if len(body) > maxPayload {
		return 0, nil, nil, &integrationError{errConfiguration, fmt.Errorf("the response of %s %s exceeds the 10 MB payload quota", req.Method, req.URL.Redacted())}
	}
	return resp.StatusCode, resp.Header, body, nil
}
