package restapi

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/mappingtemplate"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/selexpr"
)

// method is one model.Method with everything its requests need compiled.
type method struct {
	m     *model.Method
	res   *resource
	in    *model.Integration
	label string // "GET /items/{id}", for logs

	timeout time.Duration

	// Non-proxy integrations: request templates by lower-case content type, the passthrough
	// behaviour, and the integration responses in model order.
	reqTemplates    map[string]*template
	reqTemplateKeys []string
	passthrough     selexpr.Passthrough
	responses       []*integrationResponse
	// statuses are the method responses' status codes; nil when the method declares none.
	statuses map[string]bool

	// reqParams are the integration request parameters, for HTTP, HTTP_PROXY and AWS.
	reqParams []requestMapping
}

// template is a mapping template compiled once. A template that does not parse is kept with
// its error: API Gateway accepts it at deployment and fails the requests that select it.
type template struct {
	name string
	src  string
	t    *mappingtemplate.Template
	err  error
	// context is the $context variables the template reads, when it reads them only by name
	// ($context.stage): requests build just those. allContext: it uses $context as a whole
	// (prints it, calls its methods), and gets every variable.
	context    []string
	allContext bool
}

// integrationResponse is one of a non-proxy integration's responses.
type integrationResponse struct {
	ir     *model.IntegrationResponse
	status int
	// pattern is SelectionPattern anchored to the whole value; nil for the default response
	// (an empty pattern), and for a pattern Go cannot compile, which then never matches.
	pattern   *regexp.Regexp
	isDefault bool
	params    []responseMapping
	templates map[string]*template // by lower-case content type
	// templateKeys are the content types in sorted order: "the first existing template" is
	// the first of these.
	templateKeys []string
}

func (s *Server) compileMethod(r *resource, mm *model.Method) (*method, error) {
	m := &method{m: mm, res: r, in: mm.Integration, label: mm.HTTPMethod + " " + r.res.Path, timeout: maxIntegrationTimeout}
	if len(mm.MethodResponses) > 0 {
		m.statuses = map[string]bool{}
		for _, mr := range mm.MethodResponses {
			m.statuses[mr.StatusCode] = true
		}
	}
	in := mm.Integration
	if in == nil {
		s.log.Warn("method has no integration: its requests answer 500", "api", s.api.LogicalID, "method", m.label)
		return m, nil
	}
	if in.Timeout > 0 && in.Timeout < maxIntegrationTimeout {
		m.timeout = in.Timeout
	}
	var err error
	if m.reqParams, err = compileRequestMappings(in.RequestParameters); err != nil {
		return nil, err
	}
	if in.Type == model.IntegrationAWSProxy || in.Type == model.IntegrationHTTPProxy {
		return m, nil
	}
	if m.passthrough, err = selexpr.ParsePassthrough(in.PassthroughBehavior); err != nil {
		return nil, err
	}
	if err := checkContentHandling(in.ContentHandlingStrategy); err != nil {
		return nil, fmt.Errorf("integration: %w", err)
	}
	m.reqTemplates, m.reqTemplateKeys = s.compileTemplates(m.label+" integration request", in.RequestTemplates)
	for i, ir := range in.IntegrationResponses {
		cr, err := s.compileIntegrationResponse(m, ir)
		if err != nil {
			return nil, fmt.Errorf("integration response %d (status %s): %w", i, ir.StatusCode, err)
		}
		m.responses = append(m.responses, cr)
	}
	if len(m.responses) == 0 {
		s.log.Warn("non-proxy integration without integration responses: every request answers 500, as in API Gateway", "api", s.api.LogicalID, "method", m.label)
	}
	return m, nil
}

func (s *Server) compileIntegrationResponse(m *method, ir *model.IntegrationResponse) (*integrationResponse, error) {
	code, err := strconv.Atoi(ir.StatusCode)
	if err != nil || code < 100 || code > 599 {
		return nil, fmt.Errorf("status code %q is not 100 to 599", ir.StatusCode)
	}
	if err := checkContentHandling(ir.ContentHandlingStrategy); err != nil {
		return nil, err
	}
	cr := &integrationResponse{ir: ir, status: code}
	if ir.SelectionPattern == "" {
		cr.isDefault = true
	} else if re, err := regexp.Compile(`^(?:` + ir.SelectionPattern + `)$`); err != nil {
		// API Gateway takes Java patterns; look-arounds and back-references have no RE2 form.
		s.log.Warn("selection pattern cannot be run by the runner (a Java-only construct?): this integration response never matches",
			"api", s.api.LogicalID, "method", m.label, "status", ir.StatusCode, "pattern", ir.SelectionPattern, "error", err)
	} else {
		cr.pattern = re
	}
	if cr.params, err = compileResponseMappings(ir.ResponseParameters); err != nil {
		return nil, err
	}
	cr.templates, cr.templateKeys = s.compileTemplates(fmt.Sprintf("%s integration response %s", m.label, ir.StatusCode), ir.ResponseTemplates)
	return cr, nil
}

