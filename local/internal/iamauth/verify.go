package iamauth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"
)

// MaxSkew is how far a request's signing date may be from now. API Gateway allows five
// minutes either way: its answer to an older request reads "... (now - 5 min.)". (Some AWS
// services, DynamoDB among them, allow fifteen; execute-api does not.)
const MaxSkew = 5 * time.Minute

// SecretLookup finds the credentials the runner gave one of its functions. known is false for
// any other access key: a developer's own keys, which the runner cannot check and accepts
// when the signature is well-formed, as the issue asks. sessionToken is "" for a key issued
// without one.
type SecretLookup func(accessKeyID string) (secret, sessionToken string, known bool)

// Caller is who signed an accepted request.
type Caller struct {
	AccessKeyID string
	// Region is the region of the signature's credential scope.
	Region string
	// Known is true when the key is one of the runner's own function keys and the signature
	// was recomputed and matched; false for any other well-formed signature.
	Known bool
}

// Verify checks the SigV4 signature of r, as API Gateway does for a route or the @connections
// API with IAM authorization, and says who signed it.
//
// body is the request body as received (r.Body is not read). Verify reads the path and query
// from r.RequestURI when it is set, so a handler behind http.StripPrefix still verifies the path
// the client signed. now is the clock to judge the signing date by.
//
// The error, when not nil, is an [*Error] carrying API Gateway's answer.
func Verify(r *http.Request, body []byte, now time.Time, secrets SecretLookup) (*Caller, error) {
	path, rawQuery := requestTarget(r)
	query, _ := url.ParseQuery(rawQuery) // what does not parse is not signed by anyone either

	s, err := readSignature(r, query)
	if err != nil {
		return nil, err
	}
	if err := s.checkTime(now); err != nil {
		return nil, err
	}

	secret, token, known := secrets(s.accessKeyID)
	if !known {
		if !isHexSignature(s.signature) {
			// No key could have produced this; show the canonical request as AWS would.
			canonical, sts, _, _ := resign(r, path, query, body, s, aws.Credentials{AccessKeyID: s.accessKeyID, SecretAccessKey: "-"})
			return nil, errMismatch(canonical, sts, "the signature is not 64 lower-case hex digits")
		}
		return &Caller{AccessKeyID: s.accessKeyID, Region: s.region}, nil
	}

	if token != s.token {
		detail := fmt.Sprintf("access key %s is a local function key", s.accessKeyID)
		switch {
		case token == "":
			detail += " issued without a session token, and the request carries one"
		case !s.hasToken:
			detail += " with a session token, and the request carries none"
		default:
			detail += ", and the request's session token is not the one issued with it"
		}
		return nil, errInvalidToken(detail)
	}

	creds := aws.Credentials{AccessKeyID: s.accessKeyID, SecretAccessKey: secret, SessionToken: token}
	canonical, sts, want, detail := resign(r, path, query, body, s, creds)
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(s.signature)) != 1 {
		if detail == "" {
			detail = fmt.Sprintf("access key %s is a local function key and its secret gives another signature", s.accessKeyID)
		}
		return nil, errMismatch(canonical, sts, detail)
	}
	return &Caller{AccessKeyID: s.accessKeyID, Region: s.region, Known: true}, nil
}

// checkTime applies API Gateway's window. A presigned URL with X-Amz-Expires stays valid for
// that long after its date instead.
func (s *signature) checkTime(now time.Time) *Error {
	past := MaxSkew
	if s.presigned && s.expires > 0 {
		past = s.expires
	}
	switch {
	case s.signedAt.Before(now.Add(-past)):
		return errExpired(s.signedAt, now, past)
	case s.signedAt.After(now.Add(MaxSkew)):
		return errNotYetCurrent(s.signedAt, now, MaxSkew)
	}
	return nil
}

// requestTarget is the escaped path and raw query the client sent.
func requestTarget(r *http.Request) (path, rawQuery string) {
	target := r.RequestURI
	if target == "" || target == "*" {
		return r.URL.EscapedPath(), r.URL.RawQuery
	}
	// An absolute-form target (a request through a proxy) carries scheme and host first.
	if i := strings.Index(target, "://"); i >= 0 && !strings.HasPrefix(target, "/") {
		rest := target[i+3:]
		if j := strings.IndexAny(rest, "/?"); j >= 0 {
			target = rest[j:]
		} else {
			target = "/"
		}
	}
	path, rawQuery, _ = strings.Cut(target, "?")
	return path, rawQuery
}

