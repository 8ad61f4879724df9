package intrinsics

import (
	"fmt"
	"reflect"
)

// Condition evaluates a condition of the template's Conditions section, once.
func (r *Resolver) Condition(name string) (bool, error) {
	if b, ok := r.conditions[name]; ok {
		return b, nil
	}
	def, ok := r.t.Conditions[name]
	if !ok {
		return false, fmt.Errorf("condition %q is not defined", name)
	}
	if r.evaluating[name] {
		return false, fmt.Errorf("condition %q depends on itself", name)
	}
	r.evaluating[name] = true
	defer delete(r.evaluating, name)
	b, err := r.evalCondition(def)
	if err != nil {
		return false, fmt.Errorf("condition %q: %w", name, err)
	}
	r.conditions[name] = b
	return b, nil
}

// ResourceExists says whether a resource is created: false when its Condition is false, as
// CloudFormation then skips it.
func (r *Resolver) ResourceExists(id string) (bool, error) {
	res, ok := r.t.Resources[id]
	if !ok {
		return false, nil
	}
	if res.Condition == "" {
		return true, nil
	}
	return r.Condition(res.Condition)
}

func (r *Resolver) evalCondition(v any) (bool, error) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false, fmt.Errorf("want a condition function, got %s", describe(v))
	}
	for fn, arg := range m {
		switch fn {
		case "Condition":
			name, ok := arg.(string)
			if !ok {
				return false, fmt.Errorf("Condition: want a condition name, got %s", describe(arg))
			}
			return r.Condition(name)
		case "Fn::Equals":
			a, ok := arg.([]any)
			if !ok || len(a) != 2 {
				return false, fmt.Errorf("Fn::Equals: want [value, value], got %s", describe(arg))
			}
			x, err := r.resolve(a[0])
			if err != nil {
				return false, fmt.Errorf("Fn::Equals: %w", err)
			}
			y, err := r.resolve(a[1])
			if err != nil {
				return false, fmt.Errorf("Fn::Equals: %w", err)
			}
			return equalValues(x, y), nil
		case "Fn::Not":
			a, ok := arg.([]any)
			if !ok || len(a) != 1 {
				return false, fmt.Errorf("Fn::Not: want [condition], got %s", describe(arg))
			}
			b, err := r.evalCondition(a[0])
			if err != nil {
				return false, fmt.Errorf("Fn::Not: %w", err)
			}
			return !b, nil
		case "Fn::And", "Fn::Or":
			a, ok := arg.([]any)
			if !ok || len(a) < 2 || len(a) > 10 {
				return false, fmt.Errorf("%s: want a list of 2 to 10 conditions, got %s", fn, describe(arg))
			}
			// Evaluated in full, not short-circuited: a broken operand is an error in
			// CloudFormation whichever way the others turn out.
			and := fn == "Fn::And"
			result := and
			for i, c := range a {
				b, err := r.evalCondition(c)
				if err != nil {
					return false, fmt.Errorf("%s: [%d]: %w", fn, i, err)
				}
				if and {
					result = result && b
				} else {
					result = result || b
				}
			}
			return result, nil
		}
		return false, fmt.Errorf("%s: not a condition function", fn)
	}
	panic("unreachable")
}

// equalValues compares as CloudFormation does: scalars by their string form ("3" equals 3).
func equalValues(x, y any) bool {
	xs, errx := stringValue(x)
	ys, erry := stringValue(y)
	if errx == nil && erry == nil {
		return xs == ys
	}
	return reflect.DeepEqual(x, y)
}
