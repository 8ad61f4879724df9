package iamauth

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A well-formed header needs these; the cases below break one part at a time.
const (
	goodDate = "20240101T000000Z"
	goodSig  = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	goodCred = devKey + "/20240101/us-east-1/execute-api/aws4_request"
)

func authHeader(cred, signed, sig string) string {
	return "AWS4-HMAC-SHA256 Credential=" + cred + ", SignedHeaders=" + signed + ", Signature=" + sig
}

func hashed(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}

func TestVerifyAnswers(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 3, 0, 0, time.UTC)
	cases := []struct {
		name    string
		target  string            // request target
		headers map[string]string // "" value: header sent empty
		now     time.Time         // zero: now above
		// wantKnown is checked when wantBody is ""; otherwise the answer must be exactly
		// wantCode and wantBody.
		wantKnown bool
		wantCode  string
		wantBody  string
	}{
		{name: "nothing", target: "/dev/@connections/abc",
			wantCode: CodeMissingAuthenticationToken, wantBody: `{"message":"Missing Authentication Token"}`},
		{name: "X-Amz-Date alone is not a signature", target: "/dev/x?X-Amz-Date=" + goodDate,
			wantCode: CodeMissingAuthenticationToken, wantBody: `{"message":"Missing Authentication Token"}`},
		{name: "bearer token", target: "/x", headers: map[string]string{"Authorization": "Bearer abc.def.ghi"},
			wantCode: CodeIncompleteSignature,
			wantBody: `{"message":"Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '` + hashed("abc.def.ghi") + `'."}`},
		{name: "bare JWT", target: "/x", headers: map[string]string{"Authorization": "eyJhbGciOiJIUzI1NiJ9.e30.sig"},
			wantCode: CodeIncompleteSignature,
			wantBody: `{"message":"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. ` +
				`Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ` +
				`Authorization=eyJhbGciOiJIUzI1NiJ9.e30.sig"}`},
		{name: "empty header", target: "/x", headers: map[string]string{"Authorization": ""},
			wantCode: CodeIncompleteSignature,
			wantBody: `{"message":"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. ` +
				`Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization="}`},
		{name: "basic with padding", target: "/x", headers: map[string]string{"Authorization": "Basic dXNlcjpwYXNzd29yZA==", "X-Amz-Date": goodDate},
			wantCode: CodeIncompleteSignature,
			wantBody: `{"message":"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. ` +
				`Authorization header requires 'SignedHeaders' parameter. Authorization=Basic dXNlcjpwYXNzd29yZA=="}`},
		{name: "signature only", target: "/x",
			headers:  map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=" + goodCred, "X-Amz-Date": goodDate},
			wantCode: CodeIncompleteSignature,
			wantBody: `{"message":"Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. ` +
				`Authorization=AWS4-HMAC-SHA256 Credential=` + goodCred + `"}`},
		{name: "four-part credential", target: "/x",
			headers:  map[string]string{"Authorization": authHeader("AKID/20240101/us-east-1/execute-api", "host;x-amz-date", goodSig), "X-Amz-Date": goodDate},
			wantCode: CodeIncompleteSignature,
			wantBody: `{"message":"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20240101/us-east-1/execute-api'"}`},
		{name: "signed for apigateway", target: "/x",
			headers:  map[string]string{"Authorization": authHeader(devKey+"/20240101/us-east-1/apigateway/aws4_request", "host;x-amz-date", goodSig), "X-Amz-Date": goodDate},
			wantCode: CodeInvalidSignature, wantBody: `{"message":"Credential should be scoped to correct service: 'execute-api'. "}`},
		{name: "bad terminator", target: "/x",
			headers:  map[string]string{"Authorization": authHeader(devKey+"/20240101/us-east-1/execute-api/aws4", "host;x-amz-date", goodSig), "X-Amz-Date": goodDate},
			wantCode: CodeInvalidSignature, wantBody: `{"message":"Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4'. "}`},
		{name: "region in upper case", target: "/x",
			headers:  map[string]string{"Authorization": authHeader(devKey+"/20240101/US-EAST-1/execute-api/aws4_request", "host;x-amz-date", goodSig), "X-Amz-Date": goodDate},
			wantCode: CodeInvalidSignature, wantBody: `{"message":"Credential should be scoped to a valid region, not 'US-EAST-1'. "}`},
		{name: "scope date is another day", target: "/x",
			headers:  map[string]string{"Authorization": authHeader(devKey+"/20231231/us-east-1/execute-api/aws4_request", "host;x-amz-date", goodSig), "X-Amz-Date": goodDate},
			wantCode: CodeInvalidSignature,
			wantBody: `{"message":"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20231231' != '20240101', from '20240101T000000Z'."}`},
		{name: "extended ISO date", target: "/x",
			headers:  map[string]string{"Authorization": authHeader(goodCred, "host;x-amz-date", goodSig), "X-Amz-Date": "2024-01-01T00:00:00Z"},
			wantCode: CodeIncompleteSignature,
			wantBody: `{"message":"Date must be in ISO-8601 'basic format'. Got '2024-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"}`},
		{name: "host not signed", target: "/x",
			headers:  map[string]string{"Authorization": authHeader(goodCred, "x-amz-date", goodSig), "X-Amz-Date": goodDate},
			wantCode: CodeInvalidSignature, wantBody: `{"message":"'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."}`},
		{name: "SigV4a", target: "/x",
			headers:  map[string]string{"Authorization": strings.Replace(authHeader(goodCred, "host;x-amz-date", goodSig), "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1), "X-Amz-Date": goodDate},
			wantCode: CodeIncompleteSignature,
			wantBody: `{"message":"Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'. API Gateway accepts only 'AWS4-HMAC-SHA256'."}`},
		{name: "expired", target: "/x", now: time.Date(2024, 1, 1, 0, 10, 0, 0, time.UTC),
			headers:  map[string]string{"Authorization": authHeader(goodCred, "host;x-amz-date", goodSig), "X-Amz-Date": goodDate},
			wantCode: CodeInvalidSignature,
			wantBody: `{"message":"Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z (20240101T001000Z - 5 min.)"}`},
		{name: "not yet current", target: "/x", now: time.Date(2023, 12, 31, 23, 50, 0, 0, time.UTC),
			headers:  map[string]string{"Authorization": authHeader(goodCred, "host;x-amz-date", goodSig), "X-Amz-Date": goodDate},
			wantCode: CodeInvalidSignature,
			wantBody: `{"message":"Signature not yet current: 20240101T000000Z is still later than 20231231T235500Z (20231231T235000Z + 5 min.)"}`},
		{name: "developer's key, well-formed", target: "/x",
			headers: map[string]string{"Authorization": authHeader(goodCred, "host;x-amz-date", goodSig), "X-Amz-Date": goodDate}},
		{name: "developer's key, dated by Date header", target: "/x",
			headers: map[string]string{"Authorization": authHeader(goodCred, "date;host", goodSig), "Date": "Mon, 01 Jan 2024 00:00:00 GMT"}},
		{name: "developer's key, signature too short", target: "/x",
			headers:  map[string]string{"Authorization": authHeader(goodCred, "host;x-amz-date", "abc"), "X-Amz-Date": goodDate},
			wantCode: CodeInvalidSignature},
		{name: "function key, dated by Date header", target: "/x",
			headers:  map[string]string{"Authorization": authHeader(bareKey+"/20240101/us-east-1/execute-api/aws4_request", "date;host", goodSig), "Date": "Mon, 01 Jan 2024 00:00:00 GMT"},
			wantCode: CodeInvalidSignature},
		{name: "presigned, parts missing", target: "/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=" + goodDate,
			wantCode: CodeIncompleteSignature,
			wantBody: `{"message":"AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. ` +
				`AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters."}`},
		{name: "presigned, other algorithm", target: "/x?X-Amz-Algorithm=AWS4-HMAC-SHA1&X-Amz-Credential=" + goodCred + "&X-Amz-Signature=" + goodSig + "&X-Amz-SignedHeaders=host&X-Amz-Date=" + goodDate,
			wantCode: CodeIncompleteSignature, wantBody: `{"message":"X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\""}`},
		{name: "presigned, expiry over a week", target: "/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + goodCred + "&X-Amz-Signature=" + goodSig + "&X-Amz-SignedHeaders=host&X-Amz-Date=" + goodDate + "&X-Amz-Expires=604801",
			wantCode: CodeIncompleteSignature, wantBody: `{"message":"X-Amz-Expires must be less than a week (in seconds) that is 604800"}`},
		{name: "presigned, developer's key", target: "/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + goodCred + "&X-Amz-Signature=" + goodSig + "&X-Amz-SignedHeaders=host&X-Amz-Date=" + goodDate},
		{name: "header wins over query", target: "/x?X-Amz-Algorithm=nonsense", headers: map[string]string{"Authorization": authHeader(goodCred, "host;x-amz-date", goodSig), "X-Amz-Date": goodDate}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, tc.target, nil)
			for k, v := range tc.headers {
				r.Header.Set(k, v)
			}
			at := tc.now
			if at.IsZero() {
				at = now
			}
			caller, err := Verify(r, nil, at, lookup)
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if caller.Known != tc.wantKnown || caller.AccessKeyID == "" {
					t.Errorf("caller = %+v", caller)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("error = %v, want *Error", err)
			}
			if e.Status() != http.StatusForbidden || e.Code != tc.wantCode {
				t.Errorf("answer %d %s, want 403 %s", e.Status(), e.Code, tc.wantCode)
			}
			wantType := map[string]string{
				CodeMissingAuthenticationToken: TypeMissingAuthenticationToken,
				CodeIncompleteSignature:        TypeMissingAuthenticationToken,
				CodeInvalidSignature:           TypeInvalidSignature,
			}[tc.wantCode]
			if e.ResponseType != wantType {
				t.Errorf("ResponseType = %s, want %s", e.ResponseType, wantType)
			}
			if tc.wantBody != "" && string(e.Body()) != tc.wantBody {
				t.Errorf("body\n got %s\nwant %s", e.Body(), tc.wantBody)
			}
		})
	}
}

