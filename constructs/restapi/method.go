package restapi

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
)

// Method is one method of a resource and its integration.
type Method struct {
	// Key is the HTTP method and the resource path: "GET /products/{id}", "ANY /{proxy+}",
	// "POST /". The resources on the path are created as needed.
	Key *string
	// Integration is the backend the method reaches. Required: API Gateway refuses to deploy
	// a method without one.
	Integration *Integration

	// ApiKeyRequired makes API Gateway check the caller's API key (x-api-key, or the
	// authorizer's, per Props.ApiKeySource) against the usage plans of the stage.
	ApiKeyRequired *bool
	// RequestParameters declares the method request's parameters, each with whether it is
	// required: {"method.request.querystring.q": true, "method.request.header.x-tenant": false,
	// "method.request.path.id": true}. Parameters that integration RequestParameters read are
	// declared (not required) unless declared here, since API Gateway maps only declared ones.
	RequestParameters *map[string]*bool
	// RequestModels name the model a request body of each content type must match:
	// {"application/json": "NewProduct"}.
	RequestModels *map[string]*string
	// Validate makes API Gateway validate requests before the integration sees them: the body
	// against RequestModels, the required RequestParameters, or both.
	Validate Validation
	// MethodResponses declare the method's responses, with their headers and models. Every
	// status an integration response maps to gets a method response with the headers it sets
	// unless it is declared here, in which case the declaration must list those headers.
	MethodResponses *[]*MethodResponse
	// OperationName names the method in generated SDKs.
	OperationName *string

	// Authorizer names the method's authorizer, a key of Props.Authorizers; default: the API's
	// DefaultAuthorizer. NoAuthorizer ("NONE") serves the method without one.
	Authorizer *string
	// AuthorizationScopes make a COGNITO authorizer take access tokens holding at least one of
	// them (without scopes it takes identity tokens). Default: the API's
	// DefaultAuthorizationScopes when the method uses the default authorizer.
	AuthorizationScopes *[]*string
}

// MethodResponse is one response a method declares.
type MethodResponse struct {
	// StatusCode is the HTTP status, "200".
	StatusCode *string
	// ResponseParameters are the headers the response may carry, each with whether it is
	// required: {"method.response.header.Location": true}.
	ResponseParameters *map[string]*bool
	// ResponseModels name the model of the body by content type: {"application/json": "Error"}.
	ResponseModels *map[string]*string
}

// Validation is what a request validator checks.
type Validation string

const (
	// Validation_BODY validates the request body against the method's RequestModels.
	Validation_BODY Validation = "BODY"
	// Validation_PARAMETERS checks that the required RequestParameters are present.
	Validation_PARAMETERS Validation = "PARAMETERS"
	// Validation_BODY_AND_PARAMETERS does both.
	Validation_BODY_AND_PARAMETERS Validation = "BODY_AND_PARAMETERS"
)

// AddMethod adds a method, the resources on its path, and its integration. It returns nil, and
// fails synthesis, when the method breaks a rule.
func (a *RestApi) AddMethod(m *Method) awsapigateway.Method {
	if m == nil || m.Key == nil {
		a.errs.Addf("method: Key is required, e.g. \"GET /products/{id}\"")
		return nil
	}
	k, err := parseMethodKey(*m.Key)
	if err != nil {
		a.errs.Add(err.Error())
		return nil
	}
	var errs []string
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Sprintf("method %q: ", k)+fmt.Sprintf(format, args...))
	}
	if a.Methods[k.String()] != nil {
		add("defined twice (a resource has one method per HTTP method)")
	}
	if k.Verb == "OPTIONS" && a.cors != nil {
		add("the API's Cors already answers OPTIONS on every resource")
	}
	errs = append(errs, a.checkSiblings(k)...)

	plan, planErrs := a.planIntegration(k, m.Integration)
	errs = append(errs, planErrs...)

	declared := map[string]bool{}
	if m.RequestParameters != nil {
		for p, req := range *m.RequestParameters {
			declared[p] = req != nil && *req
		}
		errs = append(errs, checkMethodRequestParameters(k, declared)...)
	}
	for _, p := range plan.declare {
		if _, ok := declared[p]; !ok {
			// Read by the integration's mapping: a path parameter is always there.
			declared[p] = strings.HasPrefix(p, "method.request.path.")
		}
	}

	requestModels, modelErrs := a.modelMap(fmt.Sprintf("method %q: RequestModels", k), deref.StringMap(m.RequestModels))
	errs = append(errs, modelErrs...)
	errs = append(errs, checkValidation(k, m.Validate, len(requestModels) > 0, declared)...)

	methodResponses, respErrs := a.methodResponses(k, deref.Slice(m.MethodResponses), plan.responses)
	errs = append(errs, respErrs...)

	auth, authErrs := a.authorization(k, m)
	errs = append(errs, authErrs...)

	if len(errs) > 0 {
		a.errs.Add(errs...)
		return nil
	}
	if auth.broken {
		return nil // the authorizer's declaration is broken, and its errors fail synthesis
	}

	opts := &awsapigateway.MethodOptions{
		ApiKeyRequired:  m.ApiKeyRequired,
		OperationName:   m.OperationName,
		MethodResponses: &methodResponses,
	}
	a.bind(auth, opts)
	if len(declared) > 0 {
		params := map[string]*bool{}
		for p, req := range declared {
			params[p] = jsii.Bool(req)
		}
		opts.RequestParameters = &params
	}
	if len(requestModels) > 0 {
		opts.RequestModels = &requestModels
	}
	if m.Validate != "" {
		opts.RequestValidator = a.validator(m.Validate)
	}
	method := a.resourceFor(k).AddMethod(jsii.String(k.Verb), plan.integration(), opts)
	a.Methods[k.String()] = method
	return method
}

