package model

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

// restVerbs are the HttpMethod values API Gateway accepts for a REST method.
var restVerbs = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true, "ANY": true,
}

// addRestMethod adds an AWS::ApiGateway::Method to its resource.
func (b *builder) addRestMethod(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeRestMethod {
		return false, nil
	}
	as, err := b.restAPIOf(st, res)
	if err != nil {
		return true, err
	}
	resID, err := b.str(st, res, "ResourceId", true)
	if err != nil {
		return true, err
	}
	rr := b.rest.resources[resID]
	if rr == nil {
		return true, propErr(st, res, "ResourceId", fmt.Errorf("names resource %q, which API %q does not have", resID, as.api.LogicalID))
	}
	if rr.as != as {
		return true, propErr(st, res, "ResourceId", fmt.Errorf("names a resource of API %q, not of API %q", rr.as.api.LogicalID, as.api.LogicalID))
	}
	verb, err := b.str(st, res, "HttpMethod", true)
	if err != nil {
		return true, err
	}
	m := &Method{LogicalID: res.LogicalID}
	if m.HTTPMethod, err = checkVerb(verb); err != nil {
		return true, propErr(st, res, "HttpMethod", err)
	}

	// The properties, resolved one by one (an unknown attribute leaves only its own property
	// unset), read through one fields reader.
	props := map[string]any{}
	for _, p := range []string{
		"AuthorizationType", "AuthorizerId", "AuthorizationScopes", "ApiKeyRequired", "RequestParameters",
		"RequestModels", "RequestValidatorId", "MethodResponses", "Integration",
	} {
		if props[p], err = b.resolve(st, res, p); err != nil {
			return true, err
		}
	}
	f := newFields("", props)
	m.AuthorizationType = f.str("AuthorizationType")
	authorizerID := f.str("AuthorizerId")
	m.AuthorizationScopes = f.strList("AuthorizationScopes")
	m.APIKeyRequired = f.boolean("ApiKeyRequired")
	m.RequestParameters = f.boolMap("RequestParameters")
	m.RequestModels = f.strMap("RequestModels")
	validatorID := f.str("RequestValidatorId")
	for i, v := range f.list("MethodResponses") {
		e := f.elem("MethodResponses", i, v)
		m.MethodResponses = append(m.MethodResponses, &MethodResponse{
			StatusCode:         e.str("StatusCode"),
			ResponseParameters: e.boolMap("ResponseParameters"),
			ResponseModels:     e.strMap("ResponseModels"),
		})
	}
	var vpcLink bool
	if f.has("Integration") {
		m.Integration, vpcLink = cfnIntegration(f.object("Integration"), res.LogicalID)
	}
	if err := f.check(st, res); err != nil {
		return true, err
	}

	if authorizerID != "" {
		if m.AuthorizerLogicalID = as.authorizers[authorizerID]; m.AuthorizerLogicalID == "" {
			return true, propErr(st, res, "AuthorizerId", fmt.Errorf("authorizer %q is not defined in API %q", authorizerID, as.api.LogicalID))
		}
	}
	if validatorID != "" {
		if m.RequestValidator = as.rest.validators[validatorID]; m.RequestValidator == "" {
			return true, propErr(st, res, "RequestValidatorId", fmt.Errorf("request validator %q is not defined in API %q", validatorID, as.api.LogicalID))
		}
	}
	mc := &methodCtx{b: b, src: source{st, res}, as: as, r: rr.r, m: m, integrationProp: "Integration", strict: true, vpcLink: vpcLink}
	if err := mc.check(); err != nil {
		return true, err
	}
	return true, nil
}

func checkVerb(v string) (string, error) {
	u := strings.ToUpper(v)
	if !restVerbs[u] {
		return "", fmt.Errorf("%q is not an HTTP method API Gateway serves (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY)", v)
	}
	return u, nil
}

