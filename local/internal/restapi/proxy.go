package restapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse/local/internal/httpapi"
	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// errMalformed marks a Lambda proxy response API Gateway cannot read. Its log line carries
// API Gateway's own words, "Malformed Lambda proxy response", so a user grepping for them
// finds it.
var errMalformed = errors.New("Malformed Lambda proxy response")

// lambdaProxy runs an AWS_PROXY integration: the event, a synchronous invocation, and the
// function's answer read as the guide's "Output format of a Lambda function for proxy
// integration" says ("If the function output is of a different format, API Gateway returns a
// 502 Bad Gateway error response").
func (c *call) lambdaProxy(ctx context.Context) (*response, *integrationError) {
	res, ierr := c.invoke(ctx, nil)
	if ierr != nil {
		return nil, ierr
	}
	if fe := res.FunctionError; fe != nil {
		return nil, &integrationError{errIntegrationFailure, fmt.Errorf("function %q failed: %s: %s", c.functionName(), fe.Type, fe.Message)}
	}
	pr, err := parseProxyResponse(res.Payload)
	if err != nil {
		return nil, &integrationError{errIntegrationFailure, fmt.Errorf("%w from function %q: %v", errMalformed, c.functionName(), err)}
	}
	body := []byte(pr.body)
	if pr.base64 {
		// Decoded only when the client gets binary: the response's Content-Type or the
		// request's first Accept type is a binary media type. Otherwise the client gets the
		// base64 text as the function wrote it.
		if c.responseWantsBinary(pr.header.Get("Content-Type")) {
			dec, err := decodeBase64(body)
			if err != nil {
				return nil, &integrationError{errConfiguration, fmt.Errorf("function %q: isBase64Encoded is true but %v", c.functionName(), err)}
			}
			body = dec
		}
	}
	return &response{status: pr.status, header: clientHeaders(pr.header, false), body: body}, nil
}

// responseWantsBinary reports whether a proxy response goes back as binary: the API has
// binaryMediaTypes and either the response's Content-Type or the first media type of the
// request's Accept header is one of them.
func (c *call) responseWantsBinary(contentType string) bool {
	if c.s.binary.empty() {
		return false
	}
	if contentType == "" {
		contentType = "application/json" // what the client will be sent
	}
	if c.s.binary.matches(mediaType(contentType)) {
		return true
	}
	return c.r.Header.Get("Accept") != "" && c.s.binary.matches(c.acceptMediaType())
}

// invoke calls the method's Lambda function with the proxy event (payload nil) or a payload.
func (c *call) invoke(ctx context.Context, payload []byte) (*lambdahost.Result, *integrationError) {
	in := c.m.in
	fn := c.functionName()
	if fn == "" {
		if model.UsesStageVariables(in.URI) {
			return nil, &integrationError{errConfiguration, fmt.Errorf("integration URI %q names no Lambda function on stage %q: a stage variable it uses is not set there, or does not make a function name or ARN", in.URI, c.t.Stage.Name)}
		}
		return nil, &integrationError{errConfiguration, fmt.Errorf("integration URI %q names no Lambda function of the assembly", in.URI)}
	}
	if c.s.inv == nil {
		return nil, &integrationError{errConfiguration, errors.New("no Lambda invoker is configured")}
	}
	if payload == nil {
		var err error
		if payload, err = c.proxyEventJSON(); err != nil {
			return nil, &integrationError{errInternal, fmt.Errorf("building the event: %w", err)}
		}
	}
	res, err := c.s.inv.Invoke(ctx, fn, payload)
	if err != nil {
		// Lambda refused the invocation (throttled, unknown, not runnable here): API Gateway
		// answers 500.
		return nil, &integrationError{errConfiguration, fmt.Errorf("invoking function %q: %w", fn, err)}
	}
	if a := c.access; a != nil {
		// Lambda answered: $context.integrationStatus is its 200, whatever the function said.
		a.IntegrationStatus = http.StatusOK
		if c.m.in.Type == model.IntegrationAWS && res.FunctionError == nil {
			a.BackendStatus = http.StatusOK
		}
	}
	return res, nil
}

// functionName is the function the method's Lambda integration invokes for this request: the
// one the model linked, or, for a URI that takes it from stage variables (the guide's "Amazon
// API Gateway stage variables reference": a function name, alias or ARN in
// ${stageVariables.NAME}), the one this request's stage names. "" when there is none: a URI
// without stage variables that the model did not link names no function of the assembly (it
// warned so at load).
func (c *call) functionName() string {
	if c.m.in.Function != "" {
		return c.m.in.Function
	}
	if !model.UsesStageVariables(c.m.in.URI) {
		return ""
	}
	return model.StageFunction(c.m.in.URI, c.t.Stage.Variables)
}

// proxyResponse is a parsed Lambda proxy response.
type proxyResponse struct {
	status int
	header http.Header
	body   string
	base64 bool
}

