package authorizer

import (
	"encoding/json"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/iamauth"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/querystring"
)

// The Lambda authorizer events, field for field as API Gateway writes them. Each decodes into
// its aws-lambda-go type (events.APIGatewayCustomAuthorizerRequest, ...RequestTypeRequest,
// APIGatewayV2CustomAuthorizerV1Request, ...V2Request); the golden tests compare them with
// the recorded fixtures.

// requestTimeLayout is the CLF time API Gateway writes in requestTime / time.
const requestTimeLayout = "02/Jan/2006:15:04:05 -0700"

// tokenEvent is a REST TOKEN authorizer's input.
type tokenEvent struct {
	Type               string `json:"type"`
	AuthorizationToken string `json:"authorizationToken"`
	MethodArn          string `json:"methodArn"`
}

// restRequestEvent is a REST REQUEST authorizer's input.
type restRequestEvent struct {
	Type                            string              `json:"type"`
	MethodArn                       string              `json:"methodArn"`
	Resource                        string              `json:"resource"`
	Path                            string              `json:"path"`
	HTTPMethod                      string              `json:"httpMethod"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	PathParameters                  map[string]string   `json:"pathParameters"`
	StageVariables                  map[string]string   `json:"stageVariables"`
	RequestContext                  restRequestContext  `json:"requestContext"`
}

type restRequestContext struct {
	Path              string         `json:"path"`
	AccountID         string         `json:"accountId"`
	ResourceID        string         `json:"resourceId"`
	Stage             string         `json:"stage"`
	DomainName        string         `json:"domainName,omitempty"`
	DomainPrefix      string         `json:"domainPrefix,omitempty"`
	RequestID         string         `json:"requestId"`
	ExtendedRequestID string         `json:"extendedRequestId"`
	Protocol          string         `json:"protocol"`
	RequestTime       string         `json:"requestTime"`
	RequestTimeEpoch  int64          `json:"requestTimeEpoch"`
	Identity          callerIdentity `json:"identity"`
	ResourcePath      string         `json:"resourcePath"`
	HTTPMethod        string         `json:"httpMethod"`
	APIID             string         `json:"apiId"`
}

// callerIdentity is requestContext.identity in REST and WebSocket REQUEST events alike.
type callerIdentity struct {
	APIKey    string `json:"apiKey,omitempty"`
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent,omitempty"`
}

// wsRequestEvent is a WebSocket $connect REQUEST authorizer's input: no resource, path or
// path parameters ("the path is fixed"), and the WebSocket request context.
type wsRequestEvent struct {
	Type                            string              `json:"type"`
	MethodArn                       string              `json:"methodArn"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	StageVariables                  map[string]string   `json:"stageVariables"`
	RequestContext                  wsRequestContext    `json:"requestContext"`
}

type wsRequestContext struct {
	RouteKey          string         `json:"routeKey"`
	EventType         string         `json:"eventType"`
	ExtendedRequestID string         `json:"extendedRequestId"`
	RequestTime       string         `json:"requestTime"`
	MessageDirection  string         `json:"messageDirection"`
	Stage             string         `json:"stage"`
	ConnectedAt       int64          `json:"connectedAt"`
	RequestTimeEpoch  int64          `json:"requestTimeEpoch"`
	Identity          callerIdentity `json:"identity"`
	RequestID         string         `json:"requestId"`
	DomainName        string         `json:"domainName"`
	ConnectionID      string         `json:"connectionId"`
	APIID             string         `json:"apiId"`
}

// httpV1Event is an HTTP API Lambda authorizer's input in payload format 1.0: the REST
// REQUEST shape plus version, identitySource and authorizationToken, without multi-value maps.
type httpV1Event struct {
	Version               string             `json:"version"`
	Type                  string             `json:"type"`
	MethodArn             string             `json:"methodArn"`
	IdentitySource        string             `json:"identitySource"`
	AuthorizationToken    string             `json:"authorizationToken"`
	Resource              string             `json:"resource"`
	Path                  string             `json:"path"`
	HTTPMethod            string             `json:"httpMethod"`
	Headers               map[string]string  `json:"headers"`
	QueryStringParameters map[string]string  `json:"queryStringParameters"`
	PathParameters        map[string]string  `json:"pathParameters"`
	StageVariables        map[string]string  `json:"stageVariables"`
	RequestContext        restRequestContext `json:"requestContext"`
}

// httpV2Event is an HTTP API Lambda authorizer's input in payload format 2.0.
type httpV2Event struct {
	Version               string            `json:"version"`
	Type                  string            `json:"type"`
	RouteArn              string            `json:"routeArn"`
	IdentitySource        []string          `json:"identitySource"`
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Cookies               []string          `json:"cookies,omitempty"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
	RequestContext        httpV2Context     `json:"requestContext"`
	PathParameters        map[string]string `json:"pathParameters,omitempty"`
	StageVariables        map[string]string `json:"stageVariables,omitempty"`
}

