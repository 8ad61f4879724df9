package restapi

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// fuzzAPI has every integration type the server runs without a network: Lambda proxy, Lambda
// custom with templates and patterns, MOCK with overrides, validation, API keys, binary types.
func fuzzAPI() *model.API {
	api := validatedAPI()
	custom := lambdaCustomMethod()
	custom.Integration.RequestParameters = map[string]string{
		"integration.request.header.X-A": "method.request.body.a[0].b",
		"integration.request.path.p":     "method.request.multivalueheader.X-H",
	}
	keyed := mockMethod("GET", 200, `#set($context.responseOverride.status = $input.params('s'))$input.params()`)
	keyed.APIKeyRequired = true
	api.Resources = append(api.Resources,
		res("/greet/{id}", custom),
		res("/mock/{proxy+}", keyed, mockMethod("POST", 200, `$input.json('$')`)),
		res("/{proxy+}", proxyMethod("ANY")),
	)
	api.BinaryMediaTypes = []string{"image/*", "application/octet-stream"}
	return api
}

// FuzzServe: no method, path, query, header or body can crash the server or make it answer
// without a request id or with a status outside 100-599.
func FuzzServe(f *testing.F) {
	inv := &fakeInvoker{respond: func(_ context.Context, p []byte) (*lambdahost.Result, error) {
		// Echo the payload back, which is a malformed proxy response or a custom result.
		return &lambdahost.Result{Payload: p}, nil
	}}
	s, _ := newTestServer(f, fuzzAPI(), inv)
	f.Add("POST", "/greet/1", "q=1", "Content-Type", "application/json", `{"name":"x","a":[{"b":1}]}`)
	f.Add("GET", "/mock/a/b", "s=418", "X-Api-Key", "k", "")
	f.Add("POST", "/mock/x", "", "Content-Type", "application/json", `{"a":`)
	f.Add("PUT", "/pets%2F/x", "a=%zz", "Accept", "image/png", "\x00\xff")
	f.Add("POST", "/pets", "type=1", "Content-Type", "application/json; charset=\"", `[1,2]`)
	f.Add("DELETE", "//", "&&=", "X-H", "\r\n", "")
	f.Fuzz(func(t *testing.T, method, path, query, hname, hvalue, body string) {
		req := httptest.NewRequest("GET", "/", strings.NewReader(body))
		req.Method = method
		req.URL.RawQuery = query
		req.Header[hname] = []string{hvalue}
		w := httptest.NewRecorder()
		s.Serve(w, req, Target{Stage: s.api.Stages[0], Path: path})
		if w.Header().Get("X-Amzn-Requestid") == "" {
			t.Fatalf("no request id; status %d", w.Code)
		}
		if w.Code < 100 || w.Code > 599 {
			t.Fatalf("status %d", w.Code)
		}
	})
}

// FuzzParseProxyResponse: no function output can panic the reader, and what it accepts has a
// valid status.
func FuzzParseProxyResponse(f *testing.F) {
	for _, s := range []string{`{"statusCode":200}`, `{"statusCode":"201","body":"x"}`, `{"statusCode":1e2}`, `{"headers":[]}`,
		`{"statusCode":200,"multiValueHeaders":{"a":[1,{}]}}`, `{"statusCode":200.5}`, `{"statusCode":"2e2"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, payload string) {
		if r, err := parseProxyResponse([]byte(payload)); err == nil && (r.status < 100 || r.status > 599) {
			t.Fatalf("%q: status %d accepted", payload, r.status)
		}
	})
}

// FuzzMappingSource: mapping expressions compile or fail; none panics when evaluated.
func FuzzMappingSource(f *testing.F) {
	for _, s := range []string{"method.request.body.a[0].b", "'x'", "context.requestId", "method.request.body.$[", "integration.response.body..a"} {
		f.Add(s, `{"a":[{"b":"c"}]}`)
	}
	f.Fuzz(func(t *testing.T, expr, body string) {
		for _, resp := range []bool{false, true} {
			src, err := compileSource(expr, resp)
			if err != nil {
				continue
			}
			d := &sourceData{body: []byte(body), query: map[string][]string{}, pathParams: map[string]string{}}
			_ = d.values(src)
		}
	})
}
