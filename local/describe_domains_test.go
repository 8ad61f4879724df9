package local

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestDescribeDomains: every mapping's URLs (plain, *.localhost, TLS, @connections) and the
// curl options that reach a domain's standard URLs, per domain and under each stage they reach.
func TestDescribeDomains(t *testing.T) {
	m := domainModel("http://127.0.0.1:1")
	domains := describeDomains(m, "0.0.0.0:3000", "0.0.0.0:3001")
	byName := map[string]DomainInfo{}
	for _, d := range domains {
		byName[d.Name] = d
	}
	api := byName["api.example.com"]
	if api.MinTLSVersion != "TLS 1.0" || api.MutualTLS || api.Example != "api.example.com" {
		t.Errorf("api.example.com = %+v", api)
	}
	if want := []string{"--connect-to api.example.com:80:127.0.0.1:3000", "--connect-to api.example.com:443:127.0.0.1:3001"}; !reflect.DeepEqual(api.ConnectTo, want) {
		t.Errorf("connectTo = %q, want %q (an unspecified listen address is reached on loopback)", api.ConnectTo, want)
	}
	var keys []string
	for _, mp := range api.Mappings {
		keys = append(keys, mp.Key)
	}
	if want := []string{"catalog", "orders", ""}; !reflect.DeepEqual(keys, want) {
		t.Errorf("keys = %q, want longest first %q", keys, want)
	}
	orders := api.Mappings[1]
	want := MappingInfo{Domain: "api.example.com", Key: "orders", APIID: "h2", APIName: "two", Protocol: "HTTP", Stage: "v1",
		URL: "http://api.example.com:3000/orders", LocalhostURL: "http://api.example.com.localhost:3000/orders", TLSURL: "https://api.example.com:3001/orders"}
	if orders != want {
		t.Errorf("orders mapping = %+v\nwant %+v", orders, want)
	}
	chat := byName["chat.example.com"].Mappings[0]
	if chat.URL != "ws://chat.example.com:3000/live" || chat.TLSURL != "wss://chat.example.com:3001/live" || chat.CallbackURL != "https://chat.example.com:3001/live" {
		t.Errorf("WebSocket mapping = %+v", chat)
	}
	if w := byName["*.example.com"]; w.Example != "tenant.example.com" || w.ConnectTo[0] != "--connect-to tenant.example.com:80:127.0.0.1:3000" || w.Mappings[0].URL != "http://*.example.com:3000" {
		t.Errorf("wildcard = %+v", w)
	}
	if !byName["secure.example.com"].MutualTLS || byName["chat.example.com"].MinTLSVersion != "TLS 1.2" {
		t.Error("mutual TLS or the WebSocket minimum is not described")
	}

	// Each stage lists the mappings that reach it; without TLS there are no TLS URLs.
	apis := describe(m, "127.0.0.1:3000", "")
	for _, a := range apis {
		if a.ID != "h2" {
			continue
		}
		v1, _ := a.Stage("v1")
		var urls []string
		for _, mp := range v1.Domains {
			urls = append(urls, mp.URL)
			if mp.TLSURL != "" {
				t.Errorf("TLS URL without TLS: %+v", mp)
			}
		}
		want := []string{"http://api.example.com:3000/orders", "http://multi.example.com:3000/orders/v2/items/categories", "http://multi.example.com:3000/orders"}
		if !reflect.DeepEqual(urls, want) {
			t.Errorf("h2 v1 domain URLs = %q, want %q", urls, want)
		}
		if v1.TLSURL != "" {
			t.Errorf("stage TLS URL without TLS: %s", v1.TLSURL)
		}
	}
	// The JSON keys are the documented ones.
	b, _ := json.Marshal(domains[0])
	for _, k := range []string{`"name"`, `"example"`, `"minTlsVersion"`, `"mappings"`, `"connectTo"`, `"localhostUrl"`, `"tlsUrl"`, `"apiId"`} {
		if !json.Valid(b) || !strings.Contains(string(b), k) {
			t.Errorf("JSON lacks %s: %s", k, b)
		}
	}
}
