// Package stagerules holds the API Gateway v2 rules for stages that HTTP and WebSocket APIs
// share: stage names, stage variables (and their use in integration URLs), throttling, and the
// per-route throttling that neither L2 stage models and that is written on the CfnStage instead.
//
// The httpapi and websocketapi constructs both use it, so that one rule is written, tested and
// worded once. Rules that only look alike across the two protocols (route keys, integration
// types, integration timeouts) stay in their construct.
//
// Checks return messages rather than recording them: the constructs add them to their
// validation list, which reports every broken rule at synthesis with the construct path.
package stagerules

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
)

// Protocol is the kind of API a stage belongs to, where the rules differ between the two.
type Protocol int

const (
	// HTTP APIs, which have a "$default" stage served at the API's root.
	HTTP Protocol = iota + 1
	// WebSocket APIs, whose URL always names the stage.
	WebSocket
)

// Options are the parts of a stage's configuration, common to both constructs' StageOptions,
// that API Gateway constrains.
type Options struct {
	Variables     *map[string]*string
	Throttle      *awsapigatewayv2.ThrottleSettings
	RouteThrottle *map[string]*awsapigatewayv2.ThrottleSettings
}

// Check returns every rule that a stage called name with opts breaks, in a stable order: the
// name, its uniqueness (taken says the API already has a stage of that name), the variables,
// the stage's throttling, then each route's throttling by route key.
func Check(p Protocol, name string, taken bool, opts Options) []string {
	var errs []string
	if err := CheckName(p, name); err != nil {
		errs = append(errs, err.Error())
	}
	if taken {
		errs = append(errs, fmt.Sprintf("stage %q: defined twice (stage names are unique within an API)", name))
	}
	errs = append(errs, CheckVariables(name, deref.StringMap(opts.Variables))...)
	errs = append(errs, CheckThrottle(fmt.Sprintf("stage %q", name), opts.Throttle)...)
	if opts.RouteThrottle != nil {
		for _, key := range slices.Sorted(maps.Keys(*opts.RouteThrottle)) {
			errs = append(errs, CheckThrottle(fmt.Sprintf("stage %q: route %q", name, key), (*opts.RouteThrottle)[key])...)
		}
	}
	return errs
}
