package model

import (
	"crypto/sha512"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

const (
	typeAPIKey       = "AWS::ApiGateway::ApiKey"
	typeUsagePlan    = "AWS::ApiGateway::UsagePlan"
	typeUsagePlanKey = "AWS::ApiGateway::UsagePlanKey"
)

// apiKeyState indexes API keys and usage plans by the local ids Ref gives them, which is what
// UsagePlanKey's KeyId and UsagePlanId hold.
type apiKeyState struct {
	byID    map[string]*APIKey
	byValue map[string]*APIKey
	plans   map[string]*usagePlan
	// planOf remembers which usage plan gave a key a stage: API Gateway allows one per key and
	// stage. Keyed by key id, API id and stage name.
	planOf map[string]string
}

type usagePlan struct {
	logicalID string
	stages    []APIStage
	plan      *UsagePlan
}

func newAPIKeyState() apiKeyState {
	return apiKeyState{byID: map[string]*APIKey{}, byValue: map[string]*APIKey{}, plans: map[string]*usagePlan{}, planOf: map[string]string{}}
}

// addAPIKey adds an AWS::ApiGateway::ApiKey with the stages its StageKeys name.
func (b *builder) addAPIKey(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeAPIKey {
		return false, nil
	}
	id, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return true, propErr(st, res, "APIKeyId", err)
	}
	k := &APIKey{Stack: st.s.Name, LogicalID: res.LogicalID}
	if s, ok := id.(string); ok {
		k.ID = s
	}
	if k.Name, err = b.str(st, res, "Name", false); err != nil {
		return true, err
	}
	// Unset, Enabled is false, as in CreateApiKey: such a key exists but API Gateway refuses
	// it (aws/aws-sdk-js#3798 documents the default). The CDK always writes it.
	if k.Enabled, err = b.boolean(st, res, "Enabled"); err != nil {
		return true, err
	}
	if k.Value, err = b.str(st, res, "Value", false); err != nil {
		return true, err
	}
	if k.Value == "" {
		k.Value = generatedAPIKeyValue(st.s.Name, res.LogicalID)
	} else if n := len(k.Value); n < 20 || n > 128 {
		// The Developer Guide: "The value is an alphanumeric string between 20 and 128 characters."
		return true, propErr(st, res, "Value", fmt.Errorf("has %d characters: API key values have 20 to 128", n))
	}
	if prev := b.keys.byValue[k.Value]; prev != nil {
		// "If you try to create two API keys with different names and the same value, API
		// Gateway considers them to be the same API key."
		return true, propErr(st, res, "Value", fmt.Errorf("is the value of API key %q of stack %q too: API key values must be unique", prev.LogicalID, prev.Stack))
	}

	v, err := b.resolve(st, res, "StageKeys")
	if err != nil {
		return true, err
	}
	if v != nil {
		list, ok := v.([]any)
		if !ok {
			return true, propErr(st, res, "StageKeys", errors.New("want a list of {RestApiId, StageName}"))
		}
		for i, e := range list {
			path := fmt.Sprintf("StageKeys[%d]", i)
			s, ok, err := b.apiStage(st, res, path, e, "RestApiId", "StageName")
			if err != nil {
				return true, err
			}
			if ok {
				addAPIStage(k, s)
			}
		}
	}
	b.keys.byID[id.(string)], b.keys.byValue[k.Value] = k, k
	b.m.APIKeys = append(b.m.APIKeys, k)
	return true, nil
}

