package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

// addRestBody translates a RestApi's Body, an OpenAPI 3 or Swagger 2 definition with API
// Gateway's extensions (what the CDK's SpecRestApi writes), as API Gateway imports one: every
// path becomes resources (intermediate ones included), every operation a method.
func (b *builder) addRestBody(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeRestAPI {
		return false, nil
	}
	id, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return true, propErr(st, res, "RestApiId", err)
	}
	as := b.apis[id.(string)]
	if res.Properties["Body"] == nil {
		if res.Properties["BodyS3Location"] != nil {
			where := "BodyS3Location"
			if v, err := b.resolve(st, res, "BodyS3Location"); err == nil {
				if m, _ := v.(map[string]any); m != nil {
					bucket, _ := asString(m["Bucket"])
					key, _ := asString(m["Key"])
					where = fmt.Sprintf("BodyS3Location (s3://%s/%s)", bucket, key)
				}
			}
			b.warn(st, res.LogicalID, typeRestAPI, fmt.Sprintf("the OpenAPI definition in %s cannot be read offline: resources and methods defined only there are not translated", where))
		}
		return true, nil
	}
	v, err := b.resolve(st, res, "Body")
	if err != nil || v == nil {
		return true, err
	}
	if s, ok := v.(string); ok {
		d := json.NewDecoder(strings.NewReader(s))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			return true, propErr(st, res, "Body", fmt.Errorf("is a string that is not a JSON document (YAML definitions are not read): %w", err))
		}
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return true, propErr(st, res, "Body", errors.New("want an OpenAPI definition object"))
	}
	params, err := b.strMap(st, res, "Parameters")
	if err != nil {
		return true, err
	}
	imp := &openAPIImport{b: b, src: source{st, res}, as: as, doc: doc, schemes: map[string]securityScheme{}}
	return true, imp.run(params["basepath"])
}

// openAPIImport is one Body being translated.
type openAPIImport struct {
	b   *builder
	src source
	as  *apiState
	doc map[string]any
	v3  bool

	schemes          map[string]securityScheme
	defaultValidator string
	// path is the resource path of the operation being translated, which names the models of
	// its inline schemas.
	opPath string
	// Swagger 2's document-wide media types, for body parameters and response schemas.
	consumes, produces []string
}

// openAPIVerbs are the operations of a path item API Gateway imports, in the order methods are
// added.
var openAPIVerbs = []string{"get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method"}

func (imp *openAPIImport) errAt(path string, err error) error {
	return propErr(imp.src.st, imp.src.res, path, err)
}

func (imp *openAPIImport) warn(msg string) {
	imp.b.warn(imp.src.st, imp.src.res.LogicalID, typeRestAPI, msg)
}

func (imp *openAPIImport) run(basePathMode string) error {
	f := newFields("Body", imp.doc)
	switch {
	case strings.HasPrefix(f.str("openapi"), "3."):
		imp.v3 = true
	case f.str("swagger") == "2.0":
	default:
		return imp.errAt("Body", errors.New(`want an OpenAPI 3 definition ("openapi": "3.0.1") or a Swagger 2 one ("swagger": "2.0")`))
	}
	api := imp.as.api
	if api.Name == "" {
		api.Name = f.object("info").str("title")
	}
	for _, t := range f.strList("x-amazon-apigateway-binary-media-types") {
		api.BinaryMediaTypes = addMediaType(api.BinaryMediaTypes, t)
	}
	if src := f.str("x-amazon-apigateway-api-key-source"); src != "" && imp.src.res.Properties["ApiKeySourceType"] == nil {
		src = strings.ToUpper(src)
		if err := checkAPIKeySource(&src); err != nil {
			f.fail("x-amazon-apigateway-api-key-source", err)
		}
		api.APIKeySource = src
	}
	if f.has("x-amazon-apigateway-policy") {
		imp.warn("the resource policy (x-amazon-apigateway-policy) is not evaluated locally: every caller is let in")
	}
	imp.consumes, imp.produces = f.strList("consumes"), f.strList("produces")
	if err := f.check(imp.src.st, imp.src.res); err != nil {
		return err
	}

	steps := []func(*fields) error{imp.models, imp.validators, imp.gatewayResponses, imp.securitySchemes}
	for _, step := range steps {
		if err := step(f); err != nil {
			return err
		}
	}
	prefix, err := imp.basePath(f, basePathMode)
	if err != nil {
		return err
	}
	paths := f.object("paths")
	if err := f.check(imp.src.st, imp.src.res); err != nil {
		return err
	}
	if prefix != "" {
		if _, err := imp.resource(prefix, "Parameters.basepath"); err != nil {
			return err
		}
	}
	for _, p := range sortedKeys(paths.m) {
		if err := imp.path(paths, p, prefix); err != nil {
			return err
		}
	}
	return nil
}

