package restapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/accesslog"
	"github.com/gatehouse-dev/gatehouse/local/internal/gatewayresp"
	"github.com/gatehouse-dev/gatehouse/local/internal/httpapi"
	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/mappingtemplate"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/reqvalidate"
	"github.com/gatehouse-dev/gatehouse/local/internal/vtl"
)

// Quotas from the guide's "Amazon API Gateway quotas for configuring and running a REST API".
const (
	// maxIntegrationTimeout is the integration timeout, 50 ms to 29 seconds (also the default).
	maxIntegrationTimeout = 29 * time.Second
	// maxPayload is the "Payload size" quota, 10 MB.
	maxPayload = 10 << 20
	// maxHeaderValues is the "Total combined size of all header values" quota.
	maxHeaderValues = 10240
)

// Options configure a Server.
type Options struct {
	// Account and Region are what events and $context.accountId report.
	Account, Region string
	// Logger receives a line for every request API Gateway would fail, saying why. nil: discard.
	Logger *slog.Logger
	// Client sends HTTP and HTTP_PROXY integration requests. nil: a client that never follows
	// redirects (API Gateway relays them), never decompresses, and uses no proxy from the
	// environment.
	Client *http.Client
	// Now is the clock for request times, throttling and quotas. nil: time.Now.
	Now func() time.Time
	// APIKeys and UsagePlans are the assembly's (model.Model.APIKeys and UsagePlans): the keys
	// a method with apiKeyRequired accepts, and the throttling and quotas of their plans.
	APIKeys    []*model.APIKey
	UsagePlans []*model.UsagePlan
	// Usage holds the usage plans' counters. Give every server of an assembly the same one,
	// as a plan's limits apply across all its API stages. nil: counters of this server's own.
	Usage *Usage
	// Authorizers decide methods whose AuthorizationType is CUSTOM, COGNITO_USER_POOLS or
	// AWS_IAM: the API's *authorizer.Set. nil: such methods refuse every request (500
	// AUTHORIZER_CONFIGURATION_ERROR), never let one through.
	Authorizers Authorizer
	// AccessLog receives a line per request on a stage with an access log format
	// (AccessLogSetting.Format), rendered as API Gateway writes it. nil: no access log, and no
	// per-request cost for one.
	AccessLog httpapi.AccessLogFunc
}

// Target is what the router resolved before calling Serve.
type Target struct {
	// Stage is the stage the request is for; nil means the API's first stage.
	Stage *model.Stage
	// Path is the request path as sent (percent-encoded) without the stage: what resources
	// are matched against, and what a Lambda proxy event's path reports. It starts with "/".
	Path string
	// RawPath is the path with the stage, as sent: requestContext.path and $context.path
	// ("/prod/items/1"). Empty means "/{stage}" + Path.
	RawPath string
	// DomainName is requestContext.domainName; its first label is domainPrefix.
	DomainName string
	// EventPath is the path Lambda proxy and REQUEST authorizer events report; empty means
	// Path. Through a custom domain API Gateway reports the path as the client sent it, the
	// mapping key included, while resources are matched without it.
	EventPath string
	// LowerCaseHeaderNames: the request came through a custom domain with multi-level API
	// mappings, where API Gateway lower-cases header names before the integration sees them.
	LowerCaseHeaderNames bool
	// BasePathMatched is the API mapping key a request through a custom domain matched: the
	// access log's $context.customDomain.basePathMatched (access logs only, for REST APIs).
	BasePathMatched string
}

// Server serves one REST API (API Gateway v1) on every stage the router hands it.
type Server struct {
	api     *model.API
	inv     lambdahost.Invoker
	account string
	region  string
	log     *slog.Logger
	client  *http.Client
	now     func() time.Time

	resources *resourceTable
	binary    mediaTypes
	responses *gatewayresp.Set
	validate  *reqvalidate.Validators
	keys      *keyring
	auth      Authorizer
	// stageVars are each stage's variables as templates read them, built once.
	stageVars map[*model.Stage]*vtl.Map
	// stageThrottle holds each stage's method throttling (MethodSettings): a bucket per
	// stage and method.
	stageThrottle map[*model.Stage]map[*method]*limiter
	// accessLog and accessFormats: each logging stage's compiled format, by stage name; nil
	// when no stage logs access.
	accessLog     httpapi.AccessLogFunc
	accessFormats map[string]*accesslog.Format
}

