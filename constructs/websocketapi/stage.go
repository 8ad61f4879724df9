package websocketapi

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
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
	if !stagerules.Admit(a.errs, stagerules.WebSocket, opts.rules(), a.Stages) {
		return nil
	}
	name := *opts.Name
	stage := awsapigatewayv2.NewWebSocketStage(a.Construct, jsii.String(a.constructID("Stage-", name)), &awsapigatewayv2.WebSocketStageProps{
		WebSocketApi:   a.Api,
		StageName:      opts.Name,
		AutoDeploy:     stagerules.AutoDeploy(opts.AutoDeploy),
		Description:    opts.Description,
		StageVariables: opts.Variables,
		Throttle:       opts.Throttle,
	})
	a.routeThrottles.Write(stage, opts.RouteThrottle)
	a.Stages[name] = stage
	awscdk.NewCfnOutput(a.Construct, jsii.String(a.constructID("Stage", name)+"Url"), &awscdk.CfnOutputProps{
		Value:       stage.Url(),
		Description: jsii.String(fmt.Sprintf("WebSocket URL of the %s stage", name)),
	})
	return stage
}

// rules is what stagerules checks of the options; nil options have no Name.
func (o *StageOptions) rules() stagerules.Options {
	if o == nil {
		return stagerules.Options{}
	}
	return stagerules.Options{Name: o.Name, Variables: o.Variables, Throttle: o.Throttle, RouteThrottle: o.RouteThrottle}
}
