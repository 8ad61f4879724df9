package restapi

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
)

// StageOptions configures one stage.
type StageOptions struct {
	// Name is the stage name, 1 to 128 letters, digits, "-" and "_": the first path segment of
	// the stage's URL. Required for Props.Stages; DefaultStageName for the default stage.
	Name        *string
	Description *string
	// Variables are the stage variables: ${stageVariables.name} in HTTP integration URLs,
	// stageVariables.name in parameter mappings, $stageVariables.name in mapping templates.
	Variables *map[string]*string
	// Throttle applies to every method of the stage (MethodSettings "/*/*").
	Throttle *awsapigateway.ThrottleSettings
	// MethodThrottle overrides Throttle for single methods, keyed by method key
	// ("POST /products"); each must name a method of the API.
	MethodThrottle *map[string]*awsapigateway.ThrottleSettings
	// AccessLogFormat is the access log line, e.g. awsapigateway.AccessLogFormat_JsonWithStandardFields
	// or AccessLogFormat_Custom; it must include $context.requestId or $context.extendedRequestId.
	AccessLogFormat awsapigateway.AccessLogFormat
	// AccessLogDestination receives the access log; default, when AccessLogFormat is set: a new
	// CloudWatch log group.
	AccessLogDestination awsapigateway.IAccessLogDestination
}

// stageThrottle is the method keys one stage throttles.
type stageThrottle struct {
	stage string
	keys  []string
}

// defaultStageOptions checks the default stage's options and renders them for the L2, which
// creates that stage with the API. Broken options are recorded and dropped, so that the API is
// still built and every other rule reported.
func (a *RestApi) defaultStageOptions(opts *StageOptions) *awsapigateway.StageOptions {
	if opts == nil {
		opts = &StageOptions{}
	}
	o := *opts
	if o.Name == nil {
		o.Name = jsii.String(DefaultStageName)
	}
	a.defaultStage = *o.Name
	rendered, ok := a.stageOptions(&o, false)
	if !ok {
		a.defaultStage = DefaultStageName
		return &awsapigateway.StageOptions{StageName: jsii.String(DefaultStageName)}
	}
	return rendered
}

// AddStage adds a stage of the API's deployment and a CfnOutput with its URL. It returns nil,
// and fails synthesis, when the options break a rule.
func (a *RestApi) AddStage(opts *StageOptions) awsapigateway.Stage {
	if opts == nil {
		opts = &StageOptions{}
	}
	if len(a.Stages) >= maxStages {
		a.errs.Addf("stage %q: a REST API has at most %d stages", deref.String(opts.Name), maxStages)
		return nil
	}
	_, taken := a.Stages[deref.String(opts.Name)]
	o, ok := a.stageOptions(opts, taken)
	if !ok {
		return nil
	}
	name := *opts.Name
	stage := awsapigateway.NewStage(a.Construct, jsii.String("Stage-"+name), &awsapigateway.StageProps{
		Deployment:           a.Api.LatestDeployment(),
		StageName:            o.StageName,
		Description:          o.Description,
		Variables:            o.Variables,
		ThrottlingRateLimit:  o.ThrottlingRateLimit,
		ThrottlingBurstLimit: o.ThrottlingBurstLimit,
		MethodOptions:        o.MethodOptions,
		AccessLogFormat:      o.AccessLogFormat,
		AccessLogDestination: o.AccessLogDestination,
	})
	a.Stages[name] = stage
	awscdk.NewCfnOutput(a.Construct, jsii.String("Stage"+constructID(name)+"Url"), &awscdk.CfnOutputProps{
		Value:       stage.UrlForPath(jsii.String("/")),
		Description: jsii.String(fmt.Sprintf("URL of the %s stage", name)),
	})
	return stage
}

// stageOptions checks a stage's options and renders them for the L2. taken says the API
// already has a stage of that name.
func (a *RestApi) stageOptions(opts *StageOptions, taken bool) (*awsapigateway.StageOptions, bool) {
	errs := stagerules.Check(stagerules.REST, stagerules.Options{
		Name:      opts.Name,
		Variables: opts.Variables,
		Throttle:  v2Throttle(opts.Throttle),
	}, taken)
	if opts.Name == nil {
		a.errs.Add(errs...)
		return nil, false
	}
	name := *opts.Name
	methodOptions := map[string]*awsapigateway.MethodDeploymentOptions{}
	var throttled []string
	if opts.MethodThrottle != nil {
		for _, key := range slices.Sorted(maps.Keys(*opts.MethodThrottle)) {
			t := (*opts.MethodThrottle)[key]
			k, err := parseMethodKey(key)
			if err != nil {
				errs = append(errs, fmt.Sprintf("stage %q: MethodThrottle: %v", name, err))
				continue
			}
			errs = append(errs, stagerules.CheckThrottle(fmt.Sprintf("stage %q: method %q", name, key), v2Throttle(t))...)
			if t == nil {
				continue
			}
			methodOptions[k.methodOptionsPath()] = &awsapigateway.MethodDeploymentOptions{
				ThrottlingRateLimit:  t.RateLimit,
				ThrottlingBurstLimit: t.BurstLimit,
			}
			throttled = append(throttled, key)
		}
	}
	format := opts.AccessLogFormat
	if format != nil {
		if f := *format.ToString(); !unresolved(f) {
			if err := checkAccessLogFormat(name, f); err != nil {
				errs = append(errs, err.Error())
			}
		}
	} else if opts.AccessLogDestination != nil {
		errs = append(errs, fmt.Sprintf("stage %q: AccessLogDestination needs an AccessLogFormat", name))
	}
	if len(errs) > 0 {
		a.errs.Add(errs...)
		return nil, false
	}

	o := &awsapigateway.StageOptions{
		StageName:            opts.Name,
		Description:          opts.Description,
		Variables:            opts.Variables,
		AccessLogFormat:      format,
		AccessLogDestination: opts.AccessLogDestination,
	}
	if t := opts.Throttle; t != nil {
		o.ThrottlingRateLimit, o.ThrottlingBurstLimit = t.RateLimit, t.BurstLimit
	}
	if len(methodOptions) > 0 {
		o.MethodOptions = &methodOptions
		a.methodThrottles = append(a.methodThrottles, stageThrottle{stage: name, keys: throttled})
	}
	if format != nil && o.AccessLogDestination == nil {
		group := awslogs.NewLogGroup(a.Construct, jsii.String("AccessLogs-"+constructID(name)), &awslogs.LogGroupProps{
			Retention: awslogs.RetentionDays_ONE_MONTH,
		})
		o.AccessLogDestination = awsapigateway.NewLogGroupLogDestination(group)
	}
	return o, true
}

// checkMethodThrottles runs at synthesis: every throttled method key must name a method, since
// a setting for a method the API does not have never applies.
func (a *RestApi) checkMethodThrottles() []string {
	var errs []string
	for _, s := range a.methodThrottles {
		for _, key := range s.keys {
			if _, ok := a.Methods[key]; !ok {
				errs = append(errs, fmt.Sprintf("stage %q: MethodThrottle names method %q, which this API does not have", s.stage, key))
			}
		}
	}
	return errs
}

// v2Throttle is a REST throttle in the shape stagerules checks; the two L2s have one type each
// with the same fields.
func v2Throttle(t *awsapigateway.ThrottleSettings) *awsapigatewayv2.ThrottleSettings {
	if t == nil {
		return nil
	}
	return &awsapigatewayv2.ThrottleSettings{RateLimit: t.RateLimit, BurstLimit: t.BurstLimit}
}
