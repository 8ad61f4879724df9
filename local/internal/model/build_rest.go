package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

const (
	typeRestAPI             = "AWS::ApiGateway::RestApi"
	typeRestResource        = "AWS::ApiGateway::Resource"
	typeRestMethod          = "AWS::ApiGateway::Method"
	typeRestDeployment      = "AWS::ApiGateway::Deployment"
	typeRestStage           = "AWS::ApiGateway::Stage"
	typeRestModel           = "AWS::ApiGateway::Model"
	typeRestValidator       = "AWS::ApiGateway::RequestValidator"
	typeRestGatewayResponse = "AWS::ApiGateway::GatewayResponse"
	typeRestAuthorizer      = "AWS::ApiGateway::Authorizer"
)

// restState is what a REST API's methods, stages and usage plans look up while it is built.
type restState struct {
	root   *Resource
	byPath map[string]*Resource
	// children lists each resource's child resources, for API Gateway's sibling rules.
	children map[*Resource][]*Resource
	// validators maps a validator's local id (its Ref, what RequestValidatorId holds) to its
	// key in API.RequestValidators.
	validators map[string]string
	// deployment is the first Deployment of the API, and methods every method with where it
	// was defined: finishRestAPIs refuses what API Gateway would refuse to deploy.
	deployment *source
	methods    []methodSource
}

type source struct {
	st  *stackState
	res *assembly.Resource
}

type methodSource struct {
	m    *Method
	src  source
	prop string // the property that defines the method's integration
}

// restIndex finds REST resources and deployments across the stacks of the assembly: a
// resource's ParentId and a method's ResourceId may name anything a Ref or an import yields.
type restIndex struct {
	resources   map[string]*restResource // by local id: a Resource's Ref, or an API's RootResourceId
	pending     []*restResource          // AWS::ApiGateway::Resource, in template order
	deployments map[string]*apiState     // a Deployment's Ref -> its API
}

func newRestIndex() restIndex {
	return restIndex{resources: map[string]*restResource{}, deployments: map[string]*apiState{}}
}

// restResource is an AWS::ApiGateway::Resource (or an API's root) before and after its path is
// known.
type restResource struct {
	src      source // res is nil for a root resource
	as       *apiState
	parentID string
	pathPart string
	r        *Resource // nil until linked
	linking  bool
}

// builtinModels are the models API Gateway creates in every REST API, which methods name
// without defining them (the CDK's Model.EMPTY_MODEL and Model.ERROR_MODEL).
func builtinModels() map[string]*SchemaModel {
	return map[string]*SchemaModel{
		"Empty": {Name: "Empty", ContentType: "application/json",
			Schema: `{"$schema":"http://json-schema.org/draft-04/schema#","title":"Empty Schema","type":"object"}`},
		"Error": {Name: "Error", ContentType: "application/json",
			Schema: `{"$schema":"http://json-schema.org/draft-04/schema#","title":"Error Schema","type":"object","properties":{"message":{"type":"string"}}}`},
	}
}

func isBuiltinModel(m *SchemaModel) bool { return m.LogicalID == "" }

// addRestAPI adds an AWS::ApiGateway::RestApi with its root resource. Its Body, if any, is
// read later (addRestBody), once every stack's functions are known.
func (b *builder) addRestAPI(st *stackState, res *assembly.Resource) error {
	id, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return propErr(st, res, "RestApiId", err)
	}
	rootID, err := st.r.GetAtt(res.LogicalID, "RootResourceId")
	if err != nil {
		return propErr(st, res, "RootResourceId", err)
	}
	root := &Resource{Path: "/"}
	api := &API{
		Stack: st.s.Name, LogicalID: res.LogicalID, ID: id.(string), Protocol: ProtocolREST,
		Stages: []*Stage{}, Resources: []*Resource{root}, SchemaModels: builtinModels(),
	}
	if api.Name, err = b.str(st, res, "Name", false); err != nil {
		return err
	}
	if api.DisableExecuteAPIEndpoint, err = b.boolean(st, res, "DisableExecuteApiEndpoint"); err != nil {
		return err
	}
	types, err := b.strList(st, res, "BinaryMediaTypes")
	if err != nil {
		return err
	}
	for _, t := range types {
		api.BinaryMediaTypes = addMediaType(api.BinaryMediaTypes, t)
	}
	if api.APIKeySource, err = b.str(st, res, "ApiKeySourceType", false); err != nil {
		return err
	}
	if err := checkAPIKeySource(&api.APIKeySource); err != nil {
		return propErr(st, res, "ApiKeySourceType", err)
	}
	if res.Properties["Policy"] != nil {
		b.warn(st, res.LogicalID, typeRestAPI, "the resource policy (Policy) is not evaluated locally: every caller is let in")
	}
	if res.Properties["CloneFrom"] != nil {
		b.warn(st, res.LogicalID, typeRestAPI, "CloneFrom is not supported: only the resources and methods this template defines are translated, none of the cloned API's")
	}
	as := &apiState{
		api: api, st: st, integrations: map[string]*Integration{}, routes: map[string]*Route{}, authorizers: map[string]string{},
		rest: &restState{root: root, byPath: map[string]*Resource{"/": root}, children: map[*Resource][]*Resource{}, validators: map[string]string{}},
	}
	b.rest.resources[rootID.(string)] = &restResource{src: source{st: st}, as: as, r: root}
	b.apis[api.ID] = as
	b.m.APIs = append(b.m.APIs, api)
	return nil
}

