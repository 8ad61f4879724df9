// Package payloadv1 is the Lambda proxy event of payload format 1.0
// (events.APIGatewayProxyRequest in aws-lambda-go), which REST APIs send to every Lambda
// proxy integration and HTTP APIs to an integration with payloadFormatVersion 1.0.
//
// Both kinds of API fill the same shape; what they put in it differs, and each server's
// builder says so where it fills an [Event]: an HTTP API writes version "1.0", reports the
// path with the stage in both path and requestContext.path, has no resourceId and no API key
// fields, and gives a repeated query string parameter's first value; a REST API writes no
// version, reports path without the stage, sets resourceId and the identity's apiKey and
// apiKeyId, and gives the last value.
package payloadv1

import "encoding/json"

// Event is the whole event. Empty maps are null in what API Gateway sends; [Marshal] makes
// them so.
type Event struct {
	Version                         string              `json:"version,omitempty"` // "1.0" for HTTP APIs; REST APIs send none
	Resource                        string              `json:"resource"`
	Path                            string              `json:"path"`
	HTTPMethod                      string              `json:"httpMethod"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	RequestContext                  Context             `json:"requestContext"`
	PathParameters                  map[string]string   `json:"pathParameters"`
	StageVariables                  map[string]string   `json:"stageVariables"`
	Body                            *string             `json:"body"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
}

// Context is requestContext.
type Context struct {
	AccountID         string   `json:"accountId"`
	APIID             string   `json:"apiId"`
	Authorizer        any      `json:"authorizer,omitempty"`
	DomainName        string   `json:"domainName"`
	DomainPrefix      string   `json:"domainPrefix"`
	ExtendedRequestID string   `json:"extendedRequestId"`
	HTTPMethod        string   `json:"httpMethod"`
	Identity          Identity `json:"identity"`
	Path              string   `json:"path"`
	Protocol          string   `json:"protocol"`
	RequestID         string   `json:"requestId"`
	RequestTime       string   `json:"requestTime"`
	RequestTimeEpoch  int64    `json:"requestTimeEpoch"`
	ResourceID        *string  `json:"resourceId"` // null for HTTP APIs
	ResourcePath      string   `json:"resourcePath"`
	Stage             string   `json:"stage"`
}

// Identity lists every identity field API Gateway sends; those that need IAM or Cognito
// authorization are null for an unauthenticated caller, as in the guide's examples.
type Identity struct {
	AccessKey *string `json:"accessKey"`
	AccountID *string `json:"accountId"`
	// *KeyIdentity is nil for HTTP APIs, whose events have no API key fields: a nil embedded
	// pointer leaves its fields out of the JSON.
	*KeyIdentity
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

// KeyIdentity is the API key a REST API method was called with. Both are null for a method
// that does not require one ("$context.identity.apiKey ... For methods that don't require an
// API key, this variable is null").
type KeyIdentity struct {
	APIKey   *string `json:"apiKey"`
	APIKeyID *string `json:"apiKeyId"`
}

// Pick says which value of a repeated query string parameter queryStringParameters holds
// (multiValueQueryStringParameters holds them all).
type Pick uint8

const (
	// First is an HTTP API's choice, as in the guide's payload 1.0 example.
	First Pick = iota
	// Last is a REST API's choice, as in the guide's "Input format of a Lambda function for
	// proxy integration".
	Last
)

// SetHeaders fills headers, with the last value of a repeated header, and multiValueHeaders,
// with every value, from h; names are used as given (an HTTP API lower-cases them first, a
// REST API keeps the client's spelling). Both stay null when h is empty.
func (e *Event) SetHeaders(h map[string][]string) {
	if len(h) == 0 {
		return
	}
	e.Headers = make(map[string]string, len(h))
	e.MultiValueHeaders = make(map[string][]string, len(h))
	for name, vs := range h {
		if len(vs) == 0 {
			continue
		}
		e.Headers[name] = vs[len(vs)-1]
		e.MultiValueHeaders[name] = vs
	}
}

// SetQuery fills queryStringParameters, with the value pick names, and
// multiValueQueryStringParameters, with values itself; values holds no empty slice. Both stay
// null when values is empty.
func (e *Event) SetQuery(values map[string][]string, pick Pick) {
	if len(values) == 0 {
		return
	}
	e.QueryStringParameters = make(map[string]string, len(values))
	for k, vs := range values {
		if pick == Last {
			e.QueryStringParameters[k] = vs[len(vs)-1]
		} else {
			e.QueryStringParameters[k] = vs[0]
		}
	}
	e.MultiValueQueryStringParameters = values
}

// Marshal encodes the event, with empty path parameters and stage variables as null, as API
// Gateway sends them; e itself is not changed.
func Marshal(e *Event) ([]byte, error) {
	ev := *e
	if len(ev.PathParameters) == 0 {
		ev.PathParameters = nil
	}
	if len(ev.StageVariables) == 0 {
		ev.StageVariables = nil
	}
	return json.Marshal(&ev)
}