// parseProxyResponse reads {"statusCode", "headers", "multiValueHeaders", "body",
// "isBase64Encoded"}. statusCode may be a number or a string of digits (the guide writes both);
// header values may be strings, numbers or booleans; body must be a string. A header in both
// maps is sent with the values of multiValueHeaders ("If the same key-value pair is specified
// in both, only the values from multiValueHeaders will appear in the merged list").
func parseProxyResponse(payload []byte) (*proxyResponse, error) {
	payload = bytes.TrimSpace(payload)
	if len(payload) == 0 || payload[0] != '{' {
		return nil, errors.New("the response is not a JSON object")
	}
	// Most responses have a string body and a boolean or no isBase64Encoded: decoding them
	// straight into their types saves a second pass over the body. Anything else fails this
	// decode and takes the general one, which says what is wrong.
	var typed struct {
		StatusCode        json.RawMessage              `json:"statusCode"`
		Headers           map[string]json.RawMessage   `json:"headers"`
		MultiValueHeaders map[string][]json.RawMessage `json:"multiValueHeaders"`
		Body              *string                      `json:"body"`
		IsBase64Encoded   *bool                        `json:"isBase64Encoded"`
	}
	if json.Unmarshal(payload, &typed) == nil {
		pr, err := proxyHeaders(typed.StatusCode, typed.Headers, typed.MultiValueHeaders)
		if err != nil {
			return nil, err
		}
		if typed.Body != nil {
			pr.body = *typed.Body
		}
		if typed.IsBase64Encoded != nil {
			pr.base64 = *typed.IsBase64Encoded
		}
		return pr, nil
	}
	var raw struct {
		StatusCode        json.RawMessage              `json:"statusCode"`
		Headers           map[string]json.RawMessage   `json:"headers"`
		MultiValueHeaders map[string][]json.RawMessage `json:"multiValueHeaders"`
		Body              json.RawMessage              `json:"body"`
		IsBase64Encoded   json.RawMessage              `json:"isBase64Encoded"`
	}
	if err := json.Unmarshal(payload, &raw); err != nil {
		return nil, fmt.Errorf("the response does not decode: %v", err)
	}
	pr, err := proxyHeaders(raw.StatusCode, raw.Headers, raw.MultiValueHeaders)
	if err != nil {
		return nil, err
	}
	if !isNull(raw.IsBase64Encoded) {
		if err := json.Unmarshal(raw.IsBase64Encoded, &pr.base64); err != nil {
			return nil, fmt.Errorf("isBase64Encoded %s is not a boolean", raw.IsBase64Encoded)
		}
	}
	if !isNull(raw.Body) {
		if err := json.Unmarshal(raw.Body, &pr.body); err != nil {
			return nil, fmt.Errorf("body is not a string")
		}
	}
	return pr, nil
}

// proxyHeaders reads a proxy response's statusCode and its two header maps.
func proxyHeaders(rawStatus json.RawMessage, headers map[string]json.RawMessage, multiValueHeaders map[string][]json.RawMessage) (*proxyResponse, error) {
	pr := &proxyResponse{header: make(http.Header, len(headers)+len(multiValueHeaders))}
	code, err := statusCode(rawStatus)
	if err != nil {
		return nil, err
	}
	pr.status = code
	var multi map[string]bool
	for name, raws := range multiValueHeaders {
		if name == "" {
			return nil, errors.New("multiValueHeaders has an empty header name")
		}
		for _, r := range raws {
			v, err := scalarText(r)
			if err != nil {
				return nil, fmt.Errorf("multiValueHeaders %q: %v", name, err)
			}
			pr.header[name] = append(pr.header[name], v)
		}
		if multi == nil {
			multi = map[string]bool{}
		}
		multi[strings.ToLower(name)] = true
	}
	for name, r := range headers {
		if name == "" {
			return nil, errors.New("headers has an empty header name")
		}
		v, err := scalarText(r)
		if err != nil {
			return nil, fmt.Errorf("headers %q: %v", name, err)
		}
		if multi != nil && multi[strings.ToLower(name)] {
			continue
		}
		pr.header[name] = append(pr.header[name], v)
	}
	return pr, nil
}

func statusCode(raw json.RawMessage) (int, error) {
	if isNull(raw) {
		return 0, errors.New("the response has no statusCode")
	}
	text := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return 0, fmt.Errorf("statusCode %s does not decode", raw)
		}
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || f != math.Trunc(f) || f < 100 || f > 599 {
		return 0, fmt.Errorf("statusCode %s is not an HTTP status code", raw)
	}
	return int(f), nil
}

func isNull(raw json.RawMessage) bool { return httpapi.IsJSONNull(raw) }

// scalarText is a header value as text, as an HTTP API reads it (strings as they are,
// numbers and booleans as written, objects and arrays errors), plain strings without a
// decoder.
func scalarText(raw json.RawMessage) (string, error) {
	if len(raw) > 0 && raw[0] == '"' {
		if s, ok := plainString(raw); ok {
			return s, nil
		}
	}
	return httpapi.HeaderText(raw)
}

// plainString is a JSON string without escapes or anything encoding/json would replace, read
// without a decoder: raw has been checked by a decoder already, so it ends in its quote.
func plainString(raw json.RawMessage) (string, bool) {
	if len(raw) < 2 || raw[len(raw)-1] != '"' {
		return "", false
	}
	in := raw[1 : len(raw)-1]
	for _, c := range in {
		if c == '\\' || c == '"' || c < 0x20 {
			return "", false
		}
	}
	if !utf8.Valid(in) {
		return "", false
	}
	return string(in), true
}
