package stagerules

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
)

// Stage variable quotas, the same for HTTP and WebSocket APIs.
const (
	MaxVariables        = 100
	MaxVariableNameLen  = 64
	MaxVariableValueLen = 512
)

var (
	variableNameRE = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	// The API reference allows [A-Za-z0-9-._~:/?#&=,]+ in values. Spaces are allowed too: the
	// console accepts them, and stage variables are routinely used for human-readable text.
	variableValueRE = regexp.MustCompile(`^[A-Za-z0-9 \-._~:/?#&=,]+$`)
)

// ValidVariableName reports whether name can name a stage variable: 1 to 64 letters, digits
// and "_". Data mappings use it for their stageVariables.NAME sources.
func ValidVariableName(name string) bool {
	return len(name) <= MaxVariableNameLen && variableNameRE.MatchString(name)
}

// CheckVariables applies the quotas (100 per stage, names up to 64 and values up to 512
// characters) and the character sets of the API reference to the variables of stage. The
// messages follow the variables' names in order, so a synth error reads the same every run.
func CheckVariables(stage string, vars map[string]string) []string {
	var errs []string
	if len(vars) > MaxVariables {
		errs = append(errs, fmt.Sprintf("stage %q: has %d stage variables, at most %d are allowed", stage, len(vars), MaxVariables))
	}
	for _, name := range slices.Sorted(maps.Keys(vars)) {
		if !ValidVariableName(name) {
			errs = append(errs, fmt.Sprintf("stage %q: stage variable name %q must be 1 to %d letters, digits and \"_\"", stage, name, MaxVariableNameLen))
		}
		if value := vars[name]; len(value) > MaxVariableValueLen || !variableValueRE.MatchString(value) {
			errs = append(errs, fmt.Sprintf("stage %q: stage variable %q: value must be 1 to %d characters of letters, digits, spaces and -._~:/?#&=,", stage, name, MaxVariableValueLen))
		}
	}
	return errs
}
