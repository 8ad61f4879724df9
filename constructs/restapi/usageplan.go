package restapi

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
)

// ApiKey is one API key.
type ApiKey struct {
	// Name identifies the key: usage plans list it by this name. Required, up to 1024
	// characters, unique in the API.
	Name *string
	// Value is the key clients send in x-api-key, 20 to 128 characters; default: one AWS
	// generates (the local runner prints a stable one).
	Value       *string
	Description *string
	// Enabled: a disabled key is refused; default true.
	Enabled *bool
}

// UsagePlan gives API keys access to stages of the API, with a rate limit and a quota for each
// key.
type UsagePlan struct {
	// Name of the plan; required, unique in the API.
	Name        *string
	Description *string
	// Stages the plan covers, by name; default: the default stage.
	Stages *[]*string
	// Throttle is each key's request rate (RateLimit per second, bursts of BurstLimit).
	Throttle *awsapigateway.ThrottleSettings
	// Quota is each key's number of requests per DAY, WEEK or MONTH.
	Quota *awsapigateway.QuotaSettings
	// MethodThrottle overrides Throttle for single methods on every stage of the plan, keyed by
	// method key; at most 20. The methods must be added before the plan.
	MethodThrottle *map[string]*awsapigateway.ThrottleSettings
	// ApiKeys are the names of the keys in the plan; a key can be in one plan per stage.
	ApiKeys *[]*string
}

// AddApiKey adds an API key. It returns nil, and fails synthesis, when the key breaks a rule.
func (a *RestApi) AddApiKey(k *ApiKey) awsapigateway.IApiKey {
	if k == nil || k.Name == nil || *k.Name == "" {
		a.errs.Addf("API key: Name is required")
		return nil
	}
	name := *k.Name
	var errs []string
	if len(name) > maxAPIKeyNameLen {
		errs = append(errs, fmt.Sprintf("API key %q: name is %d characters; API Gateway allows %d", name, len(name), maxAPIKeyNameLen))
	}
	if a.ApiKeys[name] != nil {
		errs = append(errs, fmt.Sprintf("API key %q: defined twice", name))
	}
	if v := k.Value; v != nil && !unresolved(*v) {
		if err := checkAPIKeyValue(name, *v); err != nil {
			errs = append(errs, err.Error())
		}
		for _, other := range a.keyValues {
			if other.value == *v {
				errs = append(errs, fmt.Sprintf("API key %q: has the value of API key %q, and API Gateway takes two keys with one value for the same key", name, other.name))
			}
		}
	}
	if len(errs) > 0 {
		a.errs.Add(errs...)
		return nil
	}
	key := awsapigateway.NewApiKey(a.Construct, jsii.String("ApiKey-"+constructID(name)), &awsapigateway.ApiKeyProps{
		ApiKeyName:  k.Name,
		Value:       k.Value,
		Description: k.Description,
		Enabled:     k.Enabled,
	})
	a.ApiKeys[name] = key
	if k.Value != nil {
		a.keyValues = append(a.keyValues, namedValue{name, *k.Value})
	}
	return key
}

// namedValue is an API key's name and value, for the rule that values are unique.
type namedValue struct{ name, value string }

// AddUsagePlan adds a usage plan over stages of this API with its keys. It returns nil, and
// fails synthesis, when the plan breaks a rule.
func (a *RestApi) AddUsagePlan(p *UsagePlan) awsapigateway.UsagePlan {
	if p == nil || p.Name == nil || *p.Name == "" {
		a.errs.Addf("usage plan: Name is required")
		return nil
	}
	name := *p.Name
	what := fmt.Sprintf("usage plan %q", name)
	var errs []string
	if a.UsagePlans[name] != nil {
		errs = append(errs, fmt.Sprintf("%s: defined twice", what))
	}
	errs = append(errs, stagerules.CheckThrottle(what, v2Throttle(p.Throttle))...)
	errs = append(errs, checkQuota(what, p.Quota)...)

	stageNames := derefAll(p.Stages)
	if p.Stages == nil {
		stageNames = []string{a.defaultStage}
	}
	if len(stageNames) == 0 {
		errs = append(errs, fmt.Sprintf("%s: Stages is empty; a plan covers at least one stage", what))
	}
	var stages []awsapigateway.Stage
	for _, s := range stageNames {
		stage := a.Stages[s]
		if stage == nil {
			errs = append(errs, fmt.Sprintf("%s: names stage %q, which this API does not have (add stages before the plans that cover them)", what, s))
			continue
		}
		stages = append(stages, stage)
	}

	var throttles []*awsapigateway.ThrottlingPerMethod
	if p.MethodThrottle != nil {
		if n := len(*p.MethodThrottle); n > maxPlanMethodThrottles {
			errs = append(errs, fmt.Sprintf("%s: throttles %d methods; API Gateway allows %d per stage", what, n, maxPlanMethodThrottles))
		}
		for _, key := range slices.Sorted(maps.Keys(*p.MethodThrottle)) {
			t := (*p.MethodThrottle)[key]
			errs = append(errs, stagerules.CheckThrottle(fmt.Sprintf("%s: method %q", what, key), v2Throttle(t))...)
			m := a.Methods[key]
			if m == nil {
				errs = append(errs, fmt.Sprintf("%s: MethodThrottle names method %q, which this API does not have (add methods before the plans that throttle them)", what, key))
				continue
			}
			if t != nil {
				throttles = append(throttles, &awsapigateway.ThrottlingPerMethod{Method: m, Throttle: t})
			}
		}
	}

	for _, kn := range derefAll(p.ApiKeys) {
		if a.ApiKeys[kn] == nil {
			errs = append(errs, fmt.Sprintf("%s: names API key %q, which this API does not have (add keys before the plans that list them)", what, kn))
			continue
		}
		for _, s := range stageNames {
			if other, ok := a.keyPlans[kn][s]; ok && other != name {
				errs = append(errs, fmt.Sprintf("%s: API key %q is already in usage plan %q for stage %q, and a key can be in one plan per stage", what, kn, other, s))
			}
		}
	}
	if len(errs) > 0 {
		a.errs.Add(errs...)
		return nil
	}

	var apiStages []*awsapigateway.UsagePlanPerApiStage
	for _, s := range stages {
		ps := &awsapigateway.UsagePlanPerApiStage{Api: a.Api, Stage: s}
		if len(throttles) > 0 {
			ps.Throttle = &throttles
		}
		apiStages = append(apiStages, ps)
	}
	plan := a.Api.AddUsagePlan(jsii.String("UsagePlan-"+constructID(name)), &awsapigateway.UsagePlanProps{
		Name:        p.Name,
		Description: p.Description,
		Throttle:    p.Throttle,
		Quota:       p.Quota,
		ApiStages:   &apiStages,
	})
	for _, kn := range derefAll(p.ApiKeys) {
		plan.AddApiKey(a.ApiKeys[kn], nil)
		if a.keyPlans[kn] == nil {
			a.keyPlans[kn] = map[string]string{}
		}
		for _, s := range stageNames {
			a.keyPlans[kn][s] = name
		}
	}
	a.UsagePlans[name] = plan
	return plan
}
