package reqvalidate

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/message"
)

// Draft 4 defines an integer as "a JSON number without a fraction or exponent part", and API
// Gateway's validator follows it: 2.0 is not an integer. The schema library follows later
// drafts, where 2.0 is one, so this vocabulary adds draft 4's rule to every schema whose type
// allows integers but not numbers.

// integerVocab is the vocabulary; its URL only names it and is never fetched.
func integerVocab() (*jsonschema.Vocabulary, error) {
	const url = "urn:gatehouse:reqvalidate:draft4-integers"
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, map[string]any{}); err != nil {
		return nil, err
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, err
	}
	return &jsonschema.Vocabulary{URL: url, Schema: sch, Compile: compileIntegerRule}, nil
}

func compileIntegerRule(_ *jsonschema.CompilerContext, obj map[string]any) (jsonschema.SchemaExt, error) {
	var types []string
	switch t := obj["type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				types = append(types, s)
			}
		}
	}
	if !slices.Contains(types, "integer") || slices.Contains(types, "number") {
		return nil, nil
	}
	slices.Sort(types)
	return integerRule{allowed: slices.Compact(types)}, nil
}

type integerRule struct{ allowed []string }

func (r integerRule) Validate(ctx *jsonschema.ValidatorContext, v any) {
	if n, ok := v.(json.Number); ok && strings.ContainsAny(string(n), ".eE") {
		ctx.AddError(&notInteger{allowed: r.allowed})
	}
}

// notInteger is a number written with a fraction or exponent where only integers are allowed.
type notInteger struct{ allowed []string }

func (*notInteger) KeywordPath() []string { return []string{"type"} }

func (k *notInteger) LocalizedString(p *message.Printer) string {
	return p.Sprintf("got number, want %s", strings.Join(k.allowed, " or "))
}
