package wsapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/datamap"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/placeholder"
	"github.com/gatehouse-dev/gatehouse/local/internal/selexpr"
)

// mapped applies a route's integration request parameters ("Setting up data mapping for
// WebSocket APIs") to one event: headers, query string and path parameters for the backend.
func (c *conn) mapped(route *model.Route, ev *Event, msg *selexpr.Body) (datamap.Result, error) {
	m := c.s.mappings[route]
	if m == nil {
		return datamap.Result{Header: http.Header{}, Query: url.Values{}, Path: map[string]string{}}, nil
	}
	src := datamap.Source{Body: msg, Context: c.contextVars(ev), StageVariables: c.stage.Variables}
	if ev.RequestContext.EventType == eventConnect {
		// route.request.header and querystring exist only for $connect.
		src.Header, src.Query = c.header, c.query
	}
	return m.Apply(src)
}

// mappedRequest builds an HTTP integration's request: its URI with stage variables and mapped
// path parameters filled in, the mapped query string and headers, and payload as the body.
func (c *conn) mappedRequest(ctx context.Context, method string, route *model.Route, ev *Event, msg *selexpr.Body, payload []byte) (*http.Request, error) {
	in := route.Integration
	res, err := c.mapped(route, ev, msg)
	if err != nil {
		return nil, fmt.Errorf("integration %q: data mapping: %w", in.LogicalID, err)
	}
	uri := placeholder.Fill(in.URI, func(name string) (string, bool) {
		if v, ok := strings.CutPrefix(name, "stageVariables."); ok {
			return c.stage.Variables[v], true
		}
		if v, ok := res.Path[name]; ok {
			return url.PathEscape(v), true
		}
		return "", false
	})
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("integration %q: IntegrationUri %q is not an http(s) URL", in.LogicalID, uri)
	}
	if len(res.Query) > 0 {
		q := u.Query()
		for k, vs := range res.Query {
			q[k] = append(q[k], vs...)
		}
		u.RawQuery = q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("integration %q: building the request to %q: %w", in.LogicalID, uri, err)
	}
	for k, vs := range res.Header {
		req.Header[k] = vs
	}
	if req.Header.Get("Content-Type") == "" && len(payload) > 0 {
		// What the backend gets is the message or a template's output, JSON in practice.
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}
