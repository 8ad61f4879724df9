package restapi

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// BenchmarkMock is the "MOCK integration with a mapping template" case, in process:
// resource matching with a path parameter, the request template, the integration response's
// template reading $input.params and $context, and the response write.
func BenchmarkMock(b *testing.B) {
	m := &model.Method{HTTPMethod: "GET", MethodResponses: []*model.MethodResponse{{StatusCode: "200"}},
		Integration: &model.Integration{Type: model.IntegrationMock,
			RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
			IntegrationResponses: []*model.IntegrationResponse{{StatusCode: "200",
				ResponseParameters: map[string]string{"method.response.header.X-Id": "'static'"},
				ResponseTemplates:  map[string]string{"application/json": `{"id": "$input.params('id')", "stage": "$context.stage", "requestId": "$context.requestId"}`}}}}}
	s, _ := newTestServer(b, testAPI(res("/items/{id}", m)), nil)
	r := httptest.NewRequest("GET", "http://abcdef1234.execute-api.localhost/items/42", nil)
	t := Target{Stage: s.api.Stages[0], Path: "/items/42", RawPath: "/prod/items/42", DomainName: "abcdef1234.execute-api.localhost"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := discardWriter{h: http.Header{}}
		s.Serve(&w, r, t)
		if w.status != 200 {
			b.Fatalf("status %d", w.status)
		}
	}
}

// BenchmarkLambdaProxy is the in-process cost of a Lambda proxy request around the function:
// the event, and reading its response.
func BenchmarkLambdaProxy(b *testing.B) {
	s, _ := newTestServer(b, testAPI(res("/items/{id}", proxyMethod("GET"))), &fakeInvoker{respond: answer(`{"statusCode":200,"headers":{"Content-Type":"text/plain"},"body":"ok"}`)})
	r := httptest.NewRequest("GET", "http://abcdef1234.execute-api.localhost/items/42?x=1", nil)
	r.Header.Set("User-Agent", "bench")
	t := Target{Stage: s.api.Stages[0], Path: "/items/42", RawPath: "/prod/items/42", DomainName: "abcdef1234.execute-api.localhost"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := discardWriter{h: http.Header{}}
		s.Serve(&w, r, t)
		if w.status != 200 {
			b.Fatalf("status %d", w.status)
		}
	}
}

// discardWriter is a ResponseWriter that keeps only the status, so the benchmark measures the
// server rather than a recorder's buffers.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(code int)        { w.status = code }