// resign signs a copy of the request the way the client must have, with the SDK's own signer:
// the method, the path as sent, the query less the signature, exactly the headers the client
// listed, the client's date and scope. It returns the canonical request and string to sign
// (for the mismatch answer), the signature, and what could not be reproduced, if anything.
func resign(r *http.Request, path string, query url.Values, body []byte, s *signature, creds aws.Credentials) (canonical, stringToSign, sig, detail string) {
	vr := &http.Request{
		Method: r.Method,
		// The signer takes the path from Opaque verbatim after the "//host" part, so the path
		// is canonicalized from exactly what was on the wire (API Gateway double-encodes it, as
		// the SDK's signer does: a connection id's "%3D" is signed as "%253D").
		URL:    &url.URL{Scheme: "http", Opaque: "//host" + path},
		Host:   r.Host,
		Header: http.Header{},
	}
	if r.TLS != nil {
		vr.URL.Scheme = "https" // the signer drops a default port by scheme
	}
	if vr.Host == "" {
		vr.Host = r.URL.Host
	}

	var notes []string
	received := map[string][]string{}
	for k, v := range r.Header {
		lk := strings.ToLower(k)
		received[lk] = append(received[lk], v...)
	}
	tokenSigned := false
	for _, name := range s.signedHeaders {
		switch name {
		case "host":
			continue
		case "content-length":
			n := r.ContentLength
			if v, ok := received["content-length"]; ok && len(v) > 0 {
				if p, err := strconv.ParseInt(strings.TrimSpace(v[0]), 10, 64); err == nil {
					n = p
				}
			}
			if n > 0 {
				vr.ContentLength = n
			} else {
				notes = append(notes, "the request signs content-length 0, which the SDK signer never signs")
			}
			continue
		case "x-amz-security-token":
			tokenSigned = true
		case "authorization", "user-agent", "x-amzn-trace-id", "expect", "transfer-encoding":
			notes = append(notes, fmt.Sprintf("the request signs %q, which the SDK signer leaves out", name))
		}
		if v, ok := received[name]; ok {
			vr.Header[http.CanonicalHeaderKey(name)] = v
		}
	}
	if s.fromDateHdr {
		notes = append(notes, "the request is dated by its Date header; only X-Amz-Date signatures can be recomputed")
	}

	payloadHash := hexSHA256(body)
	if v, ok := received["x-amz-content-sha256"]; ok && len(v) > 0 {
		// The client says what it hashed. A hash that is not the body's means the body
		// changed after signing; anything else (UNSIGNED-PAYLOAD) is signed as stated.
		if claimed := v[0]; isHexSignature(claimed) && claimed != payloadHash {
			notes = append(notes, "X-Amz-Content-Sha256 is not the SHA-256 of the body")
		} else {
			payloadHash = claimed
		}
	}

	var captured capture
	opts := func(o *v4.SignerOptions) {
		// The headers and query are already where the client put them.
		o.DisableHeaderHoisting = true
		// A token the client did not sign must not be signed here either.
		o.DisableSessionToken = !s.presigned && !tokenSigned
		o.LogSigning = true
		o.Logger = &captured
	}
	signer := v4.NewSigner()
	ctx := context.Background()
	if s.presigned {
		q := url.Values{}
		for k, v := range query {
			if k != qSignature {
				q[k] = v
			}
		}
		vr.URL.RawQuery = q.Encode()
		signed, _, err := signer.PresignHTTP(ctx, creds, vr, payloadHash, service, s.region, s.signedAt, opts)
		if err != nil {
			return "", "", "", "signing: " + err.Error()
		}
		if u, err := url.Parse(signed); err == nil {
			sig = u.Query().Get(qSignature)
		}
	} else {
		vr.URL.RawQuery = query.Encode()
		if err := signer.SignHTTP(ctx, creds, vr, payloadHash, service, s.region, s.signedAt, opts); err != nil {
			return "", "", "", "signing: " + err.Error()
		}
		_, sig, _ = strings.Cut(vr.Header.Get("Authorization"), "Signature=")
	}
	if got := signedHeadersOf(captured.canonical); got != s.signedRaw {
		notes = append(notes, fmt.Sprintf("the request lists SignedHeaders=%s, the recomputed signature covers %s", s.signedRaw, got))
	}
	return captured.canonical, captured.stringToSign, sig, strings.Join(notes, "; ")
}

// capture receives the signer's debug log, whose first two values are the canonical request
// and the string to sign: the signer offers them no other way.
type capture struct{ canonical, stringToSign string }

func (c *capture) Logf(_ logging.Classification, _ string, v ...interface{}) {
	if len(v) >= 2 {
		c.canonical, _ = v[0].(string)
		c.stringToSign, _ = v[1].(string)
	}
}

// signedHeadersOf reads the signed-header list back out of a canonical request: its
// second-to-last line.
func signedHeadersOf(canonical string) string {
	lines := strings.Split(canonical, "\n")
	if len(lines) < 2 {
		return ""
	}
	return lines[len(lines)-2]
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