// cfnIntegration reads a Method's Integration property, and whether it is a private
// integration.
func cfnIntegration(f *fields, logicalID string) (*Integration, bool) {
	integ := &Integration{
		LogicalID:               logicalID,
		Type:                    f.str("Type"),
		URI:                     f.str("Uri"),
		Method:                  f.str("IntegrationHttpMethod"),
		RequestParameters:       f.strMap("RequestParameters"),
		RequestTemplates:        f.strMap("RequestTemplates"),
		PassthroughBehavior:     f.str("PassthroughBehavior"),
		ContentHandlingStrategy: f.str("ContentHandling"),
	}
	if ms := f.integer("TimeoutInMillis"); ms != nil {
		integ.Timeout = time.Duration(*ms) * time.Millisecond
	}
	for i, v := range f.list("IntegrationResponses") {
		e := f.elem("IntegrationResponses", i, v)
		integ.IntegrationResponses = append(integ.IntegrationResponses, &IntegrationResponse{
			StatusCode:              e.str("StatusCode"),
			SelectionPattern:        e.str("SelectionPattern"),
			ResponseParameters:      e.strMap("ResponseParameters"),
			ResponseTemplates:       e.strMap("ResponseTemplates"),
			ContentHandlingStrategy: e.str("ContentHandling"),
		})
	}
	return integ, f.str("ConnectionType") == "VPC_LINK"
}

// methodCtx checks one method, from an AWS::ApiGateway::Method or an OpenAPI operation, and
// adds it to its resource.
type methodCtx struct {
	b   *builder
	src source // the Method, or the RestApi whose Body defines it
	as  *apiState
	r   *Resource
	m   *Method
	// integrationProp is where the integration is written ("Integration", or
	// "Body.paths./items.get.x-amazon-apigateway-integration"); errors name its fields.
	integrationProp string
	// openAPI: the method comes from a Body, whose fields are spelled differently.
	openAPI bool
	// strict: CloudFormation creates each integration response through PutIntegrationResponse,
	// which needs the method response first. An OpenAPI import is laxer.
	strict bool
	// vpcLink is set when the integration's connectionType is VPC_LINK.
	vpcLink bool
}

func (mc *methodCtx) where() string { return fmt.Sprintf("method %s %s", mc.m.HTTPMethod, mc.r.Path) }

func (mc *methodCtx) errAt(prop string, err error) error {
	return propErr(mc.src.st, mc.src.res, prop, err)
}

func (mc *methodCtx) warn(msg string) {
	mc.b.warn(mc.src.st, mc.src.res.LogicalID, mc.src.res.Type, mc.where()+": "+msg)
}

// name spells an integration field as CloudFormation or OpenAPI does.
func (mc *methodCtx) name(cfn, openAPI string) string {
	if mc.openAPI {
		return mc.integrationProp + "." + openAPI
	}
	return mc.integrationProp + "." + cfn
}

func (mc *methodCtx) check() error {
	m, api := mc.m, mc.as.api
	for _, prev := range mc.r.Methods {
		if prev.HTTPMethod == m.HTTPMethod {
			return mc.errAt(mc.verbProp(), fmt.Errorf("resource %s of API %q already has a %s method (%s)", mc.r.Path, api.LogicalID, m.HTTPMethod, prev.LogicalID))
		}
	}
	if err := mc.checkAuth(); err != nil {
		return err
	}
	for ct, name := range m.RequestModels {
		if api.SchemaModels[name] == nil {
			return mc.errAt(mc.modelsProp()+"."+ct, fmt.Errorf("names model %q, which API %q does not define", name, api.LogicalID))
		}
	}
	seen := map[string]bool{}
	for i, mr := range m.MethodResponses {
		prop := fmt.Sprintf("MethodResponses[%d]", i)
		if !isStatusCode(mr.StatusCode) {
			return mc.errAt(prop+".StatusCode", fmt.Errorf("%q is not an HTTP status code", mr.StatusCode))
		}
		if seen[mr.StatusCode] {
			return mc.errAt(prop+".StatusCode", fmt.Errorf("status %s has two method responses", mr.StatusCode))
		}
		seen[mr.StatusCode] = true
		for ct, name := range mr.ResponseModels {
			if api.SchemaModels[name] == nil {
				return mc.errAt(prop+".ResponseModels."+ct, fmt.Errorf("names model %q, which API %q does not define", name, api.LogicalID))
			}
		}
	}
	if m.Integration != nil {
		if err := mc.checkIntegration(seen); err != nil {
			return err
		}
	}

	mc.r.Methods = append(mc.r.Methods, m)
	mc.as.rest.methods = append(mc.as.rest.methods, methodSource{m: m, src: mc.src, prop: mc.integrationProp})
	return nil
}

