// Package eventfixture compares the events the servers build with aws-lambda-go's recorded
// events (events/testdata in its module), for tests: which keys a real API Gateway event has.
package eventfixture

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Read reads one of aws-lambda-go's recorded events from the module cache.
func Read(t testing.TB, name string) []byte {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-lambda-go").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("aws-lambda-go is not in the module cache: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "events", "testdata", name))
	if err != nil {
		t.Skip(err)
	}
	return b
}

// KeyPaths lists every object key path in a JSON document; the free-form maps count as leaves.
func KeyPaths(t testing.TB, doc []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	leaves := map[string]bool{"headers": true, "multiValueHeaders": true, "queryStringParameters": true,
		"multiValueQueryStringParameters": true, "pathParameters": true, "stageVariables": true}
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		for k, c := range m {
			p := strings.TrimPrefix(prefix+"."+k, ".")
			out = append(out, p)
			if !leaves[p] {
				walk(p, c)
			}
		}
	}
	walk("", v)
	slices.Sort(out)
	return out
}

// DiffKeys reports keys one side has and the other lacks, except those under the allowed
// prefixes of each side.
func DiffKeys(t testing.TB, mine, theirs []string, onlyTheirs, onlyMine []string) {
	t.Helper()
	allowed := func(k string, list []string) bool {
		for _, p := range list {
			if k == p || strings.HasPrefix(k, p+".") {
				return true
			}
		}
		return false
	}
	for _, k := range theirs {
		if !slices.Contains(mine, k) && !allowed(k, onlyTheirs) {
			t.Errorf("fixture has %q, our event does not", k)
		}
	}
	for _, k := range mine {
		if !slices.Contains(theirs, k) && !allowed(k, onlyMine) {
			t.Errorf("our event has %q, the fixture does not", k)
		}
	}
}
