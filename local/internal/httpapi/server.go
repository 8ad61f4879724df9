package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/accesslog"
	"github.com/gatehouse-dev/gatehouse/local/internal/authorizer"
	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/throttle"
)

// Quotas from the guide's "HTTP API quotas" that the server enforces.
const (
	// maxIntegrationTimeout is the "Maximum integration timeout", also the default.
	maxIntegrationTimeout = 30 * time.Second
	// maxPayload is the "Payload size" quota for a request body.
	maxPayload = 10 << 20
	// maxRequestLineAndHeaders is the "Total combined size of request line and header values".
	maxRequestLineAndHeaders = 10240
)

// Options configure a Server.
type Options struct {
	// Account and Region are what events report as accountId and what ARNs use.
	Account, Region string
	// Logger receives a line for every request API Gateway would fail, saying why. nil: discard.
	Logger *slog.Logger
	// Client sends HTTP_PROXY integration requests. nil: a client that never follows redirects
	// (API Gateway relays them), never decompresses, and uses no proxy from the environment.
	Client *http.Client
	// Now is the clock for request times and throttling. nil: time.Now.
	Now func() time.Time
	// Authorizer decides routes with an authorization type other than NONE (an
	// *authorizer.Set for the API). nil: such routes are refused with 500, never served open.
	Authorizer Authorizer
	// AccessLog receives a line per request on a stage with an access log format
	// (AccessLogSettings.Format), rendered as API Gateway writes it. nil: no access log, and
	// no per-request cost for one.
	AccessLog AccessLogFunc
}

// Target is what the router resolved before calling Serve.
type Target struct {
	Stage *model.Stage
	// Path is what the route matcher sees: the request path (percent-encoded as sent) with the
	// stage prefix (and, later, an API mapping key) removed. It starts with "/".
	Path string
	// RawPath is the path API Gateway reports in events (2.0 rawPath and requestContext.http.path,
	// 1.0 path and requestContext.path) and in $context.path. For a named stage it includes the
	// stage: a request to /prod/items/1 reports "/prod/items/1", as AWS does for execute-api
	// URLs. Empty means the same as Path (the $default stage).
	RawPath string
	// DomainName and DomainPrefix are requestContext.domainName and domainPrefix.
	DomainName, DomainPrefix string
	// BasePathMatched is the API mapping key a request through a custom domain matched
	// ($context.customDomain.basePathMatched); empty otherwise.
	BasePathMatched string
}

// Server serves one HTTP API (API Gateway v2, protocol HTTP) on every stage the router hands it.
type Server struct {
	api       *model.API
	inv       lambdahost.Invoker
	account   string
	region    string
	log       *slog.Logger
	client    *http.Client
	now       func() time.Time
	routes    *routeTable
	cors      *cors
	throttles throttle.Set
	auth      Authorizer
	reqMaps   map[*model.Integration][]mapping
	respMaps  map[*model.Integration]map[int][]mapping
	// accessLog and accessFormats: each logging stage's compiled format, by stage name; nil
	// when no stage logs access.
	accessLog     AccessLogFunc
	accessFormats map[string]*accesslog.Format
}

// New precompiles the API's route table, parameter mappings and throttles. The error names
// the route or integration that API Gateway would have refused.
func New(api *model.API, inv lambdahost.Invoker, opts Options) (*Server, error) {
	if api == nil {
		return nil, errors.New("httpapi: no API")
	}
	s := &Server{
		api:       api,
		inv:       inv,
		account:   opts.Account,
		region:    opts.Region,
		log:       opts.Logger,
		client:    opts.Client,
		now:       opts.Now,
		cors:      newCORS(api.CORS),
		throttles: throttle.NewSet(api),
		auth:      opts.Authorizer,
		reqMaps:   map[*model.Integration][]mapping{},
		respMaps:  map[*model.Integration]map[int][]mapping{},
		accessLog: opts.AccessLog,
	}
	s.accessFormats = AccessFormats(api.Stages, opts.AccessLog)
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.client == nil {
		s.client = defaultClient()
	}
	if s.now == nil {
		s.now = time.Now
	}
	rt, err := newRouteTable(api.Routes)
	if err != nil {
		return nil, fmt.Errorf("api %q: %w", api.LogicalID, err)
	}
	s.routes = rt
	for _, r := range api.Routes {
		in := r.Integration
		if in == nil {
			continue
		}
		if _, done := s.reqMaps[in]; done {
			continue
		}
		ms, err := compileMappings(in.RequestParameters, false)
		if err != nil {
			return nil, fmt.Errorf("api %q: route %q: integration %q: %w", api.LogicalID, r.LogicalID, in.LogicalID, err)
		}
		s.reqMaps[in] = ms
		for code, params := range in.ResponseParameters {
			n, err := strconv.Atoi(code)
			if err != nil || n < 100 || n > 599 {
				return nil, fmt.Errorf("api %q: route %q: integration %q: response parameters for %q: not a status code", api.LogicalID, r.LogicalID, in.LogicalID, code)
			}
			ms, err := compileMappings(params, true)
			if err != nil {
				return nil, fmt.Errorf("api %q: route %q: integration %q: response parameters for %s: %w", api.LogicalID, r.LogicalID, in.LogicalID, code, err)
			}
			if s.respMaps[in] == nil {
				s.respMaps[in] = map[int][]mapping{}
			}
			s.respMaps[in][n] = ms
		}
	}
	return s, nil
}

func defaultClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConnsPerHost:   64,
			IdleConnTimeout:       90 * time.Second,
			ResponseHeaderTimeout: maxIntegrationTimeout,
			DisableCompression:    true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// call is one request on its way through the server.
type call struct {
	s     *Server
	w     http.ResponseWriter
	r     *http.Request
	t     Target
	id    string
	start time.Time
	route *model.Route
	// auth is what the route's authorizer decided: what the integration sees of it.
	auth  authorizer.Decision
	wrote bool
	// access records what the access log line reports; nil when the stage logs no access.
	access *AccessVars
}

// Serve answers one request for this API on t.Stage, as API Gateway would.
func (s *Server) Serve(w http.ResponseWriter, r *http.Request, t Target) {
	c := &call{s: s, w: w, r: r, t: t, id: newRequestID(), start: s.now()}
	if c.t.Stage == nil {
		c.t.Stage = &model.Stage{Name: model.DefaultStage}
	}
	if c.t.Path == "" {
		c.t.Path = "/"
	}
	if c.t.RawPath == "" {
		c.t.RawPath = c.t.Path
	}
	if f := s.accessFormats[c.t.Stage.Name]; f != nil {
		aw := NewAccessWriter(w)
		c.w = aw
		c.access = &AccessVars{Start: c.start, HasLength: true, BasePathMatched: t.BasePathMatched}
		// Deferred before recover, so it runs after: a panic's 500 is logged too.
		defer c.logAccess(f, aw)
	}
	defer c.recover()
	c.serve()
}

// logAccess renders the stage's access log line once the response is written.
func (c *call) logAccess(f *accesslog.Format, aw *AccessWriter) {
	a := c.access
	a.Status, a.ResponseLength, a.End = aw.Status(), aw.Length(), c.s.now()
	c.s.accessLog(c.t.Stage, f.Render(c.accessVar))
}

// accessVar answers a variable of an access log line: the access-log-only ones, then the
// request's other $context variables.
func (c *call) accessVar(name string) (string, bool) {
	if v, ok := c.access.Lookup(name); ok {
		return v, true
	}
	return c.contextVar(name), true
}