// addUsagePlan adds an AWS::ApiGateway::UsagePlan: its API stages, for the keys added to it,
// and the throttling and quota each of those keys gets.
func (b *builder) addUsagePlan(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeUsagePlan {
		return false, nil
	}
	id, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return true, propErr(st, res, "Id", err)
	}
	up := &UsagePlan{Stack: st.s.Name, LogicalID: res.LogicalID}
	if up.Name, err = b.str(st, res, "UsagePlanName", false); err != nil {
		return true, err
	}
	props := map[string]any{}
	for _, p := range []string{"Throttle", "Quota", "ApiStages"} {
		if props[p], err = b.resolve(st, res, p); err != nil {
			return true, err
		}
	}
	f := newFields("", props)
	up.Throttle = planThrottle(f.object("Throttle"))
	if q := f.object("Quota"); q.m != nil {
		up.Quota = planQuota(q)
	}
	p := &usagePlan{logicalID: res.LogicalID, plan: up}
	for i, e := range f.list("ApiStages") {
		if f.failed() {
			break
		}
		path := fmt.Sprintf("ApiStages[%d]", i)
		s, ok, err := b.apiStage(st, res, path, e, "ApiId", "Stage")
		if err != nil {
			return true, err
		}
		if !ok {
			continue
		}
		p.stages = append(p.stages, s)
		up.Stages = append(up.Stages, s)
		methods := f.elem("ApiStages", i, e).object("Throttle")
		for _, key := range sortedKeys(methods.m) {
			t := planThrottle(methods.object(key))
			if t == nil {
				continue
			}
			resourcePath, verb, ok := splitMethodKey(key)
			if !ok {
				methods.fail(key, fmt.Errorf("%q: want /{resourcePath}/{METHOD}, like /items/GET", key))
				break
			}
			if as := b.apis[s.APIID]; as != nil && as.rest != nil && !restMethodExists(as.api, resourcePath, verb) {
				b.warn(st, res.LogicalID, typeUsagePlan, fmt.Sprintf("%s.Throttle names %s %s, which API %q does not have: its throttling never applies", path, verb, resourcePath, as.api.LogicalID))
			}
			if up.MethodThrottle == nil {
				up.MethodThrottle = map[string]*Throttle{}
			}
			up.MethodThrottle[s.APIID+"/"+s.Stage+key] = t
		}
	}
	if err := f.check(st, res); err != nil {
		return true, err
	}
	b.keys.plans[id.(string)] = p
	b.m.UsagePlans = append(b.m.UsagePlans, up)
	return true, nil
}

// planThrottle reads a usage plan's {RateLimit, BurstLimit}; nil when neither is set.
func planThrottle(f *fields) *Throttle {
	if !f.has("RateLimit") && !f.has("BurstLimit") {
		return nil
	}
	t := &Throttle{}
	if f.has("RateLimit") {
		var err error
		if t.RateLimit, err = asFloat(f.m["RateLimit"]); err != nil {
			f.fail("RateLimit", err)
		}
	}
	if n := f.integer("BurstLimit"); n != nil {
		t.BurstLimit = *n
	}
	if t.RateLimit < 0 || t.BurstLimit < 0 {
		f.fail("", errors.New("throttling limits cannot be negative"))
	}
	return t
}

// planQuota reads a usage plan's {Limit, Period, Offset}.
func planQuota(f *fields) *Quota {
	q := &Quota{Period: f.str("Period")}
	if n := f.integer("Limit"); n != nil {
		q.Limit = *n
	} else {
		f.fail("Limit", errors.New("is required"))
	}
	if n := f.integer("Offset"); n != nil {
		q.Offset = *n
	}
	switch q.Period {
	case "DAY", "WEEK", "MONTH":
	default:
		f.fail("Period", fmt.Errorf("%q is not DAY, WEEK or MONTH", q.Period))
	}
	if q.Limit < 0 || q.Offset < 0 {
		f.fail("", errors.New("the limit and offset cannot be negative"))
	}
	return q
}

// splitMethodKey splits a usage plan's per-method throttle key "/items/GET" (the root's is
// "//GET") into resource path and method.
func splitMethodKey(key string) (path, verb string, ok bool) {
	i := strings.LastIndexByte(key, '/')
	if i < 1 || !strings.HasPrefix(key, "/") || i == len(key)-1 {
		return "", "", false
	}
	path, verb = key[:i], key[i+1:]
	if _, err := checkVerb(verb); err != nil && verb != "*" {
		return "", "", false
	}
	return path, strings.ToUpper(verb), true
}