// addMediaType adds a binary media type once. CloudFormation and the API Gateway API escape
// the slash as "~1" in some places ("image~1png"); the model holds the media type itself.
func addMediaType(types []string, t string) []string {
	t = strings.ReplaceAll(t, "~1", "/")
	for _, have := range types {
		if have == t {
			return types
		}
	}
	return append(types, t)
}

// checkAPIKeySource accepts HEADER and AUTHORIZER, and makes the default explicit.
func checkAPIKeySource(s *string) error {
	switch *s {
	case "":
		*s = "HEADER"
	case "HEADER", "AUTHORIZER":
	default:
		return fmt.Errorf("%q is not HEADER or AUTHORIZER", *s)
	}
	return nil
}

// restAPIOf resolves a resource's RestApiId to a REST API of the assembly.
func (b *builder) restAPIOf(st *stackState, res *assembly.Resource) (*apiState, error) {
	id, err := b.str(st, res, "RestApiId", true)
	if err != nil {
		return nil, err
	}
	as, ok := b.apis[id]
	if !ok {
		return nil, propErr(st, res, "RestApiId", fmt.Errorf("names API %q, which the assembly does not define", id))
	}
	if as.rest == nil {
		return nil, propErr(st, res, "RestApiId", fmt.Errorf("names %s API %q: AWS::ApiGateway resources belong to REST APIs", as.api.Protocol, as.api.LogicalID))
	}
	return as, nil
}

// addRestModel adds an AWS::ApiGateway::Model under the name its Ref yields, which is what
// methods' RequestModels and ResponseModels hold.
func (b *builder) addRestModel(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeRestModel {
		return false, nil
	}
	as, err := b.restAPIOf(st, res)
	if err != nil {
		return true, err
	}
	name, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return true, propErr(st, res, "Name", err)
	}
	m := &SchemaModel{LogicalID: res.LogicalID, Name: name.(string)}
	if err := checkModelName(m.Name); err != nil {
		return true, propErr(st, res, "Name", err)
	}
	if m.ContentType, err = b.str(st, res, "ContentType", false); err != nil {
		return true, err
	}
	v, err := b.resolve(st, res, "Schema")
	if err != nil {
		return true, err
	}
	if m.Schema, err = schemaText(v); err != nil {
		return true, propErr(st, res, "Schema", err)
	}
	if err := addModel(as.api, m); err != nil {
		return true, propErr(st, res, "Name", err)
	}
	return true, nil
}

// checkModelName applies API Gateway's rule: "The model name must be alphanumeric."
func checkModelName(name string) error {
	if name == "" {
		return errors.New("is empty")
	}
	for _, c := range name {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return fmt.Errorf("%q: model names are alphanumeric", name)
		}
	}
	return nil
}

// schemaText is a model's schema as JSON text: an object is marshalled, a string must already
// be JSON (API Gateway refuses "Invalid model schema specified" otherwise). No schema is {}.
func schemaText(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "{}", nil
	case string:
		var x any
		if err := json.Unmarshal([]byte(v), &x); err != nil {
			return "", fmt.Errorf("is not JSON: %w", err)
		}
		return v, nil
	case map[string]any:
		out, err := json.Marshal(v)
		if err != nil {
			return "", fmt.Errorf("cannot be written as JSON: %w", err)
		}
		return string(out), nil
	}
	return "", errors.New("want a JSON schema object or its JSON text")
}

// addModel adds a model to an API. A definition may replace a built-in model (OpenAPI exports
// of API Gateway APIs carry "Empty" and "Error"), not another definition.
func addModel(api *API, m *SchemaModel) error {
	if prev := api.SchemaModels[m.Name]; prev != nil && !isBuiltinModel(prev) {
		return fmt.Errorf("API %q already has a model named %q (%s)", api.LogicalID, m.Name, prev.LogicalID)
	}
	api.SchemaModels[m.Name] = m
	return nil
}

