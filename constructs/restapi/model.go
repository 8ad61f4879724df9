package restapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/jsii-runtime-go"
	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Model is a JSON schema (draft 4, as API Gateway uses) that methods validate request bodies
// against and name in their method responses.
type Model struct {
	// Name is how methods and other models refer to the model: letters and digits, unique in
	// the API; "Empty" and "Error" are built in.
	Name *string
	// ContentType is the media type the model describes; default application/json.
	ContentType *string
	Description *string
	// Schema is the model's JSON schema. Refer to another model of the API with
	// Ref: api.ModelURL("Other"), and add that model first.
	Schema *awsapigateway.JsonSchema
}

// Names of the models every REST API has.
const (
	EmptyModelName = "Empty"
	ErrorModelName = "Error"
)

// draft4URL is the "$schema" of JSON Schema draft 4.
const draft4URL = "http://json-schema.org/draft-04/schema#"

var modelNameRE = regexp.MustCompile(`^[a-zA-Z0-9]+$`)

// modelState is a model's schema as it is synthesized, with references to other models
// rewritten to the URLs the deferred compile registers them under.
type modelState struct {
	name string
	doc  any
	size int
}

// AddModel adds a model. It returns nil, and fails synthesis, when the model breaks a rule.
func (a *RestApi) AddModel(m *Model) awsapigateway.Model {
	if m == nil || m.Name == nil {
		a.errs.Addf("model: Name is required")
		return nil
	}
	name := *m.Name
	var errs []string
	switch {
	case name == EmptyModelName || name == ErrorModelName:
		errs = append(errs, fmt.Sprintf("model %q: every REST API has the built-in models Empty and Error; choose another name", name))
	case !modelNameRE.MatchString(name):
		errs = append(errs, fmt.Sprintf("model %q: a model name is letters and digits only", name))
	case a.Models[name] != nil:
		errs = append(errs, fmt.Sprintf("model %q: defined twice (model names are unique within an API)", name))
	}
	if m.Schema == nil {
		errs = append(errs, fmt.Sprintf("model %q: Schema is required", name))
	}
	if m.Schema != nil && m.Schema.Schema != "" && m.Schema.Schema != awsapigateway.JsonSchemaVersion_DRAFT4 {
		errs = append(errs, fmt.Sprintf("model %q: $schema %s: API Gateway validates with JSON Schema draft 4 (JsonSchemaVersion_DRAFT4)", name, m.Schema.Schema))
	}
	if ct := m.ContentType; ct != nil {
		if err := checkMediaType(*ct); err != nil {
			errs = append(errs, fmt.Sprintf("model %q: content type %v", name, err))
		}
	}
	if len(errs) > 0 {
		a.errs.Add(errs...)
		return nil
	}
	ct := m.ContentType
	if ct == nil {
		ct = jsii.String("application/json")
	}
	model := a.Api.AddModel(jsii.String("Model-"+name), &awsapigateway.ModelOptions{
		ModelName:   m.Name,
		ContentType: ct,
		Description: m.Description,
		Schema:      m.Schema,
	})

	// The schema as it will be synthesized, $refs and all.
	stack := awscdk.Stack_Of(a.Construct)
	doc := stack.Resolve(model.Node().DefaultChild().(awsapigateway.CfnModel).Schema())
	apiRef, _ := json.Marshal(stack.Resolve(a.Api.RestApiId()))
	refs, refErrs := rewriteRefs(doc, string(apiRef))
	if len(refErrs) > 0 {
		for _, e := range refErrs {
			a.errs.Addf("model %q: %s", name, e)
		}
		return model
	}
	for _, ref := range refs {
		other := a.Models[ref]
		if other == nil && ref != EmptyModelName && ref != ErrorModelName {
			a.errs.Addf("model %q: $ref names model %q, which is not added before it (add the models others refer to first)", name, ref)
			continue
		}
		if other != nil {
			// API Gateway refuses a reference to a model it has not created yet.
			model.Node().AddDependency(other)
		}
	}
	raw, _ := json.Marshal(doc)
	a.models = append(a.models, &modelState{name: name, doc: doc, size: len(raw)})
	a.Models[name] = model
	return model
}

// localModelURL is where the deferred compile registers a model: the API id is only known at
// deploy time, and nothing is ever fetched.
func localModelURL(name string) string { return modelURLPrefix + "local/models/" + name }

// modelRefRE is a reference to a model of this API once the API id is blanked out.
var modelRefRE = regexp.MustCompile(`^` + regexp.QuoteMeta(modelURLPrefix) + `\{api\}/models/([a-zA-Z0-9]+)$`)

// rewriteRefs walks a synthesized schema and rewrites every "$ref" to another model of the API
// (ModelURL, which synthesizes as an Fn::Join around the API's Ref) to its local URL. It
// returns the names referred to. A "$ref" within the schema ("#/definitions/x") stays; any
// other is an error, since API Gateway cannot fetch schemas from elsewhere.
func rewriteRefs(doc any, apiRef string) (names []string, errs []string) {
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				if k != "$ref" {
					walk(child)
					continue
				}
				ref := flattenJoin(child, apiRef)
				if strings.HasPrefix(ref, "#") {
					continue
				}
				if sub := modelRefRE.FindStringSubmatch(ref); sub != nil {
					v[k] = localModelURL(sub[1])
					names = append(names, sub[1])
					continue
				}
				errs = append(errs, fmt.Sprintf("$ref %q: refer to another model of this API with RestApi.ModelURL(name), or within the schema with #/definitions/NAME; API Gateway fetches nothing else", ref))
			}
		case []any:
			for _, child := range v {
				walk(child)
			}
		}
	}
	walk(doc)
	return names, errs
}