// models adds components.schemas (definitions in Swagger 2) as the API's models.
func (imp *openAPIImport) models(f *fields) error {
	where := "definitions"
	schemas := f.object("definitions")
	if imp.v3 {
		where = "components.schemas"
		schemas = f.object("components").object("schemas")
	}
	for _, name := range sortedKeys(schemas.m) {
		path := "Body." + where + "." + name
		if err := checkModelName(name); err != nil {
			return imp.errAt(path, err)
		}
		if err := imp.addSchema(name, "application/json", schemas.m[name], path); err != nil {
			return err
		}
	}
	return f.check(imp.src.st, imp.src.res)
}

func (imp *openAPIImport) addSchema(name, contentType string, schema any, path string) error {
	text, err := schemaText(imp.modelRefs(schema))
	if err != nil {
		return imp.errAt(path, err)
	}
	m := &SchemaModel{LogicalID: imp.src.res.LogicalID, Name: name, ContentType: contentType, Schema: text}
	if err := addModel(imp.as.api, m); err != nil {
		return imp.errAt(path, err)
	}
	return nil
}

// modelRefs copies a schema with its references to other schemas of the definition rewritten
// to the model URLs API Gateway uses once they are imported.
func (imp *openAPIImport) modelRefs(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = imp.modelRefs(e)
		}
		if ref, ok := v["$ref"].(string); ok {
			if name, ok := imp.schemaRefName(ref); ok {
				out["$ref"] = modelURL(imp.as.api.ID, name)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = imp.modelRefs(e)
		}
		return out
	}
	return v
}

func modelURL(apiID, name string) string {
	return "https://apigateway.amazonaws.com/restapis/" + apiID + "/models/" + name
}

func (imp *openAPIImport) schemaRefName(ref string) (string, bool) {
	prefix := "#/definitions/"
	if imp.v3 {
		prefix = "#/components/schemas/"
	}
	name, ok := strings.CutPrefix(ref, prefix)
	return unescapePointer(name), ok && name != "" && !strings.Contains(name, "/")
}

func (imp *openAPIImport) validators(f *fields) error {
	vs := f.object("x-amazon-apigateway-request-validators")
	for _, name := range sortedKeys(vs.m) {
		v := vs.object(name)
		api := imp.as.api
		if api.RequestValidators == nil {
			api.RequestValidators = map[string]*RequestValidator{}
		}
		api.RequestValidators[name] = &RequestValidator{
			LogicalID: imp.src.res.LogicalID, Name: name,
			ValidateRequestBody: v.boolean("validateRequestBody"), ValidateRequestParameters: v.boolean("validateRequestParameters"),
		}
	}
	// "The API-level validator applies to all of the methods unless it is overridden by the
	// method-level validator."
	if imp.defaultValidator = f.str("x-amazon-apigateway-request-validator"); imp.defaultValidator != "" && vs.m[imp.defaultValidator] == nil {
		f.fail("x-amazon-apigateway-request-validator", fmt.Errorf("names request validator %q, which x-amazon-apigateway-request-validators does not define", imp.defaultValidator))
	}
	return f.check(imp.src.st, imp.src.res)
}

func (imp *openAPIImport) gatewayResponses(f *fields) error {
	grs := f.object("x-amazon-apigateway-gateway-responses")
	for _, typ := range sortedKeys(grs.m) {
		g := grs.object(typ)
		gr := &GatewayResponse{
			LogicalID: imp.src.res.LogicalID, ResponseType: typ, StatusCode: g.str("statusCode"),
			ResponseParameters: g.strMap("responseParameters"), ResponseTemplates: g.strMap("responseTemplates"),
		}
		if g.failed() {
			break
		}
		if field, err := addGatewayResponse(imp.as.api, gr); err != nil {
			path := g.path
			if field == "StatusCode" {
				path += ".statusCode"
			}
			return imp.errAt(path, err)
		}
	}
	return f.check(imp.src.st, imp.src.res)
}

