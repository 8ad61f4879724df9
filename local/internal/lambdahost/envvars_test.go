package lambdahost

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadEnvVarsFile(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		want    map[string]map[string]string
		wantErr string
	}{
		{name: "SAM shape", file: `{"Parameters":{"STAGE":"dev"},"HelloFn":{"TABLE":"t","N":42,"F":1.50,"ON":true}}`,
			want: map[string]map[string]string{"Parameters": {"STAGE": "dev"}, "HelloFn": {"TABLE": "t", "N": "42", "F": "1.50", "ON": "true"}}},
		{name: "empty", file: `{}`, want: map[string]map[string]string{}},
		{name: "not JSON", file: `STAGE=dev`, wantErr: "not a JSON object"},
		{name: "array", file: `[]`, wantErr: "not a JSON object"},
		{name: "null", file: `null`, wantErr: "got null"},
		{name: "function not an object", file: `{"HelloFn":"x"}`, wantErr: `"HelloFn": want an object of variable names to values, got a string`},
		{name: "nested object", file: `{"HelloFn":{"A":{"b":1}}}`, wantErr: `"HelloFn": variable "A": want a string, number or boolean, got an object`},
		{name: "null value", file: `{"HelloFn":{"A":null}}`, wantErr: `variable "A": want a string, number or boolean, got null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "env.json")
			os.WriteFile(path, []byte(tt.file), 0o644)
			got, err := LoadEnvVarsFile(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), path) {
					t.Fatalf("err = %v, want one naming %s and saying %q", err, path, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := LoadEnvVarsFile(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
}

func FuzzParseEnvVars(f *testing.F) {
	f.Add(`{"Parameters":{"A":"b","N":1}}`)
	f.Add(`{"F":{"A":[1]}}`)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseEnvVars([]byte(s))
		if err == nil && got == nil {
			t.Error("nil map without an error")
		}
	})
}