func (b *builder) addRestValidator(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeRestValidator {
		return false, nil
	}
	as, err := b.restAPIOf(st, res)
	if err != nil {
		return true, err
	}
	id, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return true, propErr(st, res, "RequestValidatorId", err)
	}
	v := &RequestValidator{LogicalID: res.LogicalID}
	if v.Name, err = b.str(st, res, "Name", false); err != nil {
		return true, err
	}
	if v.ValidateRequestBody, err = b.boolean(st, res, "ValidateRequestBody"); err != nil {
		return true, err
	}
	if v.ValidateRequestParameters, err = b.boolean(st, res, "ValidateRequestParameters"); err != nil {
		return true, err
	}
	if as.api.RequestValidators == nil {
		as.api.RequestValidators = map[string]*RequestValidator{}
	}
	as.api.RequestValidators[res.LogicalID] = v
	as.rest.validators[id.(string)] = res.LogicalID
	return true, nil
}

// gatewayResponseTypes are the ResponseType values of the Developer Guide's "Gateway response
// types" table.
var gatewayResponseTypes = map[string]bool{
	"ACCESS_DENIED": true, "API_CONFIGURATION_ERROR": true, "AUTHORIZER_CONFIGURATION_ERROR": true,
	"AUTHORIZER_FAILURE": true, "BAD_REQUEST_PARAMETERS": true, "BAD_REQUEST_BODY": true,
	"DEFAULT_4XX": true, "DEFAULT_5XX": true, "EXPIRED_TOKEN": true, "INTEGRATION_FAILURE": true,
	"INTEGRATION_TIMEOUT": true, "INVALID_API_KEY": true, "INVALID_SIGNATURE": true,
	"MISSING_AUTHENTICATION_TOKEN": true, "QUOTA_EXCEEDED": true, "REQUEST_TOO_LARGE": true,
	"RESOURCE_NOT_FOUND": true, "THROTTLED": true, "UNAUTHORIZED": true,
	"UNSUPPORTED_MEDIA_TYPE": true, "WAF_FILTERED": true,
}

func (b *builder) addRestGatewayResponse(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeRestGatewayResponse {
		return false, nil
	}
	as, err := b.restAPIOf(st, res)
	if err != nil {
		return true, err
	}
	gr := &GatewayResponse{LogicalID: res.LogicalID}
	if gr.ResponseType, err = b.str(st, res, "ResponseType", true); err != nil {
		return true, err
	}
	if gr.StatusCode, err = b.str(st, res, "StatusCode", false); err != nil {
		return true, err
	}
	if gr.ResponseParameters, err = b.strMap(st, res, "ResponseParameters"); err != nil {
		return true, err
	}
	if gr.ResponseTemplates, err = b.strMap(st, res, "ResponseTemplates"); err != nil {
		return true, err
	}
	if prop, err := addGatewayResponse(as.api, gr); err != nil {
		return true, propErr(st, res, prop, err)
	}
	return true, nil
}

// addGatewayResponse checks a gateway response and adds it; on error it names the field.
func addGatewayResponse(api *API, gr *GatewayResponse) (field string, _ error) {
	if !gatewayResponseTypes[gr.ResponseType] {
		return "ResponseType", fmt.Errorf("%q is not a gateway response type (DEFAULT_4XX, MISSING_AUTHENTICATION_TOKEN, ...)", gr.ResponseType)
	}
	if gr.StatusCode != "" && !isStatusCode(gr.StatusCode) {
		return "StatusCode", fmt.Errorf("%q is not an HTTP status code", gr.StatusCode)
	}
	for _, prev := range api.GatewayResponses {
		if prev.ResponseType == gr.ResponseType {
			return "ResponseType", fmt.Errorf("API %q already has a %s gateway response", api.LogicalID, gr.ResponseType)
		}
	}
	api.GatewayResponses = append(api.GatewayResponses, gr)
	return "", nil
}

// isStatusCode accepts the three-digit codes API Gateway does, 100 to 599.
func isStatusCode(s string) bool {
	return len(s) == 3 && s[0] >= '1' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9'
}

// addRestResource records an AWS::ApiGateway::Resource; linkRestResources gives it its path
// once every resource is known, since a parent may come later in the template or in another
// stack.
func (b *builder) addRestResource(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeRestResource {
		return false, nil
	}
	as, err := b.restAPIOf(st, res)
	if err != nil {
		return true, err
	}
	rr := &restResource{src: source{st, res}, as: as}
	if rr.parentID, err = b.str(st, res, "ParentId", true); err != nil {
		return true, err
	}
	if rr.pathPart, err = b.str(st, res, "PathPart", true); err != nil {
		return true, err
	}
	id, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return true, propErr(st, res, "ResourceId", err)
	}
	b.rest.resources[id.(string)] = rr
	b.rest.pending = append(b.rest.pending, rr)
	return true, nil
}

