package stagerules

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
)

// RouteSettings is the CfnStage RouteSettings value for per-route throttling keyed by route
// key; routes with nil settings are left out.
//
// It is a plain map, not CfnStage_RouteSettingsProperty: RouteSettings is untyped (Json) in the
// L1, so a struct would be serialized with its jsii (camelCase) field names.
func RouteSettings(byRoute map[string]*awsapigatewayv2.ThrottleSettings) map[string]any {
	settings := map[string]any{}
	for key, t := range byRoute {
		if t == nil {
			continue
		}
		s := map[string]any{}
		if t.RateLimit != nil {
			s["ThrottlingRateLimit"] = *t.RateLimit
		}
		if t.BurstLimit != nil {
			s["ThrottlingBurstLimit"] = *t.BurstLimit
		}
		settings[key] = s
	}
	return settings
}

// RouteThrottles writes per-route throttling on stages and remembers which route keys each
// stage named. Stages may be added before the routes they throttle, so the keys can only be
// checked against the API's routes at synthesis, by CheckRoutes.
type RouteThrottles struct {
	stages []throttledStage
}

type throttledStage struct {
	stage  string
	routes []string
}

// Write sets the stage's RouteSettings, which neither HttpStageOptions nor WebSocketStageProps
// has a field for, through its CfnStage. Nothing is written for an empty map.
func (r *RouteThrottles) Write(stage awsapigatewayv2.IStage, byRoute *map[string]*awsapigatewayv2.ThrottleSettings) {
	if byRoute == nil || len(*byRoute) == 0 {
		return
	}
	stage.Node().DefaultChild().(awsapigatewayv2.CfnStage).SetRouteSettings(RouteSettings(*byRoute))
	r.stages = append(r.stages, throttledStage{stage: *stage.StageName(), routes: slices.Sorted(maps.Keys(*byRoute))})
}

// CheckRoutes returns an error for every throttled route key that hasRoute does not know: API
// Gateway rejects a route setting for a route the API does not have.
func (r *RouteThrottles) CheckRoutes(hasRoute func(key string) bool) []string {
	var errs []string
	for _, s := range r.stages {
		for _, key := range s.routes {
			if !hasRoute(key) {
				errs = append(errs, fmt.Sprintf("stage %q: RouteThrottle names route %q, which this API does not have", s.stage, key))
			}
		}
	}
	return errs
}
