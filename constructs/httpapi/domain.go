package httpapi

import "github.com/gatehouse-dev/gatehouse/constructs/domain"

// MapDomain puts the named stage ("$default" or a stage name) behind a custom domain name
// under key: "" for the domain's root (the empty mapping), "orders", or a multi-level
// "orders/v2". The mapping gets a CfnOutput with its URL, https://{domain}/{key}. It returns
// nil, and fails synthesis, when the stage is not one of this API's or the mapping breaks one
// of the domain's rules (see package domain).
func (a *HttpApi) MapDomain(d *domain.Domain, stage string, key string) *domain.Mapping {
	if d == nil {
		a.errs.Addf("MapDomain: a domain is required")
		return nil
	}
	s, ok := a.Stages[stage]
	if !ok {
		a.errs.Addf("MapDomain(%s): stage %q is not a stage of this API", *d.Node().Path(), stage)
		return nil
	}
	return d.MapHttpStage(s, key)
}