func (c *call) recover() {
	if v := recover(); v != nil {
		if v == http.ErrAbortHandler {
			panic(v)
		}
		c.s.log.Error("panic while serving a request", "requestId", c.id, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		if !c.wrote {
			c.gatewayError(errInternal)
		}
	}
}

func (c *call) serve() {
	s, r := c.s, c.r
	if requestLineAndHeaderSize(r) > maxRequestLineAndHeaders {
		c.fail(errHeadersTooLarge, "the request line and headers exceed the HTTP API quota of 10240 bytes")
		return
	}
	if s.cors != nil && isPreflight(r) {
		h := c.w.Header()
		h.Set("Apigw-Requestid", c.id)
		s.cors.preflight(h, r)
		c.wrote = true
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	route, params, ok := s.routes.match(r.Method, c.t.Path)
	if !ok {
		c.gatewayError(errNotFound)
		return
	}
	c.route = route
	if !s.throttles.Allow(c.t.Stage, route.Key, c.start) {
		c.fail(errTooManyRequests, "throttled by the stage's route settings", "route", route.Key)
		return
	}
	in := route.Integration
	if in == nil {
		c.fail(errInternal, "the route has no integration", "route", route.Key)
		return
	}
	if r.ContentLength > maxPayload {
		c.fail(errTooLarge, "the request body exceeds the HTTP API payload quota of 10 MB")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPayload+1))
	if err != nil {
		c.s.log.Info("reading the request body", "requestId", c.id, "error", err)
		c.gatewayError(gatewayError{http.StatusBadRequest, `{"message":"Bad Request"}`})
		return
	}
	if len(body) > maxPayload {
		c.fail(errTooLarge, "the request body exceeds the HTTP API payload quota of 10 MB")
		return
	}

	header := c.eventHeaders(len(body))
	if !c.authorize(route, params, header, body) {
		return
	}
	env := &mapEnv{
		header:     header,
		path:       c.t.Path,
		pathParams: params,
		body:       body,
		context:    c.contextVar,
		stageVars:  c.t.Stage.Variables,
	}
	req := mappedRequest{header: header, rawQuery: r.URL.RawQuery}
	if ms := s.reqMaps[in]; len(ms) > 0 {
		_, env.query = queryValues(r.URL.RawQuery)
		req.header = cloneHeader(header)
		applyRequest(ms, env, &req)
	}

	ctx, cancel := context.WithTimeout(r.Context(), integrationTimeout(in))
	defer cancel()
	var resp *Response
	var began time.Time
	if c.access != nil {
		began = s.now()
	}
	switch in.Type {
	case model.IntegrationAWSProxy:
		resp, err = c.invokeLambda(ctx, in, route, params, &req, body)
	case model.IntegrationHTTPProxy:
		resp, err = c.proxyHTTP(ctx, in, params, &req, body)
	default:
		err = fmt.Errorf("integration type %s is not supported by the local runner", in.Type)
	}
	if a := c.access; a != nil {
		a.IntegrationRan, a.IntegrationLatency = true, s.now().Sub(began)
		if err != nil {
			a.IntegrationError = err.Error()
		} else {
			a.BackendStatus = resp.Status
			if in.Type != model.IntegrationAWSProxy {
				a.IntegrationStatus = resp.Status
			}
		}
	}
	if err != nil {
		c.integrationFailed(ctx, err)
		return
	}
	if ms := s.respMaps[in][resp.Status]; len(ms) > 0 {
		env.respHeader, env.respBody = resp.Header, resp.Body
		applyResponse(ms, env, resp)
	}
	c.writeResponse(resp)
}

// integrationFailed turns an integration error into API Gateway's answer: 503 when the
// integration timeout ran out, 500 for everything else (function errors, throttled or missing
// functions, malformed responses, unreachable backends).
func (c *call) integrationFailed(ctx context.Context, err error) {
	route := ""
	if c.route != nil {
		route = c.route.Key
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		c.fail(errUnavailable, "the integration timed out", "route", route, "error", err)
		return
	}
	if c.r.Context().Err() != nil {
		// The client went away; nobody is left to answer.
		c.s.log.Info("client closed the connection", "requestId", c.id, "route", route)
		c.wrote = true
		return
	}
	c.fail(errInternal, "integration error", "route", route, "error", err)
}

func integrationTimeout(in *model.Integration) time.Duration {
	if in.Timeout > 0 && in.Timeout < maxIntegrationTimeout {
		return in.Timeout
	}
	return maxIntegrationTimeout
}

// requestLineAndHeaderSize measures what the quota counts: the request line and header values
// (names are counted too, which only errs towards the quota).
func requestLineAndHeaderSize(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 2 + len(r.Host)
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v)
		}
	}
	return n
}

// eventHeaders is the request's headers as API Gateway forwards them: lower-case names, Host
// included, Content-Length set, and the X-Forwarded-* and X-Amzn-Trace-Id headers it adds.
func (c *call) eventHeaders(bodyLen int) map[string][]string {
	r := c.r
	h := make(map[string][]string, len(r.Header)+6)
	for k, vs := range r.Header {
		h[lowerASCII(k)] = vs
	}
	if r.Host != "" {
		h["host"] = []string{r.Host}
	}
	h["content-length"] = []string{strconv.Itoa(bodyLen)}
	ip := sourceIP(r)
	if prev := h["x-forwarded-for"]; len(prev) > 0 {
		h["x-forwarded-for"] = []string{strings.Join(prev, ", ") + ", " + ip}
	} else {
		h["x-forwarded-for"] = []string{ip}
	}
	h["x-forwarded-port"] = []string{localPort(r)}
	if r.TLS != nil {
		h["x-forwarded-proto"] = []string{"https"}
	} else {
		h["x-forwarded-proto"] = []string{"http"}
	}
	if len(h["x-amzn-trace-id"]) == 0 {
		h["x-amzn-trace-id"] = []string{newTraceID(c.start)}
	}
	return h
}

