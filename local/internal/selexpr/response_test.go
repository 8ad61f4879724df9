package selexpr

import (
	"strings"
	"testing"
)

func TestSelectIntegrationResponse(t *testing.T) {
	// The guide's example keys for a non-proxy HTTP integration.
	http := []string{`/2\d\d/`, `/4\d\d/`, `$default`}
	lambda := []string{`/Malformed.*/`, `/.*Timeout.*/`, `$default`}
	tests := []struct {
		value  string   // status code or Lambda errorMessage
		keys   []string // integration response keys, in template order
		want   string
		wantOK bool
	}{
		{"200", http, `/2\d\d/`, true},
		{"204", http, `/2\d\d/`, true},
		{"404", http, `/4\d\d/`, true},
		{"500", http, `$default`, true},
		// Matched against the entire value.
		{"2000", http, `$default`, true},
		{"1200", []string{`/2\d\d/`}, "", false},
		{"Malformed input", lambda, `/Malformed.*/`, true},
		{"Task Timeout exceeded", lambda, `/.*Timeout.*/`, true},
		{"input Malformed", lambda, `$default`, true},
		// A successful Lambda function has no errorMessage: only $default (or .*) applies.
		{"", lambda, `$default`, true},
		{"", []string{`/.*/`, `$default`}, `/.*/`, true},
		// "." does not cross a line break, as with Java patterns.
		{"a\nb", []string{`/.+/`, `$default`}, `$default`, true},
		// Without slashes a key still works as a pattern.
		{"200", []string{"200"}, "200", true},
		{"201", []string{"200"}, "", false},
		// The first matching key in order wins; $default only when none matches.
		{"200", []string{`$default`, `/2../`, `/20./`}, `/2../`, true},
		{"200", []string{`\$default`}, `\$default`, true},
		{"200", nil, "", false},
	}
	for _, tt := range tests {
		got, ok := SelectIntegrationResponse(tt.value, tt.keys)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("SelectIntegrationResponse(%q, %q) = %q, %v; want %q, %v", tt.value, tt.keys, got, ok, tt.want, tt.wantOK)
		}
		rk, err := CompileResponseKeys(tt.keys)
		if err != nil {
			t.Fatal(err)
		}
		if got2, ok2 := rk.Select(tt.value); got2 != got || ok2 != ok {
			t.Errorf("ResponseKeys.Select(%q) = %q, %v; SelectIntegrationResponse said %q, %v", tt.value, got2, ok2, got, ok)
		}
	}
}

func TestCompileResponseKeysErrors(t *testing.T) {
	for key, want := range map[string]string{
		"":           "no pattern",
		"//":         "no pattern",
		`/(a/`:       "missing closing )",
		`/(?=a)b/`:   "invalid or unsupported Perl syntax",
		`/(a)\1/`:    "invalid escape",
		`/[z-a]/`:    "invalid character class range",
		`/a{1001}/`:  "invalid repeat count",
		`/\p{Zzz}/`:  "invalid character class range",
		`/abc\/def/`: "", // valid: an escaped slash inside
	} {
		_, err := CompileResponseKeys([]string{"$default", key})
		if want == "" {
			if err != nil {
				t.Errorf("key %q: %v", key, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "integration response key") {
			t.Errorf("key %q: error %v; want one containing %q", key, err, want)
		}
	}
	// An invalid key never matches in the uncompiled helper, and does not hide $default.
	if got, ok := SelectIntegrationResponse("a", []string{`/(a/`, `$default`}); got != "$default" || !ok {
		t.Errorf("invalid key: got %q, %v", got, ok)
	}
}
