package domain

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckName(t *testing.T) {
	tests := []struct {
		name string
		want string // a part of the one error, "" for none
	}{
		{"api.example.com", ""},
		{"example.com", ""}, // a zone apex may be a custom domain name
		{"*.example.com", ""},
		{"*.tenants.example.com", ""},
		{"xn--bcher-kva.example", ""}, // IDNs in their ASCII form
		{"a-b.c-d.example.com", ""},
		{strings.Repeat("a", 63) + ".com", ""},
		{"", "Name is required"},
		{"API.example.com", `must be lower case (api.example.com)`},
		{"api.example.com.", "leave out the trailing dot"},
		{"https://api.example.com", "host name only"},
		{"api.example.com:443", "host name only"},
		{"api.example.com/v1", "host name only"},
		{"localhost", "at least two labels"},
		{"*.com", "a wildcard stands for the subdomains of a registered domain"},
		{"api.*.example.com", `a wildcard "*" may only be the whole first label`},
		{"*api.example.com", `a wildcard "*" may only be the whole first label`},
		{"**.example.com", `a wildcard "*" may only be the whole first label`},
		{"api..example.com", `label 2 "" is empty`},
		{"-api.example.com", "must not start or end with a hyphen"},
		{"api-.example.com", "must not start or end with a hyphen"},
		{"api_v1.example.com", `has '_'; a label has only letters, digits and hyphens`},
		{strings.Repeat("a", 64) + ".com", "is 64 characters long; a label has at most 63"},
		{strings.Repeat("abcdefghi.", 26) + "com", "is 263 characters long; a domain name has at most 253"},
	}
	for _, tt := range tests {
		errs := checkName(tt.name)
		switch {
		case tt.want == "" && len(errs) > 0:
			t.Errorf("checkName(%q) = %q, want no error", tt.name, errs)
		case tt.want != "" && (len(errs) != 1 || !strings.Contains(errs[0], tt.want)):
			t.Errorf("checkName(%q) = %q, want one error with %q", tt.name, errs, tt.want)
		}
	}
}

func TestCheckKey(t *testing.T) {
	tests := []struct {
		key  string
		kind Kind
		want string // a part of the first error, "" for none
	}{
		{"orders", Kind_HTTP, ""},
		{"orders/v2", Kind_HTTP, ""},
		{"orders/v2/items", Kind_REST, ""},
		{"chat", Kind_WEBSOCKET, ""},
		{"$-_.+!*'()", Kind_WEBSOCKET, ""}, // every punctuation character the guide allows
		{"V1", Kind_REST, ""},
		{strings.Repeat("a", 300), Kind_HTTP, ""},
		{strings.Repeat("a", 301), Kind_HTTP, "is 301 characters long; a key has at most 300"},
		{"/orders", Kind_HTTP, `must not start or end with "/" (write "orders")`},
		{"orders/", Kind_REST, `must not start or end with "/" (write "orders")`},
		{"/", Kind_HTTP, `"" is the empty mapping`},
		{"orders//v2", Kind_HTTP, `has an empty level ("//")`},
		{"chat/v1", Kind_WEBSOCKET, "a WebSocket API's key has one level"},
		{"a b", Kind_HTTP, `' ' is not allowed`},
		{"a%20b", Kind_HTTP, `'%' is not allowed`},
		{"{proxy+}", Kind_REST, `'{' is not allowed`},
		{"é", Kind_HTTP, `'é' is not allowed`},
	}
	for _, tt := range tests {
		errs := checkKey(tt.key, tt.kind)
		switch {
		case tt.want == "" && len(errs) > 0:
			t.Errorf("checkKey(%q, %s) = %q, want no error", tt.key, tt.kind, errs)
		case tt.want != "" && (len(errs) == 0 || !strings.Contains(errs[0], tt.want)):
			t.Errorf("checkKey(%q, %s) = %q, want a first error with %q", tt.key, tt.kind, errs, tt.want)
		}
	}
}

func TestCheckPolicy(t *testing.T) {
	for _, p := range []string{"TLS_1_0", "TLS_1_2"} {
		if err := checkPolicy(p); err != nil {
			t.Errorf("checkPolicy(%q) = %v, want nil", p, err)
		}
	}
	for _, p := range []string{"", "TLS_1_1", "TLS_1_3", "tls_1_2", "SecurityPolicy_TLS13_1_3_2025_09"} {
		if err := checkPolicy(p); err == nil {
			t.Errorf("checkPolicy(%q) = nil, want an error", p)
		}
	}
}

