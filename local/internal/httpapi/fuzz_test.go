package httpapi

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzResponses: no function output can panic the response readers, and whatever they accept
// has a valid status code.
func FuzzResponses(f *testing.F) {
	for _, s := range []string{`{"statusCode":200}`, `"x"`, `{"statusCode":1e3}`, `{"headers":[]}`, `{"statusCode":200,"multiValueHeaders":{"a":[1,{}]}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, payload string) {
		for _, parse := range []func([]byte) (*Response, error){ParseV2Response, ParseV1Response} {
			if r, err := parse([]byte(payload)); err == nil && (r.Status < 100 || r.Status > 599) {
				t.Fatalf("%q: status %d accepted", payload, r.Status)
			}
		}
	})
}

// FuzzServe: nothing in a request's path, query or headers can crash the server or make it
// answer without a request id.
func FuzzServe(f *testing.F) {
	r := lambdaRoute("GET /items/{id}", "1.0")
	r.Integration.RequestParameters = map[string]string{"append:header.x": "$request.body.a[0] ${request.querystring.q}$"}
	s := newTestServer(f, testAPI(r, lambdaRoute("$default", "2.0")), &fakeInvoker{})
	f.Add("/items/1", "q=1", "Cookie", "a=b; c")
	f.Fuzz(func(t *testing.T, path, query, hname, hvalue string) {
		req := httptest.NewRequest("GET", "/", strings.NewReader(`{"a":[1]}`))
		req.URL.RawPath, req.URL.RawQuery = path, query
		req.Header[hname] = []string{hvalue}
		w := httptest.NewRecorder()
		s.Serve(w, req, Target{Stage: s.api.Stages[0], Path: path})
		if w.Header().Get("Apigw-Requestid") == "" {
			t.Fatalf("no request id; status %d", w.Code)
		}
	})
}

// FuzzHasTopLevelKey checks the key scanner against decoding into a map, which it replaces.
func FuzzHasTopLevelKey(f *testing.F) {
	for _, s := range []string{`{"statusCode":200}`, `{"a":{"statusCode":1}}`, `{"a":"statusCode","b":["statusCode"]}`,
		`{"status\u0043ode":1}`, `{"StatusCode":1}`, `{"a\"":"\\","statusCode":null}`, `{}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var m map[string]json.RawMessage
		if json.Unmarshal([]byte(s), &m) != nil {
			return // only valid objects reach the scanner
		}
		_, want := m["statusCode"]
		if got := hasTopLevelKey([]byte(s), "statusCode"); got != want {
			t.Errorf("%s: hasTopLevelKey = %v, map lookup says %v", s, got, want)
		}
	})
}
