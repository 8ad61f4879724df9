package model

import "testing"

func TestCheckIntegrationResponseKey(t *testing.T) {
	tests := []struct {
		key string
		ok  bool
	}{
		{"$default", true},
		{`/2\d\d/`, true},
		{`/4\d\d|5\d\d/`, true},
		{"//", true}, // an empty expression matches every status code
		{"200", false},
		{"/", false},
		{"/2\\d\\d", false},
		{"/(/", false}, // not a regular expression
		{"default", false},
		{"", false},
	}
	for _, tt := range tests {
		if err := checkIntegrationResponseKey(tt.key); (err == nil) != tt.ok {
			t.Errorf("checkIntegrationResponseKey(%q) = %v, want ok=%v", tt.key, err, tt.ok)
		}
	}
}
