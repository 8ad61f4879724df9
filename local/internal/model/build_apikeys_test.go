package model

import (
	"strings"
	"testing"
)

func TestGeneratedAPIKeyValue(t *testing.T) {
	seen := map[string]string{}
	for _, id := range []string{"Key", "Key2", "ClientKey8E681D3D", "", strings.Repeat("x", 300)} {
		v := generatedAPIKeyValue("Stack", id)
		if len(v) != 40 || strings.Trim(v, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != "" {
			t.Errorf("generatedAPIKeyValue(Stack, %q) = %q: want 40 characters of [0-9A-Za-z]", id, v)
		}
		if v != generatedAPIKeyValue("Stack", id) {
			t.Errorf("generatedAPIKeyValue(Stack, %q) is not stable", id)
		}
		if prev, dup := seen[v]; dup {
			t.Errorf("ids %q and %q get the same value %q", prev, id, v)
		}
		seen[v] = id
	}
	if generatedAPIKeyValue("A", "Key") == generatedAPIKeyValue("B", "Key") {
		t.Error("the same logical id in two stacks gets the same value")
	}
}
