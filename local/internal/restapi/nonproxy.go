package restapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/mappingtemplate"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/selexpr"
)

// backendResult is what a non-proxy integration's backend answered, before the integration
// response: the value integration responses are selected by, and the payload they map.
type backendResult struct {
	// value is what selection patterns are matched against: a Lambda error's errorMessage ("" for
	// a successful invocation), an HTTP or MOCK status code.
	value  string
	header http.Header
	body   []byte
	binary bool // the body is binary data (an HTTP backend's Content-Type is a binary media type)
}

// mappedRequest is an integration request's parameters after request parameter mapping and
// $context.requestOverride.
type mappedRequest struct {
	header http.Header
	query  url.Values
	path   map[string]string
	// contentType is the media type the integration request's body has: the request
	// template's content type, or the method request's for a body passed through.
	contentType string
}

// nonProxy runs an AWS (Lambda custom), HTTP or MOCK integration: the request template and
// parameter mappings shape what the backend gets, and the integration response selected by
// the backend's answer shapes what the client gets.
func (c *call) nonProxy(ctx context.Context) (*response, *integrationError) {
	payload, mr, ierr := c.integrationRequest()
	if ierr != nil {
		return nil, ierr
	}
	var out *backendResult
	switch c.m.in.Type {
	case model.IntegrationMock:
		out, ierr = mockResult(payload)
	case model.IntegrationAWS:
		out, ierr = c.lambdaCustom(ctx, payload, mr)
	default:
		out, ierr = c.httpCustom(ctx, payload, mr)
	}
	if ierr != nil {
		return nil, ierr
	}
	return c.integrationResponse(out)
}

// integrationRequest builds the integration request's body and parameters. The body follows
// the guide's "Content type conversions" table and "Integration passthrough behaviors": a
// binary body is converted to text first when contentHandling is CONVERT_TO_TEXT; a text body
// goes through the request template its Content-Type selects (application/json when it has
// none), or passes through as the passthrough behaviour allows, else 415; CONVERT_TO_BINARY
// then decodes the text as base64. A binary body that stays binary passes through untouched.
func (c *call) integrationRequest() ([]byte, *mappedRequest, *integrationError) {
	in := c.m.in
	payload := c.body
	media := c.requestMediaType()
	binary := c.requestIsBinary()
	if binary && in.ContentHandlingStrategy == convertToText {
		payload, binary, _ = convert(payload, true, convertToText, false)
	}
	t, decision := c.m.requestTemplate(media)
	if decision == selexpr.Reject {
		return nil, nil, &integrationError{errUnsupportedMediaType, fmt.Errorf("no request template for Content-Type %q and passthrough behavior %s", media, c.m.passthrough)}
	}
	var over *mappingtemplate.RequestOverride
	if t != nil && !binary {
		if t.err != nil {
			return nil, nil, &integrationError{errConfiguration, fmt.Errorf("request template %s does not parse: %w", t.name, t.err)}
		}
		res, err := t.render(c, payload)
		if err != nil {
			var be *mappingtemplate.BodyError
			if errors.As(err, &be) {
				return nil, nil, &integrationError{errBadRequestBody.withMessage("Could not parse request body into json: " + be.Err.Error()),
					fmt.Errorf("request template %s: %w", t.name, err)}
			}
			return nil, nil, &integrationError{errConfiguration, fmt.Errorf("request template %s: %w", t.name, err)}
		}
		payload, over = []byte(res.Body), &res.RequestOverride
	}
	if in.ContentHandlingStrategy == convertToBinary && !binary {
		dec, err := decodeBase64(payload)
		if err != nil {
			return nil, nil, &integrationError{errConfiguration, fmt.Errorf("contentHandling CONVERT_TO_BINARY: %w", err)}
		}
		payload = dec
	}
	if in.Type == model.IntegrationMock {
		// A MOCK integration reads its status from the body and nothing else: no parameters
		// to map.
		return payload, nil, nil
	}
	mr := c.mapRequest(over)
	mr.contentType = media
	if t != nil && !binary {
		mr.contentType = c.m.reqTemplateKeyFor(t)
	}
	return payload, mr, nil
}

// reqTemplateKeyFor is the content type a request template is keyed by.
func (m *method) reqTemplateKeyFor(t *template) string {
	for k, v := range m.reqTemplates {
		if v == t {
			return k
		}
	}
	return "application/json"
}

