package httpapi

import (
	"encoding/base64"
	"mime"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/authorizer"
	"github.com/gatehouse-dev/gatehouse/local/internal/querystring"
)

// EventRequest is one client request as API Gateway describes it to an HTTP API's Lambda
// proxy integration. Both payload formats are built from it.
type EventRequest struct {
	Method string
	// Path is the path API Gateway reports: rawPath and requestContext.http.path in 2.0,
	// path and requestContext.path in 1.0. It keeps the client's percent-encoding and, for a
	// named stage, starts with "/{stage}".
	Path string
	// Resource is the route's path ("/items/{id}") or "$default": 1.0 resource and resourcePath.
	Resource string
	RouteKey string // "GET /items/{id}" or "$default"
	// Header holds every header with its names as the event shows them (lower case for HTTP
	// APIs), values in arrival order.
	Header map[string][]string
	// RawQuery is the query string as the client sent it, without "?".
	RawQuery string
	// PathParameters and StageVariables are nil when there are none (the events then omit
	// them in 2.0 and show null in 1.0, as API Gateway does).
	PathParameters map[string]string
	StageVariables map[string]string
	Body           []byte
	Context        RequestContext
	// Authorization is what the route's authorizer decided; the zero value for an
	// unprotected route. It fills requestContext.authorizer (and, for IAM in payload 1.0,
	// requestContext.identity).
	Authorization authorizer.Decision
}

// RequestContext is what API Gateway knows about a request beyond its HTTP content.
type RequestContext struct {
	AccountID    string
	APIID        string
	DomainName   string
	DomainPrefix string
	Stage        string
	RequestID    string
	Protocol     string // "HTTP/1.1": API Gateway reports this even for HTTP/2 clients
	SourceIP     string
	UserAgent    string
	Time         time.Time
}

// requestTimeLayout is the CLF time API Gateway puts in requestContext.time / requestTime.
const requestTimeLayout = "02/Jan/2006:15:04:05 -0700"

// bodyIsText reports whether API Gateway passes a request body with this Content-Type as text.
// HTTP APIs have no binaryMediaTypes setting: they send text, JSON, JavaScript and XML as is
// and base64-encode everything else, including bodies without a Content-Type and form posts.
func bodyIsText(contentType string) bool {
	if contentType == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		mt == "application/json", mt == "application/javascript", mt == "application/xml",
		strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	return false
}

// encodeBody returns the event's body and isBase64Encoded for a request body.
func encodeBody(body []byte, header map[string][]string) (string, bool) {
	if len(body) == 0 {
		return "", false
	}
	ct := ""
	if v := header["content-type"]; len(v) > 0 {
		ct = v[0]
	}
	if bodyIsText(ct) {
		return string(body), false
	}
	return base64.StdEncoding.EncodeToString(body), true
}

// queryValues is querystring.Split, under the name this package's callers use.
func queryValues(raw string) (names []string, values map[string][]string) {
	return querystring.Split(raw)
}
