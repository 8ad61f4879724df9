package httpapi

import (
	"encoding/json"
	"strings"
)

// v2Event is payload format 2.0 (events.APIGatewayV2HTTPRequest), field for field in the
// order API Gateway writes them.
type v2Event struct {
	Version               string            `json:"version"`
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Cookies               []string          `json:"cookies,omitempty"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
	RequestContext        v2Context         `json:"requestContext"`
	Body                  string            `json:"body,omitempty"`
	PathParameters        map[string]string `json:"pathParameters,omitempty"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
	StageVariables        map[string]string `json:"stageVariables,omitempty"`
}

type v2Context struct {
	AccountID    string `json:"accountId"`
	APIID        string `json:"apiId"`
	Authorizer   any    `json:"authorizer,omitempty"`
	DomainName   string `json:"domainName"`
	DomainPrefix string `json:"domainPrefix"`
	HTTP         v2HTTP `json:"http"`
	RequestID    string `json:"requestId"`
	RouteKey     string `json:"routeKey"`
	Stage        string `json:"stage"`
	Time         string `json:"time"`
	TimeEpoch    int64  `json:"timeEpoch"`
}

type v2HTTP struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	Protocol  string `json:"protocol"`
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

// MarshalV2 builds the payload format 2.0 event. Per the guide: header names are lower case,
// duplicate headers and query parameters are joined with commas, and the Cookie headers move
// to the cookies array (one entry per cookie) instead of headers.
func MarshalV2(e *EventRequest) ([]byte, error) {
	ev := v2Event{
		Version:        "2.0",
		RouteKey:       e.RouteKey,
		RawPath:        e.Path,
		RawQueryString: e.RawQuery,
		Headers:        make(map[string]string, len(e.Header)),
		PathParameters: e.PathParameters,
		StageVariables: e.StageVariables,
		RequestContext: v2Context{
			AccountID:    e.Context.AccountID,
			APIID:        e.Context.APIID,
			DomainName:   e.Context.DomainName,
			DomainPrefix: e.Context.DomainPrefix,
			HTTP: v2HTTP{
				Method:    e.Method,
				Path:      e.Path,
				Protocol:  e.Context.Protocol,
				SourceIP:  e.Context.SourceIP,
				UserAgent: e.Context.UserAgent,
			},
			Authorizer: e.Authorization.HTTPV2(),
			RequestID:  e.Context.RequestID,
			RouteKey:   e.RouteKey,
			Stage:      e.Context.Stage,
			Time:       e.Context.Time.Format(requestTimeLayout),
			TimeEpoch:  e.Context.Time.UnixMilli(),
		},
	}
	if len(ev.PathParameters) == 0 {
		ev.PathParameters = nil
	}
	if len(ev.StageVariables) == 0 {
		ev.StageVariables = nil
	}
	for name, vs := range e.Header {
		if name == "cookie" {
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
	if names, values := queryValues(e.RawQuery); len(names) > 0 {
		ev.QueryStringParameters = make(map[string]string, len(names))
		for _, n := range names {
			ev.QueryStringParameters[n] = strings.Join(values[n], ",")
		}
	}
	ev.Body, ev.IsBase64Encoded = encodeBody(e.Body, e.Header)
	return json.Marshal(&ev)
}