// compileTemplates compiles mapping templates keyed by content type. Content types are
// compared by media type in lower case, as API Gateway uses "only the MIME type".
func (s *Server) compileTemplates(what string, src map[string]string) (map[string]*template, []string) {
	if len(src) == 0 {
		return nil, nil
	}
	out := make(map[string]*template, len(src))
	var keys []string
	for _, ct := range slices.Sorted(maps.Keys(src)) {
		key := mediaType(ct)
		name := what + " " + ct
		t := &template{name: name, src: src[ct]}
		t.t, t.err = mappingtemplate.Compile(name, src[ct])
		if t.t != nil {
			names, only := t.t.ContextProperties()
			t.context, t.allContext = names, !only
		}
		if t.err != nil {
			s.log.Warn("mapping template does not parse: requests that select it answer 500", "api", s.api.LogicalID, "template", name, "error", t.err)
		}
		if _, dup := out[key]; !dup {
			keys = append(keys, key)
		}
		out[key] = t
	}
	return out, keys
}

func checkContentHandling(s string) error {
	switch s {
	case "", convertToBinary, convertToText:
		return nil
	}
	return fmt.Errorf("contentHandling %q is not CONVERT_TO_BINARY or CONVERT_TO_TEXT", s)
}

// stageThrottles builds each stage's method throttling from its MethodSettings (keyed
// "/items/GET", "/items/*", "/*/*"): a bucket per method, the most specific setting winning.
func stageThrottles(api *model.API, resources []*resource) map[*model.Stage]map[*method]*limiter {
	out := map[*model.Stage]map[*method]*limiter{}
	for _, st := range api.Stages {
		if len(st.MethodThrottle) == 0 {
			continue
		}
		m := map[*method]*limiter{}
		for _, r := range resources {
			for verb, meth := range r.methods {
				for _, k := range []string{r.res.Path + "/" + verb, r.res.Path + "/*", "/*/*"} {
					if th := st.MethodThrottle[k]; th != nil {
						m[meth] = newLimiter(th)
						break
					}
				}
			}
		}
		out[st] = m
	}
	return out
}

// selectResponse picks the integration response for value (a Lambda error's message, "" for
// a successful invocation, or an HTTP or MOCK status code): the first whose selection pattern
// matches the whole value, else the default one. The guide ("Handle Lambda errors"): "If there
// is no match, API Gateway returns the error as a default response or throws an invalid
// configuration exception if no default response is configured."
func (m *method) selectResponse(value string) *integrationResponse {
	var def *integrationResponse
	for _, r := range m.responses {
		switch {
		case r.isDefault:
			if def == nil {
				def = r
			}
		case r.pattern != nil && r.pattern.MatchString(value):
			return r
		}
	}
	return def
}

// requestTemplate picks the request template for a media type, and what to do without one.
func (m *method) requestTemplate(media string) (*template, selexpr.TemplateDecision) {
	key, decision := selexpr.SelectTemplate(media, true, m.reqTemplateKeys, m.passthrough)
	if decision != selexpr.UseTemplate {
		return nil, decision
	}
	return m.reqTemplates[key], decision
}

// responseTemplate picks a response template by the request's Accept media type, as the
// guide's "Select a VTL mapping template" says: that type's, else application/json's, else
// the first template. nil when the response has no templates.
func (r *integrationResponse) responseTemplate(accept string) (string, *template) {
	if len(r.templateKeys) == 0 {
		return "", nil
	}
	if t := r.templates[accept]; t != nil {
		return accept, t
	}
	if t := r.templates["application/json"]; t != nil {
		return "application/json", t
	}
	return r.templateKeys[0], r.templates[r.templateKeys[0]]
}

// render runs the template for a request over payload.
func (t *template) render(c *call, payload []byte) (*mappingtemplate.Result, error) {
	return t.t.Render(c.templateVars(payload, t))
}

// empty reports a template with nothing but white space: for a response, the guide's way to
// pass the payload through unmapped ("you must set up an empty template for application/json").
func (t *template) empty() bool { return strings.TrimSpace(t.src) == "" }