// basePath is the prefix the Parameters' basepath mode puts before every path: none for
// ignore (API Gateway's default), the whole base path for prepend, all but its first segment
// for split.
func (imp *openAPIImport) basePath(f *fields, mode string) (string, error) {
	switch mode {
	case "", "ignore":
		return "", nil
	case "prepend", "split":
	default:
		return "", imp.errAt("Parameters.basepath", fmt.Errorf("%q is not ignore, prepend or split", mode))
	}
	var base string
	if imp.v3 {
		servers := f.list("servers")
		if len(servers) > 0 {
			server := f.elem("servers", 0, servers[0])
			if vars := server.object("variables"); vars.has("basePath") {
				base = vars.object("basePath").str("default")
			} else if u, err := url.Parse(server.str("url")); err == nil {
				base = u.Path
			}
		}
	} else {
		base = f.str("basePath")
	}
	if err := f.check(imp.src.st, imp.src.res); err != nil {
		return "", err
	}
	base = strings.Trim(base, "/")
	if mode == "split" {
		_, base, _ = strings.Cut(base, "/")
	}
	if base == "" {
		return "", nil
	}
	return "/" + base, nil
}

// resource finds or creates the resource at path and every resource above it.
func (imp *openAPIImport) resource(path, where string) (*Resource, error) {
	rs := imp.as.rest
	r := rs.root
	if path == "/" {
		return r, nil
	}
	for _, part := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		var err error
		if r, err = rs.child(imp.as.api, r, part, imp.src.res.LogicalID, true); err != nil {
			return nil, imp.errAt(where, err)
		}
	}
	return r, nil
}

func (imp *openAPIImport) path(paths *fields, key, prefix string) error {
	where := "Body.paths." + key
	if !strings.HasPrefix(key, "/") {
		return imp.errAt(where, fmt.Errorf("%q: a path starts with a slash", key))
	}
	full := strings.TrimSuffix(prefix+key, "/")
	if full == "" {
		full = "/"
	}
	r, err := imp.resource(full, where)
	if err != nil {
		return err
	}
	item, err := imp.deref(paths.m[key], where)
	if err != nil {
		return err
	}
	pf := newFields(where, item)
	common := pf.list("parameters")
	if err := pf.check(imp.src.st, imp.src.res); err != nil {
		return err
	}
	for _, op := range openAPIVerbs {
		if pf.has(op) {
			if err := imp.method(r, where, op, pf.m[op], common); err != nil {
				return err
			}
		}
	}
	return nil
}

// method translates one operation of the path item at itemWhere into a method of r; common
// are the path item's parameters.
func (imp *openAPIImport) method(r *Resource, itemWhere, op string, raw any, common []any) error {
	where := itemWhere + "." + op
	raw, err := imp.deref(raw, where)
	if err != nil {
		return err
	}
	f := newFields(where, raw)
	verb := strings.ToUpper(op)
	if op == "x-amazon-apigateway-any-method" {
		verb = "ANY"
	}
	m := &Method{LogicalID: imp.src.res.LogicalID, HTTPMethod: verb}
	imp.opPath = r.Path
	if err := imp.parameters(f, m, itemWhere+".parameters", common); err != nil {
		return err
	}
	if err := imp.requestBody(f, m); err != nil {
		return err
	}
	if err := imp.responses(f, m); err != nil {
		return err
	}
	if err := imp.security(f, m); err != nil {
		return err
	}
	if v := f.str("x-amazon-apigateway-request-validator"); v != "" {
		if imp.as.api.RequestValidators[v] == nil {
			return imp.errAt(where+".x-amazon-apigateway-request-validator", fmt.Errorf("names request validator %q, which x-amazon-apigateway-request-validators does not define", v))
		}
		m.RequestValidator = v
	} else {
		m.RequestValidator = imp.defaultValidator
	}
	integrationProp := where + ".x-amazon-apigateway-integration"
	var vpcLink bool
	if f.has("x-amazon-apigateway-integration") {
		v, err := imp.deref(f.m["x-amazon-apigateway-integration"], integrationProp)
		if err != nil {
			return err
		}
		integ := newFields(integrationProp, v)
		m.Integration, vpcLink = imp.integration(integ)
		if err := integ.check(imp.src.st, imp.src.res); err != nil {
			return err
		}
	}
	if err := f.check(imp.src.st, imp.src.res); err != nil {
		return err
	}
	mc := &methodCtx{b: imp.b, src: imp.src, as: imp.as, r: r, m: m, integrationProp: integrationProp, openAPI: true, vpcLink: vpcLink}
	return mc.check()
}

