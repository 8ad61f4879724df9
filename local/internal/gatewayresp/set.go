package gatewayresp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// defaultTemplate is the body of every gateway response that is not customized.
const defaultTemplate = `{"message":$context.error.messageString}`

const jsonType = "application/json"

// Context is what one error's response is rendered from.
type Context struct {
	// Message is $context.error.message; empty means the type's usual Message.
	Message string
	// ValidationErrorString is $context.error.validationErrorString.
	ValidationErrorString string
	// ErrorType is the x-amzn-ErrorType header; empty means the type's.
	ErrorType string
	// Status is what the runner would answer were nothing customized, when that differs from
	// the type's default (a 502 under DEFAULT_5XX, say); 0 means the type's default. A status
	// set on the gateway response, or on the DEFAULT_4XX or DEFAULT_5XX it falls back to, wins.
	Status int
	// DefaultBody is the body when no template is customized, for answers API Gateway words
	// differently from {"message":...} (IAM's {"Message":...}); nil means that default.
	DefaultBody []byte

	// Vars are the other $context variables, by name without "context.": "requestId",
	// "stage", "resourcePath", "identity.sourceIp", "authorizer.principalId". Render sets
	// error.message, error.messageString, error.responseType and error.validationErrorString.
	Vars map[string]string
	// StageVariables are the stage's variables, for $stageVariables.name and
	// stageVariables.name.
	StageVariables map[string]string
	// Header, Query and Path are the method request's parameters, for method.request.*
	// mappings; Header's Accept also picks the template.
	Header http.Header
	Query  url.Values
	Path   map[string]string
}

// Response is a rendered gateway response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Set is an API's gateway responses, ready to render. It is read-only once made, so one value
// serves concurrent requests.
type Set struct {
	byType map[string]*custom
}

// custom is one AWS::ApiGateway::GatewayResponse, compiled.
type custom struct {
	status    int // 0 when not set
	headers   []headerMapping
	templates map[string]*template // by content type, lowercase
	types     []string             // the templates' content types, sorted
}

// New compiles an API's gateway responses. The error names each response that is wrong (an
// unknown type, a second response for a type, a bad status or mapping); the returned Set is
// usable anyway, without those responses, so their types answer as if not customized.
func New(responses []*model.GatewayResponse) (*Set, error) {
	s := &Set{byType: map[string]*custom{}}
	var errs []error
	for _, r := range responses {
		c, err := compile(r)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("gateway response %s: %w", describe(r), err))
		case s.byType[r.ResponseType] != nil:
			errs = append(errs, fmt.Errorf("gateway response %s: a second response for %s (one per type)", describe(r), r.ResponseType))
		default:
			s.byType[r.ResponseType] = c
		}
	}
	return s, errors.Join(errs...)
}

func describe(r *model.GatewayResponse) string {
	if r.LogicalID != "" {
		return fmt.Sprintf("%s (%s)", r.ResponseType, r.LogicalID)
	}
	return r.ResponseType
}

func compile(r *model.GatewayResponse) (*custom, error) {
	if _, ok := byName[r.ResponseType]; !ok {
		return nil, fmt.Errorf("unknown response type %q", r.ResponseType)
	}
	c := &custom{templates: map[string]*template{}}
	if r.StatusCode != "" {
		// API Gateway's pattern for the property: [1-5]\d\d.
		n, err := strconv.Atoi(r.StatusCode)
		if err != nil || len(r.StatusCode) != 3 || n < 100 || n > 599 {
			return nil, fmt.Errorf("status code %q is not 100 to 599", r.StatusCode)
		}
		c.status = n
	}
	for _, key := range sortedKeys(r.ResponseParameters) {
		m, err := parseMapping(key, r.ResponseParameters[key])
		if err != nil {
			return nil, err
		}
		c.headers = append(c.headers, m)
	}
	for _, ct := range sortedKeys(r.ResponseTemplates) {
		lower := strings.ToLower(strings.TrimSpace(ct))
		if _, dup := c.templates[lower]; dup {
			return nil, fmt.Errorf("two response templates for %s", lower)
		}
		c.templates[lower] = parseTemplate(r.ResponseTemplates[ct])
		c.types = append(c.types, lower)
	}
	slices.Sort(c.types)
	return c, nil
}