// mapRequest applies the integration's request parameters, then the request template's
// overrides ("Overrides are final").
func (c *call) mapRequest(over *mappingtemplate.RequestOverride) *mappedRequest {
	mr := &mappedRequest{header: http.Header{}, query: url.Values{}, path: map[string]string{}}
	if len(c.m.reqParams) > 0 {
		data := &sourceData{pathParams: c.params, query: c.query, header: c.r.Header, body: c.body,
			stageVars: c.t.Stage.Variables, context: c.contextVar}
		for _, p := range c.m.reqParams {
			vals := data.values(p.src)
			if vals == nil {
				continue
			}
			switch p.dest {
			case destHeader:
				for _, v := range vals {
					if !badHeaderValue(v) {
						mr.header.Add(p.name, v)
					}
				}
			case destQuery:
				mr.query[p.name] = append(mr.query[p.name], vals...)
			case destPath:
				mr.path[p.name] = strings.Join(vals, ",")
			}
		}
	}
	if over != nil {
		for k, vs := range over.Header {
			mr.header.Del(k)
			for _, v := range vs {
				if !badHeaderValue(v) {
					mr.header.Add(k, v)
				}
			}
		}
		for k, vs := range over.Querystring {
			mr.query[k] = vs
		}
		for k, v := range over.Path {
			mr.path[k] = v
		}
	}
	return mr
}

// mockResult is a MOCK integration's answer: the status code its request names (the guide's
// "Set up mock integrations": {"statusCode": 200}), and no body. Without a request body
// (no template, nothing sent) the default integration response answers, as the guide allows
// ("return the default integration response without defining the integration request mapping
// template").
func mockResult(payload []byte) (*backendResult, *integrationError) {
	if len(bytes.TrimSpace(payload)) == 0 {
		return &backendResult{value: "", header: http.Header{}}, nil
	}
	if code, ok := plainStatusCode(payload); ok {
		return &backendResult{value: code}, nil // no headers: a nil Header reads as empty
	}
	var req struct {
		StatusCode json.RawMessage `json:"statusCode"`
	}
	var code int
	var err error
	if json.Unmarshal(payload, &req) == nil && !isNull(req.StatusCode) {
		if code, err = statusCode(req.StatusCode); err != nil {
			return nil, &integrationError{errConfiguration, fmt.Errorf("MOCK integration: %w", err)}
		}
	} else if m := lenientStatusCode.FindSubmatch(payload); m != nil {
		// API Gateway reads the request leniently: the CDK's CORS preflight methods send
		// "{ statusCode: 200 }", an unquoted key.
		if code, err = strconv.Atoi(string(m[1])); err != nil || code < 100 || code > 599 {
			return nil, &integrationError{errConfiguration, fmt.Errorf("MOCK integration: statusCode %s is not an HTTP status code", m[1])}
		}
	} else {
		return nil, &integrationError{errConfiguration, fmt.Errorf("MOCK integration: unable to parse statusCode: it should be an integer that is defined in the request template; the request is %.200q", payload)}
	}
	return &backendResult{value: strconv.Itoa(code), header: http.Header{}}, nil
}

// plainStatusCode reads the request nearly every MOCK integration sends, {"statusCode": 200}
// with any spacing, without a JSON decoder: the status code's digits, and whether the payload
// was that and nothing else. Anything else goes the long way.
func plainStatusCode(payload []byte) (string, bool) {
	p := bytes.TrimSpace(payload)
	var ok bool
	if p, ok = bytes.CutPrefix(p, []byte("{")); !ok {
		return "", false
	}
	if p, ok = bytes.CutPrefix(bytes.TrimLeft(p, " \t\r\n"), []byte(`"statusCode"`)); !ok {
		return "", false
	}
	if p, ok = bytes.CutPrefix(bytes.TrimLeft(p, " \t\r\n"), []byte(":")); !ok {
		return "", false
	}
	p = bytes.TrimLeft(p, " \t\r\n")
	n := 0
	for n < len(p) && p[n] >= '0' && p[n] <= '9' {
		n++
	}
	digits := p[:n]
	if rest := bytes.TrimLeft(p[n:], " \t\r\n"); string(rest) != "}" || n != 3 || digits[0] < '1' || digits[0] > '5' {
		return "", false
	}
	return string(digits), true
}

// lenientStatusCode finds a statusCode member in a request that is not strict JSON.
var lenientStatusCode = regexp.MustCompile(`(?:^|[{,\s])["']?statusCode["']?\s*:\s*["']?(\d+)`)

