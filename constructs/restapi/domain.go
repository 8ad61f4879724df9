package restapi

import (
	"github.com/gatehouse-dev/gatehouse/constructs/domain"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/mapdomain"
)

// MapDomain puts the named stage ("prod", say) behind a custom domain name under key: "" for
// the domain's root (the empty mapping), "orders", or a multi-level "orders/v2". The mapping
// gets a CfnOutput with its URL, https://{domain}/{key}. It returns nil, and fails synthesis,
// when the stage is not one of this API's or the mapping breaks one of the domain's rules (see
// package domain).
func (a *RestApi) MapDomain(d *domain.Domain, stage string, key string) *domain.Mapping {
	s, ok := mapdomain.Stage(a.errs, d, a.Stages, stage)
	if !ok {
		return nil
	}
	return d.MapRestStage(s, key)
}
