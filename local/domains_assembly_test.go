package local

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
)

// TestDomainAppAssembly routes requests through the domains of a real synthesized assembly
// (the model's domain-app: aws-cdk-lib's DomainName constructs, a WebSocket, HTTP and REST APIs,
// multi-level keys, a REST base path mapping without a stage, a wildcard and mutual TLS), from
// the template to the event.
func TestDomainAppAssembly(t *testing.T) {
	m, err := loadModel(Options{Assembly: "internal/model/testdata/domain-app", Account: "123456789012", Region: "us-east-1"}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Domains) == 0 {
		t.Fatal("the model has no domains")
	}
	r := newDomainRunner(t, m, recordingInvoker{}, Options{})
	ids := map[string]string{} // API name → id
	for _, a := range m.APIs {
		ids[a.Name] = a.ID
	}
	for _, tc := range []struct {
		host, path string
		status     int
		api, stage string // by the API's name
		domain     string
	}{
		{"api.example.com", "/orders/v2/x", 200, "Orders", "v2", "api.example.com"},
		{"api.example.com", "/orders/x", 200, "Orders", "$default", "api.example.com"},
		{"api.example.com", "/elsewhere", 200, "Home", "$default", "api.example.com"},
		{"acme.tenants.example.com", "/", 200, "Home", "$default", "acme.tenants.example.com"},
		{"shop.example.com", "/catalogue/v1/items", 200, "Catalogue", "v1", "shop.example.com"},
		{"shop.example.com", "/catalogue/items", 200, "Catalogue", "v1", "shop.example.com"},
		{"shop.example.com", "/any-stage/v1/items", 200, "Catalogue", "v1", "shop.example.com"},
		{"shop.example.com", "/any-stage/nope/items", 403, "", "", ""},
		{"shop.example.com", "/other", 403, "", "", ""},
		{"legacy.example.com", "/", 200, "Legacy", "prod", "legacy.example.com"},
		{"partners.example.com", "/orders/x", 200, "Orders", "$default", "partners.example.com"},
		{"ws.example.com", "/chat", 426, "", "", ""}, // the WebSocket endpoint, without an upgrade
		{"ws.example.com", "/prod", 403, "", "", ""},
	} {
		req := httptest.NewRequest("GET", "http://127.0.0.1"+tc.path, nil)
		req.Host = tc.host
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("%s%s: status %d, want %d (%s)", tc.host, tc.path, rec.Code, tc.status, rec.Body)
			continue
		}
		if tc.api == "" {
			continue
		}
		var ev map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &ev); err != nil {
			t.Errorf("%s%s: %s", tc.host, tc.path, rec.Body)
			continue
		}
		api, stage, path, domain, _ := eventSummary(ev)
		if api != ids[tc.api] || stage != tc.stage || domain != tc.domain || path != tc.path {
			t.Errorf("%s%s: api %s stage %s path %s domain %s; want %s (%s) %s, the path as sent, %s", tc.host, tc.path, api, stage, path, domain, tc.api, ids[tc.api], tc.stage, tc.domain)
		}
	}
}