func TestParseTruststoreURI(t *testing.T) {
	tests := []struct {
		uri, bucket, key string
		want             string // a part of the error, "" for none
	}{
		{"s3://trust-bucket/ca.pem", "trust-bucket", "ca.pem", ""},
		{"s3://my.bucket/certs/ca/bundle.pem", "my.bucket", "certs/ca/bundle.pem", ""},
		{"s3://trust-bucket", "", "", "must be s3://BUCKET/KEY"},
		{"s3://trust-bucket/", "", "", "must be s3://BUCKET/KEY"},
		{"https://trust-bucket.s3.amazonaws.com/ca.pem", "", "", "must be s3://BUCKET/KEY"},
		{"s3://Trust_Bucket/ca.pem", "", "", `"Trust_Bucket" is not an S3 bucket name`},
		{"s3://ab/ca.pem", "", "", `"ab" is not an S3 bucket name`},
	}
	for _, tt := range tests {
		bucket, key, err := parseTruststoreURI(tt.uri)
		switch {
		case tt.want == "" && (err != nil || bucket != tt.bucket || key != tt.key):
			t.Errorf("parseTruststoreURI(%q) = %q, %q, %v; want %q, %q", tt.uri, bucket, key, err, tt.bucket, tt.key)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("parseTruststoreURI(%q) error = %v, want one with %q", tt.uri, err, tt.want)
		}
	}
}

func TestCheckCertificateArn(t *testing.T) {
	const arn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1234-5678-9abc-def012345678"
	tests := []struct {
		arn, region string
		want        string // a part of the error, "" for none
	}{
		{arn, "eu-west-1", ""},
		{arn, "", ""}, // an environment-agnostic stack: the Region is decided at deployment
		{"arn:aws-cn:acm:cn-north-1:111122223333:certificate/abc", "cn-north-1", ""},
		{arn, "us-east-1", "is in eu-west-1; a Regional domain name in us-east-1 needs a certificate of its own Region"},
		{"arn:aws:iam::111122223333:server-certificate/x", "", "must be arn:aws:acm:REGION:ACCOUNT:certificate/ID"},
		{"0a1b2c3d-1234", "", "must be arn:aws:acm"},
	}
	for _, tt := range tests {
		err := checkCertificateArn(tt.arn, tt.region)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("checkCertificateArn(%q, %q) = %v, want nil", tt.arn, tt.region, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("checkCertificateArn(%q, %q) = %v, want an error with %q", tt.arn, tt.region, err, tt.want)
		}
	}
}

func TestInZone(t *testing.T) {
	tests := []struct {
		name, zone string
		want       bool
	}{
		{"api.example.com", "example.com", true},
		{"api.example.com", "example.com.", true}, // as Route 53 writes zone names
		{"example.com", "example.com", true},
		{"*.example.com", "example.com", true},
		{"a.b.example.com", "b.example.com", true},
		{"api.example.com", "other.com", false},
		{"api.myexample.com", "example.com", false}, // a suffix that is not a whole label
		{"example.com", "api.example.com", false},
	}
	for _, tt := range tests {
		if got := inZone(tt.name, tt.zone); got != tt.want {
			t.Errorf("inZone(%q, %q) = %v, want %v", tt.name, tt.zone, got, tt.want)
		}
	}
}

// nameRE restates the name rules as one expression, so the fuzzer can compare two ways of
// saying the same thing.
var nameRE = regexp.MustCompile(`^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

func FuzzCheckName(f *testing.F) {
	for _, s := range []string{"api.example.com", "*.example.com", "*.com", "a..b", "A.b", "a-.b", "x.y.", "*", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		errs := checkName(name)
		want := nameRE.MatchString(name) && len(name) <= maxNameLength && strings.Count(strings.TrimPrefix(name, "*."), ".") >= 1
		if got := len(errs) == 0; got != want {
			t.Errorf("checkName(%q) accepted=%v (%q), the expression says %v", name, got, errs, want)
		}
	})
}

func FuzzCheckKey(f *testing.F) {
	for _, s := range []string{"orders", "orders/v2", "/x", "x//y", "a b", "$-_.+!*'()", ""} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, key string, ws bool) {
		kind := Kind_HTTP
		if ws {
			kind = Kind_WEBSOCKET
		}
		if len(checkKey(key, kind)) > 0 || key == "" {
			return
		}
		// An accepted key is what API Gateway stores and the runner matches by levels.
		if !utf8.ValidString(key) || len(key) > maxKeyLength {
			t.Errorf("accepted %q: too long or not UTF-8", key)
		}
		for _, level := range strings.Split(key, "/") {
			if level == "" || strings.Trim(level, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"+keyPunctuation) != "" {
				t.Errorf("accepted %q: level %q", key, level)
			}
		}
		if ws && multiLevel(key) {
			t.Errorf("accepted multi-level %q for a WebSocket API", key)
		}
	})
}
