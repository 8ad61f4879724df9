package restapi

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/payloadv1"
)

// proxyEventJSON builds the request's Lambda proxy event (the guide's "Input format of a
// Lambda function for proxy integration"), payload format 1.0 as a REST API fills it: no
// version, path without the stage while requestContext.path has it, resourceId set, the
// identity's apiKey and apiKeyId, the last value of a repeated query string parameter, and
// bodies base64-encoded by the API's binaryMediaTypes.
func (c *call) proxyEventJSON() ([]byte, error) {
	r := c.r
	ev := payloadv1.Event{
		Resource:       c.res.res.Path,
		Path:           c.t.EventPath,
		HTTPMethod:     r.Method,
		PathParameters: c.params,
		StageVariables: c.t.Stage.Variables,
		RequestContext: payloadv1.Context{
			AccountID:         c.s.account,
			APIID:             c.s.api.ID,
			DomainName:        c.t.DomainName,
			DomainPrefix:      domainPrefix(c.t.DomainName),
			ExtendedRequestID: c.extID,
			HTTPMethod:        r.Method,
			Identity: payloadv1.Identity{
				KeyIdentity: &payloadv1.KeyIdentity{},
				SourceIP:    sourceIP(r),
				UserAgent:   r.Header.Get("User-Agent"),
			},
			Path:             c.t.RawPath,
			Protocol:         "HTTP/1.1",
			RequestID:        c.id,
			RequestTime:      c.start.Format(requestTimeLayout),
			RequestTimeEpoch: c.start.UnixMilli(),
			ResourceID:       &c.res.id,
			ResourcePath:     c.res.res.Path,
			Stage:            c.t.Stage.Name,
		},
	}
	c.grant.fillEvent(&ev.RequestContext)
	if c.key != nil {
		ev.RequestContext.Identity.APIKey = &c.key.Value
		ev.RequestContext.Identity.APIKeyID = &c.key.ID
	}
	ev.SetHeaders(c.forwardedHeaders(lambdaDropped))
	ev.SetQuery(c.query, payloadv1.Last)
	if len(c.body) > 0 {
		// The guide's "Working with binary media types for REST APIs": a request whose
		// Content-Type is one of binaryMediaTypes reaches the function base64-encoded;
		// everything else as text.
		var body string
		if c.requestIsBinary() {
			body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(c.body), true
		} else {
			body = string(c.body)
		}
		ev.Body = &body
	}
	return payloadv1.Marshal(&ev)
}

// requestIsBinary reports whether the request body is binary data for this API: its
// Content-Type (application/json when there is none, as API Gateway assumes) is one of the
// API's binaryMediaTypes.
func (c *call) requestIsBinary() bool {
	if c.s.binary.empty() {
		return false
	}
	return c.s.binary.matches(c.requestMediaType())
}

// requestMediaType is the request's Content-Type media type, application/json when absent.
func (c *call) requestMediaType() string {
	if ct := c.r.Header.Get("Content-Type"); ct != "" {
		return mediaType(ct)
	}
	return "application/json"
}

// acceptMediaType is the first media type of the request's Accept header, application/json
// when absent.
func (c *call) acceptMediaType() string {
	if a := c.r.Header.Get("Accept"); a != "" {
		return mediaType(a)
	}
	return "application/json"
}

// forwardedHeaders are the request's headers as API Gateway passes them to an integration:
// the client's (names as net/http canonicalises them), Host, and the X-Forwarded-* and
// X-Amzn-Trace-Id headers API Gateway adds, without those the guide's known limitations
// list as dropped for this kind of integration.
func (c *call) forwardedHeaders(dropped map[string]bool) http.Header {
	r := c.r
	h := make(http.Header, len(r.Header)+5)
	for k, vs := range r.Header {
		if dropped[k] {
			continue
		}
		h[k] = vs
	}
	if r.Host != "" && !dropped["Host"] {
		h["Host"] = []string{r.Host}
	}
	ip := sourceIP(r)
	if prev := h["X-Forwarded-For"]; len(prev) > 0 {
		h["X-Forwarded-For"] = []string{strings.Join(prev, ", ") + ", " + ip}
	} else {
		h["X-Forwarded-For"] = []string{ip}
	}
	h["X-Forwarded-Port"] = []string{localPort(r)}
	if r.TLS != nil {
		h["X-Forwarded-Proto"] = []string{"https"}
	} else {
		h["X-Forwarded-Proto"] = []string{"http"}
	}
	if len(h["X-Amzn-Trace-Id"]) == 0 {
		h["X-Amzn-Trace-Id"] = []string{newTraceID(c.start.Unix())}
	}
	if c.t.LowerCaseHeaderNames {
		lowerCaseNames(h)
	}
	return h
}

// lowerCaseNames renames every header of h to its lower-case name, as API Gateway passes
// them through a custom domain with multi-level API mappings; values of names that differ
// only in case are joined in one.
func lowerCaseNames(h http.Header) {
	for k, vs := range h {
		lk := strings.ToLower(k)
		if lk == k {
			continue
		}
		delete(h, k)
		prev := h[lk]
		h[lk] = append(prev[:len(prev):len(prev)], vs...) // never into the request's own slice
	}
}

func localPort(r *http.Request) string {
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(interface{ String() string }); ok {
		if i := strings.LastIndexByte(a.String(), ':'); i >= 0 {
			return a.String()[i+1:]
		}
	}
	if i := strings.LastIndexByte(r.Host, ':'); i >= 0 && !strings.Contains(r.Host[i:], "]") {
		return r.Host[i+1:]
	}
	if r.TLS != nil {
		return "443"
	}
	return "80"
}

// newTraceID makes an X-Amzn-Trace-Id value in X-Ray's format.
func newTraceID(epoch int64) string {
	id := strings.ReplaceAll(newUUID(), "-", "")
	return "Root=1-" + strconv.FormatInt(epoch, 16) + "-" + id[:24]
}
