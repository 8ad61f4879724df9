package websocketapi

import (
	"github.com/gatehouse-dev/gatehouse/constructs/domain"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/mapdomain"
)

// MapDomain puts the named stage ("dev", say) behind a custom domain name under key: "" for
// the domain's root (the empty mapping) or one level such as "chat" (a WebSocket API's key has
// no "/"). It is what aws-cdk-lib's WebSocketApi lacks (aws-cdk#23805). The mapping gets a
// CfnOutput with its URL, wss://{domain}/{key}. It returns nil, and fails synthesis, when the
// stage is not one of this API's or the mapping breaks one of the domain's rules (see package
// domain); the domain must map no HTTP or REST API.
func (a *WebSocketApi) MapDomain(d *domain.Domain, stage string, key string) *domain.Mapping {
	s, ok := mapdomain.Stage(a.errs, d, a.Stages, stage)
	if !ok {
		return nil
	}
	return d.MapWebSocketStage(s, key)
}
