package iamauth

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	algorithm     = "AWS4-HMAC-SHA256"
	service       = "execute-api"
	terminator    = "aws4_request"
	amzDateLayout = "20060102T150405Z"
	scopeLayout   = "20060102"
	// maxPresignExpiry is the longest X-Amz-Expires SigV4 allows: one week.
	maxPresignExpiry = 7 * 24 * time.Hour
)

// Query-string names of a presigned request.
const (
	qAlgorithm     = "X-Amz-Algorithm"
	qCredential    = "X-Amz-Credential"
	qSignature     = "X-Amz-Signature"
	qSignedHeaders = "X-Amz-SignedHeaders"
	qDate          = "X-Amz-Date"
	qExpires       = "X-Amz-Expires"
	qSecurityToken = "X-Amz-Security-Token"
)

// signature is what a request says about its own signing, read from the Authorization header
// or, for a presigned URL, from the query string.
type signature struct {
	presigned     bool
	accessKeyID   string
	scopeDate     string
	region        string
	signedHeaders []string // as the client listed them
	signedRaw     string   // the SignedHeaders value as sent
	signature     string
	amzDate       string    // the date as sent
	signedAt      time.Time // amzDate parsed
	fromDateHdr   bool      // signedAt came from the Date header, not X-Amz-Date
	expires       time.Duration
	token         string
	hasToken      bool
}

// readSignature finds and checks the parts of a SigV4 signature that do not need the secret:
// that they are all there, the credential scope, and the date format. It answers with API
// Gateway's messages for each failure.
func readSignature(r *http.Request, query url.Values) (*signature, *Error) {
	if vals, ok := r.Header["Authorization"]; ok {
		// A request with several Authorization headers is read by its first, as API Gateway
		// passes header values on (multiValueHeaders aside) by the first one.
		v := ""
		if len(vals) > 0 {
			v = vals[0]
		}
		return readHeaderSignature(r, v)
	}
	if query.Has(qAlgorithm) || query.Has(qCredential) || query.Has(qSignature) {
		return readQuerySignature(query)
	}
	return nil, errMissingToken()
}

func readHeaderSignature(r *http.Request, value string) (*signature, *Error) {
	// The header is "ALGORITHM key=value, key=value, ...". AWS splits the part after the
	// algorithm at commas and spaces alike, which is why a bearer token's own text is what
	// the missing-equal-sign answer names.
	alg, rest, _ := strings.Cut(strings.TrimLeft(value, " "), " ")
	params := map[string]string{}
	for _, part := range strings.FieldsFunc(rest, func(c rune) bool { return c == ',' || c == ' ' || c == '\t' }) {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, errMissingEqualSign(part)
		}
		params[k] = v
	}

	amzDate, dateHdr := r.Header.Get("X-Amz-Date"), r.Header.Get("Date")
	var missing []string
	for _, name := range []string{"Credential", "Signature", "SignedHeaders"} {
		if params[name] == "" {
			missing = append(missing, "Authorization header requires '"+name+"' parameter.")
		}
	}
	if amzDate == "" && dateHdr == "" {
		missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if len(missing) > 0 {
		return nil, errIncomplete(strings.Join(missing, " ") + " Authorization=" + value)
	}
	if alg != algorithm {
		// AWS documents no wording for a complete header with another algorithm (SigV2's
		// "AWS", SigV4a's "AWS4-ECDSA-P256-SHA256"); this names what was sent and what works.
		return nil, errIncomplete("Unsupported AWS 'algorithm': '" + alg + "'. API Gateway accepts only '" + algorithm + "'.")
	}

	s := &signature{signature: params["Signature"], signedRaw: params["SignedHeaders"]}
	if err := s.readCredential(params["Credential"]); err != nil {
		return nil, err
	}
	if vals, ok := r.Header["X-Amz-Security-Token"]; ok && len(vals) > 0 {
		s.token, s.hasToken = vals[0], true
	}
	if amzDate != "" {
		if err := s.readDate(amzDate); err != nil {
			return nil, err
		}
	} else {
		t, err := http.ParseTime(dateHdr)
		if err != nil {
			return nil, errIncomplete("Date must be in ISO-8601 'basic format'. Got '" + dateHdr + "'. See http://en.wikipedia.org/wiki/ISO_8601")
		}
		s.signedAt, s.amzDate, s.fromDateHdr = t.UTC(), t.UTC().Format(amzDateLayout), true
	}
	return s, s.check()
}

