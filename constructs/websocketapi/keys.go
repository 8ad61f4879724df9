package websocketapi

import "sort"

// sortedKeys makes error lists deterministic, so a synth error reads the same every run.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
