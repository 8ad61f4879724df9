package iamauth

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/aws/smithy-go"
)

// The runner's keys for two functions: one issued with a session token, one without.
const (
	fnKey       = "ASIALOCALFUNCTIONONE"
	fnSecret    = "local/secret+one"
	fnToken     = "local-session-token-one"
	bareKey     = "AKIALOCALFUNCTIONTWO"
	bareSecret  = "local/secret+two"
	devKey      = "AKIADEVELOPERSOWNKEY"
	devSecret   = "whatever-the-developer-has"
	connID      = "R0oXAdfD0kwCH6w="
	stageSuffix = "/dev"
)

func lookup(id string) (string, string, bool) {
	switch id {
	case fnKey:
		return fnSecret, fnToken, true
	case bareKey:
		return bareSecret, "", true
	}
	return "", "", false
}

// server is an @connections endpoint that verifies every request and remembers the outcome.
type server struct {
	*httptest.Server
	clock func() time.Time

	mu     sync.Mutex
	caller *Caller
	err    error
	calls  int
}

func newServer(t *testing.T) *server {
	t.Helper()
	s := &server{clock: time.Now}
	mux := http.NewServeMux()
	// StripPrefix changes r.URL.Path; Verify must still see the path the client signed.
	mux.Handle("/dev/", http.StripPrefix("/dev", http.HandlerFunc(s.handle)))
	mux.HandleFunc("/", s.handle)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func (s *server) handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	caller, err := Verify(r, body, s.clock(), lookup)
	s.mu.Lock()
	s.caller, s.err = caller, err
	s.calls++
	s.mu.Unlock()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			http.Error(w, "not an *Error: "+err.Error(), http.StatusInternalServerError)
			return
		}
		e.Write(w)
		return
	}
	switch r.Method {
	case http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"connectedAt":"2024-01-01T00:00:00Z","identity":{"sourceIp":"127.0.0.1","userAgent":"test"}}`))
	case http.MethodDelete:
		w.WriteHeader(http.StatusNoContent)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

func (s *server) result() (*Caller, error, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.caller, s.err, s.calls
}

// tamper changes a request after the SDK signed it, as a proxy or an attacker would.
type tamper func(*http.Request)

func (f tamper) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	f(r)
	return http.DefaultTransport.RoundTrip(r)
}

func client(endpoint string, creds aws.CredentialsProvider, rt http.RoundTripper) *apigatewaymanagementapi.Client {
	// Everything the SDK would otherwise look up is given: region, endpoint, credentials. No
	// default config is loaded, so nothing can reach AWS or the instance metadata service.
	opts := apigatewaymanagementapi.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      creds,
		RetryMaxAttempts: 1,
	}
	if rt != nil {
		opts.HTTPClient = &http.Client{Transport: rt}
	}
	return apigatewaymanagementapi.New(opts)
}

func static(key, secret, token string) aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(key, secret, token)
}

type operation struct {
	name string
	call func(context.Context, *apigatewaymanagementapi.Client, string) error
}

var operations = []operation{
	{"PostToConnection", func(ctx context.Context, c *apigatewaymanagementapi.Client, id string) error {
		_, err := c.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte(`{"hello":"world"}`)})
		return err
	}},
	{"GetConnection", func(ctx context.Context, c *apigatewaymanagementapi.Client, id string) error {
		_, err := c.GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: &id})
		return err
	}},
	{"DeleteConnection", func(ctx context.Context, c *apigatewaymanagementapi.Client, id string) error {
		_, err := c.DeleteConnection(ctx, &apigatewaymanagementapi.DeleteConnectionInput{ConnectionId: &id})
		return err
	}},
}

func TestVerifySDKClient(t *testing.T) {
	srv := newServer(t)
	cases := []struct {
		name     string
		creds    aws.CredentialsProvider // what the client signs with
		endpoint string                  // appended to the server URL
		connID   string
		rt       http.RoundTripper
		clock    time.Duration // added to now on the server
		// want: Known for an accepted request, or the error's code and message prefix.
		wantKnown bool
		wantCode  string
		wantMsg   string
	}{
		{name: "function key with token", creds: static(fnKey, fnSecret, fnToken), endpoint: stageSuffix, wantKnown: true},
		{name: "function key without token", creds: static(bareKey, bareSecret, ""), endpoint: stageSuffix, wantKnown: true},
		{name: "endpoint without stage path", creds: static(fnKey, fnSecret, fnToken), wantKnown: true},
		{name: "connection id with / and +", creds: static(fnKey, fnSecret, fnToken), endpoint: stageSuffix, connID: "a/b+c=", wantKnown: true},
		{name: "connection id with space and percent", creds: static(bareKey, bareSecret, ""), endpoint: stageSuffix, connID: "a b%2F", wantKnown: true},
		{name: "developer's key", creds: static(devKey, devSecret, ""), endpoint: stageSuffix, wantKnown: false},
		{name: "developer's key with token", creds: static(devKey, devSecret, "dev-token"), endpoint: stageSuffix, wantKnown: false},
		{name: "wrong secret", creds: static(fnKey, "not-the-secret", fnToken), endpoint: stageSuffix,
			wantCode: CodeInvalidSignature, wantMsg: MsgSignatureMismatch},
		{name: "wrong token", creds: static(fnKey, fnSecret, "stolen"), endpoint: stageSuffix,
			wantCode: CodeUnrecognizedClient, wantMsg: MsgInvalidToken},
		{name: "token missing", creds: static(fnKey, fnSecret, ""), endpoint: stageSuffix,
			wantCode: CodeUnrecognizedClient, wantMsg: MsgInvalidToken},
		{name: "token on a key issued without", creds: static(bareKey, bareSecret, "extra"), endpoint: stageSuffix,
			wantCode: CodeUnrecognizedClient, wantMsg: MsgInvalidToken},
		{name: "unsigned", creds: aws.AnonymousCredentials{}, endpoint: stageSuffix,
			wantCode: CodeMissingAuthenticationToken, wantMsg: MsgMissingAuthenticationToken},
		{name: "signed ten minutes ago", creds: static(fnKey, fnSecret, fnToken), endpoint: stageSuffix, clock: 10 * time.Minute,
			wantCode: CodeInvalidSignature, wantMsg: "Signature expired: "},
		{name: "signed ten minutes ahead", creds: static(devKey, devSecret, ""), endpoint: stageSuffix, clock: -10 * time.Minute,
			wantCode: CodeInvalidSignature, wantMsg: "Signature not yet current: "},
		{name: "four minutes skew is fine", creds: static(fnKey, fnSecret, fnToken), endpoint: stageSuffix, clock: 4 * time.Minute, wantKnown: true},
		{name: "path changed after signing", creds: static(fnKey, fnSecret, fnToken), endpoint: stageSuffix,
			rt: tamper(func(r *http.Request) {
				r.URL.RawPath = strings.Replace(r.URL.EscapedPath(), "R0oX", "XXXX", 1)
				r.URL.Path = strings.Replace(r.URL.Path, "R0oX", "XXXX", 1)
			}),
			wantCode: CodeInvalidSignature, wantMsg: MsgSignatureMismatch},
		{name: "header changed after signing", creds: static(fnKey, fnSecret, fnToken), endpoint: stageSuffix,
			rt:       tamper(func(r *http.Request) { r.Header.Set("Amz-Sdk-Invocation-Id", "replayed") }),
			wantCode: CodeInvalidSignature, wantMsg: MsgSignatureMismatch},
		{name: "developer's key, garbled signature", creds: static(devKey, devSecret, ""), endpoint: stageSuffix,
			rt: tamper(func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Signature=", "Signature=zz", 1))
			}),
			wantCode: CodeInvalidSignature, wantMsg: MsgSignatureMismatch},
	}
	for _, tc := range cases {
		for _, op := range operations {
			t.Run(tc.name+"/"+op.name, func(t *testing.T) {
				skew := tc.clock
				srv.mu.Lock()
				srv.clock = func() time.Time { return time.Now().Add(skew) }
				srv.mu.Unlock()
				id := tc.connID
				if id == "" {
					id = connID
				}
				_, _, before := srv.result()
				err := op.call(context.Background(), client(srv.URL+tc.endpoint, tc.creds, tc.rt), id)
				caller, verr, after := srv.result()
				if after != before+1 {
					t.Fatalf("the server saw %d requests, want 1 (SDK error: %v)", after-before, err)
				}
				if tc.wantCode == "" {
					if verr != nil || err != nil {
						t.Fatalf("refused: Verify: %v; SDK: %v", verr, err)
					}
					if caller.Known != tc.wantKnown {
						t.Errorf("Known = %v, want %v", caller.Known, tc.wantKnown)
					}
					if caller.Region != "us-east-1" {
						t.Errorf("Region = %q, want us-east-1", caller.Region)
					}
					return
				}
				var e *Error
				if !errors.As(verr, &e) {
					t.Fatalf("Verify error = %v, want *Error %s", verr, tc.wantCode)
				}
				if e.Status() != http.StatusForbidden || e.Code != tc.wantCode || !strings.HasPrefix(e.Message(), tc.wantMsg) {
					t.Errorf("got %d %s %q, want 403 %s %q…", e.Status(), e.Code, e.Message(), tc.wantCode, tc.wantMsg)
				}
				// The SDK reads our answer as it would AWS's.
				var apiErr smithy.APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("SDK error = %v, want an API error", err)
				}
				if apiErr.ErrorCode() != tc.wantCode || !strings.HasPrefix(apiErr.ErrorMessage(), tc.wantMsg) {
					t.Errorf("SDK error %s %q, want %s %q…", apiErr.ErrorCode(), apiErr.ErrorMessage(), tc.wantCode, tc.wantMsg)
				}
			})
		}
	}
}

// TestVerifyMismatchShowsCanonicalRequest checks the mismatch answer carries the canonical
// request the way API Gateway's does, with the path double-encoded.
func TestVerifyMismatchShowsCanonicalRequest(t *testing.T) {
	srv := newServer(t)
	id := connID
	err := operations[0].call(context.Background(), client(srv.URL+stageSuffix, static(bareKey, "wrong", ""), nil), id)
	if err == nil {
		t.Fatal("a wrong secret was accepted")
	}
	_, verr, _ := srv.result()
	msg := verr.(*Error).Message()
	for _, want := range []string{
		"\n\nThe Canonical String for this request should have been\n'POST\n/dev/%40connections/R0oXAdfD0kwCH6w%253D\n",
		";host;x-amz-date\n",
		"\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n",
		"/us-east-1/execute-api/aws4_request\n",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

// sign signs req with the SDK's signer directly, as a developer's script would.
func sign(t *testing.T, req *http.Request, body []byte, key, secret, token string, at time.Time) {
	t.Helper()
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, SessionToken: token},
		req, hexSHA256(body), "execute-api", "eu-west-1", at)
	if err != nil {
		t.Fatal(err)
	}
}

func presign(t *testing.T, req *http.Request, key, secret, token string, at time.Time) string {
	t.Helper()
	u, _, err := v4.NewSigner().PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, SessionToken: token},
		req, hexSHA256(nil), "execute-api", "eu-west-1", at)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestVerifySignedByHand(t *testing.T) {
	srv := newServer(t)
	now := time.Now()
	cases := []struct {
		name     string
		build    func(t *testing.T) *http.Request
		wantCode string // "" for accepted
		wantMsg  string
	}{
		{name: "query, content type and body", build: func(t *testing.T) *http.Request {
			body := []byte(`{"a":"b c"}`)
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/dev/pets/a%20b?z=1&a=x+y&a=%2F&empty=", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Custom", "  spaced   value ")
			sign(t, req, body, bareKey, bareSecret, "", now)
			return req
		}},
		{name: "body changed after signing", build: func(t *testing.T) *http.Request {
			body := []byte(`{"amount":100}`)
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/dev/pay", bytes.NewReader(body))
			sign(t, req, body, bareKey, bareSecret, "", now)
			req.Body = io.NopCloser(strings.NewReader(`{"amount":999}`))
			return req
		}, wantCode: CodeInvalidSignature, wantMsg: MsgSignatureMismatch},
		{name: "query changed after signing", build: func(t *testing.T) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/dev/items?limit=1", nil)
			sign(t, req, nil, fnKey, fnSecret, fnToken, now)
			req.URL.RawQuery = "limit=1000"
			return req
		}, wantCode: CodeInvalidSignature, wantMsg: MsgSignatureMismatch},
		{name: "method changed after signing", build: func(t *testing.T) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/dev/@connections/abc", nil)
			sign(t, req, nil, fnKey, fnSecret, fnToken, now)
			req.Method = http.MethodDelete
			return req
		}, wantCode: CodeInvalidSignature, wantMsg: MsgSignatureMismatch},
		{name: "X-Amz-Content-Sha256 of another body", build: func(t *testing.T) *http.Request {
			body := []byte("hello")
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/dev/x", bytes.NewReader(body))
			req.Header.Set("X-Amz-Content-Sha256", hexSHA256(body))
			sign(t, req, body, bareKey, bareSecret, "", now)
			req.Body = io.NopCloser(strings.NewReader("HELLO"))
			return req
		}, wantCode: CodeInvalidSignature, wantMsg: MsgSignatureMismatch},
		{name: "X-Amz-Content-Sha256 of this body", build: func(t *testing.T) *http.Request {
			body := []byte("hello")
			req, _ := http.NewRequest(http.MethodPut, srv.URL+"/dev/x", bytes.NewReader(body))
			req.Header.Set("X-Amz-Content-Sha256", hexSHA256(body))
			sign(t, req, body, bareKey, bareSecret, "", now)
			return req
		}},
		{name: "presigned, function key", build: func(t *testing.T) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/dev/@connections/"+url.PathEscape(connID)+"?stage=dev", nil)
			req, _ = http.NewRequest(http.MethodGet, presign(t, req, fnKey, fnSecret, fnToken, now), nil)
			return req
		}},
		{name: "presigned, developer's key", build: func(t *testing.T) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/dev/", nil)
			req, _ = http.NewRequest(http.MethodGet, presign(t, req, devKey, devSecret, "", now), nil)
			return req
		}},
		{name: "presigned, query changed", build: func(t *testing.T) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/dev/items?limit=1", nil)
			u := presign(t, req, bareKey, bareSecret, "", now)
			req, _ = http.NewRequest(http.MethodGet, strings.Replace(u, "limit=1", "limit=2", 1), nil)
			return req
		}, wantCode: CodeInvalidSignature, wantMsg: MsgSignatureMismatch},
		{name: "presigned, wrong secret", build: func(t *testing.T) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/dev/", nil)
			req, _ = http.NewRequest(http.MethodGet, presign(t, req, bareKey, "wrong", "", now), nil)
			return req
		}, wantCode: CodeInvalidSignature, wantMsg: MsgSignatureMismatch},
		{name: "presigned an hour ago, valid for two", build: func(t *testing.T) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/dev/?X-Amz-Expires=7200", nil)
			req, _ = http.NewRequest(http.MethodGet, presign(t, req, bareKey, bareSecret, "", now.Add(-time.Hour)), nil)
			return req
		}},
		{name: "presigned an hour ago, valid for half", build: func(t *testing.T) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/dev/?X-Amz-Expires=1800", nil)
			req, _ = http.NewRequest(http.MethodGet, presign(t, req, bareKey, bareSecret, "", now.Add(-time.Hour)), nil)
			return req
		}, wantCode: CodeInvalidSignature, wantMsg: "Signature expired: "},
		{name: "presigned, token not sent", build: func(t *testing.T) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/dev/", nil)
			u := presign(t, req, fnKey, fnSecret, fnToken, now)
			req, _ = http.NewRequest(http.MethodGet, strings.Replace(u, "X-Amz-Security-Token=", "X-Amz-Other=", 1), nil)
			return req
		}, wantCode: CodeUnrecognizedClient, wantMsg: MsgInvalidToken},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv.mu.Lock()
			srv.clock = time.Now
			srv.mu.Unlock()
			resp, err := http.DefaultClient.Do(tc.build(t))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			caller, verr, _ := srv.result()
			if tc.wantCode == "" {
				if verr != nil {
					t.Fatalf("refused: %v", verr)
				}
				if caller.Region != "eu-west-1" {
					t.Errorf("Region = %q", caller.Region)
				}
				return
			}
			e, ok := verr.(*Error)
			if !ok {
				t.Fatalf("Verify error = %v, want *Error", verr)
			}
			if e.Code != tc.wantCode || !strings.HasPrefix(e.Message(), tc.wantMsg) {
				t.Errorf("got %s %q, want %s %q…", e.Code, e.Message(), tc.wantCode, tc.wantMsg)
			}
			if resp.StatusCode != 403 || resp.Header.Get("x-amzn-ErrorType") != tc.wantCode || !bytes.Equal(body, e.Body()) {
				t.Errorf("answer %d %q %s", resp.StatusCode, resp.Header.Get("x-amzn-ErrorType"), body)
			}
		})
	}
}