type httpV2Context struct {
	AccountID    string     `json:"accountId"`
	APIID        string     `json:"apiId"`
	DomainName   string     `json:"domainName"`
	DomainPrefix string     `json:"domainPrefix"`
	HTTP         httpV2HTTP `json:"http"`
	RequestID    string     `json:"requestId"`
	RouteKey     string     `json:"routeKey"`
	Stage        string     `json:"stage"`
	Time         string     `json:"time"`
	TimeEpoch    int64      `json:"timeEpoch"`
}

type httpV2HTTP struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	Protocol  string `json:"protocol"`
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

// methodARN is the resource a request is authorized against: methodArn for REST and HTTP
// payload 1.0, routeArn for HTTP 2.0 (the same ARN), ".../{stage}/$connect" for WebSocket.
func (s *Set) methodARN(r *Request) string {
	if r.Protocol == model.ProtocolWebSocket {
		return iamauth.RouteARN(s.opts.Region, s.opts.Account, s.api.ID, r.Stage, r.RouteKey)
	}
	p := r.ARNPath
	if p == "" {
		p = r.Path
	}
	return iamauth.MethodARN(s.opts.Region, s.opts.Account, s.api.ID, r.Stage, r.Method, p)
}

// buildEvent makes the authorizer's input for its type and the API's kind. values are the
// identity-source values, in the authorizer's order.
func (s *Set) buildEvent(c *compiled, r *Request, values []string) ([]byte, error) {
	arn := s.methodARN(r)
	switch {
	case c.a.Type == model.AuthorizerToken:
		return json.Marshal(&tokenEvent{Type: "TOKEN", AuthorizationToken: strings.Join(values, ","), MethodArn: arn})
	case r.Protocol == model.ProtocolWebSocket:
		return json.Marshal(s.wsEvent(r, arn))
	case r.Protocol == model.ProtocolHTTP && c.a.PayloadFormatVersion == "1.0":
		return json.Marshal(s.httpV1Event(r, arn, values))
	case r.Protocol == model.ProtocolHTTP:
		return json.Marshal(s.httpV2Event(r, arn, values))
	default:
		return json.Marshal(s.restEvent(r, arn))
	}
}

func (s *Set) restContext(r *Request) restRequestContext {
	rc := r.Context
	ext := rc.ExtendedRequestID
	if ext == "" {
		ext = rc.RequestID
	}
	return restRequestContext{
		Path:              r.Path,
		AccountID:         firstNonEmpty(rc.AccountID, s.opts.Account),
		ResourceID:        r.ResourceID,
		Stage:             r.Stage,
		DomainName:        rc.DomainName,
		DomainPrefix:      rc.DomainPrefix,
		RequestID:         rc.RequestID,
		ExtendedRequestID: ext,
		Protocol:          firstNonEmpty(rc.Protocol, "HTTP/1.1"),
		RequestTime:       rc.Time.Format(requestTimeLayout),
		RequestTimeEpoch:  rc.Time.UnixMilli(),
		Identity:          callerIdentity{APIKey: rc.APIKey, SourceIP: rc.SourceIP, UserAgent: rc.UserAgent},
		ResourcePath:      r.Resource,
		HTTPMethod:        r.Method,
		APIID:             firstNonEmpty(rc.APIID, s.api.ID),
	}
}

func (s *Set) restEvent(r *Request, arn string) *restRequestEvent {
	ev := &restRequestEvent{
		Type:           "REQUEST",
		MethodArn:      arn,
		Resource:       r.Resource,
		Path:           r.Path,
		HTTPMethod:     r.Method,
		PathParameters: nonNil(r.PathParameters),
		StageVariables: nonNil(r.StageVariables),
		RequestContext: s.restContext(r),
	}
	ev.Headers, ev.MultiValueHeaders = singleAndMulti(r.Header)
	names, values := querystring.Split(r.RawQuery)
	if len(names) > 0 {
		ev.QueryStringParameters = make(map[string]string, len(names))
		for _, n := range names {
			vs := values[n]
			ev.QueryStringParameters[n] = vs[len(vs)-1] // REST keeps the last of a repeated name
		}
		ev.MultiValueQueryStringParameters = values
	}
	return ev
}

