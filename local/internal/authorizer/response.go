package authorizer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// answer is a Lambda authorizer's response, parsed: either a simple response (HTTP APIs,
// payload 2.0 with simple responses enabled) or a principal with an IAM policy.
type answer struct {
	simple     bool
	authorized bool // simple responses only

	principalID string
	statements  []*model.Statement

	// context holds the context map with JSON numbers kept as json.Number, so that REST can
	// stringify them exactly as they were written.
	context            map[string]any
	usageIdentifierKey string
}

// responseRules says what an authorizer's response must look like.
type responseRules struct {
	// simple: {"isAuthorized": bool, "context": {...}} is expected instead of a policy.
	simple bool
	// primitiveContext: context values must be strings, numbers or booleans (REST and
	// WebSocket: "you cannot set a JSON object or array as a valid value of any key in the
	// context map"). HTTP APIs accept any JSON value.
	primitiveContext bool
}

// parseAnswer reads a Lambda authorizer's response payload. The error says what is wrong
// with it, for the log line of the 500 that API Gateway answers.
func parseAnswer(payload []byte, rules responseRules) (*answer, error) {
	var top map[string]json.RawMessage
	if err := strictObject(payload, &top); err != nil {
		return nil, fmt.Errorf("the response is not a JSON object: %w", err)
	}
	a := &answer{simple: rules.simple}
	if raw, ok := top["context"]; ok && !isNull(raw) {
		ctx, err := parseContext(raw, rules.primitiveContext)
		if err != nil {
			return nil, err
		}
		a.context = ctx
	}
	if rules.simple {
		raw, ok := top["isAuthorized"]
		if !ok {
			return nil, errors.New(`the simple response has no "isAuthorized"`)
		}
		if err := json.Unmarshal(raw, &a.authorized); err != nil {
			return nil, fmt.Errorf(`"isAuthorized" is %s, not a boolean`, abbreviate(raw))
		}
		return a, nil
	}

	if raw, ok := top["principalId"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &a.principalID); err != nil {
			return nil, fmt.Errorf(`"principalId" is %s, not a string`, abbreviate(raw))
		}
	}
	if raw, ok := top["usageIdentifierKey"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &a.usageIdentifierKey); err != nil {
			return nil, fmt.Errorf(`"usageIdentifierKey" is %s, not a string`, abbreviate(raw))
		}
	}
	raw, ok := top["policyDocument"]
	if !ok || isNull(raw) {
		return nil, errors.New(`the response has no "policyDocument"`)
	}
	sts, err := parsePolicy(raw)
	if err != nil {
		return nil, fmt.Errorf("policyDocument: %w", err)
	}
	a.statements = sts
	return a, nil
}

// parsePolicy reads an IAM policy document: {"Version": ..., "Statement": [...] or {...}}.
// Keys are IAM's, case-sensitive; single strings stand for one-element lists.
func parsePolicy(raw json.RawMessage) ([]*model.Statement, error) {
	var doc map[string]json.RawMessage
	if err := strictObject(raw, &doc); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	st, ok := doc["Statement"]
	if !ok {
		return nil, errors.New(`no "Statement"`)
	}
	var list []json.RawMessage
	if bytes.HasPrefix(bytes.TrimSpace(st), []byte("{")) {
		list = []json.RawMessage{st}
	} else if err := json.Unmarshal(st, &list); err != nil {
		return nil, fmt.Errorf(`"Statement" is %s, neither a statement nor a list of them`, abbreviate(st))
	}
	out := make([]*model.Statement, 0, len(list))
	for i, raw := range list {
		s, err := parseStatement(raw)
		if err != nil {
			return nil, fmt.Errorf("statement %d: %w", i, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func parseStatement(raw json.RawMessage) (*model.Statement, error) {
	var m map[string]json.RawMessage
	if err := strictObject(raw, &m); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	s := &model.Statement{}
	if err := json.Unmarshal(m["Effect"], &s.Effect); err != nil || (s.Effect != "Allow" && s.Effect != "Deny") {
		return nil, fmt.Errorf(`"Effect" is %s, not "Allow" or "Deny"`, abbreviate(m["Effect"]))
	}
	var err error
	if s.Actions, err = stringOrList(m, "Action"); err != nil {
		return nil, err
	}
	if s.NotActions, err = stringOrList(m, "NotAction"); err != nil {
		return nil, err
	}
	if s.Resources, err = stringOrList(m, "Resource"); err != nil {
		return nil, err
	}
	if s.NotResources, err = stringOrList(m, "NotResource"); err != nil {
		return nil, err
	}
	if len(s.Actions) == 0 && len(s.NotActions) == 0 {
		return nil, errors.New(`no "Action"`)
	}
	if len(s.Resources) == 0 && len(s.NotResources) == 0 {
		return nil, errors.New(`no "Resource"`)
	}
	if c, ok := m["Condition"]; ok && !isNull(c) {
		s.HasCondition = true
	}
	return s, nil
}

func stringOrList(m map[string]json.RawMessage, key string) ([]string, error) {
	raw, ok := m[key]
	if !ok || isNull(raw) {
		return nil, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("%q is %s, neither a string nor a list of strings", key, abbreviate(raw))
	}
	return list, nil
}

// parseContext reads the context map, numbers kept as written.
func parseContext(raw json.RawMessage, primitive bool) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var ctx map[string]any
	if err := dec.Decode(&ctx); err != nil {
		return nil, fmt.Errorf(`"context" is %s, not a JSON object`, abbreviate(raw))
	}
	if primitive {
		for k, v := range ctx {
			switch v.(type) {
			case string, json.Number, bool, nil:
			default:
				return nil, fmt.Errorf(`context value %q is a JSON object or array; a REST or WebSocket authorizer's context values must be strings, numbers or booleans`, k)
			}
		}
	}
	return ctx, nil
}

// strictObject decodes a JSON object, refusing trailing data after it.
func strictObject(raw []byte, v *map[string]json.RawMessage) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if *v == nil {
		return errors.New("null")
	}
	if dec.More() {
		return errors.New("data after the object")
	}
	return nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// abbreviate quotes a JSON value for a log line, cut short.
func abbreviate(raw json.RawMessage) string {
	if raw == nil {
		return "missing"
	}
	const max = 80
	s := string(bytes.TrimSpace(raw))
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