func readQuerySignature(q url.Values) (*signature, *Error) {
	var missing []string
	for _, name := range []string{qAlgorithm, qCredential, qSignature, qSignedHeaders, qDate} {
		if q.Get(name) == "" {
			missing = append(missing, "AWS query-string parameters must include '"+name+"'.")
		}
	}
	if len(missing) > 0 {
		return nil, errIncomplete(strings.Join(missing, " ") + " Re-examine the query-string parameters.")
	}
	if alg := q.Get(qAlgorithm); alg != algorithm {
		return nil, errIncomplete("X-Amz-Algorithm only supports \"" + algorithm + "\"")
	}
	s := &signature{presigned: true, signature: q.Get(qSignature), signedRaw: q.Get(qSignedHeaders)}
	if err := s.readCredential(q.Get(qCredential)); err != nil {
		return nil, err
	}
	if err := s.readDate(q.Get(qDate)); err != nil {
		return nil, err
	}
	if q.Has(qSecurityToken) {
		s.token, s.hasToken = q.Get(qSecurityToken), true
	}
	if q.Has(qExpires) {
		raw := q.Get(qExpires)
		n, err := strconv.ParseInt(raw, 10, 64)
		switch {
		case err != nil:
			return nil, errIncomplete("X-Amz-Expires should be a number, not '" + raw + "'")
		case n < 0:
			return nil, errIncomplete("X-Amz-Expires must be non-negative")
		case time.Duration(n)*time.Second > maxPresignExpiry:
			return nil, errIncomplete("X-Amz-Expires must be less than a week (in seconds) that is 604800")
		}
		s.expires = time.Duration(n) * time.Second
	}
	return s, s.check()
}

func (s *signature) readCredential(cred string) *Error {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return errIncomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + cred + "'")
	}
	s.accessKeyID, s.scopeDate, s.region = parts[0], parts[1], parts[2]
	switch {
	case parts[4] != terminator:
		return errInvalid("Credential should be scoped with a valid terminator: '" + terminator + "', not '" + parts[4] + "'. ")
	case parts[3] != service:
		return errInvalid("Credential should be scoped to correct service: '" + service + "'. ")
	case !validRegion(s.region):
		return errInvalid("Credential should be scoped to a valid region, not '" + s.region + "'. ")
	case s.accessKeyID == "":
		return errIncomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + cred + "'")
	}
	return nil
}

func (s *signature) readDate(v string) *Error {
	t, err := time.Parse(amzDateLayout, v)
	if err != nil {
		return errIncomplete("Date must be in ISO-8601 'basic format'. Got '" + v + "'. See http://en.wikipedia.org/wiki/ISO_8601")
	}
	s.amzDate, s.signedAt = v, t
	return nil
}

// check is what remains once every part is read: the scope's date against the request's, and
// the signed-header list.
func (s *signature) check() *Error {
	if day := s.signedAt.Format(scopeLayout); s.scopeDate != day {
		return errInvalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
			s.scopeDate + "' != '" + day + "', from '" + s.amzDate + "'.")
	}
	s.signedHeaders = strings.Split(s.signedRaw, ";")
	for _, h := range s.signedHeaders {
		if h == "host" {
			return nil
		}
	}
	// SigV4 requires the host to be signed: without it a signature could be replayed against
	// any API.
	return errInvalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
}

// validRegion accepts what a region name can look like (us-east-1, cn-north-1,
// us-gov-west-1, and the made-up names people give local stacks) and refuses what cannot: an
// empty scope part, upper case, or characters no region has.
func validRegion(r string) bool {
	if r == "" || len(r) > 64 || r[0] == '-' || r[len(r)-1] == '-' {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// isHexSignature is whether a signature can be one at all: 64 lower-case hex digits.
func isHexSignature(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
