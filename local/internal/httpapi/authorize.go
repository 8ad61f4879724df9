package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/authorizer"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// Authorizer decides a route's authorization (JWT, Lambda authorizers, AWS_IAM).
// *authorizer.Set is one; tests use fakes.
type Authorizer interface {
	AuthorizeRoute(ctx context.Context, route *model.Route, r *authorizer.Request) authorizer.Decision
}

// needsAuthorization reports whether a route is protected at all.
func needsAuthorization(route *model.Route) bool {
	return route.AuthorizationType != "" && route.AuthorizationType != model.AuthorizationNone
}

// authorize runs the route's authorizer after route selection and before the integration, as
// API Gateway does (a CORS preflight never gets here: it is answered before route selection,
// authorizers bypassed). It answers the refusal itself and reports false when the request
// must go no further. A protected route with no authorizer to decide it is refused, never
// served open.
func (c *call) authorize(route *model.Route, params map[string]string, header map[string][]string, body []byte) bool {
	if !needsAuthorization(route) {
		return true
	}
	if c.s.auth == nil {
		c.fail(errInternal, "the route requires "+route.AuthorizationType+" authorization and the server has no authorizers", "route", route.Key)
		return false
	}
	resource := route.Path
	if route.Key == "$default" {
		resource = "$default"
	}
	var began time.Time
	if c.access != nil {
		began = c.s.now()
	}
	d := c.s.auth.AuthorizeRoute(c.r.Context(), route, &authorizer.Request{
		Protocol:       model.ProtocolHTTP,
		Method:         c.r.Method,
		Path:           c.t.RawPath,
		ARNPath:        c.t.Path,
		Resource:       resource,
		RouteKey:       route.Key,
		Stage:          c.t.Stage.Name,
		StageVariables: c.t.Stage.Variables,
		Header:         header,
		RawQuery:       c.r.URL.RawQuery,
		PathParameters: params,
		Context: authorizer.RequestContext{
			AccountID:    c.s.account,
			APIID:        c.s.api.ID,
			DomainName:   c.t.DomainName,
			DomainPrefix: c.t.DomainPrefix,
			RequestID:    c.id,
			Protocol:     "HTTP/1.1",
			SourceIP:     sourceIP(c.r),
			UserAgent:    c.r.Header.Get("User-Agent"),
			Time:         c.start,
		},
		ContextVar: c.contextVar,
		HTTP:       c.r,
		Body:       body,
	})
	if a := c.access; a != nil {
		a.Authorization, a.AuthLatency = &d, c.s.now().Sub(began)
	}
	if d.Refusal != nil {
		// The authorizer package logged why, naming the authorizer.
		c.writeRefusal(d.Refusal)
		return false
	}
	c.auth = d
	return true
}

// writeRefusal answers with an authorizer's refusal as an HTTP API does: {"message":
// "Unauthorized"} and the like, WWW-Authenticate for JWT failures, apigw-requestid, and the
// API's CORS headers so a browser can read the 401.
func (c *call) writeRefusal(ref *authorizer.Refusal) {
	if c.access != nil {
		c.access.ErrorMessage = gatewayError{body: string(ref.Body)}.message()
	}
	h := c.w.Header()
	for k := range h {
		delete(h, k)
	}
	for k, vs := range ref.Header {
		h[k] = vs
	}
	h.Set("Content-Type", "application/json")
	h.Set("Apigw-Requestid", c.id)
	if c.s.cors != nil {
		c.s.cors.decorate(h, c.r)
	}
	h.Set("Content-Length", strconv.Itoa(len(ref.Body)))
	c.wrote = true
	c.w.WriteHeader(ref.Status)
	if c.r.Method != http.MethodHead {
		_, _ = c.w.Write(ref.Body)
	}
}