func cloneHeader(h map[string][]string) map[string][]string {
	out := make(map[string][]string, len(h)+2)
	for k, v := range h {
		out[k] = v
	}
	return out
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func localPort(r *http.Request) string {
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if _, p, err := net.SplitHostPort(a.String()); err == nil {
			return p
		}
	}
	if _, p, err := net.SplitHostPort(r.Host); err == nil {
		return p
	}
	if r.TLS != nil {
		return "443"
	}
	return "80"
}

// requestContext is what the events and $context variables report about this request.
func (c *call) requestContext() RequestContext {
	return RequestContext{
		AccountID:    c.s.account,
		APIID:        c.s.api.ID,
		DomainName:   c.t.DomainName,
		DomainPrefix: c.t.DomainPrefix,
		Stage:        c.t.Stage.Name,
		RequestID:    c.id,
		Protocol:     "HTTP/1.1",
		SourceIP:     sourceIP(c.r),
		UserAgent:    c.r.Header.Get("User-Agent"),
		Time:         c.start,
	}
}

// contextVar answers $context.name in parameter mappings, for the variables the guide lists
// that a request without an authorizer has.
func (c *call) contextVar(name string) string {
	switch name {
	case "requestId", "extendedRequestId":
		return c.id
	case "apiId":
		return c.s.api.ID
	case "accountId":
		return c.s.account
	case "stage":
		return c.t.Stage.Name
	case "domainName":
		return c.t.DomainName
	case "domainPrefix":
		return c.t.DomainPrefix
	case "customDomain.basePathMatched":
		return c.t.BasePathMatched
	case "httpMethod":
		return c.r.Method
	case "path":
		return c.t.RawPath
	case "protocol":
		return "HTTP/1.1"
	case "requestTime":
		return c.start.Format(requestTimeLayout)
	case "requestTimeEpoch":
		return strconv.FormatInt(c.start.UnixMilli(), 10)
	case "routeKey":
		if c.route != nil {
			return c.route.Key
		}
	case "identity.sourceIp":
		return sourceIP(c.r)
	case "identity.userAgent":
		return c.r.Header.Get("User-Agent")
	default:
		// $context.authorizer.* and the IAM caller's $context.identity.*.
		if v, ok := c.auth.ContextVar(name); ok {
			return v
		}
	}
	return ""
}

// hopByHop headers belong to one connection and are never relayed.
var hopByHop = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Authenticate": true, "Proxy-Authorization": true,
	"Proxy-Connection": true, "Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
}

// writeResponse sends an integration's response after mapping, with CORS applied.
func (c *call) writeResponse(resp *Response) {
	h := c.w.Header()
	for k, vs := range resp.Header {
		ck := http.CanonicalHeaderKey(k)
		if hopByHop[ck] || ck == "Content-Length" {
			continue
		}
		h[ck] = append(h[ck], vs...)
	}
	if _, ok := h["Content-Type"]; !ok {
		// Without this net/http would guess a type; API Gateway sends none.
		h["Content-Type"] = nil
	}
	h.Set("Apigw-Requestid", c.id)
	if c.s.cors != nil {
		c.s.cors.decorate(h, c.r)
	}
	if bodyAllowed(resp.Status) {
		h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	}
	c.wrote = true
	c.w.WriteHeader(resp.Status)
	if bodyAllowed(resp.Status) && c.r.Method != http.MethodHead {
		_, _ = c.w.Write(resp.Body)
	}
}

func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// gatewayError answers with one of API Gateway's own responses.
func (c *call) gatewayError(e gatewayError) {
	if c.access != nil {
		c.access.ErrorMessage = e.message()
	}
	h := c.w.Header()
	for k := range h {
		delete(h, k)
	}
	h.Set("Content-Type", "application/json")
	h.Set("Apigw-Requestid", c.id)
	if c.s.cors != nil {
		c.s.cors.decorate(h, c.r)
	}
	h.Set("Content-Length", strconv.Itoa(len(e.body)))
	c.wrote = true
	c.w.WriteHeader(e.status)
	if c.r.Method != http.MethodHead {
		_, _ = io.WriteString(c.w, e.body)
	}
}

// fail logs why API Gateway would answer e, then answers it.
func (c *call) fail(e gatewayError, why string, args ...any) {
	c.s.log.Warn(why, append([]any{"api", c.s.api.LogicalID, "stage", c.t.Stage.Name, "requestId", c.id, "status", e.status}, args...)...)
	c.gatewayError(e)
}
