package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local"
)

// TestPrintDomains: each domain's mappings with every URL, and the curl lines that reach the
// domain's standard URLs without DNS, trusting the CA over TLS.
func TestPrintDomains(t *testing.T) {
	domains := []local.DomainInfo{
		{Name: "api.example.com", Example: "api.example.com", Stack: "S", LogicalID: "Api", MinTLSVersion: "TLS 1.2",
			ConnectTo: []string{"--connect-to api.example.com:80:127.0.0.1:3000", "--connect-to api.example.com:443:127.0.0.1:3001"},
			Mappings: []local.MappingInfo{
				{Domain: "api.example.com", Key: "orders", APIID: "h1", APIName: "shop", Protocol: "HTTP", Stage: "prod",
					URL: "http://api.example.com:3000/orders", LocalhostURL: "http://api.example.com.localhost:3000/orders", TLSURL: "https://api.example.com:3001/orders"},
				{Domain: "api.example.com", Key: "", APIID: "r1", APIName: "rest", Protocol: "REST", Stage: "v1",
					URL: "http://api.example.com:3000", LocalhostURL: "http://api.example.com.localhost:3000"},
			}},
		{Name: "*.example.com", Example: "tenant.example.com", Stack: "S", LogicalID: "Wild", MinTLSVersion: "TLS 1.2", MutualTLS: true,
			ConnectTo: []string{"--connect-to tenant.example.com:80:127.0.0.1:3000"}},
		{Name: "chat.example.com", Example: "chat.example.com", Stack: "S", LogicalID: "Chat", MinTLSVersion: "TLS 1.2",
			ConnectTo: []string{"--connect-to chat.example.com:80:127.0.0.1:3000"},
			Mappings: []local.MappingInfo{{Domain: "chat.example.com", Key: "live", APIID: "w1", APIName: "chat", Protocol: "WEBSOCKET", Stage: "dev",
				URL: "ws://chat.example.com:3000/live", LocalhostURL: "ws://chat.example.com.localhost:3000/live", CallbackURL: "http://chat.example.com:3000/live"}}},
	}
	var out bytes.Buffer
	printDomains(&out, domains, "/home/u/app/.gatehouse/ca/ca.pem")
	printTLS(&out, "https://127.0.0.1:3001", "/home/u/app/.gatehouse/ca/ca.pem", domains, "/c.pem", "/k.pem")
	text := out.String()
	for _, want := range []string{
		"custom domain api.example.com (stack S, Api, TLS 1.2 minimum)",
		`orders         -> HTTP API "shop" stage prod`,
		"http://api.example.com.localhost:3000/orders",
		"https://api.example.com:3001/orders",
		`(none)         -> REST API "rest" stage v1`,
		"curl --connect-to api.example.com:80:127.0.0.1:3000 http://api.example.com/orders",
		"curl --connect-to api.example.com:443:127.0.0.1:3001 --cacert /home/u/app/.gatehouse/ca/ca.pem https://api.example.com/orders",
		"custom domain *.example.com (stack S, Wild, TLS 1.2 minimum, mutual TLS)",
		"answers any one label in place of *, e.g. tenant.example.com",
		"no API mappings: every request gets 403",
		"@connections http://chat.example.com:3000/live/@connections/{connectionId}",
		"TLS: https://127.0.0.1:3001 (HTTPS and WSS)",
		"curl --cacert /home/u/app/.gatehouse/ca/ca.pem",
		"NODE_EXTRA_CA_CERTS=/home/u/app/.gatehouse/ca/ca.pem",
		"SSL_CERT_FILE=/home/u/app/.gatehouse/ca/ca.pem",
		"update-ca-certificates",
		"mutual TLS: *.example.com require a client certificate",
		"curl --cert /c.pem --key /k.pem",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if got := domainURLs(domains[2].Mappings[0]); got != "domain ws://chat.example.com:3000/live  (@connections http://chat.example.com:3000/live)" {
		t.Errorf("stage line = %q", got)
	}
}
