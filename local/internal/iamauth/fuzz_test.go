package iamauth

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var fuzzNow = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// FuzzVerify feeds arbitrary request targets and headers to Verify: it must never panic, and
// every refusal must be a 403 *Error with a JSON body.
func FuzzVerify(f *testing.F) {
	// Seeds: real signatures (header and presigned, known and unknown keys), then damage.
	for _, key := range []string{bareKey, devKey} {
		req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:9/dev/@connections/R0oXAdfD0kwCH6w%3D?a=b", strings.NewReader("hi"))
		_ = v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: bareSecret}, req, hexSHA256([]byte("hi")), service, "us-east-1", fuzzNow)
		f.Add("POST", req.URL.RequestURI(), req.Header.Get("Authorization"), req.Header.Get("X-Amz-Date"), "", "hi")
		u, _, _ := v4.NewSigner().PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: bareSecret, SessionToken: "t"}, req, hexSHA256(nil), service, "us-east-1", fuzzNow)
		pu, _ := url.Parse(u)
		f.Add("GET", pu.RequestURI(), "", "", "", "")
	}
	f.Add("GET", "/x", "Bearer abc", "", "", "")
	f.Add("GET", "/x", authHeader(goodCred, "host;x-amz-date", goodSig), goodDate, "tok", "")
	f.Add("GET", "/x", authHeader("a/b/c/d/e", ";;", "="), "20240101T000000Z", "", "")
	f.Add("GET", "/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2F20240101%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-Signature=x&X-Amz-SignedHeaders=host&X-Amz-Date=20240101T000000Z&X-Amz-Expires=-1", "", "", "", "")
	f.Add("GET", "http://h/x?y", ",,, ,=,", "", "", "")

	f.Fuzz(func(t *testing.T, method, target, authorization, amzDate, token, body string) {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return
		}
		r := &http.Request{Method: method, URL: u, RequestURI: target, Host: "127.0.0.1:9", Header: http.Header{}}
		if authorization != "" {
			r.Header.Set("Authorization", authorization)
		}
		if amzDate != "" {
			r.Header.Set("X-Amz-Date", amzDate)
		}
		if token != "" {
			r.Header.Set("X-Amz-Security-Token", token)
		}
		caller, err := Verify(r, []byte(body), fuzzNow, lookup)
		if err == nil {
			if caller == nil || caller.AccessKeyID == "" {
				t.Fatalf("accepted without a caller: %+v", caller)
			}
			return
		}
		e, ok := err.(*Error)
		if !ok {
			t.Fatalf("error %v is not an *Error", err)
		}
		if e.Status() != http.StatusForbidden || e.Message() == "" || e.Code == "" || e.ResponseType == "" {
			t.Fatalf("incomplete answer %+v", e)
		}
		var m map[string]string
		// A header's bytes need not be UTF-8; the JSON body then carries U+FFFD for them.
		if err := json.Unmarshal(e.Body(), &m); err != nil || utf8.ValidString(e.Message()) && m["message"] != e.Message() {
			t.Fatalf("body %s does not carry the message: %v", e.Body(), err)
		}
	})
}

// FuzzVerifyRoundTrip signs arbitrary requests with a function's key, sends them through
// HTTP/1.1 framing as a server would read them, and checks that Verify accepts each one, and
// refuses it once its body changes.
func FuzzVerifyRoundTrip(f *testing.F) {
	f.Add("POST", "/dev/@connections/R0oXAdfD0kwCH6w=", "", "application/json", "{}", true)
	f.Add("GET", "/dev/pets/a b/ü", "q=1&q=2&a=%2F&b=x+y", "  a   b ", "", false)
	f.Add("DELETE", "//double//slash/", "empty=&=v&k", "", "", true)
	f.Add("PUT", "/%25/;/,/:/@/!", "~=-_.", "\tx", "\x00\xff", false)

	f.Fuzz(func(t *testing.T, method, path, rawQuery, headerValue, body string, presigned bool) {
		if method == "" || strings.ContainsAny(method, " \t\r\n/?#:") {
			return
		}
		req, err := http.NewRequest(method, "http://127.0.0.1:9/", strings.NewReader(body))
		if err != nil {
			return
		}
		req.URL.Path = "/" + strings.TrimPrefix(path, "/")
		req.URL.RawQuery = rawQuery
		if body == "" {
			req.Body, req.ContentLength = http.NoBody, 0
		}
		if headerValue != "" {
			req.Header.Set("X-Custom", headerValue)
		}
		creds := aws.Credentials{AccessKeyID: fnKey, SecretAccessKey: fnSecret, SessionToken: fnToken}
		if presigned {
			u, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, hexSHA256([]byte(body)), service, "us-east-1", fuzzNow)
			if err != nil {
				return
			}
			if req, err = http.NewRequest(method, u, strings.NewReader(body)); err != nil {
				return
			}
			if body == "" {
				req.Body, req.ContentLength = http.NoBody, 0
			}
			for k, v := range hdr {
				if k != "Host" {
					req.Header[k] = v
				}
			}
		} else if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hexSHA256([]byte(body)), service, "us-east-1", fuzzNow); err != nil {
			return
		}

		// Through the wire format and back, as net/http's server reads it.
		var wire bytes.Buffer
		if err := req.Write(&wire); err != nil {
			return
		}
		got, err := http.ReadRequest(bufio.NewReader(&wire))
		if err != nil {
			return
		}
		if got.Header.Get("X-Custom") != strings.TrimSpace(req.Header.Get("X-Custom")) {
			return // a value the wire cannot carry as it is (line breaks): not a signing question
		}
		received := new(bytes.Buffer)
		_, _ = received.ReadFrom(got.Body)

		if _, err := Verify(got, received.Bytes(), fuzzNow, lookup); err != nil {
			t.Fatalf("a correctly signed request was refused: %v\nrequest:\n%s", err, wire.String())
		}
		if received.Len() > 0 {
			tampered := append([]byte(nil), received.Bytes()...)
			tampered[0] ^= 1
			if _, err := Verify(got, tampered, fuzzNow, lookup); err == nil {
				t.Fatalf("a changed body was accepted")
			}
		}
	})
}
