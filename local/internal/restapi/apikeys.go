package restapi

import (
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// keyring holds what the API's methods check API keys against: the assembly's keys by value,
// and the usage plans that cover each of the API's stages.
type keyring struct {
	apiID  string
	byVal  map[string]*model.APIKey
	plans  map[string][]*model.UsagePlan // by stage name
	usage  *Usage
	source string // APIKeySource: HEADER (the default) or AUTHORIZER
}

func newKeyring(api *model.API, keys []*model.APIKey, plans []*model.UsagePlan, usage *Usage) *keyring {
	k := &keyring{apiID: api.ID, byVal: map[string]*model.APIKey{}, plans: map[string][]*model.UsagePlan{}, usage: usage, source: api.APIKeySource}
	if k.usage == nil {
		k.usage = NewUsage()
	}
	for _, key := range keys {
		// "API key values must be unique": the first key with a value is the one.
		if _, dup := k.byVal[key.Value]; !dup && key.Value != "" {
			k.byVal[key.Value] = key
		}
	}
	for _, p := range plans {
		for _, st := range p.Stages {
			if st.APIID == api.ID {
				k.plans[st.Stage] = append(k.plans[st.Stage], p)
			}
		}
	}
	return k
}

// checkAPIKey applies apiKeyRequired: the guide's "Choose an API key source" says API Gateway
// reads the key from the X-API-Key header and "compares it against the keys in the usage
// plan ... Otherwise, it throws an InvalidKeyParameter exception. As a result, the caller
// receives a 403 Forbidden response." A key is valid for a stage when it is enabled and a
// usage plan of the stage (or a StageKey) names it. A method that does not require a key
// ignores any key it is sent.
func (c *call) checkAPIKey() (gatewayError, bool) {
	if !c.m.m.APIKeyRequired {
		return gatewayError{}, true
	}
	kr := c.s.keys
	v := ""
	if kr.source == "AUTHORIZER" {
		// "The client can now call the API key-required methods without explicitly supplying
		// any API key. The authorizer-returned API key is used automatically": the Lambda
		// authorizer's usageIdentifierKey, which authorize ran before this check.
		if c.grant != nil {
			v = c.grant.usageIdentifierKey
		}
	} else {
		v = c.r.Header.Get("X-Api-Key")
	}
	key := kr.byVal[v]
	if v == "" || key == nil || !key.Enabled || !keyValidFor(key, kr.apiID, c.t.Stage.Name) {
		return errInvalidAPIKey, false
	}
	c.key = key
	return gatewayError{}, true
}

func keyValidFor(key *model.APIKey, apiID, stage string) bool {
	for _, s := range key.Stages {
		if s.APIID == apiID && s.Stage == stage {
			return true
		}
	}
	return false
}

// checkUsagePlan applies the throttling and quota of the usage plan that holds the request's
// API key for this stage ("a given API key can only be associated with one usage plan for
// each stage"): the plan's per-method throttle for this method when it sets one, else the
// plan's throttle, then the quota. Limits count per key, across every stage the plan covers.
func (c *call) checkUsagePlan() (gatewayError, string, bool) {
	if c.key == nil {
		return gatewayError{}, "", true
	}
	kr := c.s.keys
	plan := planFor(kr.plans[c.t.Stage.Name], c.key.Value)
	if plan == nil {
		return gatewayError{}, "", true
	}
	prefix := kr.apiID + "/" + c.t.Stage.Name
	path, verb := c.res.res.Path, c.m.m.HTTPMethod
	throttled := false
	if th := methodThrottle(plan.MethodThrottle, prefix, path, verb); th != nil {
		throttled = !kr.usage.bucket(usageKey{plan: plan, key: c.key.Value, method: prefix + path + "/" + verb}, th).allow(c.start)
	} else if plan.Throttle != nil {
		throttled = !kr.usage.bucket(usageKey{plan: plan, key: c.key.Value}, plan.Throttle).allow(c.start)
	}
	if throttled {
		return errThrottled, "throttled by usage plan " + planName(plan), false
	}
	if plan.Quota != nil && !kr.usage.takeQuota(usageKey{plan: plan, key: c.key.Value}, plan.Quota, c.start) {
		return errQuotaExceeded, "the API key is over the quota of usage plan " + planName(plan), false
	}
	return gatewayError{}, "", true
}

func planFor(plans []*model.UsagePlan, key string) *model.UsagePlan {
	for _, p := range plans {
		for _, k := range p.Keys {
			if k == key {
				return p
			}
		}
	}
	return nil
}

// methodThrottle finds a plan's throttle for a method, keyed "{apiId}/{stage}{resourcePath}/
// {METHOD}" in the model.
func methodThrottle(m map[string]*model.Throttle, prefix, path, verb string) *model.Throttle {
	if len(m) == 0 {
		return nil
	}
	for _, k := range []string{prefix + path + "/" + verb, prefix + path + "/*", prefix + "/*/*"} {
		if th := m[k]; th != nil {
			return th
		}
	}
	return nil
}

func planName(p *model.UsagePlan) string {
	if p.Name != "" {
		return p.Name
	}
	return p.LogicalID
}
