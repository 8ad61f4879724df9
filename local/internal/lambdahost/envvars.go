package lambdahost

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// LoadEnvVarsFile reads a SAM CLI --env-vars file: a JSON object whose keys are function logical
// ids (or "Parameters", for every function) and whose values are objects of variable names to
// values. Numbers and booleans are accepted and kept as written, as SAM does; anything else is
// an error naming the file and the key.
func LoadEnvVarsFile(path string) (map[string]map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading env vars file: %w", err)
	}
	out, err := parseEnvVars(data)
	if err != nil {
		return nil, fmt.Errorf("reading env vars file %s: %w", path, err)
	}
	return out, nil
}

func parseEnvVars(data []byte) (map[string]map[string]string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("not a JSON object of functions to variables: %w", err)
	}
	if top == nil {
		return nil, fmt.Errorf("not a JSON object of functions to variables: got null")
	}
	out := make(map[string]map[string]string, len(top))
	for name, raw := range top {
		var vars map[string]json.RawMessage
		if err := json.Unmarshal(raw, &vars); err != nil || vars == nil {
			return nil, fmt.Errorf("%q: want an object of variable names to values, got %s", name, kindOf(raw))
		}
		m := make(map[string]string, len(vars))
		for k, v := range vars {
			s, err := envValue(v)
			if err != nil {
				return nil, fmt.Errorf("%q: variable %q: %w", name, k, err)
			}
			m[k] = s
		}
		out[name] = m
	}
	return out, nil
}

func envValue(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) > 0 && raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case bytes.Equal(raw, []byte("true")), bytes.Equal(raw, []byte("false")):
		return string(raw), nil
	case len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9'):
		return string(raw), nil // the number as written: 1.50 stays 1.50
	default:
		return "", fmt.Errorf("want a string, number or boolean, got %s", kindOf(raw))
	}
}

func kindOf(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	default:
		return "a number"
	}
}
