package httpapi

import (
	"strings"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

// joinErr flattens the results of the check functions for matching.
func joinErr(errs ...error) string {
	var s []string
	for _, e := range errs {
		if e != nil {
			s = append(s, e.Error())
		}
	}
	return strings.Join(s, "\n")
}

func TestRules(t *testing.T) {
	tests := []struct {
		name    string
		got     string // what the check returned, joined
		wantErr string // "" means no error expected
	}{
		{"timeout 50ms", joinErr(checkTimeout("r", 50*time.Millisecond)), ""},
		{"timeout 30s", joinErr(checkTimeout("r", 30*time.Second)), ""},
		{"timeout 49ms", joinErr(checkTimeout("r", 49*time.Millisecond)), "between 50ms and 30s"},
		{"timeout 31s", joinErr(checkTimeout("r", 31*time.Second)), "between 50ms and 30s"},
		{"payload 1.0", joinErr(checkPayloadFormat("r", "1.0", true)), ""},
		{"payload 3.0", joinErr(checkPayloadFormat("r", "3.0", true)), "must be \"1.0\" or \"2.0\""},
		{"payload on URL", joinErr(checkPayloadFormat("r", "1.0", false)), "only to Lambda integrations"},
		{"request mapping ok", strings.Join(checkRequestMapping("r", map[string]string{"append:header.x-src": "gatehouse", "overwrite:path": "/a", "remove:querystring.q": "''"}), ""), ""},
		{"request mapping bad key", strings.Join(checkRequestMapping("r", map[string]string{"add:header.x": "v"}), ""), "request parameter mapping key \"add:header.x\""},
		{"request mapping reserved", strings.Join(checkRequestMapping("r", map[string]string{"overwrite:header.X-Amz-Date": "v"}), ""), "is reserved"},
		{"response mapping ok", strings.Join(checkResponseMapping("r", map[string]map[string]string{"404": {"overwrite:statuscode": "410", "append:header.x-mapped": "yes"}}), ""), ""},
		{"response mapping status", strings.Join(checkResponseMapping("r", map[string]map[string]string{"700": {"append:header.x": "y"}}), ""), "status \"700\" must be an HTTP status code from 200 to 599"},
		{"response mapping querystring", strings.Join(checkResponseMapping("r", map[string]map[string]string{"200": {"append:querystring.x": "y"}}), ""), "must be append|overwrite|remove:header.NAME or overwrite:statuscode"},
		{"response mapping reserved", strings.Join(checkResponseMapping("r", map[string]map[string]string{"200": {"remove:header.Content-Length": "''"}}), ""), "is reserved"},
		{"response statuscode value", strings.Join(checkResponseMapping("r", map[string]map[string]string{"200": {"overwrite:statuscode": "abc"}}), ""), "must be a status code"},
		{"cors ok", strings.Join(checkCORS(corsConfig{AllowCredentials: true, AllowOrigins: []string{"http://localhost:3000", "https://*"}, MaxAgeSeconds: ptr(300.0)}), ""), ""},
		{"cors credentials star", strings.Join(checkCORS(corsConfig{AllowCredentials: true, AllowOrigins: []string{"*"}}), ""), "AllowCredentials cannot be true when AllowOrigins contains \"*\""},
		{"cors origin path", strings.Join(checkCORS(corsConfig{AllowOrigins: []string{"http://localhost:3000/"}}), ""), "scheme://host[:port] with no path"},
		{"cors max age", strings.Join(checkCORS(corsConfig{MaxAgeSeconds: ptr(86401.0)}), ""), "at most 86400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.wantErr == "" {
				if tt.got != "" {
					t.Fatalf("unexpected error: %s", tt.got)
				}
				return
			}
			if !strings.Contains(tt.got, tt.wantErr) {
				t.Fatalf("error %q does not contain %q", tt.got, tt.wantErr)
			}
		})
	}
}

func TestReservedHeader(t *testing.T) {
	for h, want := range map[string]bool{
		"Access-Control-Allow-Origin": true, "x-amzn-trace-id": true, "Via": true, "TE": true,
		"x-custom": false, "Content-Type": false, "cache-control": false,
	} {
		if got := reservedHeader(h); got != want {
			t.Errorf("reservedHeader(%q) = %v, want %v", h, got, want)
		}
	}
}
