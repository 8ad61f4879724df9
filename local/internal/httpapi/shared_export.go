package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/local/internal/querystring"
)

// What the REST API server (package restapi) shares with this package instead of keeping
// copies: where the two kinds of API behave alike, one implementation serves both.

// DefaultClient is the client for HTTP integrations when Options.Client is nil: it never
// follows redirects (API Gateway relays them), never decompresses, and uses no proxy from
// the environment.
func DefaultClient() *http.Client { return defaultClient() }

// BodyAllowed reports whether a response with this status may carry a body.
func BodyAllowed(status int) bool { return bodyAllowed(status) }

// SourceIP is the client address events and $context.identity.sourceIp report.
func SourceIP(r *http.Request) string { return sourceIP(r) }

// QueryValues is [querystring.Split]: a raw query string's parameters as API Gateway decodes
// them ('+' is a space), names in arrival order; a pair that does not decode is kept verbatim.
func QueryValues(raw string) (names []string, values map[string][]string) {
	return querystring.Split(raw)
}

// IsJSONNull reports whether a raw JSON member is absent or null.
func IsJSONNull(raw json.RawMessage) bool { return isNull(raw) }

// HeaderText is a Lambda proxy response's header value as text: strings as they are,
// numbers and booleans as written; objects and arrays are errors.
func HeaderText(raw json.RawMessage) (string, error) { return scalarText(raw) }