func (s *Set) wsEvent(r *Request, arn string) *wsRequestEvent {
	rc := r.Context
	ext := firstNonEmpty(rc.ExtendedRequestID, rc.RequestID)
	connectedAt := rc.ConnectedAt
	if connectedAt.IsZero() {
		connectedAt = rc.Time
	}
	ev := &wsRequestEvent{
		Type:           "REQUEST",
		MethodArn:      arn,
		StageVariables: nonNil(r.StageVariables),
		RequestContext: wsRequestContext{
			RouteKey:          firstNonEmpty(r.RouteKey, "$connect"),
			EventType:         "CONNECT",
			ExtendedRequestID: ext,
			RequestTime:       rc.Time.Format(requestTimeLayout),
			MessageDirection:  "IN",
			Stage:             r.Stage,
			ConnectedAt:       connectedAt.UnixMilli(),
			RequestTimeEpoch:  rc.Time.UnixMilli(),
			Identity:          callerIdentity{APIKey: rc.APIKey, SourceIP: rc.SourceIP, UserAgent: rc.UserAgent},
			RequestID:         rc.RequestID,
			DomainName:        rc.DomainName,
			ConnectionID:      rc.ConnectionID,
			APIID:             firstNonEmpty(rc.APIID, s.api.ID),
		},
	}
	ev.Headers, ev.MultiValueHeaders = singleAndMulti(r.Header)
	names, values := querystring.Split(r.RawQuery)
	if len(names) > 0 {
		ev.QueryStringParameters = make(map[string]string, len(names))
		for _, n := range names {
			vs := values[n]
			ev.QueryStringParameters[n] = vs[len(vs)-1]
		}
		ev.MultiValueQueryStringParameters = values
	}
	return ev
}

func (s *Set) httpV1Event(r *Request, arn string, values []string) *httpV1Event {
	joined := strings.Join(values, ",")
	ev := &httpV1Event{
		Version:            "1.0",
		Type:               "REQUEST",
		MethodArn:          arn,
		IdentitySource:     joined,
		AuthorizationToken: joined,
		Resource:           r.Resource,
		Path:               r.Path,
		HTTPMethod:         r.Method,
		PathParameters:     nonNil(r.PathParameters),
		StageVariables:     nonNil(r.StageVariables),
		RequestContext:     s.restContext(r),
	}
	ev.Headers, _ = singleAndMulti(r.Header)
	names, qv := querystring.Split(r.RawQuery)
	if len(names) > 0 {
		ev.QueryStringParameters = make(map[string]string, len(names))
		for _, n := range names {
			// An HTTP API's 1.0 payload gives a repeated parameter's first value.
			ev.QueryStringParameters[n] = qv[n][0]
		}
	}
	return ev
}

func (s *Set) httpV2Event(r *Request, arn string, values []string) *httpV2Event {
	rc := r.Context
	ev := &httpV2Event{
		Version:        "2.0",
		Type:           "REQUEST",
		RouteArn:       arn,
		IdentitySource: values,
		RouteKey:       r.RouteKey,
		RawPath:        r.Path,
		RawQueryString: r.RawQuery,
		Headers:        make(map[string]string, len(r.Header)),
		PathParameters: r.PathParameters,
		StageVariables: r.StageVariables,
		RequestContext: httpV2Context{
			AccountID:    firstNonEmpty(rc.AccountID, s.opts.Account),
			APIID:        firstNonEmpty(rc.APIID, s.api.ID),
			DomainName:   rc.DomainName,
			DomainPrefix: rc.DomainPrefix,
			HTTP: httpV2HTTP{
				Method: r.Method, Path: r.Path, Protocol: firstNonEmpty(rc.Protocol, "HTTP/1.1"),
				SourceIP: rc.SourceIP, UserAgent: rc.UserAgent,
			},
			RequestID: rc.RequestID,
			RouteKey:  r.RouteKey,
			Stage:     r.Stage,
			Time:      rc.Time.Format(requestTimeLayout),
			TimeEpoch: rc.Time.UnixMilli(),
		},
	}
	if ev.IdentitySource == nil {
		ev.IdentitySource = []string{}
	}
	if len(ev.PathParameters) == 0 {
		ev.PathParameters = nil
	}
	if len(ev.StageVariables) == 0 {
		ev.StageVariables = nil
	}
	// As in payload 2.0 integration events: repeated headers comma-joined, Cookie headers
	// moved to the cookies array, one entry per cookie.
	for name, vs := range r.Header {
		if strings.EqualFold(name, "cookie") {
			for _, v := range vs {
				for c := range strings.SplitSeq(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						ev.Cookies = append(ev.Cookies, c)
					}
				}
			}
			continue
		}
		ev.Headers[name] = strings.Join(vs, ",")
	}
	names, qv := querystring.Split(r.RawQuery)
	if len(names) > 0 {
		ev.QueryStringParameters = make(map[string]string, len(names))
		for _, n := range names {
			ev.QueryStringParameters[n] = strings.Join(qv[n], ",")
		}
	}
	return ev
}

// singleAndMulti splits headers into the 1.0 shapes: the last value of each, and all values.
// Both are null when the request has no headers.
func singleAndMulti(h map[string][]string) (map[string]string, map[string][]string) {
	if len(h) == 0 {
		return nil, nil
	}
	single := make(map[string]string, len(h))
	multi := make(map[string][]string, len(h))
	for name, vs := range h {
		if len(vs) == 0 {
			continue
		}
		single[name] = vs[len(vs)-1]
		multi[name] = vs
	}
	return single, multi
}

// nonNil is m, or an empty map: authorizer events show {} where a proxy event shows null.
func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
