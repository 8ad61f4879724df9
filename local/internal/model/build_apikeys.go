package model

import (
	"crypto/sha512"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

const (
	typeAPIKey       = "AWS::ApiGateway::ApiKey"
	typeUsagePlan    = "AWS::ApiGateway::UsagePlan"
	typeUsagePlanKey = "AWS::ApiGateway::UsagePlanKey"
	typeRestAPI      = "AWS::ApiGateway::RestApi"
)

// apiKeyState indexes API keys and usage plans by the local ids Ref gives them, which is what
// UsagePlanKey's KeyId and UsagePlanId hold.
type apiKeyState struct {
	byID    map[string]*APIKey
	byValue map[string]*APIKey
	plans   map[string]*usagePlan
	// planOf remembers which usage plan gave a key a stage: API Gateway allows one per key and
	// stage. Keyed by key id, API id and stage name.
	planOf   map[string]string
	restAPIs map[string]bool // local ids of the REST APIs of the assembly, once computed
}

type usagePlan struct {
	logicalID string
	stages    []APIStage
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

// addUsagePlan reads an AWS::ApiGateway::UsagePlan's API stages, for the keys added to it.
func (b *builder) addUsagePlan(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeUsagePlan {
		return false, nil
	}
	id, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return true, propErr(st, res, "Id", err)
	}
	p := &usagePlan{logicalID: res.LogicalID}
	name, err := b.str(st, res, "UsagePlanName", false)
	if err != nil {
		return true, err
	}
	if name == "" {
		name = res.LogicalID
	}
	var limits []string
	if res.Properties["Throttle"] != nil {
		limits = append(limits, "throttling")
	}
	if res.Properties["Quota"] != nil {
		limits = append(limits, "a quota")
	}

	v, err := b.resolve(st, res, "ApiStages")
	if err != nil {
		return true, err
	}
	if v != nil {
		list, ok := v.([]any)
		if !ok {
			return true, propErr(st, res, "ApiStages", errors.New("want a list of {ApiId, Stage}"))
		}
		perMethod := false
		for i, e := range list {
			path := fmt.Sprintf("ApiStages[%d]", i)
			s, ok, err := b.apiStage(st, res, path, e, "ApiId", "Stage")
			if err != nil {
				return true, err
			}
			if ok {
				p.stages = append(p.stages, s)
			}
			if m, _ := e.(map[string]any); m["Throttle"] != nil {
				perMethod = true
			}
		}
		if perMethod {
			limits = append(limits, "per-method throttling")
		}
	}
	// Issue 4 enforces them; until then a user must not believe they are tested.
	if len(limits) > 0 {
		b.warn(st, res.LogicalID, typeUsagePlan, fmt.Sprintf("usage plan %q sets %s, which the runner does not enforce yet: requests with its API keys are not limited", name, strings.Join(limits, " and ")))
	}
	b.keys.plans[id.(string)] = p
	return true, nil
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
	if b.restAPIIDs()[s.APIID] {
		return s, true, nil // REST APIs are served with issue 4; their stages are not checked yet
	}
	b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("%s names API %q, which the assembly does not define: left out", path, s.APIID))
	return APIStage{}, false, nil
}

// restAPIIDs are the local ids of the assembly's AWS::ApiGateway::RestApi resources.
func (b *builder) restAPIIDs() map[string]bool {
	if b.keys.restAPIs != nil {
		return b.keys.restAPIs
	}
	b.keys.restAPIs = map[string]bool{}
	for _, st := range b.stacks {
		for _, res := range st.resources {
			if res.Type != typeRestAPI {
				continue
			}
			if id, err := st.r.Ref(res.LogicalID); err == nil {
				b.keys.restAPIs[id.(string)] = true
			}
		}
	}
	return b.keys.restAPIs
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