// flattenJoin renders a synthesized string value: a plain string as it is, an Fn::Join with
// this API's Ref as "{api}" in its place and any other token as "{token}".
func flattenJoin(v any, apiRef string) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		join, ok := v["Fn::Join"].([]any)
		if !ok || len(join) != 2 {
			break
		}
		sep, _ := join[0].(string)
		parts, _ := join[1].([]any)
		var out []string
		for _, p := range parts {
			if s, ok := p.(string); ok {
				out = append(out, s)
				continue
			}
			if b, _ := json.Marshal(p); string(b) == apiRef {
				out = append(out, "{api}")
				continue
			}
			out = append(out, "{token}")
		}
		return strings.Join(out, sep)
	}
	return "{token}"
}

// checkModels runs at synthesis, when every model is known: each schema compiles as JSON Schema
// draft 4 with the others to refer to, uses no keyword of a later draft (API Gateway would
// ignore it, so the rule it states would not be checked), and the API's models fit the 400 KB
// quota.
func (a *RestApi) checkModels() []string {
	var errs []string
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.UseLoader(noFetch{})
	c.UseRegexpEngine(compileECMA)
	total := 0
	for _, m := range a.models {
		total += m.size
		for _, kw := range laterDraftKeywords(m.doc) {
			errs = append(errs, fmt.Sprintf("model %q: keyword %q is not part of JSON Schema draft 4, which API Gateway validates with: it would be ignored", m.name, kw))
		}
		if err := c.AddResource(localModelURL(m.name), m.doc); err != nil {
			errs = append(errs, fmt.Sprintf("model %q: schema: %v", m.name, err))
		}
	}
	for _, name := range []string{EmptyModelName, ErrorModelName} {
		c.AddResource(localModelURL(name), map[string]any{"type": "object"})
	}
	for _, m := range a.models {
		if _, err := c.Compile(localModelURL(m.name)); err != nil {
			errs = append(errs, fmt.Sprintf("model %q: schema does not compile as JSON Schema draft 4: %s", m.name, strings.ReplaceAll(err.Error(), "\n", "; ")))
		}
	}
	if total > maxModelBytes {
		errs = append(errs, fmt.Sprintf("models: %d bytes of schemas; API Gateway allows 400 KB per API", total))
	}
	return errs
}

// noFetch refuses every URL: all models are registered before compiling.
type noFetch struct{}

func (noFetch) Load(url string) (any, error) {
	return nil, fmt.Errorf("$ref to %s, which is not a model of this API", url)
}

// compileECMA compiles "pattern" keywords as ECMA 262 expressions, as draft 4 says and API
// Gateway does; Go's regexp would refuse lookaheads that models use for rules like password
// strength.
func compileECMA(s string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(s, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return ecmaRegexp{re}, nil
}

type ecmaRegexp struct{ re *regexp2.Regexp }

func (e ecmaRegexp) MatchString(s string) bool {
	ok, err := e.re.MatchString(s)
	return err == nil && ok
}

func (e ecmaRegexp) String() string { return e.re.String() }

// laterDrafts are keywords that JSON Schema added after draft 4.
var laterDrafts = map[string]bool{
	"const": true, "contains": true, "propertyNames": true, "examples": true, "if": true,
	"then": true, "else": true, "$defs": true, "$comment": true, "contentMediaType": true,
	"contentEncoding": true, "dependentRequired": true, "dependentSchemas": true,
	"prefixItems": true, "unevaluatedItems": true, "unevaluatedProperties": true,
}

// laterDraftKeywords returns the later-draft keywords a schema uses, walking only where schemas
// are (so a property named "const" is not taken for the keyword).
func laterDraftKeywords(doc any) []string {
	var found []string
	var schema func(v any)
	schemas := func(v any) { // a map of name -> schema
		if m, ok := v.(map[string]any); ok {
			for _, s := range m {
				schema(s)
			}
		}
	}
	list := func(v any) {
		if l, ok := v.([]any); ok {
			for _, s := range l {
				schema(s)
			}
		}
	}
	schema = func(v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		for k, child := range m {
			switch {
			case laterDrafts[k]:
				found = append(found, k)
			case k == "properties" || k == "patternProperties" || k == "definitions":
				schemas(child)
			case k == "items":
				schema(child)
				list(child)
			case k == "additionalItems" || k == "additionalProperties" || k == "not":
				schema(child)
			case k == "allOf" || k == "anyOf" || k == "oneOf":
				list(child)
			case k == "dependencies":
				schemas(child)
			}
		}
	}
	schema(doc)
	slices.Sort(found)
	return found
}

// modelFor is the L2 model a method names: one of the API's, or a built-in one.
func (a *RestApi) modelFor(name string) awsapigateway.IModel {
	switch name {
	case EmptyModelName:
		return awsapigateway.Model_EMPTY_MODEL()
	case ErrorModelName:
		return awsapigateway.Model_ERROR_MODEL()
	}
	if m := a.Models[name]; m != nil {
		return m
	}
	return nil
}

// modelMap maps content types to the named models, recording an error for a name the API does
// not have.
func (a *RestApi) modelMap(what string, byType map[string]string) (map[string]awsapigateway.IModel, []string) {
	out := map[string]awsapigateway.IModel{}
	var errs []string
	for _, ct := range slices.Sorted(maps.Keys(byType)) {
		name := byType[ct]
		if err := checkMediaType(ct); err != nil {
			errs = append(errs, fmt.Sprintf("%s: content type %v", what, err))
		}
		m := a.modelFor(name)
		if m == nil {
			errs = append(errs, fmt.Sprintf("%s: model %q for %s is not defined (add it to Models before the methods that name it; Empty and Error are built in)", what, name, ct))
			continue
		}
		out[ct] = m
	}
	return out, errs
}
