package mappingtemplate

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/gatehouse-dev/gatehouse/local/internal/vtl"
)

// MaxTemplateBytes is API Gateway's limit on the size of a mapping template (300 KB).
const MaxTemplateBytes = 300 * 1024

// Template is a compiled mapping template. It is immutable and safe for concurrent use.
type Template struct {
	t     *vtl.Template
	paths *pathCache // the JSONPath expressions $input.path and $input.json were given
}

// Compile parses a mapping template. name appears in error messages (for example
// "POST /pets integration request application/json").
func Compile(name, src string) (*Template, error) {
	if len(src) > MaxTemplateBytes {
		return nil, fmt.Errorf("mapping template %s is %d bytes; API Gateway allows at most %d", name, len(src), MaxTemplateBytes)
	}
	t, err := vtl.Parse(name, src)
	if err != nil {
		return nil, err
	}
	return &Template{t: t, paths: &pathCache{}}, nil
}

// Params are the method request parameters $input.params() exposes. Multi-valued query
// strings and headers are given joined with commas, as API Gateway shows them
// ("value1,value2").
type Params struct {
	Path        map[string]string
	Querystring map[string]string
	Header      map[string]string
}

// Input is the payload and parameters behind $input.
type Input struct {
	// Body is the request (or integration response) payload; for binary payloads
	// converted to text, its base64 form.
	Body   []byte
	Params Params
}

// Vars are the variables a template sees.
type Vars struct {
	Input Input
	// Context is $context: nested maps for nested names ($context.identity.sourceIp is
	// Context["identity"].(map[string]any)["sourceIp"]); see NestContext for dotted keys.
	// Templates never change the caller's maps: Render copies them for a template that could
	// (see vtl.Template.ReadOnly) and shares them with one that cannot.
	Context map[string]any
	// ContextMap, when set, is $context instead of Context, with its keys in the order it
	// gives them (API Gateway's are sorted). A host that renders several templates for one
	// request builds it once; Render treats it as it treats Context.
	ContextMap *vtl.Map
	// StageVariables is $stageVariables.
	StageVariables map[string]string
	// StageVariablesMap, when set, is $stageVariables instead of StageVariables, with its
	// keys sorted: a host builds it once per stage. Render treats it as it treats ContextMap.
	StageVariablesMap *vtl.Map
}

// Result is what rendering produced.
type Result struct {
	Body string
	// RequestOverride and ResponseOverride hold what the template assigned to
	// $context.requestOverride and $context.responseOverride.
	RequestOverride  RequestOverride
	ResponseOverride ResponseOverride
}

// RequestOverride is $context.requestOverride after rendering: the parameters to send to
// the integration instead of the mapped ones.
type RequestOverride struct {
	Header      map[string][]string
	Path        map[string]string
	Querystring map[string][]string
}

// ResponseOverride is $context.responseOverride after rendering.
type ResponseOverride struct {
	Header map[string][]string
	// Status is the status code to return instead of the method response's, 0 if unset.
	Status int
}

// ContextProperties returns the $context variables the template reads ($context.stage,
// $context.identity.sourceIp: "stage", "identity"), sorted, and whether they are all it
// reads of $context. When they are, a host may pass only those in Vars (a template that
// names none needs no $context at all); when not (it prints $context, calls its methods,
// indexes it), it must pass all of them. requestOverride and responseOverride are Render's
// own and may be among the names.
func (t *Template) ContextProperties() (names []string, only bool) {
	return t.t.RootProperties("context")
}

// roots are the maps of the four variables executions start with, reused: vtl only reads
// them, and a map per render costs more than the template it starts.
var roots = sync.Pool{New: func() any { return make(map[string]any, 4) }}

// render is what one Render makes for the template's variables.
type render struct {
	in       input
	reqOver  requestOverride
	respOver responseOverride
}

// Render runs the template. Errors are *vtl.ExecError (line and column in the template);
// one caused by $input.json or $input.path on a body that is not JSON wraps a *BodyError.
func (t *Template) Render(v Vars) (*Result, error) {
	readOnly := t.t.ReadOnly()
	// One allocation for what every render makes: $input and the two override objects.
	r := &render{
		in:       input{body: v.Input.Body, params: v.Input.Params, paths: t.paths, shared: readOnly},
		reqOver:  newRequestOverride(),
		respOver: newResponseOverride(),
	}
	in, reqOver, respOver := &r.in, &r.reqOver, &r.respOver
	ctx := contextMap(v, readOnly)
	ctx.Put("requestOverride", reqOver)
	ctx.Put("responseOverride", respOver)
	stage := v.StageVariablesMap
	switch {
	case stage != nil && !readOnly:
		stage = vtl.Clone(stage).(*vtl.Map)
	case stage == nil:
		stage = vtl.NewMapSize(len(v.StageVariables))
		for _, k := range slices.Sorted(maps.Keys(v.StageVariables)) {
			stage.Put(k, v.StageVariables[k])
		}
	}
	var out strings.Builder
	root := roots.Get().(map[string]any)
	root["input"], root["util"], root["context"], root["stageVariables"] = in, util{}, ctx, stage
	err := t.t.Execute(&out, root)
	clear(root) // nothing of this render stays reachable from the pool
	roots.Put(root)
	if err != nil {
		return nil, err
	}
	res := &Result{Body: out.String()}
	if res.RequestOverride, err = reqOver.result(); err != nil {
		return nil, fmt.Errorf("template %s: %w", t.t.Name(), err)
	}
	if res.ResponseOverride, err = respOver.result(); err != nil {
		return nil, fmt.Errorf("template %s: %w", t.t.Name(), err)
	}
	return res, nil
}