func TestErrorWrite(t *testing.T) {
	w := httptest.NewRecorder()
	e := AccessDenied("arn:aws:sts::123456789012:assumed-role/Fn/fn", ActionManageConnections,
		"arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/@connections/{connectionId}", ImplicitDeny)
	e.Write(w)
	want := `{"Message":"User: arn:aws:sts::123456789012:assumed-role/Fn/fn is not authorized to perform: execute-api:ManageConnections ` +
		`on resource: arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/@connections/{connectionId} ` +
		`because no identity-based policy allows the execute-api:ManageConnections action"}`
	if w.Code != 403 || w.Header().Get("x-amzn-ErrorType") != CodeAccessDenied || w.Header().Get("Content-Type") != "application/json" || w.Body.String() != want {
		t.Errorf("wrote %d %v\n%s\nwant\n%s", w.Code, w.Header(), w.Body, want)
	}
	if e.ResponseType != TypeAccessDenied {
		t.Errorf("ResponseType = %s", e.ResponseType)
	}
	d := AccessDenied("p", ActionInvoke, "r", ExplicitDeny)
	if want := "User: p is not authorized to perform: execute-api:Invoke on resource: r with an explicit deny in an identity-based policy"; d.Message() != want {
		t.Errorf("explicit deny message %q", d.Message())
	}
}
