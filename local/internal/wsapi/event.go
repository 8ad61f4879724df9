package wsapi

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Event is the Lambda proxy integration's input for a WebSocket route, the JSON that
// aws-lambda-go decodes into events.APIGatewayWebsocketProxyRequest. Fields are filled as API
// Gateway fills them for each event type (compare aws-lambda-go's apigw-websocket-request*.json
// fixtures): headers and query only on CONNECT (and the fixed header set on DISCONNECT), body
// and messageId only on MESSAGE.
type Event struct {
	Headers                         map[string]string   `json:"headers,omitempty"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders,omitempty"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters,omitempty"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters,omitempty"`
	StageVariables                  map[string]string   `json:"stageVariables,omitempty"`
	RequestContext                  RequestContext      `json:"requestContext"`
	Body                            *string             `json:"body,omitempty"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
}

// RequestContext is the event's requestContext.
type RequestContext struct {
	RouteKey             string   `json:"routeKey"`
	MessageID            string   `json:"messageId,omitempty"`
	DisconnectStatusCode int      `json:"disconnectStatusCode,omitempty"`
	DisconnectReason     *string  `json:"disconnectReason,omitempty"`
	EventType            string   `json:"eventType"`
	ExtendedRequestID    string   `json:"extendedRequestId"`
	RequestTime          string   `json:"requestTime"`
	MessageDirection     string   `json:"messageDirection"`
	Stage                string   `json:"stage"`
	ConnectedAt          int64    `json:"connectedAt"`
	RequestTimeEpoch     int64    `json:"requestTimeEpoch"`
	Identity             Identity `json:"identity"`
	RequestID            string   `json:"requestId"`
	DomainName           string   `json:"domainName"`
	ConnectionID         string   `json:"connectionId"`
	APIID                string   `json:"apiId"`
	// Authorizer is what the $connect route's Lambda authorizer returned: principalId,
	// integrationLatency and its context's keys. API Gateway keeps it for the connection's
	// life, so every event of the connection carries it; absent when no Lambda authorizer ran.
	Authorizer map[string]any `json:"authorizer,omitempty"`
}

// Identity is requestContext.identity. The IAM fields are set on every event of a connection
// whose $connect request was authorized with AWS_IAM (a SigV4-signed upgrade request).
type Identity struct {
	AccountID                     string `json:"accountId,omitempty"`
	AccessKey                     string `json:"accessKey,omitempty"`
	Caller                        string `json:"caller,omitempty"`
	CognitoAuthenticationProvider string `json:"cognitoAuthenticationProvider,omitempty"`
	CognitoAuthenticationType     string `json:"cognitoAuthenticationType,omitempty"`
	CognitoIdentityID             string `json:"cognitoIdentityId,omitempty"`
	CognitoIdentityPoolID         string `json:"cognitoIdentityPoolId,omitempty"`
	User                          string `json:"user,omitempty"`
	UserArn                       string `json:"userArn,omitempty"`
	UserAgent                     string `json:"userAgent,omitempty"`
	SourceIP                      string `json:"sourceIp"`
	APIKey                        string `json:"apiKey,omitempty"`
}

// Event types, as requestContext.eventType spells them.
const (
	eventConnect    = "CONNECT"
	eventMessage    = "MESSAGE"
	eventDisconnect = "DISCONNECT"
)

// requestTimeLayout is requestContext.requestTime's CLF format.
const requestTimeLayout = "02/Jan/2006:15:04:05 -0700"

// newEvent fills what every event type has.
func (c *conn) newEvent(eventType, routeKey, requestID string, now time.Time) *Event {
	e := &Event{
		RequestContext: RequestContext{
			RouteKey:          routeKey,
			EventType:         eventType,
			ExtendedRequestID: requestID,
			RequestTime:       now.UTC().Format(requestTimeLayout),
			MessageDirection:  "IN",
			Stage:             c.stage.Name,
			ConnectedAt:       c.connectedAt.UnixMilli(),
			RequestTimeEpoch:  now.UnixMilli(),
			Identity:          Identity{UserAgent: c.userAgent, SourceIP: c.sourceIP, APIKey: c.apiKey},
			RequestID:         requestID,
			DomainName:        c.domainName,
			ConnectionID:      c.id,
			APIID:             c.s.api.ID,
		},
	}
	if g := c.grant; g != nil {
		e.RequestContext.Authorizer = g.authorizer
		g.identity(&e.RequestContext.Identity)
	}
	if len(c.stage.Variables) > 0 {
		e.StageVariables = c.stage.Variables
	}
	return e
}

// connectHeaders are the upgrade request's headers as API Gateway passes them to $connect:
// the client's, plus the forwarding headers its front end adds.
func connectHeaders(r *http.Request, domainName string) (map[string]string, map[string][]string) {
	multi := map[string][]string{}
	for k, v := range r.Header {
		multi[k] = append([]string(nil), v...)
	}
	multi["Host"] = []string{domainName}
	ip := sourceIP(r)
	if prior := r.Header.Values("X-Forwarded-For"); len(prior) > 0 {
		multi["X-Forwarded-For"] = []string{strings.Join(prior, ", ") + ", " + ip}
	} else {
		multi["X-Forwarded-For"] = []string{ip}
	}
	proto, port := "http", "80"
	if r.TLS != nil {
		proto, port = "https", "443"
	}
	if _, p, ok := strings.Cut(r.Host, ":"); ok {
		port = p
	}
	multi["X-Forwarded-Proto"] = []string{proto}
	multi["X-Forwarded-Port"] = []string{port}
	single := make(map[string]string, len(multi))
	for k, v := range multi {
		single[k] = v[len(v)-1]
	}
	return single, multi
}

// queryParams splits a query as API Gateway does: the last value of each name, and all of them.
func queryParams(q url.Values) (map[string]string, map[string][]string) {
	if len(q) == 0 {
		return nil, nil
	}
	single := make(map[string]string, len(q))
	multi := make(map[string][]string, len(q))
	for k, v := range q {
		single[k] = v[len(v)-1]
		multi[k] = v
	}
	return single, multi
}

// disconnectHeaders is the fixed header set API Gateway sends with $disconnect.
func (c *conn) disconnectHeaders() (map[string]string, map[string][]string) {
	single := map[string]string{
		"Host":            c.domainName,
		"x-api-key":       c.apiKey,
		"X-Forwarded-For": c.header.Get("X-Forwarded-For"),
		"x-restapi":       "",
	}
	multi := make(map[string][]string, len(single))
	keys := make([]string, 0, len(single))
	for k := range single {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		multi[k] = []string{single[k]}
	}
	return single, multi
}