// addUsagePlanKey gives an API key the stages of a usage plan.
func (b *builder) addUsagePlanKey(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeUsagePlanKey {
		return false, nil
	}
	keyType, err := b.str(st, res, "KeyType", true)
	if err != nil {
		return true, err
	}
	if keyType != "API_KEY" {
		return true, propErr(st, res, "KeyType", fmt.Errorf("%q is not API_KEY", keyType))
	}
	keyID, err := b.str(st, res, "KeyId", true)
	if err != nil {
		return true, err
	}
	planID, err := b.str(st, res, "UsagePlanId", true)
	if err != nil {
		return true, err
	}
	// An imported key or plan is valid CloudFormation; the runner just knows nothing of it.
	key := b.keys.byID[keyID]
	if key == nil {
		b.warn(st, res.LogicalID, typeUsagePlanKey, fmt.Sprintf("API key %q is not defined in the assembly: its value is unknown, so the runner cannot accept it", keyID))
		return true, nil
	}
	plan := b.keys.plans[planID]
	if plan == nil {
		b.warn(st, res.LogicalID, typeUsagePlanKey, fmt.Sprintf("usage plan %q is not defined in the assembly: API key %q gets none of its stages", planID, key.LogicalID))
		return true, nil
	}
	for _, s := range plan.stages {
		c := keyID + "\x00" + s.APIID + "\x00" + s.Stage
		if prev, ok := b.keys.planOf[c]; ok && prev != plan.logicalID {
			return true, propErr(st, res, "UsagePlanId", fmt.Errorf("API key %q is already in usage plan %q for stage %q of API %s: API Gateway allows one usage plan per key and stage", key.LogicalID, prev, s.Stage, s.APIID))
		}
		b.keys.planOf[c] = plan.logicalID
		addAPIStage(key, s)
	}
	if !slices.Contains(plan.plan.Keys, key.Value) {
		plan.plan.Keys = append(plan.plan.Keys, key.Value)
	}
	return true, nil
}

// apiStage reads one {ApiId, Stage} pair (StageKeys and ApiStages spell the fields
// differently). ok is false when the pair is left out with a warning: an API the assembly does
// not define, or an HTTP API, which has no API keys.
func (b *builder) apiStage(st *stackState, res *assembly.Resource, path string, v any, apiField, stageField string) (_ APIStage, ok bool, _ error) {
	m, err := asObject(v)
	if err != nil {
		return APIStage{}, false, propErr(st, res, path, err)
	}
	var s APIStage
	for _, f := range []struct {
		field string
		dst   *string
	}{{apiField, &s.APIID}, {stageField, &s.Stage}} {
		field, dst := f.field, f.dst
		if m[field] == nil {
			return APIStage{}, false, propErr(st, res, path+"."+field, errors.New("is required"))
		}
		if *dst, err = asString(m[field]); err != nil {
			return APIStage{}, false, propErr(st, res, path+"."+field, err)
		}
	}
	if as := b.apis[s.APIID]; as != nil {
		if as.api.Protocol == ProtocolHTTP {
			b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("%s names HTTP API %q, which has no API keys: left out", path, as.api.LogicalID))
			return APIStage{}, false, nil
		}
		if as.api.Stage(s.Stage) == nil {
			return APIStage{}, false, propErr(st, res, path+"."+stageField, fmt.Errorf("API %q has no stage %q", as.api.LogicalID, s.Stage))
		}
		return s, true, nil
	}
	b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("%s names API %q, which the assembly does not define: left out", path, s.APIID))
	return APIStage{}, false, nil
}

func addAPIStage(k *APIKey, s APIStage) {
	for _, have := range k.Stages {
		if have == s {
			return
		}
	}
	k.Stages = append(k.Stages, s)
}

// generatedAPIKeyValue stands in for the random value AWS generates when Value is unset: 40
// characters of [0-9A-Za-z] like AWS's, hashed from the stack and logical id so the key the
// runner prints stays valid from one run to the next.
func generatedAPIKeyValue(stack, logicalID string) string {
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	sum := sha512.Sum512([]byte("apikey\x00" + stack + "\x00" + logicalID))
	n := new(big.Int).SetBytes(sum[:])
	base, rem := big.NewInt(int64(len(digits))), new(big.Int)
	out := make([]byte, 40)
	for i := range out {
		n.DivMod(n, base, rem)
		out[i] = digits[rem.Int64()]
	}
	return string(out)
}