func (mc *methodCtx) verbProp() string {
	if mc.openAPI {
		return strings.TrimSuffix(mc.integrationProp, ".x-amazon-apigateway-integration")
	}
	return "HttpMethod"
}

func (mc *methodCtx) authProp() string {
	if mc.openAPI {
		return mc.verbProp() + ".security"
	}
	return "AuthorizationType"
}

func (mc *methodCtx) modelsProp() string {
	if mc.openAPI {
		return mc.verbProp() + ".requestBody"
	}
	return "RequestModels"
}

// checkIntegration validates what CloudFormation and an OpenAPI import both refuse, normalises
// the spellings OpenAPI allows (lower-case types), and finds the Lambda function a URI names.
// methodResponses are the method's response status codes.
func (mc *methodCtx) checkIntegration(methodResponses map[string]bool) error {
	integ := mc.m.Integration
	integ.Type = strings.ToUpper(integ.Type)
	integ.PassthroughBehavior = strings.ToUpper(integ.PassthroughBehavior)
	switch integ.Type {
	case IntegrationAWSProxy, IntegrationAWS, IntegrationHTTPProxy, IntegrationHTTP, IntegrationMock:
	case "":
		return mc.errAt(mc.name("Type", "type"), errors.New("is required"))
	default:
		return mc.errAt(mc.name("Type", "type"), fmt.Errorf("%q is not AWS_PROXY, AWS, HTTP_PROXY, HTTP or MOCK", integ.Type))
	}
	switch integ.PassthroughBehavior {
	case "", "WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER":
	default:
		return mc.errAt(mc.name("PassthroughBehavior", "passthroughBehavior"), fmt.Errorf("%q is not WHEN_NO_MATCH, WHEN_NO_TEMPLATES or NEVER", integ.PassthroughBehavior))
	}
	if err := checkContentHandling(integ.ContentHandlingStrategy); err != nil {
		return mc.errAt(mc.name("ContentHandling", "contentHandling"), err)
	}
	// The Developer Guide: "Integration timeouts between 50 ms and 29,000 ms"; the upper bound
	// can be raised for regional APIs, the lower one cannot.
	if integ.Timeout != 0 && integ.Timeout < 50*time.Millisecond {
		return mc.errAt(mc.name("TimeoutInMillis", "timeoutInMillis"), fmt.Errorf("%d is below API Gateway's minimum of 50", integ.Timeout.Milliseconds()))
	}
	if integ.Type != IntegrationMock {
		if integ.URI == "" {
			return mc.errAt(mc.name("Uri", "uri"), fmt.Errorf("is required for %s integrations", integ.Type))
		}
		if integ.Method == "" {
			return mc.errAt(mc.name("IntegrationHttpMethod", "httpMethod"), fmt.Errorf("is required for %s integrations (POST for Lambda functions)", integ.Type))
		}
	}

	seen := map[string]int{}
	for i, ir := range integ.IntegrationResponses {
		prop := mc.responseProp(i, ir)
		if !isStatusCode(ir.StatusCode) {
			return mc.errAt(prop+mc.field("StatusCode", "statusCode"), fmt.Errorf("%q is not an HTTP status code", ir.StatusCode))
		}
		// PutIntegrationResponse is keyed by status code: a second one replaces the first.
		if j, dup := seen[ir.StatusCode]; dup {
			return mc.errAt(prop+mc.field("StatusCode", "statusCode"), fmt.Errorf("status %s already has an integration response (%s): API Gateway keeps one per status code", ir.StatusCode, mc.responseProp(j, integ.IntegrationResponses[j])))
		}
		seen[ir.StatusCode] = i
		if mc.strict && !methodResponses[ir.StatusCode] {
			return mc.errAt(prop+mc.field("StatusCode", "statusCode"), fmt.Errorf("status %s has no method response: API Gateway needs one in MethodResponses first", ir.StatusCode))
		}
		if err := checkSelectionPattern(ir.SelectionPattern); err != nil {
			return mc.errAt(prop+mc.field("SelectionPattern", ""), err)
		}
		if err := checkContentHandling(ir.ContentHandlingStrategy); err != nil {
			return mc.errAt(prop+mc.field("ContentHandling", "contentHandling"), err)
		}
	}
	if len(integ.IntegrationResponses) > 0 && (integ.Type == IntegrationAWSProxy || integ.Type == IntegrationHTTPProxy) {
		mc.warn(fmt.Sprintf("%s integrations pass the backend's response through and have no integration responses: these are never used", integ.Type))
	}

	switch {
	case mc.vpcLink:
		mc.warn("private integrations (VPC_LINK) cannot reach a VPC from here: requests get a 500")
	case integ.Type == IntegrationAWSProxy || integ.Type == IntegrationAWS:
		if service := awsServiceInURI(integ.URI); service != "" && service != "lambda" {
			mc.warn(fmt.Sprintf("AWS service integrations (%s) are not emulated: requests get a 500", service))
			break
		}
		if UsesStageVariables(integ.URI) {
			// The function is known per stage: the REST server resolves it with
			// StageFunction for each request, and logs a stage where it names none.
			break
		}
		name, problem := mc.b.lambdaTarget(integ.URI)
		if problem != "" {
			mc.warn(problem)
			break
		}
		integ.Function = name
	}
	return nil
}