// New compiles the API's resources, methods, mappings, templates, validators and gateway
// responses. It fails only on what API Gateway refuses to deploy (a malformed resource path, a
// mapping expression that is not one); what fails at run time in AWS (a template that does
// not parse, a selection pattern Go cannot run, a schema that does not compile) is logged here
// and answered, per request, as API Gateway answers it.
func New(api *model.API, inv lambdahost.Invoker, opts Options) (*Server, error) {
	if api == nil {
		return nil, errors.New("restapi: no API")
	}
	s := &Server{
		api:     api,
		inv:     inv,
		account: opts.Account,
		region:  opts.Region,
		log:     opts.Logger,
		client:  opts.Client,
		now:     opts.Now,
		binary:  newMediaTypes(api.BinaryMediaTypes),
		auth:    opts.Authorizers,

		accessLog:     opts.AccessLog,
		accessFormats: httpapi.AccessFormats(api.Stages, opts.AccessLog),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.client == nil {
		s.client = httpapi.DefaultClient()
	}
	if s.now == nil {
		s.now = time.Now
	}
	rt, all, err := newResourceTable(api.ID, api.Resources)
	if err != nil {
		return nil, fmt.Errorf("api %q: %w", api.LogicalID, err)
	}
	s.resources = rt
	for _, r := range all {
		for _, mm := range r.res.Methods {
			if mm == nil {
				continue
			}
			if r.methods[mm.HTTPMethod] != nil {
				return nil, fmt.Errorf("api %q: resource %q has two %s methods", api.LogicalID, r.res.Path, mm.HTTPMethod)
			}
			m, err := s.compileMethod(r, mm)
			if err != nil {
				return nil, fmt.Errorf("api %q: method %s %s: %w", api.LogicalID, mm.HTTPMethod, r.res.Path, err)
			}
			r.methods[mm.HTTPMethod] = m
		}
	}
	s.stageThrottle = stageThrottles(api, all)
	s.stageVars = make(map[*model.Stage]*vtl.Map, len(api.Stages))
	for _, st := range api.Stages {
		m := vtl.NewMapSize(len(st.Variables))
		for _, k := range slices.Sorted(maps.Keys(st.Variables)) {
			m.Put(k, st.Variables[k])
		}
		s.stageVars[st] = m
	}

	// A gateway response or model that does not compile leaves the rest usable: the error
	// names what is wrong, and those responses and methods answer as API Gateway would.
	s.responses, err = gatewayresp.New(api.GatewayResponses)
	if err != nil {
		s.log.Warn("gateway responses that cannot be applied: their types answer as if not customised", "api", api.LogicalID, "error", err)
	}
	s.validate, err = reqvalidate.Compile(api)
	if err != nil {
		s.log.Warn("request models or validators that cannot be used: their methods answer 500", "api", api.LogicalID, "error", err)
	}
	if s.validate != nil {
		for _, w := range s.validate.Warnings {
			s.log.Warn(w, "api", api.LogicalID)
		}
	}
	s.keys = newKeyring(api, opts.APIKeys, opts.UsagePlans, opts.Usage)
	if api.APIKeySource == "AUTHORIZER" {
		s.log.Warn("the API takes API keys from a Lambda authorizer (apiKeySource AUTHORIZER), which the runner does not run yet: methods that require an API key answer 403", "api", api.LogicalID)
	}
	return s, nil
}

// call is one request on its way through the server.
type call struct {
	s     *Server
	w     http.ResponseWriter
	r     *http.Request
	t     Target
	id    string // $context.requestId, x-amzn-RequestId: a UUID, as REST APIs make them
	extID string // $context.extendedRequestId, x-amz-apigw-id
	start time.Time

	res    *resource
	m      *method
	params map[string]string // path parameters, decoded
	key    *model.APIKey     // the API key the request used, when the method requires one
	grant  *grant            // what the method's authorizer decided; nil for NONE
	body   []byte
	// bodyRead is set once body holds the request body (read early for AWS_IAM methods,
	// whose signature covers it).
	bodyRead bool
	query    url.Values // the query string, decoded, values in arrival order
	wrote    bool

	// Built on first use: $context by dotted name, and as nested maps with $input.params()
	// for templates.
	vars        map[string]string
	tmplContext *vtl.Map
	tmplParams  mappingtemplate.Params

	// access records what the access log line reports; nil when the stage logs no access.
	access *httpapi.AccessVars
}

// Serve answers one request for this API on t.Stage, as API Gateway would.
func (s *Server) Serve(w http.ResponseWriter, r *http.Request, t Target) {
	c := &call{s: s, w: w, r: r, t: t, id: newUUID(), extID: httpapi.NewRequestID(), start: s.now()}
	if c.t.Stage == nil {
		// The router always names one; a caller that does not gets the API's first stage.
		if len(s.api.Stages) > 0 {
			c.t.Stage = s.api.Stages[0]
		} else {
			c.t.Stage = &model.Stage{Name: "prod"}
		}
	}
	if c.t.Path == "" {
		c.t.Path = "/"
	}
	if c.t.RawPath == "" {
		c.t.RawPath = "/" + url.PathEscape(c.t.Stage.Name) + c.t.Path
	}
	if c.t.EventPath == "" {
		c.t.EventPath = c.t.Path
	}
	if f := s.accessFormats[c.t.Stage.Name]; f != nil {
		aw := httpapi.NewAccessWriter(w)
		c.w = aw
		c.access = &httpapi.AccessVars{Start: c.start, HasLength: true, BasePathMatched: t.BasePathMatched}
		// Deferred before recover, so it runs after: a panic's 500 is logged too.
		defer c.logAccess(f, aw)
	}
	defer c.recover()
	c.serve()
}

// logAccess renders the stage's access log line once the response is written.
func (c *call) logAccess(f *accesslog.Format, aw *httpapi.AccessWriter) {
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
	return c.contextVar(name)
}

func (c *call) recover() {
	if v := recover(); v != nil {
		if v == http.ErrAbortHandler {
			panic(v)
		}
		c.s.log.Error("panic while serving a request", "api", c.s.api.LogicalID, "requestId", c.id, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		if !c.wrote {
			c.gatewayError(errInternal)
		}
	}
}

func (c *call) serve() {
	s, r := c.s, c.r
	c.query = queryValues(r.URL.RawQuery)
	if headerValuesSize(r.Header) > maxHeaderValues {
		c.fail(errHeadersTooLarge, "the request's header values exceed the REST API quota of 10240 bytes")
		return
	}
	res, params, ok := s.resources.match(c.t.Path)
	if ok {
		c.res, c.params = res, params
		c.m = res.method(r.Method)
	}
	if c.m == nil {
		// No resource, or no method for this verb on it: API Gateway answers both alike.
		c.s.log.Info("no resource and method match the request: Missing Authentication Token", "api", s.api.LogicalID,
			"stage", c.t.Stage.Name, "requestId", c.id, "method", r.Method, "path", c.t.Path)
		c.gatewayError(errMissingToken)
		return
	}
	if !c.authorize() {
		return
	}
	if e, ok := c.checkAPIKey(); !ok {
		c.fail(e, "the method requires an API key and the request has no valid one")
		return
	}
	if b := s.stageThrottle[c.t.Stage][c.m]; b != nil && !b.allow(c.start) {
		c.fail(errThrottled, "throttled by the stage's method settings")
		return
	}
	if e, why, ok := c.checkUsagePlan(); !ok {
		c.fail(e, why)
		return
	}
	if !c.readBody() {
		return
	}
	body := c.body
	if s.validate != nil {
		if f := s.validate.Check(c.m.m, r, body, c.params); f != nil {
			c.fail(gatewayError{responseType: f.ResponseType, message: f.Message, validation: f.ValidationErrorString},
				"request validation failed", "detail", f.Error())
			return
		}
	}
	in := c.m.in
	if in == nil {
		c.fail(errConfiguration, "the method has no integration")
		return
	}
	ctx := r.Context()
	if in.Type != model.IntegrationMock {
		// A MOCK integration has no backend to wait for: no timer either.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.m.timeout)
		defer cancel()
	}
	var resp *response
	var gerr *integrationError
	var began time.Time
	if c.access != nil {
		began = s.now()
	}
	switch in.Type {
	case model.IntegrationAWSProxy:
		resp, gerr = c.lambdaProxy(ctx)
	case model.IntegrationHTTPProxy:
		resp, gerr = c.httpProxy(ctx)
	case model.IntegrationAWS, model.IntegrationHTTP, model.IntegrationMock:
		resp, gerr = c.nonProxy(ctx)
	default:
		gerr = &integrationError{errConfiguration, fmt.Errorf("integration type %q is not AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK", in.Type)}
	}
	if a := c.access; a != nil && in.Type != model.IntegrationMock {
		a.IntegrationRan, a.IntegrationLatency = true, s.now().Sub(began)
		if gerr != nil {
			a.IntegrationError = gerr.err.Error()
		} else if in.Type == model.IntegrationAWSProxy || in.Type == model.IntegrationHTTPProxy {
			a.BackendStatus = resp.status
		}
	}
	if gerr != nil {
		c.integrationFailed(ctx, gerr)
		return
	}
	c.writeResponse(resp)
}

// readBody reads the request body into c.body, once, within the payload quota; false when the
// request has been answered (too large) or the client is gone.
func (c *call) readBody() bool {
	if c.bodyRead {
		return true
	}
	r := c.r
	if r.Body == nil || r.Body == http.NoBody {
		// net/http's server gives a request without a body NoBody: nothing to read or allocate.
		c.body, c.bodyRead = []byte{}, true
		return true
	}
	if r.ContentLength > maxPayload {
		c.fail(errRequestTooLarge, "the request body exceeds the REST API payload quota of 10 MB")
		return false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPayload+1))
	if err != nil {
		c.s.log.Info("reading the request body", "requestId", c.id, "error", err)
		c.wrote = true
		return false
	}
	if len(body) > maxPayload {
		c.fail(errRequestTooLarge, "the request body exceeds the REST API payload quota of 10 MB")
		return false
	}
	c.body, c.bodyRead = body, true
	return true
}

func headerValuesSize(h http.Header) int {
	n := 0
	for _, vs := range h {
		for _, v := range vs {
			n += len(v)
		}
	}
	return n
}

// response is what goes back to the client after an integration: a Lambda proxy's answer,
// an HTTP backend's, or a non-proxy integration's after its integration response.
type response struct {
	status int
	header http.Header
	body   []byte
}

// integrationError is an integration that failed, and the gateway response it gets.
type integrationError struct {
	answer gatewayError
	err    error
}

// integrationFailed answers a failed integration: API Gateway's 504 when the integration
// timeout ran out, the error's own answer otherwise.
func (c *call) integrationFailed(ctx context.Context, e *integrationError) {
	if errors.Is(e.err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		c.fail(errIntegrationTimeout, "the integration timed out", "timeout", c.m.timeout, "error", e.err)
		return
	}
	if c.r.Context().Err() != nil {
		// The client went away; nobody is left to answer.
		c.s.log.Info("client closed the connection", "api", c.s.api.LogicalID, "requestId", c.id)
		c.wrote = true
		return
	}
	c.fail(e.answer, "integration error", "error", e.err)
}

// writeResponse sends an integration's response.
func (c *call) writeResponse(resp *response) {
	h := c.w.Header()
	for k, vs := range resp.header {
		if len(h[k]) == 0 {
			h[k] = vs // resp is this request's own: no copy
		} else {
			h[k] = append(h[k], vs...)
		}
	}
	if _, ok := h["Content-Type"]; !ok {
		// The guide's known limitations: "API Gateway includes a Content-Type header for all
		// integration responses. By default, the content type is application/json."
		h["Content-Type"] = []string{"application/json"}
	}
	c.requestIDHeaders(h)
	if bodyAllowed(resp.status) {
		h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	} else {
		h.Del("Content-Length")
	}
	c.wrote = true
	c.w.WriteHeader(resp.status)
	if bodyAllowed(resp.status) && c.r.Method != http.MethodHead {
		_, _ = c.w.Write(resp.body)
	}
}

func (c *call) requestIDHeaders(h http.Header) {
	ids := []string{c.id, c.extID} // one allocation for both; the keys are canonical already
	h["X-Amzn-Requestid"], h["X-Amz-Apigw-Id"] = ids[0:1:1], ids[1:2:2]
}

// bodyAllowed is HTTP's rule, which both kinds of API follow.
func bodyAllowed(status int) bool { return httpapi.BodyAllowed(status) }

// gatewayError answers with one of API Gateway's own responses, as the API's gateway
// responses shape it.
func (c *call) gatewayError(e gatewayError) {
	if a := c.access; a != nil {
		a.ErrorResponseType, a.ErrorMessage = e.responseType, e.message
		if t, ok := gatewayresp.Lookup(e.responseType); ok && e.message == "" {
			a.ErrorMessage = t.Message
		}
	}
	ctx := gatewayresp.Context{
		Message:               e.message,
		ValidationErrorString: e.validation,
		ErrorType:             e.errorType,
		Status:                e.status,
		Vars:                  c.contextVars(),
		StageVariables:        c.t.Stage.Variables,
		Header:                c.r.Header,
		Query:                 c.query,
		Path:                  c.params,
	}
	if e.body != "" {
		ctx.DefaultBody = []byte(e.body)
	}
	res := c.s.responses.Render(e.responseType, ctx)
	h := c.w.Header()
	for k := range h {
		delete(h, k)
	}
	for k, vs := range res.Header {
		h[k] = vs
	}
	c.requestIDHeaders(h)
	h.Set("Content-Length", strconv.Itoa(len(res.Body)))
	c.wrote = true
	c.w.WriteHeader(res.Status)
	if c.r.Method != http.MethodHead {
		_, _ = c.w.Write(res.Body)
	}
}

// fail logs why API Gateway answers e, then answers it.
func (c *call) fail(e gatewayError, why string, args ...any) {
	attrs := []any{"api", c.s.api.LogicalID, "stage", c.t.Stage.Name, "requestId", c.id, "responseType", e.responseType}
	if c.m != nil {
		attrs = append(attrs, "method", c.m.label)
	}
	c.s.log.Warn(why, append(attrs, args...)...)
	c.gatewayError(e)
}