// checkSiblings applies "only one variable path part is allowed per parent": a resource may have
// one child that is a path variable, {id} or {proxy+}, whatever methods it has.
func (a *RestApi) checkSiblings(k methodKey) []string {
	var errs []string
	for _, r := range k.resources() {
		if !isVariablePart(r.path) {
			continue
		}
		if sib, ok := a.variableChild[r.parent]; ok && sib != r.part {
			errs = append(errs, fmt.Sprintf("method %q: resource %s already has the variable child %s, and API Gateway allows one variable path part per parent", k, r.parent, sib))
		}
	}
	return errs
}

// resourceFor returns the method's resource, creating every resource on its path that does
// not exist yet, and records their variable parts for checkSiblings.
func (a *RestApi) resourceFor(k methodKey) awsapigateway.IResource {
	res := a.Resources["/"]
	for _, r := range k.resources() {
		if next, ok := a.Resources[r.path]; ok {
			res = next
			continue
		}
		// A resource added through the L2 directly is reused rather than duplicated.
		next := res.GetResource(jsii.String(r.part))
		if next == nil {
			next = res.AddResource(jsii.String(r.part), nil)
		}
		a.Resources[r.path] = next
		if isVariablePart(r.path) {
			a.variableChild[r.parent] = r.part
		}
		res = next
	}
	return res
}

// checkValidation: a validator needs something to validate.
func checkValidation(k methodKey, v Validation, hasModels bool, params map[string]bool) []string {
	required := slices.Contains(slices.Collect(maps.Values(params)), true)
	var errs []string
	switch v {
	case "":
	case Validation_BODY:
		if !hasModels {
			errs = append(errs, fmt.Sprintf("method %q: Validate BODY needs RequestModels to validate the body against", k))
		}
	case Validation_PARAMETERS:
		if !required {
			errs = append(errs, fmt.Sprintf("method %q: Validate PARAMETERS needs at least one required request parameter", k))
		}
	case Validation_BODY_AND_PARAMETERS:
		if !hasModels {
			errs = append(errs, fmt.Sprintf("method %q: Validate BODY_AND_PARAMETERS needs RequestModels (or use PARAMETERS)", k))
		}
		if !required {
			errs = append(errs, fmt.Sprintf("method %q: Validate BODY_AND_PARAMETERS needs at least one required request parameter (or use BODY)", k))
		}
	default:
		errs = append(errs, fmt.Sprintf("method %q: Validate %q must be BODY, PARAMETERS or BODY_AND_PARAMETERS", k, v))
	}
	return errs
}

// validator returns the API's request validator of a kind, created on first use: methods that
// validate the same way share one.
func (a *RestApi) validator(v Validation) awsapigateway.RequestValidator {
	if rv := a.Validators[v]; rv != nil {
		return rv
	}
	name := map[Validation]string{
		Validation_BODY:                "validate-body",
		Validation_PARAMETERS:          "validate-parameters",
		Validation_BODY_AND_PARAMETERS: "validate-body-and-parameters",
	}[v]
	rv := a.Api.AddRequestValidator(jsii.String("Validator-"+string(v)), &awsapigateway.RequestValidatorOptions{
		RequestValidatorName:      jsii.String(name),
		ValidateRequestBody:       jsii.Bool(v != Validation_PARAMETERS),
		ValidateRequestParameters: jsii.Bool(v != Validation_BODY),
	})
	a.Validators[v] = rv
	return rv
}
