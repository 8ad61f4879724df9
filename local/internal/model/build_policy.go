package model

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/intrinsics"
)

// policyDocument reads the statements of an IAM policy document, raw as the template has it.
//
// Policies are resolved piece by piece, not as one property: the CDK merges every grant of a
// role into one document, and one resource ARN the resolver cannot compute (GetAtt of a KMS key,
// say) must not lose the ManageConnections grant next to it. Such a value is left out of its
// list with a warning; a statement whose Action or Resource list loses every entry is left out.
// Documents IAM would refuse (no Effect, no Action, no Resource) are errors.
func (b *builder) policyDocument(st *stackState, res *assembly.Resource, path string, raw any) ([]*Statement, error) {
	if raw == nil {
		return nil, propErr(st, res, path, errors.New("is required"))
	}
	doc, lost, err := b.resolveCall(st, res, path, raw)
	if err != nil || lost || doc == nil {
		return nil, err
	}
	docMap, err := asObject(doc)
	if err != nil {
		return nil, propErr(st, res, path, err)
	}
	raws, lost, err := b.resolveCall(st, res, path+".Statement", docMap["Statement"])
	if err != nil || lost {
		return nil, err
	}
	var list []any
	switch s := raws.(type) {
	case nil:
		return nil, propErr(st, res, path+".Statement", errors.New("is required"))
	case []any:
		list = s
	case map[string]any:
		list = []any{s} // IAM accepts a single statement without the list
	default:
		return nil, propErr(st, res, path+".Statement", fmt.Errorf("want a statement or a list of them, got %s", intrinsics.DescribeValue(raws)))
	}
	var out []*Statement
	for i, e := range list {
		s, err := b.statement(st, res, fmt.Sprintf("%s.Statement[%d]", path, i), e)
		if err != nil {
			return nil, err
		}
		if s != nil {
			out = append(out, s)
		}
	}
	return out, nil
}

// statement reads one policy statement; nil when it is left out (see policyDocument).
func (b *builder) statement(st *stackState, res *assembly.Resource, path string, raw any) (*Statement, error) {
	v, lost, err := b.resolveCall(st, res, path, raw)
	if err != nil || lost || v == nil {
		return nil, err
	}
	m, err := asObject(v)
	if err != nil {
		return nil, propErr(st, res, path, err)
	}
	s := &Statement{HasCondition: m["Condition"] != nil}

	effect, lost, err := b.resolveCall(st, res, path+".Effect", m["Effect"])
	if err != nil || lost {
		return nil, err
	}
	if effect == nil {
		return nil, propErr(st, res, path+".Effect", errors.New("is required"))
	}
	if s.Effect, err = asString(effect); err != nil {
		return nil, propErr(st, res, path+".Effect", err)
	}
	if s.Effect != "Allow" && s.Effect != "Deny" {
		return nil, propErr(st, res, path+".Effect", fmt.Errorf("%q is not Allow or Deny", s.Effect))
	}

	lists := []struct {
		name string
		dst  *[]string
	}{
		{"Action", &s.Actions}, {"NotAction", &s.NotActions},
		{"Resource", &s.Resources}, {"NotResource", &s.NotResources},
	}
	present := map[string]bool{}
	for _, l := range lists {
		if m[l.name] == nil {
			continue
		}
		var emptied bool
		if *l.dst, emptied, err = b.policyStrings(st, res, path+"."+l.name, m[l.name]); err != nil {
			return nil, err
		}
		if emptied {
			return nil, nil // every value has already been warned about
		}
		present[l.name] = true
	}
	for _, pair := range [][2]string{{"Action", "NotAction"}, {"Resource", "NotResource"}} {
		switch {
		case present[pair[0]] && present[pair[1]]:
			return nil, propErr(st, res, path, fmt.Errorf("has both %s and %s", pair[0], pair[1]))
		case !present[pair[0]] && !present[pair[1]]:
			return nil, propErr(st, res, path, fmt.Errorf("has neither %s nor %s", pair[0], pair[1]))
		}
	}
	return s, nil
}

// policyStrings reads an Action or Resource value: one string or a list of them. emptied
// reports a list whose every value was left out because the resolver cannot compute it.
func (b *builder) policyStrings(st *stackState, res *assembly.Resource, path string, raw any) (out []string, emptied bool, err error) {
	v, lost, err := b.resolveCall(st, res, path, raw)
	if err != nil || lost {
		return nil, lost, err
	}
	list, ok := v.([]any)
	if !ok {
		s, err := asString(v)
		if err != nil {
			return nil, false, propErr(st, res, path, fmt.Errorf("want a string or a list of strings, got %s", intrinsics.DescribeValue(v)))
		}
		return []string{s}, false, nil
	}
	var dropped int
	for i, e := range list {
		p := fmt.Sprintf("%s[%d]", path, i)
		ev, lost, err := b.resolveCall(st, res, p, e)
		if err != nil {
			return nil, false, err
		}
		if lost {
			dropped++
			continue
		}
		if ev == nil {
			continue // AWS::NoValue
		}
		s, err := asString(ev)
		if err != nil {
			return nil, false, propErr(st, res, p, err)
		}
		out = append(out, s)
	}
	switch {
	case len(out) > 0:
		return out, false, nil
	case dropped > 0:
		return nil, true, nil
	}
	return nil, false, propErr(st, res, path, errors.New("is an empty list"))
}

// resolveCall resolves v when it is an intrinsic function call and returns plain objects and
// lists as they are, so that their members can be resolved one at a time. lost reports a value
// the resolver has no local value for (a warning says so).
func (b *builder) resolveCall(st *stackState, res *assembly.Resource, path string, v any) (_ any, lost bool, _ error) {
	if !isCall(v) {
		return v, false, nil
	}
	out, err := st.r.Resolve(v)
	var ua *intrinsics.UnknownAttributeError
	if errors.As(err, &ua) {
		b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("property %s is left out: %v", path, ua))
		return nil, true, nil
	}
	if err != nil {
		return nil, false, &intrinsics.PropertyError{Stack: st.s.Name, Resource: res.LogicalID, Property: path, Err: err}
	}
	return out, false, nil
}

// isCall reports whether v is an intrinsic function call: {"Ref": ...} or {"Fn::...": ...}.
func isCall(v any) bool {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false
	}
	for k := range m {
		return k == "Ref" || strings.HasPrefix(k, "Fn::")
	}
	return false
}

// warnConditions warns once per resource whose statements have Condition blocks.
func (b *builder) warnConditions(st *stackState, res *assembly.Resource, stmts []*Statement) {
	n := 0
	for _, s := range stmts {
		if s.HasCondition {
			n++
		}
	}
	switch {
	case n == 1:
		b.warn(st, res.LogicalID, res.Type, "1 policy statement has a Condition, which is not evaluated locally: the statement is treated as never matching (an Allow with a Condition grants nothing here)")
	case n > 1:
		b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("%d policy statements have a Condition, which is not evaluated locally: they are treated as never matching (an Allow with a Condition grants nothing here)", n))
	}
}