// parameters turns path, query and header parameters into method request parameters, and a
// Swagger 2 body parameter into request models.
func (imp *openAPIImport) parameters(f *fields, m *Method, commonWhere string, common []any) error {
	type param struct {
		where string
		v     any
	}
	byKey := map[string]param{}
	var order []string
	add := func(where string, list []any) error {
		for i, raw := range list {
			at := fmt.Sprintf("%s[%d]", where, i)
			v, err := imp.deref(raw, at)
			if err != nil {
				return err
			}
			p := newFields(at, v)
			key := p.str("in") + "\x00" + p.str("name")
			if _, ok := byKey[key]; !ok {
				order = append(order, key)
			}
			byKey[key] = param{at, v} // an operation's parameter overrides the path's
		}
		return nil
	}
	if err := add(commonWhere, common); err != nil {
		return err
	}
	if err := add(f.path+".parameters", f.list("parameters")); err != nil {
		return err
	}
	for _, key := range order {
		p := newFields(byKey[key].where, byKey[key].v)
		name, in := p.str("name"), p.str("in")
		required := p.boolean("required")
		var loc string
		switch in {
		case "path":
			loc, required = "path", true
		case "query":
			loc = "querystring"
		case "header":
			loc = "header"
		case "body":
			for _, ct := range orDefault(f.strList("consumes"), imp.consumes) {
				if err := imp.requestModel(m, ct, p.m["schema"], p.at("schema")); err != nil {
					return err
				}
			}
		}
		if err := p.check(imp.src.st, imp.src.res); err != nil {
			return err
		}
		if loc == "" {
			continue
		}
		if name == "" {
			return imp.errAt(p.at("name"), errors.New("is required"))
		}
		if m.RequestParameters == nil {
			m.RequestParameters = map[string]bool{}
		}
		m.RequestParameters["method.request."+loc+"."+name] = required
	}
	return nil
}

// orDefault is an operation's media types, or the document's, or application/json.
func orDefault(op, doc []string) []string {
	switch {
	case len(op) > 0:
		return op
	case len(doc) > 0:
		return doc
	}
	return []string{"application/json"}
}

// requestBody reads an OpenAPI 3 requestBody's schemas as request models.
func (imp *openAPIImport) requestBody(f *fields, m *Method) error {
	if !imp.v3 || !f.has("requestBody") {
		return nil
	}
	v, err := imp.deref(f.m["requestBody"], f.at("requestBody"))
	if err != nil {
		return err
	}
	content := newFields(f.at("requestBody"), v).object("content")
	for _, ct := range sortedKeys(content.m) {
		c := content.object(ct)
		if c.has("schema") {
			if err := imp.requestModel(m, ct, c.m["schema"], c.at("schema")); err != nil {
				return err
			}
		}
	}
	return content.check(imp.src.st, imp.src.res)
}

func (imp *openAPIImport) requestModel(m *Method, contentType string, schema any, where string) error {
	name, err := imp.model(schema, contentType, where, m.HTTPMethod, "Request")
	if err != nil || name == "" {
		return err
	}
	if m.RequestModels == nil {
		m.RequestModels = map[string]string{}
	}
	m.RequestModels[contentType] = name
	return nil
}

// model is the name of the model a schema is: the definition a $ref names, or a new model for
// an inline schema, named after where it is.
func (imp *openAPIImport) model(schema any, contentType, where, verb, role string) (string, error) {
	s, err := asObject(schema)
	if err != nil {
		return "", imp.errAt(where, err)
	}
	if s == nil {
		return "", nil
	}
	if ref, ok := s["$ref"].(string); ok && len(s) == 1 {
		name, ok := imp.schemaRefName(ref)
		if !ok || imp.as.api.SchemaModels[name] == nil {
			return "", imp.errAt(where+".$ref", fmt.Errorf("%q names no schema of the definition", ref))
		}
		return name, nil
	}
	base := modelName(imp.opPath, verb, role)
	name := base
	for i := 2; imp.as.api.SchemaModels[name] != nil; i++ {
		name = base + strconv.Itoa(i)
	}
	return name, imp.addSchema(name, contentType, s, where)
}

// modelName names the model of an inline schema from the method and resource path it belongs
// to: POST /items/{id} gives PostItemsIdRequest, the 200 response of GET /items
// GetItems200Response.
func modelName(path, verb, role string) string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(verb[:1]) + strings.ToLower(verb[1:]))
	for _, part := range strings.Split(path, "/") {
		word := true
		for _, c := range part {
			isAlnum := c < 0x80 && (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
			switch {
			case !isAlnum:
				word = true
			case word:
				b.WriteString(strings.ToUpper(string(c)))
				word = false
			default:
				b.WriteRune(c)
			}
		}
	}
	b.WriteString(role)
	return b.String()
}

