package httpapi

import (
	"encoding/json"
)

// V1Flavor says which API Gateway flavour of payload 1.0 to build: HTTP APIs and REST APIs
// fill the same shape slightly differently.
type V1Flavor int

const (
	// V1HTTPAPI: an HTTP API's 1.0 payload. The guide's example gives a repeated query
	// parameter's first value in queryStringParameters (all values in the multi-value map).
	V1HTTPAPI V1Flavor = iota
	// V1REST: a REST API's Lambda proxy event, where the single-value maps hold the last value.
	V1REST
)

// v1Event is payload format 1.0 (events.APIGatewayProxyRequest). The maps are pointers-free
// on purpose: a nil map marshals as null, which is what API Gateway sends for empty ones.
type v1Event struct {
	Version                         string              `json:"version,omitempty"`
	Resource                        string              `json:"resource"`
	Path                            string              `json:"path"`
	HTTPMethod                      string              `json:"httpMethod"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	RequestContext                  v1Context           `json:"requestContext"`
	PathParameters                  map[string]string   `json:"pathParameters"`
	StageVariables                  map[string]string   `json:"stageVariables"`
	Body                            *string             `json:"body"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
}

type v1Context struct {
	AccountID         string     `json:"accountId"`
	APIID             string     `json:"apiId"`
	Authorizer        any        `json:"authorizer,omitempty"` // issue 5
	DomainName        string     `json:"domainName"`
	DomainPrefix      string     `json:"domainPrefix"`
	ExtendedRequestID string     `json:"extendedRequestId"`
	HTTPMethod        string     `json:"httpMethod"`
	Identity          v1Identity `json:"identity"`
	Path              string     `json:"path"`
	Protocol          string     `json:"protocol"`
	RequestID         string     `json:"requestId"`
	RequestTime       string     `json:"requestTime"`
	RequestTimeEpoch  int64      `json:"requestTimeEpoch"`
	ResourceID        *string    `json:"resourceId"`
	ResourcePath      string     `json:"resourcePath"`
	Stage             string     `json:"stage"`
}

// v1Identity lists every identity field API Gateway sends; the ones that need IAM or Cognito
// authorization are null for an unauthenticated caller, as in the guide's example.
type v1Identity struct {
	AccessKey                     *string `json:"accessKey"`
	AccountID                     *string `json:"accountId"`
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

// MarshalV1 builds the payload format 1.0 event. headers holds the last value of a repeated
// header (the guide's example), multiValueHeaders every value; header names are used as given
// (an HTTP API lower-cases them before this; REST keeps the client's spelling).
func MarshalV1(e *EventRequest, flavor V1Flavor) ([]byte, error) {
	ev := v1Event{
		Version:        "1.0",
		Resource:       e.Resource,
		Path:           e.Path,
		HTTPMethod:     e.Method,
		PathParameters: e.PathParameters,
		StageVariables: e.StageVariables,
		RequestContext: v1Context{
			AccountID:         e.Context.AccountID,
			APIID:             e.Context.APIID,
			DomainName:        e.Context.DomainName,
			DomainPrefix:      e.Context.DomainPrefix,
			ExtendedRequestID: e.Context.RequestID,
			HTTPMethod:        e.Method,
			Identity: v1Identity{
				SourceIP:  e.Context.SourceIP,
				UserAgent: e.Context.UserAgent,
			},
			Path:             e.Path,
			Protocol:         e.Context.Protocol,
			RequestID:        e.Context.RequestID,
			RequestTime:      e.Context.Time.Format(requestTimeLayout),
			RequestTimeEpoch: e.Context.Time.UnixMilli(),
			ResourcePath:     e.Resource,
			Stage:            e.Context.Stage,
		},
	}
	if flavor == V1REST {
		ev.Version = "" // REST events have no version field
	}
	if len(ev.PathParameters) == 0 {
		ev.PathParameters = nil
	}
	if len(ev.StageVariables) == 0 {
		ev.StageVariables = nil
	}
	if len(e.Header) > 0 {
		ev.Headers = make(map[string]string, len(e.Header))
		ev.MultiValueHeaders = make(map[string][]string, len(e.Header))
		for name, vs := range e.Header {
			if len(vs) == 0 {
				continue
			}
			ev.Headers[name] = vs[len(vs)-1]
			ev.MultiValueHeaders[name] = vs
		}
	}
	if names, values := queryValues(e.RawQuery); len(names) > 0 {
		ev.QueryStringParameters = make(map[string]string, len(names))
		for _, n := range names {
			vs := values[n]
			if flavor == V1REST {
				ev.QueryStringParameters[n] = vs[len(vs)-1]
			} else {
				ev.QueryStringParameters[n] = vs[0]
			}
		}
		ev.MultiValueQueryStringParameters = values
	}
	if body, b64 := encodeBody(e.Body, e.Header); body != "" {
		ev.Body, ev.IsBase64Encoded = &body, b64
	}
	return json.Marshal(&ev)
}