// responseProp names integration response i: by index in CloudFormation, by its pattern key
// in OpenAPI.
func (mc *methodCtx) responseProp(i int, ir *IntegrationResponse) string {
	if mc.openAPI {
		key := ir.SelectionPattern
		if key == "" {
			key = "default"
		}
		return mc.integrationProp + ".responses." + key
	}
	return fmt.Sprintf("%s.IntegrationResponses[%d]", mc.integrationProp, i)
}

// field is the suffix naming a field of an integration response; in OpenAPI the selection
// pattern is the response's key itself.
func (mc *methodCtx) field(cfn, openAPI string) string {
	if mc.openAPI {
		if openAPI == "" {
			return ""
		}
		return "." + openAPI
	}
	return "." + cfn
}

func checkContentHandling(s string) error {
	switch s {
	case "", "CONVERT_TO_BINARY", "CONVERT_TO_TEXT":
		return nil
	}
	return fmt.Errorf("%q is not CONVERT_TO_BINARY or CONVERT_TO_TEXT", s)
}

// checkSelectionPattern refuses a selection pattern the runner could not match. API Gateway
// compiles them as Java regular expressions; Go's RE2 syntax covers most of what templates use,
// but not lookaround, backreferences or possessive quantifiers.
func checkSelectionPattern(p string) error {
	if p == "" {
		return nil
	}
	if _, err := regexp.Compile(p); err != nil {
		return fmt.Errorf("%q is not a regular expression the runner can match (Java features such as lookaround, backreferences and possessive quantifiers have no Go equivalent): %w", p, err)
	}
	return nil
}

// awsServiceInURI is the service of an arn:aws:apigateway:REGION:SERVICE:action/... or
// :path/... integration URI, "" for anything else.
func awsServiceInURI(uri string) string {
	parts := strings.SplitN(uri, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[2] != "apigateway" {
		return ""
	}
	return parts[4]
}
