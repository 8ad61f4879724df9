package websocketapi

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/jsii-runtime-go"
)

// StageOptions configures one stage.
type StageOptions struct {
	// Name is the stage name: 1 to 128 letters, digits, "-" and "_". Required for AddStage and
	// Props.Stages; the default stage's defaults to "dev".
	Name *string
	// AutoDeploy deploys every change to the API to this stage; default true, since the L2
	// creates no Deployment resources of its own.
	AutoDeploy  *bool
	Description *string
	// Variables are the stage variables: stageVariables.name in data mapping, and
	// ${stageVariables.name} in integration URLs.
	Variables *map[string]*string
	// Throttle is the stage's default route throttling (DefaultRouteSettings).
	Throttle *awsapigatewayv2.ThrottleSettings
	// RouteThrottle overrides Throttle for single routes, keyed by route key ("sendmessage",
	// "$connect").
	RouteThrottle *map[string]*awsapigatewayv2.ThrottleSettings
}

// AddStage adds a stage and a CfnOutput with its wss:// URL. It returns nil, and fails
// synthesis, when the options break a rule.
func (a *WebSocketApi) AddStage(opts *StageOptions) awsapigatewayv2.WebSocketStage {
	if opts == nil || opts.Name == nil {
		a.errs.Addf("stage: Name is required")
		return nil
	}
	name := *opts.Name
	if !a.checkStage(name, opts) {
		return nil
	}
	autoDeploy := opts.AutoDeploy
	if autoDeploy == nil {
		autoDeploy = jsii.Bool(true)
	}
	stage := awsapigatewayv2.NewWebSocketStage(a.Construct, jsii.String(a.constructID("Stage-", name)), &awsapigatewayv2.WebSocketStageProps{
		WebSocketApi:   a.Api,
		StageName:      jsii.String(name),
		AutoDeploy:     autoDeploy,
		Description:    opts.Description,
		StageVariables: opts.Variables,
		Throttle:       opts.Throttle,
	})
	a.setRouteThrottle(stage, opts.RouteThrottle)
	a.Stages[name] = stage
	awscdk.NewCfnOutput(a.Construct, jsii.String(a.constructID("Stage", name)+"Url"), &awscdk.CfnOutputProps{
		Value:       stage.Url(),
		Description: jsii.String(fmt.Sprintf("WebSocket URL of the %s stage", name)),
	})
	return stage
}

// checkStage validates one stage's options and records every violation; it reports whether the
// stage may be created.
func (a *WebSocketApi) checkStage(name string, opts *StageOptions) bool {
	var errs []string
	if err := checkStageName(name); err != nil {
		errs = append(errs, err.Error())
	}
	if _, dup := a.Stages[name]; dup {
		errs = append(errs, fmt.Sprintf("stage %q: defined twice (stage names are unique within an API)", name))
	}
	errs = append(errs, checkStageVariables(name, strMap(opts.Variables))...)
	if t := opts.Throttle; t != nil {
		errs = append(errs, checkThrottle(fmt.Sprintf("stage %q", name), t.RateLimit, t.BurstLimit)...)
	}
	if opts.RouteThrottle != nil {
		for _, key := range sortedKeys(*opts.RouteThrottle) {
			if t := (*opts.RouteThrottle)[key]; t != nil {
				errs = append(errs, checkThrottle(fmt.Sprintf("stage %q: route %q", name, key), t.RateLimit, t.BurstLimit)...)
			}
		}
	}
	a.errs.Add(errs...)
	return len(errs) == 0
}

// setRouteThrottle writes RouteSettings, which WebSocketStageProps does not model.
func (a *WebSocketApi) setRouteThrottle(stage awsapigatewayv2.WebSocketStage, byRoute *map[string]*awsapigatewayv2.ThrottleSettings) {
	if byRoute == nil || len(*byRoute) == 0 {
		return
	}
	settings := map[string]any{}
	for key, t := range *byRoute {
		if t == nil {
			continue
		}
		// A plain map, not CfnStage_RouteSettingsProperty: RouteSettings is untyped (Json) in the
		// L1, so a struct would be serialized with its jsii (camelCase) field names.
		s := map[string]any{}
		if t.RateLimit != nil {
			s["ThrottlingRateLimit"] = *t.RateLimit
		}
		if t.BurstLimit != nil {
			s["ThrottlingBurstLimit"] = *t.BurstLimit
		}
		settings[key] = s
	}
	stage.Node().DefaultChild().(awsapigatewayv2.CfnStage).SetRouteSettings(settings)
	a.routeThrottled = append(a.routeThrottled, routeThrottle{stage: *stage.StageName(), routes: sortedKeys(*byRoute)})
}

// routeThrottle remembers which route keys a stage throttles, for checkRouteThrottleKeys.
type routeThrottle struct {
	stage  string
	routes []string
}

// checkRouteThrottleKeys runs at synthesis: a route setting for a route the API does not have
// is rejected by API Gateway.
func (a *WebSocketApi) checkRouteThrottleKeys() []string {
	var errs []string
	for _, rt := range a.routeThrottled {
		for _, key := range rt.routes {
			if _, ok := a.Routes[key]; !ok {
				errs = append(errs, fmt.Sprintf("stage %q: RouteThrottle names route %q, which this API does not have", rt.stage, key))
			}
		}
	}
	return errs
}
