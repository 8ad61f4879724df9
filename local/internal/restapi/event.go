package restapi

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// proxyEvent is the event of a REST API Lambda proxy integration (the guide's "Input format of
// a Lambda function for proxy integration"; events.APIGatewayProxyRequest in aws-lambda-go).
// Empty maps are null, as API Gateway sends them. It is built here rather than with httpapi's
// payload 1.0 builder because a REST event differs in ways that builder does not cover: path
// is without the stage while requestContext.path has it, resourceId is set, the identity has
// apiKey and apiKeyId, and bodies are base64-encoded by the API's binaryMediaTypes.
type proxyEvent struct {
	Resource                        string              `json:"resource"`
	Path                            string              `json:"path"`
	HTTPMethod                      string              `json:"httpMethod"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	PathParameters                  map[string]string   `json:"pathParameters"`
	StageVariables                  map[string]string   `json:"stageVariables"`
	RequestContext                  proxyContext        `json:"requestContext"`
	Body                            *string             `json:"body"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
}

type proxyContext struct {
	AccountID         string        `json:"accountId"`
	APIID             string        `json:"apiId"`
	DomainName        string        `json:"domainName"`
	DomainPrefix      string        `json:"domainPrefix"`
	ExtendedRequestID string        `json:"extendedRequestId"`
	HTTPMethod        string        `json:"httpMethod"`
	Identity          proxyIdentity `json:"identity"`
	Path              string        `json:"path"`
	Protocol          string        `json:"protocol"`
	RequestID         string        `json:"requestId"`
	RequestTime       string        `json:"requestTime"`
	RequestTimeEpoch  int64         `json:"requestTimeEpoch"`
	ResourceID        string        `json:"resourceId"`
	ResourcePath      string        `json:"resourcePath"`
	Stage             string        `json:"stage"`
}

// proxyIdentity lists every identity field API Gateway sends; those that need IAM or Cognito
// authorization are null for an unauthenticated caller, and apiKey and apiKeyId are null for a
// method that does not require an API key ("$context.identity.apiKey ... For methods that
// don't require an API key, this variable is null").
type proxyIdentity struct {
	AccessKey                     *string `json:"accessKey"`
	AccountID                     *string `json:"accountId"`
	APIKey                        *string `json:"apiKey"`
	APIKeyID                      *string `json:"apiKeyId"`
	Caller                        *string `json:"caller"`
	CognitoAuthenticationProvider *string `json:"cognitoAuthenticationProvider"`
	CognitoAuthenticationType     *string `json:"cognitoAuthenticationType"`
	CognitoIdentityID             *string `json:"cognitoIdentityId"`
	CognitoIdentityPoolID         *string `json:"cognitoIdentityPoolId"`
	PrincipalOrgID                *string `json:"principalOrgId"`
	SourceIP                      string  `json:"sourceIp"`
	User                          *string `json:"user"`
	UserAgent                     string  `json:"userAgent"`
	UserArn                       *string `json:"userArn"`
}

// proxyEventJSON builds the request's Lambda proxy event.
func (c *call) proxyEventJSON() ([]byte, error) {
	r := c.r
	h := c.forwardedHeaders(lambdaDropped)
	ev := proxyEvent{
		Resource:       c.res.res.Path,
		Path:           c.t.Path,
		HTTPMethod:     r.Method,
		PathParameters: c.params,
		StageVariables: c.t.Stage.Variables,
		RequestContext: proxyContext{
			AccountID:         c.s.account,
			APIID:             c.s.api.ID,
			DomainName:        c.t.DomainName,
			DomainPrefix:      domainPrefix(c.t.DomainName),
			ExtendedRequestID: c.extID,
			HTTPMethod:        r.Method,
			Identity: proxyIdentity{
				SourceIP:  sourceIP(r),
				UserAgent: r.Header.Get("User-Agent"),
			},
			Path:             c.t.RawPath,
			Protocol:         "HTTP/1.1",
			RequestID:        c.id,
			RequestTime:      c.start.Format(requestTimeLayout),
			RequestTimeEpoch: c.start.UnixMilli(),
			ResourceID:       c.res.id,
			ResourcePath:     c.res.res.Path,
			Stage:            c.t.Stage.Name,
		},
	}
	if c.key != nil {
		ev.RequestContext.Identity.APIKey = &c.key.Value
		ev.RequestContext.Identity.APIKeyID = &c.key.ID
	}
	if len(ev.PathParameters) == 0 {
		ev.PathParameters = nil
	}
	if len(ev.StageVariables) == 0 {
		ev.StageVariables = nil
	}
	if len(h) > 0 {
		ev.Headers = make(map[string]string, len(h))
		ev.MultiValueHeaders = make(map[string][]string, len(h))
		for name, vs := range h {
			if len(vs) == 0 {
				continue
			}
			// REST APIs keep the last value of a repeated header in headers.
			ev.Headers[name] = vs[len(vs)-1]
			ev.MultiValueHeaders[name] = vs
		}
	}
	if len(c.query) > 0 {
		ev.QueryStringParameters = make(map[string]string, len(c.query))
		for k, vs := range c.query {
			ev.QueryStringParameters[k] = vs[len(vs)-1]
		}
		ev.MultiValueQueryStringParameters = c.query
	}
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
	return json.Marshal(&ev)
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
	return h
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
