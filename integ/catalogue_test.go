package integ

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local"
)

// Demo values of examples/restapi/catalogue.
const (
	catalogueOrigin     = "http://localhost:5173"
	cataloguePartnerKey = "catalogue-partner-demo-key-0001"
)

func catalogueAPI(t *testing.T) local.APIInfo {
	t.Helper()
	api, ok := runner.APIByName("gatehouse-catalogue")
	if !ok {
		t.Fatalf("the runner serves no API named gatehouse-catalogue; it serves %+v", runner.APIs())
	}
	return api
}

// TestCatalogueModel checks what the runner read of the example REST API: its stages, every
// method, and the keys of its usage plans.
func TestCatalogueModel(t *testing.T) {
	api := catalogueAPI(t)
	if api.Protocol != "REST" || api.Stack != "GatehouseRestExample" {
		t.Errorf("api = %+v", api)
	}
	var stages []string
	for _, s := range api.Stages {
		stages = append(stages, s.Name)
	}
	slices.Sort(stages)
	if !slices.Equal(stages, []string{"beta", "v1"}) {
		t.Errorf("stages = %q, want v1 and beta", stages)
	}
	for _, m := range []string{
		"GET /", "GET /health", "GET /products", "POST /products", "GET /products/{id}", "DELETE /products/{id}",
		"GET /products/{id}/image", "PUT /products/{id}/image", "GET /products/{id}/price", "GET /products/{id}/summary",
		"GET /products/{id}/thumbnail", "GET /search", "GET /reports/sales", "ANY /legacy/{proxy+}",
		"OPTIONS /products", // CORS preflight, on every resource
	} {
		if !slices.Contains(api.Routes, m) {
			t.Errorf("no method %s; routes = %q", m, api.Routes)
		}
	}
	keys := map[string][]string{}
	for _, k := range api.APIKeys {
		keys[k.Value] = k.Stages
	}
	if got := keys[cataloguePartnerKey]; !slices.Equal(got, []string{"v1", "beta"}) && !slices.Equal(got, []string{"beta", "v1"}) {
		t.Errorf("partner key stages = %q (keys %+v)", got, api.APIKeys)
	}
}