// responses turns the operation's responses into method responses: their headers become
// response parameters, their schemas response models.
func (imp *openAPIImport) responses(f *fields, m *Method) error {
	rs := f.object("responses")
	for _, status := range sortedKeys(rs.m) {
		if !isStatusCode(status) {
			continue // "default" has no status code to answer with
		}
		where := rs.at(status)
		v, err := imp.deref(rs.m[status], where)
		if err != nil {
			return err
		}
		r := newFields(where, v)
		mr := &MethodResponse{StatusCode: status}
		for _, h := range sortedKeys(r.object("headers").m) {
			if mr.ResponseParameters == nil {
				mr.ResponseParameters = map[string]bool{}
			}
			mr.ResponseParameters["method.response.header."+h] = false
		}
		schemas := map[string]any{}
		if imp.v3 {
			content := r.object("content")
			for _, ct := range sortedKeys(content.m) {
				if c := content.object(ct); c.has("schema") {
					schemas[ct] = c.m["schema"]
				}
			}
		} else if r.has("schema") {
			for _, ct := range orDefault(f.strList("produces"), imp.produces) {
				schemas[ct] = r.m["schema"]
			}
		}
		for _, ct := range sortedKeys(schemas) {
			name, err := imp.model(schemas[ct], ct, where+".schema", m.HTTPMethod, status+"Response")
			if err != nil {
				return err
			}
			if mr.ResponseModels == nil {
				mr.ResponseModels = map[string]string{}
			}
			mr.ResponseModels[ct] = name
		}
		if err := r.check(imp.src.st, imp.src.res); err != nil {
			return err
		}
		m.MethodResponses = append(m.MethodResponses, mr)
	}
	return f.check(imp.src.st, imp.src.res)
}

// integration reads x-amazon-apigateway-integration; its responses are keyed by selection
// pattern, "default" being the response without one, which comes last. Enumerations are
// case-insensitive in OpenAPI ("aws_proxy", "when_no_match"); the model holds them upper-case.
func (imp *openAPIImport) integration(f *fields) (*Integration, bool) {
	integ := &Integration{
		LogicalID:               imp.src.res.LogicalID,
		Type:                    f.str("type"),
		URI:                     f.str("uri"),
		Method:                  strings.ToUpper(f.str("httpMethod")),
		RequestParameters:       f.strMap("requestParameters"),
		RequestTemplates:        f.strMap("requestTemplates"),
		PassthroughBehavior:     f.str("passthroughBehavior"),
		ContentHandlingStrategy: strings.ToUpper(f.str("contentHandling")),
	}
	if ms := f.integer("timeoutInMillis"); ms != nil {
		integ.Timeout = time.Duration(*ms) * time.Millisecond
	}
	rs := f.object("responses")
	keys := sortedKeys(rs.m)
	if rs.has("default") {
		keys = append(slicesWithout(keys, "default"), "default")
	}
	for _, key := range keys {
		r := rs.object(key)
		ir := &IntegrationResponse{
			StatusCode:              r.str("statusCode"),
			ResponseParameters:      r.strMap("responseParameters"),
			ResponseTemplates:       r.strMap("responseTemplates"),
			ContentHandlingStrategy: strings.ToUpper(r.str("contentHandling")),
		}
		if key != "default" {
			ir.SelectionPattern = key
		}
		integ.IntegrationResponses = append(integ.IntegrationResponses, ir)
	}
	return integ, strings.EqualFold(f.str("connectionType"), "VPC_LINK")
}

func slicesWithout(list []string, s string) []string {
	out := list[:0:0]
	for _, e := range list {
		if e != s {
			out = append(out, e)
		}
	}
	return out
}

// deref follows local references ("$ref": "#/components/parameters/id") within the
// definition, as an importer does for parameters, request bodies, responses and integrations.
func (imp *openAPIImport) deref(v any, where string) (any, error) {
	for hops := 0; ; hops++ {
		m, ok := v.(map[string]any)
		if !ok {
			return v, nil
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v, nil
		}
		if hops == 32 {
			return nil, imp.errAt(where+".$ref", fmt.Errorf("%q: references go round in a loop", ref))
		}
		pointer, ok := strings.CutPrefix(ref, "#/")
		if !ok {
			return nil, imp.errAt(where+".$ref", fmt.Errorf("%q: only references within the definition (#/...) can be followed", ref))
		}
		var cur any = imp.doc
		for _, tok := range strings.Split(pointer, "/") {
			obj, _ := cur.(map[string]any)
			if cur = obj[unescapePointer(tok)]; cur == nil {
				return nil, imp.errAt(where+".$ref", fmt.Errorf("%q names nothing in the definition", ref))
			}
		}
		v = cur
	}
}

// unescapePointer undoes a JSON pointer token's escapes.
func unescapePointer(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}
