// Package stagerules holds the rules for stages that HTTP and WebSocket APIs share: stage
// names, stage variables (and their use in integration URLs), throttling, whether the API gets
// its default stage, AutoDeploy's default, and the per-route throttling that neither L2 stage
// models and that is written on the CfnStage instead. REST API stages follow the same name,
// variable and throttling rules, so the restapi construct uses those too.
//
// The httpapi, websocketapi and restapi constructs use it, so that one rule is written, tested
// and worded once. Rules that only look alike across the two protocols (route keys, integration
// types, integration timeouts) stay in their construct.
//
// Check, the Check* functions and RouteThrottles.CheckRoutes return messages; Admit and
// WantDefault record them on the construct's validation list, which reports every broken rule
// at synthesis with the construct path.
package stagerules

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/validation"
)

// Protocol is the kind of API a stage belongs to, where the rules differ between the two.
type Protocol int

const (
	// HTTP APIs, which have a "$default" stage served at the API's root.
	HTTP Protocol = iota + 1
	// WebSocket APIs, whose URL always names the stage.
	WebSocket
	// REST APIs, whose URL always names the stage too.
	REST
)

// Options are the parts of a stage's configuration, common to both constructs' StageOptions,
// that API Gateway constrains.
type Options struct {
	// Name is required: there is no unnamed stage.
	Name          *string
	Variables     *map[string]*string
	Throttle      *awsapigatewayv2.ThrottleSettings
	RouteThrottle *map[string]*awsapigatewayv2.ThrottleSettings
}

// Check returns every rule that a stage configured by opts breaks, in a stable order: the name,
// its uniqueness (taken says the API already has a stage of that name), the variables, the
// stage's throttling, then each route's throttling by route key. A stage without a name
// breaks only that rule, since every other message names the stage.
func Check(p Protocol, opts Options, taken bool) []string {
	if opts.Name == nil {
		return []string{"stage: Name is required"}
	}
	name := *opts.Name
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

// Admit is Check for a stage about to be added to stages, the API's stages so far by name: it
// records every broken rule on errs, and reports whether the stage may be created.
func Admit[S any](errs *validation.Errors, p Protocol, opts Options, stages map[string]S) bool {
	_, taken := stages[deref.String(opts.Name)]
	msgs := Check(p, opts, taken)
	errs.Add(msgs...)
	return len(msgs) == 0
}

// AutoDeploy is the AutoDeploy of a stage: as set, or true. Neither L2 creates Deployment
// resources of its own, so a stage that does not deploy itself would serve nothing.
func AutoDeploy(set *bool) *bool {
	if set != nil {
		return set
	}
	deploy := true
	return &deploy
}