// TestCatalogueRoutes drives every method of the example REST API over HTTP, through both
// stages, asserting on what API Gateway would answer.
func TestCatalogueRoutes(t *testing.T) {
	api := catalogueAPI(t)
	v1s, _ := api.Stage("v1")
	betas, _ := api.Stage("beta")
	v1, beta := v1s.URL, betas.URL
	key := map[string]string{"x-api-key": cataloguePartnerKey}
	jsonBody := map[string]string{"Content-Type": "application/json"}

	tests := []struct {
		name   string
		method string
		url    string
		header map[string]string
		body   string
		status int
		want   []string          // substrings of the body
		hdr    map[string]string // response headers
	}{
		{"landing mock", "GET", v1 + "/", nil, "", 200, []string{`"api": "gatehouse-catalogue"`, `"stage": "v1"`, `"currency": "EUR"`}, nil},
		{"health", "GET", v1 + "/health", nil, "", 200, []string{`"status": "ok"`}, map[string]string{"Access-Control-Allow-Origin": catalogueOrigin}},
		{"health failing", "GET", v1 + "/health?fail=true", nil, "", 503, []string{`"status": "failing"`}, map[string]string{"Retry-After": "30"}},
		{"list", "GET", v1 + "/products", nil, "", 200, []string{`"name":"The Go Programming Language"`}, map[string]string{"Access-Control-Allow-Origin": catalogueOrigin}},
		{"list filtered", "GET", v1 + "/products?category=games&tag=go&tag=toys", nil, "", 200, []string{`[{"id":"2"`}, nil},
		{"get", "GET", v1 + "/products/3", nil, "", 200, []string{`"name":"Cable tester"`}, nil},
		{"get missing", "GET", v1 + "/products/99", nil, "", 404, []string{`"message":"product 99 not found"`}, nil},
		{"create", "POST", v1 + "/products", jsonBody, `{"name":"Gopher mug","price":9.5,"category":"games"}`, 201, []string{`"name":"Gopher mug"`}, nil},
		{"create invalid", "POST", v1 + "/products", jsonBody, `{"name":"","price":-1}`, 400, []string{`"message": "Invalid request body"`, `"type": "BAD_REQUEST_BODY"`}, nil},
		{"search needs q", "GET", v1 + "/search", nil, "", 400, []string{"Missing required request parameters: [q]"}, nil},
		{"search", "GET", v1 + "/search?q=gopher", nil, "", 200, []string{`"name":"Gopher plush"`}, nil},
		{"price in the stage's currency", "GET", v1 + "/products/1/price", nil, "", 200,
			[]string{`"id": "1"`, `"amount": 39.5`, `"currency": "EUR"`, `"stage": "v1"`}, map[string]string{"X-Currency": "EUR", "Cache-Control": "max-age=300"}},
		{"price on beta", "GET", beta + "/products/1/price", nil, "", 200, []string{`"amount": 42.66`, `"currency": "USD"`, `"stage": "beta"`}, nil},
		{"price in GBP", "GET", v1 + "/products/3/price?currency=GBP", nil, "", 200, []string{`"amount": 21.24`, `"currency": "GBP"`}, nil},
		{"price not found", "GET", v1 + "/products/99/price", nil, "", 404, []string{`"message": "product 99 not found"`}, nil},
		{"price bad currency", "GET", v1 + "/products/1/price?currency=XYZ", nil, "", 400, []string{`is not supported`}, nil},
		{"summary over HTTP", "GET", v1 + "/products/1/summary", nil, "", 200, []string{`"label": "The Go Programming Language (39.5 EUR)"`}, nil},
		{"summary not found", "GET", v1 + "/products/99/summary", nil, "", 404, []string{`"message": "no product 99"`}, nil},
		{"legacy proxy", "GET", v1 + "/legacy/products/2", nil, "", 200, []string{`"name":"Gopher plush"`}, nil},
		{"report without key", "GET", v1 + "/reports/sales", nil, "", 403, []string{`Forbidden`}, map[string]string{"Access-Control-Allow-Origin": catalogueOrigin}},
		{"report with key", "GET", v1 + "/reports/sales", key, "", 200, []string{`"report": "sales"`, `"apiKeyId": "`}, nil},
		{"no such resource", "GET", v1 + "/nope", nil, "", 404, []string{`no such resource`}, nil},
		{"preflight", "OPTIONS", v1 + "/products", map[string]string{"Origin": catalogueOrigin, "Access-Control-Request-Method": "POST"}, "", 204, nil,
			map[string]string{"Access-Control-Allow-Origin": catalogueOrigin}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := restDo(t, tt.method, tt.url, tt.header, tt.body)
			if got.status != tt.status {
				t.Fatalf("%s %s = %d %s, want %d", tt.method, tt.url, got.status, got.body, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(got.body, w) {
					t.Errorf("body = %s, want it to contain %s", got.body, w)
				}
			}
			for k, v := range tt.hdr {
				if got.header.Get(k) != v {
					t.Errorf("header %s = %q, want %q", k, got.header.Get(k), v)
				}
			}
		})
	}

	t.Run("binary image", func(t *testing.T) {
		got := restGet(t, v1+"/products/2/image", map[string]string{"Accept": "image/png"})
		if got.status != 200 || got.header.Get("Content-Type") != "image/png" || !strings.HasPrefix(got.body, "\x89PNG\r\n\x1a\n") {
			t.Fatalf("GET image = %d %s %q", got.status, got.header.Get("Content-Type"), got.body)
		}
	})
	t.Run("thumbnail as base64 text", func(t *testing.T) {
		got := restGet(t, v1+"/products/2/thumbnail", nil)
		var thumb struct {
			Base64 string `json:"base64"`
		}
		if got.status != 200 || json.Unmarshal([]byte(got.body), &thumb) != nil {
			t.Fatalf("GET thumbnail = %d %s", got.status, got.body)
		}
		png, err := base64.StdEncoding.DecodeString(thumb.Base64)
		if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatalf("thumbnail base64 is not a PNG: %q (%v)", thumb.Base64, err)
		}
	})
}

// restResult is one REST response, for the table-driven tests of the catalogue and the
// JavaScript app.
type restResult struct {
	status int
	header http.Header
	body   string
}

func restGet(t *testing.T, url string, header map[string]string) restResult {
	t.Helper()
	return restDo(t, "GET", url, header, "")
}

func restDo(t *testing.T, method, url string, header map[string]string, body string) restResult {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return restResult{resp.StatusCode, resp.Header, string(b)}
}
