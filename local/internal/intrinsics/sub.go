package intrinsics

import (
	"fmt"
	"strings"
)

// fnSub implements both forms: "template" and ["template", {variables}]. In the template,
// ${Name} is a variable, a parameter, a pseudo parameter or a resource's Ref; ${Res.Attr} is
// Fn::GetAtt; ${!Literal} is the literal text ${Literal}.
func (r *Resolver) fnSub(arg any) (any, error) {
	var tmpl string
	vars := map[string]any{}
	switch a := arg.(type) {
	case string:
		tmpl = a
	case []any:
		if len(a) != 2 {
			return nil, fmt.Errorf("want [template, {variables}], got %d elements", len(a))
		}
		s, ok := a[0].(string)
		if !ok {
			return nil, fmt.Errorf("template: want a string, got %s", describe(a[0]))
		}
		tmpl = s
		m, ok := a[1].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("variables: want an object, got %s", describe(a[1]))
		}
		for k, v := range m {
			rv, err := r.resolve(v)
			if err != nil {
				return nil, fmt.Errorf("variable %s: %w", k, err)
			}
			vars[k] = rv
		}
	default:
		return nil, fmt.Errorf("want a string or [template, {variables}], got %s", describe(arg))
	}

	var b strings.Builder
	rest := tmpl
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		b.WriteString(rest[:i])
		rest = rest[i+2:]
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			return nil, fmt.Errorf("%q: unterminated ${", tmpl)
		}
		name := rest[:j]
		rest = rest[j+1:]
		if lit, ok := strings.CutPrefix(name, "!"); ok {
			b.WriteString("${" + lit + "}")
			continue
		}
		s, err := r.subVariable(strings.TrimSpace(name), vars)
		if err != nil {
			return nil, fmt.Errorf("${%s}: %w", name, err)
		}
		b.WriteString(s)
	}
}

func (r *Resolver) subVariable(name string, vars map[string]any) (string, error) {
	if name == "" {
		return "", fmt.Errorf("empty variable name")
	}
	var v any
	var err error
	if val, ok := vars[name]; ok {
		v = val
	} else if id, attr, ok := strings.Cut(name, "."); ok && !strings.HasPrefix(name, "AWS::") {
		v, err = r.GetAtt(id, attr)
	} else {
		v, err = r.Ref(name)
	}
	if err != nil {
		return "", err
	}
	return stringValue(v)
}