// lambdaCustom invokes the function with the integration request's body as its event. A
// function error becomes the error document integration responses are selected by (its
// errorMessage) and map; a successful result is selected by "" (only a default response, or a
// pattern that matches the empty string such as ".*", takes it). An integration request header
// X-Amz-Invocation-Type: Event invokes asynchronously (the guide's "Set up asynchronous
// invocation of the backend Lambda function"): the client gets the integration response at
// once, with an empty body.
func (c *call) lambdaCustom(ctx context.Context, payload []byte, mr *mappedRequest) (*backendResult, *integrationError) {
	if len(bytes.TrimSpace(payload)) == 0 {
		payload = []byte("{}")
	}
	if strings.EqualFold(mr.header.Get("X-Amz-Invocation-Type"), "Event") {
		fn := c.functionName()
		if fn == "" || c.s.inv == nil {
			_, ierr := c.invoke(ctx, payload) // reports the configuration error
			return nil, ierr
		}
		inv, log, id := c.s.inv, c.s.log, c.id
		go func() {
			res, err := inv.Invoke(context.WithoutCancel(ctx), fn, payload)
			switch {
			case err != nil:
				log.Warn("asynchronous invocation failed", "function", fn, "requestId", id, "error", err)
			case res.FunctionError != nil:
				log.Info("asynchronous invocation ended in a function error", "function", fn, "requestId", id, "error", res.FunctionError)
			}
		}()
		return &backendResult{header: http.Header{}}, nil
	}
	res, ierr := c.invoke(ctx, payload)
	if ierr != nil {
		return nil, ierr
	}
	if fe := res.FunctionError; fe != nil {
		body := bytes.TrimSpace(fe.Payload)
		if len(body) == 0 || !json.Valid(body) {
			body, _ = json.Marshal(map[string]string{"errorMessage": fe.Message, "errorType": fe.Type})
		}
		return &backendResult{value: fe.Message, header: http.Header{}, body: body}, nil
	}
	return &backendResult{header: http.Header{}, body: res.Payload}, nil
}

// integrationResponse maps a backend's answer through the integration response it selects:
// status, header mappings, content handling and the response template the request's Accept
// header picks, then $context.responseOverride.
func (c *call) integrationResponse(out *backendResult) (*response, *integrationError) {
	ir := c.m.selectResponse(out.value)
	if ir == nil {
		return nil, &integrationError{errConfiguration, fmt.Errorf("no match for output mapping and no default output mapping (selection value %.200q)", out.value)}
	}
	if c.m.statuses != nil && !c.m.statuses[ir.ir.StatusCode] {
		// The guide: "If no method response is defined for the returned status code, API
		// Gateway returns a 500 error."
		return nil, &integrationError{errConfiguration, fmt.Errorf("integration response status %s has no method response", ir.ir.StatusCode)}
	}
	resp := &response{status: ir.status, header: http.Header{}}
	if len(ir.params) > 0 {
		data := &sourceData{respHeader: out.header, body: out.body, stageVars: c.t.Stage.Variables, context: c.contextVar}
		for _, p := range ir.params {
			vals := data.values(p.src)
			for _, v := range vals {
				if !badHeaderValue(v) {
					resp.header.Add(p.header, v)
				}
			}
		}
	}

	accept := c.acceptMediaType()
	targetBinary := !c.s.binary.empty() && c.s.binary.matches(accept)
	strategy := ir.ir.ContentHandlingStrategy
	body, binary := out.body, out.binary
	var err error
	if binary {
		body, binary, _ = convert(body, true, strategy, targetBinary)
	}
	contentType := "application/json"
	if !binary {
		key, t := ir.responseTemplate(accept)
		if t != nil {
			contentType = key
		}
		if t != nil && !t.empty() {
			if t.err != nil {
				return nil, &integrationError{errConfiguration, fmt.Errorf("response template %s does not parse: %w", t.name, t.err)}
			}
			res, err := t.render(c, body)
			if err != nil {
				return nil, &integrationError{errConfiguration, fmt.Errorf("response template %s: %w", t.name, err)}
			}
			body = []byte(res.Body)
			if res.ResponseOverride.Status != 0 {
				resp.status = res.ResponseOverride.Status
			}
			for k, vs := range res.ResponseOverride.Header {
				resp.header.Del(k)
				for _, v := range vs {
					if !badHeaderValue(v) {
						resp.header.Add(k, v)
					}
				}
			}
		}
		if body, _, err = convert(body, false, strategy, targetBinary); err != nil {
			return nil, &integrationError{errConfiguration, fmt.Errorf("integration response %s: content handling: %w", ir.ir.StatusCode, err)}
		}
	}
	if resp.header.Get("Content-Type") == "" {
		resp.header.Set("Content-Type", contentType)
	}
	resp.body = body
	return resp, nil
}
