package stagerules

import "github.com/gatehouse-dev/gatehouse/constructs/internal/validation"

// WantDefault reports whether an API gets the stage it is created with, which both constructs
// make unless NoDefaultStage is true. Options for that stage (optionsSet) with NoDefaultStage
// true would apply to no stage, so they are recorded on errs as a broken rule rather than
// silently dropped.
func WantDefault(errs *validation.Errors, noDefault *bool, optionsSet bool) bool {
	if noDefault == nil || !*noDefault {
		return true
	}
	if optionsSet {
		errs.Addf("DefaultStage is set but NoDefaultStage is true: the options would apply to no stage")
	}
	return false
}
