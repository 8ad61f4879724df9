// Package mapdomain holds what the httpapi, restapi and websocketapi constructs' MapDomain
// methods share: finding the stage to map by name, and reporting a missing domain or an unknown
// stage the same way for every kind of API.
package mapdomain

import (
	"github.com/gatehouse-dev/gatehouse/constructs/domain"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/validation"
)

// Stage returns the stage named stage from an API's stages, for mapping under d; ok is false,
// with the reason recorded on errs, when d is nil or the API has no such stage.
func Stage[S any](errs *validation.Errors, d *domain.Domain, stages map[string]S, stage string) (s S, ok bool) {
	if d == nil {
		errs.Addf("MapDomain: a domain is required")
		return s, false
	}
	s, ok = stages[stage]
	if !ok {
		errs.Addf("MapDomain(%s): stage %q is not a stage of this API", *d.Node().Path(), stage)
	}
	return s, ok
}
