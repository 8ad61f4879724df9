package model

import (
	"strings"
	"testing"
)

func TestCheckDomainName(t *testing.T) {
	tests := []struct {
		name string
		want string // the name as the model keeps it; "" when refused
	}{
		{"api.example.com", "api.example.com"},
		{"API.Example.COM", "api.example.com"}, // DNS names are case-insensitive
		{"example.com", "example.com"},         // a zone apex
		{"*.example.com", "*.example.com"},     // a wildcard
		{"*.api.example.com", "*.api.example.com"},
		{"xn--caf-dma.example.com", "xn--caf-dma.example.com"}, // punycode
		{"a-b.c-d.example", "a-b.c-d.example"},
		{"1.2.example.com", "1.2.example.com"},
		{strings.Repeat("a", 63) + ".com", strings.Repeat("a", 63) + ".com"},
		{"", ""},
		{"localhost", ""},
		{"*", ""},
		{"*.com", ""},
		{"a.*.example.com", ""},
		{"*a.example.com", ""},
		{"**.example.com", ""},
		{"api.example.com.", ""},
		{".example.com", ""},
		{"api..example.com", ""},
		{"-api.example.com", ""},
		{"api-.example.com", ""},
		{"my_api.example.com", ""},
		{"café.example.com", ""},
		{"api.example.com:443", ""},
		{"api example.com", ""},
		{strings.Repeat("a", 64) + ".com", ""},
		{strings.Repeat("abcdefghi.", 26) + "com", ""},
	}
	for _, tt := range tests {
		got, err := checkDomainName(tt.name)
		if (err == nil) != (tt.want != "") || got != tt.want {
			t.Errorf("checkDomainName(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestCheckMappingKey(t *testing.T) {
	tests := []struct {
		key       string
		http, ws  bool // accepted for HTTP and REST APIs, for WebSocket APIs
		errSubstr string
	}{
		{"", true, true, ""}, // the empty mapping
		{"orders", true, true, ""},
		{"$-_.+!*'()", true, true, ""}, // every punctuation mark the guide allows
		{"Orders2", true, true, ""},
		{"orders/v2", true, false, "several levels"},
		{"orders/v1/items", true, false, "several levels"},
		{strings.Repeat("a", 300), true, true, ""},
		{strings.Repeat("a", 301), false, false, "301 characters"},
		{strings.Repeat("a/", 150) + "a", false, false, "301 characters"},
		{"/orders", false, false, "starts or ends with a slash"},
		{"orders/", false, false, "starts or ends with a slash"},
		{"/", false, false, "slash"},
		{"a//b", false, false, "empty level"},
		{"orders?v=2", false, false, "'?'"},
		{"orders#x", false, false, "'#'"},
		{"a b", false, false, "' '"},
		{"a%20b", false, false, "'%'"},
		{"a,b", false, false, "','"},
		{"a:b", false, false, "':'"},
		{"a~b", false, false, "'~'"},
		{"é", false, false, "'é'"},
		{"a\\b", false, false, `'\\'`},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			proto Protocol
			ok    bool
		}{{ProtocolHTTP, tt.http}, {ProtocolREST, tt.http}, {ProtocolWebSocket, tt.ws}} {
			err := checkMappingKey(tt.key, c.proto)
			if (err == nil) != c.ok {
				t.Errorf("checkMappingKey(%q, %s) = %v, want ok=%v", tt.key, c.proto, err, c.ok)
				continue
			}
			if err != nil && !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("checkMappingKey(%q, %s) = %v, want it to mention %s", tt.key, c.proto, err, tt.errSubstr)
			}
		}
	}
}

func TestCheckSecurityPolicy(t *testing.T) {
	for _, p := range []string{"", "TLS_1_0", "TLS_1_2", "SecurityPolicy_TLS13_1_3_2025_09", "SecurityPolicy_TLS12_2018_EDGE"} {
		if err := checkSecurityPolicy(p); err != nil {
			t.Errorf("checkSecurityPolicy(%q) = %v", p, err)
		}
	}
	for _, p := range []string{"TLS_1_1", "tls_1_2", "TLS-1-2", "SSLv3"} {
		if err := checkSecurityPolicy(p); err == nil {
			t.Errorf("checkSecurityPolicy(%q) accepted it", p)
		}
	}
}

func TestSortMappings(t *testing.T) {
	ms := []*APIMapping{{Key: ""}, {Key: "b"}, {Key: "orders"}, {Key: "orders/v2/items"}, {Key: "a"}, {Key: "orders/v2"}}
	sortMappings(ms)
	var got []string
	for _, m := range ms {
		got = append(got, m.Key)
	}
	if g, w := strings.Join(got, ","), "orders/v2/items,orders/v2,orders,a,b,"; g != w {
		t.Errorf("sortMappings: %s, want %s", g, w)
	}
}

// FuzzCheckMappingKey: a key the rules accept is one the runner can match by whole segments:
// non-empty segments of allowed characters, at most 300 bytes, no slash for WebSocket APIs.
func FuzzCheckMappingKey(f *testing.F) {
	for _, k := range []string{"", "orders", "orders/v2", "/a", "a//b", "$-_.+!*'()", "é", strings.Repeat("a", 301)} {
		f.Add(k, false)
	}
	f.Fuzz(func(t *testing.T, key string, websocket bool) {
		proto := ProtocolHTTP
		if websocket {
			proto = ProtocolWebSocket
		}
		if checkMappingKey(key, proto) != nil || key == "" {
			return
		}
		if len(key) > maxMappingKey {
			t.Fatalf("accepted %d bytes", len(key))
		}
		if websocket && strings.Contains(key, "/") {
			t.Fatalf("accepted a multi-level key %q for a WebSocket API", key)
		}
		for _, seg := range strings.Split(key, "/") {
			if seg == "" {
				t.Fatalf("accepted %q, which has an empty segment", key)
			}
			if strings.Trim(seg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$-_.+!*'()") != "" {
				t.Fatalf("accepted %q, which has a character outside the guide's set", key)
			}
		}
	})
}

// FuzzCheckDomainName: a name the rules accept is lower case, and each label (after a leading
// "*") a host name label.
func FuzzCheckDomainName(f *testing.F) {
	for _, n := range []string{"api.example.com", "*.example.com", "A.B", "a..b", "*.com", "-a.b", "a.b.", "é.com"} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got, err := checkDomainName(name)
		if err != nil {
			return
		}
		if got != strings.ToLower(got) || len(got) > 253 {
			t.Fatalf("checkDomainName(%q) = %q", name, got)
		}
		labels := strings.Split(strings.TrimPrefix(got, "*."), ".")
		if len(labels) < 2 {
			t.Fatalf("checkDomainName(%q) accepted %d labels", name, len(labels))
		}
		for _, l := range labels {
			if l == "" || len(l) > 63 || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || l[0] == '-' || l[len(l)-1] == '-' {
				t.Fatalf("checkDomainName(%q) accepted label %q", name, l)
			}
		}
	})
}
