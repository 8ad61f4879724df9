package httpapi

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
)

// AddStage adds a named stage (or "$default" when the API was made with NoDefaultStage) and a
// CfnOutput with its URL. It returns nil, and fails synthesis, when the options break a rule.
func (a *HttpApi) AddStage(opts *StageOptions) awsapigatewayv2.IHttpStage {
	if !stagerules.Admit(a.errs, stagerules.HTTP, opts.rules(), a.Stages) {
		return nil
	}
	name := *opts.Name
	stageID := "Stage-" + name
	if name == DefaultRouteKey {
		stageID = "DefaultStage"
	}
	stage := a.Api.AddStage(jsii.String(stageID), &awsapigatewayv2.HttpStageOptions{
		StageName:      opts.Name,
		AutoDeploy:     stagerules.AutoDeploy(opts.AutoDeploy),
		Description:    opts.Description,
		StageVariables: opts.Variables,
		Throttle:       opts.Throttle,
	})
	a.routeThrottles.Write(stage, opts.RouteThrottle)
	a.register(name, stage)
	return stage
}

// configureDefaultStage applies opts to the $default stage the L2 created. HttpApiProps has no
// options for that stage, so they go on through AddStageVariable and its CfnStage.
func (a *HttpApi) configureDefaultStage(opts *StageOptions) {
	stage := a.Api.DefaultStage()
	ok := opts != nil
	if ok && opts.Name != nil && *opts.Name != DefaultRouteKey {
		a.errs.Addf("DefaultStage: Name %q must be \"$default\" or unset; add other stages with Stages", *opts.Name)
		ok = false
	}
	if ok {
		// Checked before registering, so that the stage does not count as its own duplicate.
		rules := opts.rules()
		rules.Name = jsii.String(DefaultRouteKey)
		ok = stagerules.Admit(a.errs, stagerules.HTTP, rules, a.Stages)
	}
	a.register(DefaultRouteKey, stage)
	if !ok {
		return
	}
	for name, value := range deref.StringMap(opts.Variables) {
		stage.AddStageVariable(jsii.String(name), jsii.String(value))
	}
	cfn := cfnStage(stage)
	if opts.AutoDeploy != nil {
		cfn.SetAutoDeploy(opts.AutoDeploy)
	}
	if opts.Description != nil {
		cfn.SetDescription(opts.Description)
	}
	if t := opts.Throttle; t != nil {
		cfn.SetDefaultRouteSettings(&awsapigatewayv2.CfnStage_RouteSettingsProperty{
			ThrottlingRateLimit:  t.RateLimit,
			ThrottlingBurstLimit: t.BurstLimit,
		})
	}
	a.routeThrottles.Write(stage, opts.RouteThrottle)
}

// rules is what stagerules checks of the options; nil options have no Name.
func (o *StageOptions) rules() stagerules.Options {
	if o == nil {
		return stagerules.Options{}
	}
	return stagerules.Options{Name: o.Name, Variables: o.Variables, Throttle: o.Throttle, RouteThrottle: o.RouteThrottle}
}

// register records a stage and adds the CfnOutput with its URL.
func (a *HttpApi) register(name string, stage awsapigatewayv2.IHttpStage) {
	a.Stages[name] = stage
	a.stageOrder = append(a.stageOrder, name)
	awscdk.NewCfnOutput(a.Construct, jsii.String(outputID(name)), &awscdk.CfnOutputProps{
		Value:       stage.Url(),
		Description: jsii.String(fmt.Sprintf("URL of the %s stage", name)),
	})
}

// cfnStage is the L1 escape hatch of a stage.
func cfnStage(stage awsapigatewayv2.IHttpStage) awsapigatewayv2.CfnStage {
	return stage.Node().DefaultChild().(awsapigatewayv2.CfnStage)
}