// Render answers an error of the given response type. A type without a response of its own
// takes its DEFAULT_4XX or DEFAULT_5XX response's status, headers and templates; a response
// type the guide does not list is rendered as DEFAULT_5XX, or DEFAULT_4XX when ctx.Status is a
// 4XX.
func (s *Set) Render(responseType string, ctx Context) Response {
	t, ok := byName[responseType]
	if !ok {
		t = Type{Name: responseType, Fallback: Default5XX}
		if ctx.Status >= 400 && ctx.Status < 500 {
			t.Fallback = Default4XX
		}
	}
	own := s.byType[responseType]
	var fallback *custom
	if t.Fallback != "" {
		fallback = s.byType[t.Fallback]
	}

	status := t.Status
	if ctx.Status != 0 {
		status = ctx.Status
	}
	switch {
	case own != nil && own.status != 0:
		status = own.status
	case fallback != nil && fallback.status != 0:
		// The guide: changing DEFAULT_4XX's status "changes the status codes of all other 4XX
		// responses to the new value".
		status = fallback.status
	case status == 0 && responseType == Default4XX:
		status = http.StatusBadRequest
	case status == 0:
		status = http.StatusInternalServerError
	}
	apply := own
	if apply == nil {
		apply = fallback
	}

	message := ctx.Message
	if message == "" {
		message = t.Message
	}
	vars := make(map[string]string, len(ctx.Vars)+4)
	for k, v := range ctx.Vars {
		vars[k] = v
	}
	vars["error.message"] = message
	vars["error.messageString"] = quote(message)
	if message == "" && (t.Name == AuthorizerConfigurationError || t.Name == AuthorizerFailure) {
		// An authorizer that fails has no message: API Gateway answers {"message":null}.
		vars["error.messageString"] = "null"
	}
	vars["error.responseType"] = responseType
	vars["error.validationErrorString"] = ctx.ValidationErrorString

	res := Response{Status: status, Header: http.Header{}}
	contentType, tmpl := jsonType, (*template)(nil)
	if apply != nil {
		contentType, tmpl = apply.pick(ctx.Header.Get("Accept"))
	}
	switch {
	case tmpl != nil:
		res.Body = tmpl.render(vars, ctx.StageVariables)
	case ctx.DefaultBody != nil:
		res.Body = slices.Clone(ctx.DefaultBody)
	default:
		res.Body = defaultBody.render(vars, ctx.StageVariables)
	}
	res.Header.Set("Content-Type", contentType)
	errorType := ctx.ErrorType
	if errorType == "" {
		errorType = t.ErrorType
	}
	if errorType != "" {
		res.Header.Set("x-amzn-ErrorType", errorType)
	}
	if apply != nil {
		for _, m := range apply.headers {
			if v, ok := m.value(&ctx, vars); ok {
				res.Header.Set(m.header, v)
			}
		}
	}
	return res
}

var defaultBody = parseTemplate(defaultTemplate)

// pick chooses the template for the request's Accept header, as API Gateway chooses response
// templates: the first media type that has one, else application/json's, else the first
// template (by content type). Only the media type counts, in any case.
func (c *custom) pick(accept string) (string, *template) {
	if len(c.types) == 0 {
		return jsonType, nil
	}
	for _, r := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(r)
		if err != nil {
			continue
		}
		if t := c.templates[mt]; t != nil {
			return mt, t
		}
	}
	if t := c.templates[jsonType]; t != nil {
		return jsonType, t
	}
	return c.types[0], c.templates[c.types[0]]
}

// quote is $context.error.messageString: the message as a JSON string.
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // API Gateway does not escape <, > and & in its messages
	_ = enc.Encode(s)        // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