func (b *builder) linkRestResources() error {
	for _, rr := range b.rest.pending {
		if _, err := b.linkRestResource(rr); err != nil {
			return err
		}
	}
	return nil
}

// linkRestResource gives a resource its full path, linking its ancestors first.
func (b *builder) linkRestResource(rr *restResource) (*Resource, error) {
	if rr.r != nil {
		return rr.r, nil
	}
	st, res := rr.src.st, rr.src.res
	if rr.linking {
		return nil, propErr(st, res, "ParentId", fmt.Errorf("resource %q is its own ancestor: the ParentIds form a cycle", res.LogicalID))
	}
	rr.linking = true
	defer func() { rr.linking = false }()
	parent := b.rest.resources[rr.parentID]
	if parent == nil {
		return nil, propErr(st, res, "ParentId", fmt.Errorf("names resource %q, which API %q does not have", rr.parentID, rr.as.api.LogicalID))
	}
	if parent.as != rr.as {
		return nil, propErr(st, res, "ParentId", fmt.Errorf("names a resource of API %q, not of API %q", parent.as.api.LogicalID, rr.as.api.LogicalID))
	}
	pr, err := b.linkRestResource(parent)
	if err != nil {
		return nil, err
	}
	r, err := rr.as.rest.child(rr.as.api, pr, rr.pathPart, res.LogicalID, false)
	if err != nil {
		return nil, propErr(st, res, "PathPart", err)
	}
	rr.r = r
	return r, nil
}

// child adds the resource PathPart part under parent, or with reuse (an OpenAPI import, which
// creates each intermediate resource once) returns the one already there. It enforces API
// Gateway's rules, which the server's matching relies on: one path part per segment, one
// variable path part among siblings, nothing under a greedy {name+} resource.
func (rs *restState) child(api *API, parent *Resource, part, logicalID string, reuse bool) (*Resource, error) {
	if err := checkPathPart(part); err != nil {
		return nil, err
	}
	if isGreedyPart(lastPart(parent.Path)) {
		return nil, fmt.Errorf("%q: its parent %s ends in a greedy path variable, which can have no child resources", part, parent.Path)
	}
	path := joinPath(parent.Path, part)
	if prev := rs.byPath[path]; prev != nil {
		if reuse {
			return prev, nil
		}
		return nil, fmt.Errorf("%q: API %q already has the resource %s%s", part, api.LogicalID, path, definedBy(prev))
	}
	if isVariablePart(part) {
		for _, sib := range rs.children[parent] {
			if p := lastPart(sib.Path); isVariablePart(p) {
				return nil, fmt.Errorf("%q: its sibling %s%s already has a variable path part, and API Gateway allows one per parent", part, sib.Path, definedBy(sib))
			}
		}
	}
	r := &Resource{LogicalID: logicalID, Path: path}
	rs.byPath[path] = r
	rs.children[parent] = append(rs.children[parent], r)
	api.Resources = append(api.Resources, r)
	return r, nil
}

func definedBy(r *Resource) string {
	if r.LogicalID == "" {
		return ""
	}
	return fmt.Sprintf(" (%s)", r.LogicalID)
}

// checkPathPart accepts one path segment: a literal, or a whole {name} or greedy {name+}.
func checkPathPart(p string) error {
	if p == "" {
		return errors.New("a path part cannot be empty")
	}
	if strings.Contains(p, "/") {
		return fmt.Errorf("%q: a path part is one segment, without slashes", p)
	}
	if strings.ContainsAny(p, "{}") {
		name, ok1 := strings.CutPrefix(p, "{")
		name, ok2 := strings.CutSuffix(name, "}")
		name = strings.TrimSuffix(name, "+")
		if !ok1 || !ok2 || name == "" || strings.ContainsAny(name, "{}+") {
			return fmt.Errorf("%q: a path variable is a whole path part, {name} or {name+}", p)
		}
	}
	return nil
}

func isVariablePart(p string) bool { return strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") }
func isGreedyPart(p string) bool   { return isVariablePart(p) && strings.HasSuffix(p, "+}") }

func lastPart(path string) string { return path[strings.LastIndexByte(path, '/')+1:] }

func joinPath(parent, part string) string {
	if parent == "/" {
		return "/" + part
	}
	return parent + "/" + part
}

// sortRestAPI orders resources by path and each resource's methods by verb, so a model reads
// the same whatever order the template (or an OpenAPI document's maps) listed them in.
func sortRestAPI(api *API) {
	sort.SliceStable(api.Resources, func(i, j int) bool { return api.Resources[i].Path < api.Resources[j].Path })
	for _, r := range api.Resources {
		sort.SliceStable(r.Methods, func(i, j int) bool { return r.Methods[i].HTTPMethod < r.Methods[j].HTTPMethod })
	}
}
