package local

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
)

// loopbackTransport is the HTTP client transport of HTTP proxy integrations. A URL that names an
// API of the assembly (its ApiEndpoint, https://{id}.execute-api.{region}.amazonaws.com, the
// local form {id}.execute-api.localhost, or one of its custom domain names) is served in-process, so an integration that calls
// another API, or its own, behaves as in AWS without leaving the machine. Any other AWS host is
// refused: nothing the runner does may reach AWS.
type loopbackTransport struct {
	runner *Runner
	next   http.RoundTripper
}

func (t *loopbackTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := hostname(req.URL.Host)
	if id, ok := apiIDFromHost(host); ok {
		if _, known := t.runner.apis[id]; known {
			return t.serveLocal(req)
		}
	}
	if d, _ := t.runner.domains.lookup(host); d != nil {
		// A custom domain of the assembly: in AWS its DNS leads back to API Gateway.
		return t.serveLocal(req)
	}
	if host == "amazonaws.com" || strings.HasSuffix(host, ".amazonaws.com") || host == "169.254.169.254" {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("gatehouse does not contact AWS: %s is not an API of this assembly", req.URL.Host)
	}
	return t.next.RoundTrip(req)
}

func (t *loopbackTransport) serveLocal(req *http.Request) (*http.Response, error) {
	in := req.Clone(req.Context())
	in.Host = req.URL.Host
	in.RequestURI = req.URL.RequestURI()
	if in.Body == nil {
		in.Body = http.NoBody
	}
	if in.RemoteAddr == "" {
		in.RemoteAddr = "127.0.0.1:0"
	}
	rec := httptest.NewRecorder()
	t.runner.ServeHTTP(rec, in)
	resp := rec.Result()
	resp.Request = req
	if resp.Body == nil {
		resp.Body = io.NopCloser(strings.NewReader(""))
	}
	return resp, nil
}
