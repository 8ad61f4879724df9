package reqvalidate

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// draft4URL is the "$schema" of draft 4, as the guide's models write it.
const draft4URL = "http://json-schema.org/draft-04/schema#"

// ModelURL is the URL by which a model's schema, and other models' "$ref"s, name a model
// (the guide's "Creating more complex models").
func ModelURL(apiID, name string) string {
	return "https://apigateway.amazonaws.com/restapis/" + apiID + "/models/" + name
}

// Validators are an API's compiled models and its request validators. They are read-only once
// compiled, so one value serves concurrent requests.
type Validators struct {
	apiID      string
	validators map[string]*model.RequestValidator
	models     map[string]*jsonschema.Schema // by model name
	broken     map[string]error              // models that did not compile, by name
	// docs are the schema documents by URL, for quoting a keyword's value as it was written.
	docs map[string]any

	// Warnings name what was compiled differently from how it is written, one line each.
	Warnings []string
}

// Compile compiles every model of the API and checks that its methods name validators and
// models that exist. The error names each model and method that is wrong, all of them at once.
// Even with an error, the returned Validators serve every method whose models compiled: a
// method whose body model did not compile fails with API_CONFIGURATION_ERROR, so one bad
// schema does not stop the rest of the API from being served.
func Compile(api *model.API) (*Validators, error) {
	v := &Validators{
		apiID:      api.ID,
		validators: api.RequestValidators,
		models:     map[string]*jsonschema.Schema{},
		broken:     map[string]error{},
		docs:       map[string]any{},
	}
	names := make([]string, 0, len(api.SchemaModels))
	for name := range api.SchemaModels {
		names = append(names, name)
	}
	slices.Sort(names)

	c, err := newCompiler(v)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		doc, err := v.parse(api.SchemaModels[name])
		if err != nil {
			v.broken[name] = err
			continue
		}
		url := ModelURL(api.ID, name)
		if err := c.AddResource(url, doc); err != nil {
			v.broken[name] = fmt.Errorf("model %q: adding its schema: %w", name, err)
			continue
		}
		v.docs[url] = doc
	}
	for _, name := range names {
		if v.broken[name] != nil {
			continue
		}
		sch, err := c.Compile(ModelURL(api.ID, name))
		if err != nil {
			v.broken[name] = fmt.Errorf("model %q: schema does not compile: %w", name, err)
			continue
		}
		v.models[name] = sch
	}

	var errs []error
	for _, name := range names {
		if err := v.broken[name]; err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, v.checkMethods(api)...)
	return v, errors.Join(errs...)
}

// parse reads a model's schema and makes it draft 4 if it names another draft.
func (v *Validators) parse(m *model.SchemaModel) (any, error) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(m.Schema))
	if err != nil {
		return nil, fmt.Errorf("model %q: schema is not JSON: %w", m.Name, err)
	}
	if n, bad := hugeNumber(doc); bad {
		return nil, fmt.Errorf("model %q: number %s in its schema is out of range (exponents up to %d are read)", m.Name, n, maxExponent)
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		// Draft 4 has no boolean schemas; the compiler says so.
		return doc, nil
	}
	if s, ok := obj["$schema"]; ok {
		if str, _ := s.(string); strings.TrimSuffix(str, "#") != strings.TrimSuffix(draft4URL, "#") {
			// API Gateway's validator knows drafts 3 and 4 only, and API Gateway documents
			// draft 4: validating with the declared draft would pass what AWS refuses.
			v.Warnings = append(v.Warnings, fmt.Sprintf("model %q declares $schema %v; it is validated as JSON Schema draft 4, as API Gateway does", m.Name, s))
			obj["$schema"] = draft4URL
		}
	}
	return doc, nil
}

// newCompiler is a draft 4 compiler that knows only the API's models.
func newCompiler(v *Validators) (*jsonschema.Compiler, error) {
	ints, err := integerVocab()
	if err != nil {
		return nil, fmt.Errorf("preparing draft 4's integer rule: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.RegisterVocabulary(ints)
	c.DefaultDraft(jsonschema.Draft4)
	c.UseLoader(modelsOnly{v})
	c.UseRegexpEngine(compileECMA)
	// Formats beyond draft 4's are not API Gateway's to check: its validator ignores them.
	for _, name := range []string{"json-pointer", "relative-json-pointer", "uuid", "duration", "period",
		"date", "time", "iri", "uri-reference", "iri-reference", "uri-template", "semver"} {
		c.RegisterFormat(&jsonschema.Format{Name: name, Validate: func(any) error { return nil }})
	}
	return c, nil
}

// modelsOnly refuses to load anything: every model is added before compiling, so a URL that
// reaches the loader is not a model of this API. Nothing is fetched, ever.
type modelsOnly struct{ v *Validators }

func (l modelsOnly) Load(url string) (any, error) {
	prefix := ModelURL(l.v.apiID, "")
	if name, ok := strings.CutPrefix(url, prefix); ok {
		if err := l.v.broken[name]; err != nil {
			return nil, fmt.Errorf("$ref to model %q, which is broken", name)
		}
		return nil, fmt.Errorf("$ref to model %q, which the API does not define", name)
	}
	return nil, fmt.Errorf("$ref to %s, which is not a model of this API (its models are %s{name}; nothing is fetched)", url, prefix)
}

// checkMethods reports the methods whose validator, models or required parameters cannot be
// what API Gateway would have accepted.
func (v *Validators) checkMethods(api *model.API) []error {
	var errs []error
	for _, res := range api.Resources {
		for _, m := range res.Methods {
			where := fmt.Sprintf("method %s %s (%s)", m.HTTPMethod, res.Path, m.LogicalID)
			if m.RequestValidator != "" && api.RequestValidators[m.RequestValidator] == nil {
				errs = append(errs, fmt.Errorf("%s: request validator %q is not defined", where, m.RequestValidator))
			}
			for _, ct := range slices.Sorted(maps.Keys(m.RequestModels)) {
				if name := m.RequestModels[ct]; api.SchemaModels[name] == nil {
					errs = append(errs, fmt.Errorf("%s: request model %q for %s is not defined", where, name, ct))
				}
			}
			for _, key := range slices.Sorted(maps.Keys(m.RequestParameters)) {
				if _, _, err := splitParam(key); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", where, err))
				}
			}
		}
	}
	return errs
}
