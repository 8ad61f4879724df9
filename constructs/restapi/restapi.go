package restapi

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/validation"
)

// DefaultStageName is the stage the API is deployed to unless Props.DefaultStage names another,
// as for the L2.
const DefaultStageName = "prod"

// Props configures a REST API. Lists are added in the order of the fields: models, the default
// stage and further stages, methods, gateway responses, API keys, then usage plans, so that each
// can name what comes before it.
type Props struct {
	// RestApiName is the API's Name; default: the construct id.
	RestApiName *string
	Description *string
	// BinaryMediaTypes are the media types API Gateway treats as binary ("image/png",
	// "application/octet-stream", "*/*"): with them a Lambda proxy integration gets the body
	// base64-encoded, and contentHandling converts between text and binary.
	BinaryMediaTypes *[]*string
	// Cors adds an OPTIONS method that answers preflight requests to every resource (the L2's
	// DefaultCorsPreflightOptions). Actual responses carry CORS headers only if the integration
	// sets them: a Lambda proxy handler returns Access-Control-Allow-Origin itself, a custom
	// integration maps it in its integration responses, and gateway responses (4XX and 5XX that
	// API Gateway makes) need it in their ResponseHeaders.
	Cors *awsapigateway.CorsOptions
	// ApiKeySource says where API keys are read from: HEADER (x-api-key, the default) or
	// AUTHORIZER (a Lambda authorizer's usageIdentifierKey).
	ApiKeySource              awsapigateway.ApiKeySourceType
	DisableExecuteApiEndpoint *bool
	// CloudWatchRole creates the account-wide role API Gateway writes CloudWatch logs with
	// (the L2's option; cdk.json's @aws-cdk/aws-apigateway:disableCloudWatchRole sets its
	// default). Access logging in AWS needs that role once per account and region.
	CloudWatchRole *bool

	// Models are JSON schemas (draft 4) that methods name in RequestModels and MethodResponses.
	Models *[]*Model
	// DefaultStage configures the stage the L2 deploys the API to, named DefaultStageName
	// unless Name says otherwise.
	DefaultStage *StageOptions
	// Stages are further stages of the same deployment, each served at /{name}.
	Stages *[]*StageOptions
	// Authorizers declares the API's authorizers by name; methods name theirs in
	// Method.Authorizer.
	Authorizers *map[string]*Authorizer
	// DefaultAuthorizer names the authorizer of every method added through this construct that
	// does not name its own (a method opts out with NoAuthorizer).
	DefaultAuthorizer *string
	// DefaultAuthorizationScopes are the scopes of the methods that use the default authorizer
	// and set no AuthorizationScopes; a COGNITO default only.
	DefaultAuthorizationScopes *[]*string
	// Methods are added in order, as by AddMethod.
	Methods *[]*Method
	// GatewayResponses customize the responses API Gateway makes itself (DEFAULT_4XX,
	// MISSING_AUTHENTICATION_TOKEN, BAD_REQUEST_BODY, THROTTLED, ...).
	GatewayResponses *[]*awsapigateway.GatewayResponseOptions
	// ApiKeys are the API's keys; usage plans name them.
	ApiKeys *[]*ApiKey
	// UsagePlans give API keys access to stages, with throttling and a quota per key.
	UsagePlans *[]*UsagePlan
}

// RestApi is an API Gateway REST API with its resources, methods, models, stages, keys and
// usage plans. Every map holds the L2 objects, for what this package does not model.
type RestApi struct {
	constructs.Construct

	// Api is the underlying L2.
	Api awsapigateway.RestApi
	// Stages holds every stage by name, the default stage included.
	Stages map[string]awsapigateway.Stage
	// Resources holds every resource by path, "/" (the root) included.
	Resources map[string]awsapigateway.IResource
	// Methods holds every method by key, "GET /products/{id}".
	Methods map[string]awsapigateway.Method
	// Models holds the models of Props.Models and AddModel by name.
	Models map[string]awsapigateway.Model
	// Validators holds the request validators methods asked for, by kind.
	Validators map[Validation]awsapigateway.RequestValidator
	// GatewayResponses holds the gateway responses by response type.
	GatewayResponses map[string]awsapigateway.GatewayResponse
	// ApiKeys and UsagePlans hold the keys and plans by name.
	ApiKeys    map[string]awsapigateway.IApiKey
	UsagePlans map[string]awsapigateway.UsagePlan
	// Authorizers holds the L2 authorizer of every TOKEN, REQUEST and COGNITO declaration a
	// method uses, by name, from the first method that uses it on: an
	// awsapigateway.TokenAuthorizer, RequestAuthorizer or CognitoUserPoolsAuthorizer (IAM
	// authorization has no L2 object).
	Authorizers map[string]awsapigateway.IAuthorizer

	errs *validation.Errors
	// defaultStage is the name of the stage the L2 deployed to.
	defaultStage string
	// variableChild maps a resource path to its variable child path part: API Gateway allows
	// one per parent.
	variableChild map[string]string
	// cors is the checked CORS configuration, nil without one.
	cors *awsapigateway.CorsOptions
	// methodThrottles are the method keys stages throttle, checked against the methods at
	// synthesis since stages may come first.
	methodThrottles []stageThrottle
	// keyPlans maps an API key's name to the stages it has through usage plans, by plan name:
	// a key can be in one plan per stage.
	keyPlans map[string]map[string]string
	// keyValues are the values of the keys that set one: API Gateway takes keys with one value
	// for the same key.
	keyValues []namedValue
	// models are the checked schemas, for the deferred draft 4 compile.
	models []*modelState

	authorizers         map[string]*authorizer // checked declarations by name
	declaredAuthorizers []string               // every declared name, in order, valid or not
	usedAuthorizers     map[string]bool
	defaultAuthorizer   string
	defaultScopes       []string
	// apiKeySource is Props.ApiKeySource, which decides whether a key-requiring method needs a
	// Lambda authorizer.
	apiKeySource awsapigateway.ApiKeySourceType
}

// New creates a REST API deployed to its default stage. Configuration errors do not panic: they
// fail synthesis with this construct's path, all at once.
func New(scope constructs.Construct, id *string, props *Props) *RestApi {
	if props == nil {
		props = &Props{}
	}
	a := &RestApi{
		Construct:        constructs.NewConstruct(scope, id),
		Stages:           map[string]awsapigateway.Stage{},
		Resources:        map[string]awsapigateway.IResource{},
		Methods:          map[string]awsapigateway.Method{},
		Models:           map[string]awsapigateway.Model{},
		Validators:       map[Validation]awsapigateway.RequestValidator{},
		GatewayResponses: map[string]awsapigateway.GatewayResponse{},
		ApiKeys:          map[string]awsapigateway.IApiKey{},
		UsagePlans:       map[string]awsapigateway.UsagePlan{},
		Authorizers:      map[string]awsapigateway.IAuthorizer{},
		authorizers:      map[string]*authorizer{},
		usedAuthorizers:  map[string]bool{},
		apiKeySource:     props.ApiKeySource,
		variableChild:    map[string]string{},
		keyPlans:         map[string]map[string]string{},
	}
	a.errs = validation.Attach(a.Construct)
	a.errs.Defer(a.checkMethodThrottles)
	a.errs.Defer(a.checkModels)
	a.errs.Defer(func() []string {
		if n := len(a.Resources); n > maxResources {
			return []string{fmt.Sprintf("has %d resources; a REST API has at most %d, the root included", n, maxResources)}
		}
		return nil
	})

	if c := props.Cors; c != nil {
		if errs := checkCORS(derefAll(c.AllowOrigins), c.AllowCredentials != nil && *c.AllowCredentials, derefAll(c.AllowMethods)); len(errs) > 0 {
			// Kept from the L2, which would throw without the construct path.
			a.errs.Add(errs...)
		} else {
			a.cors = c
		}
	}
	binary := props.BinaryMediaTypes
	if errs := checkBinaryMediaTypes(derefAll(binary)); len(errs) > 0 {
		a.errs.Add(errs...)
		binary = nil
	}
	switch props.ApiKeySource {
	case "", awsapigateway.ApiKeySourceType_HEADER, awsapigateway.ApiKeySourceType_AUTHORIZER:
	default:
		a.errs.Addf("ApiKeySource %q must be HEADER or AUTHORIZER", props.ApiKeySource)
	}

	name := props.RestApiName
	if name == nil {
		name = id
	}
	stageOpts := a.defaultStageOptions(props.DefaultStage)
	a.Api = awsapigateway.NewRestApi(a.Construct, jsii.String("Api"), &awsapigateway.RestApiProps{
		RestApiName:                 name,
		Description:                 props.Description,
		BinaryMediaTypes:            binary,
		DefaultCorsPreflightOptions: a.cors,
		ApiKeySourceType:            props.ApiKeySource,
		DisableExecuteApiEndpoint:   props.DisableExecuteApiEndpoint,
		CloudWatchRole:              props.CloudWatchRole,
		Deploy:                      jsii.Bool(true),
		DeployOptions:               stageOpts,
	})
	a.Resources["/"] = a.Api.Root()
	a.Stages[a.defaultStage] = a.Api.DeploymentStage()

	for _, m := range deref.Slice(props.Models) {
		a.AddModel(m)
	}
	for _, s := range deref.Slice(props.Stages) {
		a.AddStage(s)
	}
	a.addAuthorizers(props.Authorizers)
	a.checkDefaultAuthorizer(props.DefaultAuthorizer, props.DefaultAuthorizationScopes)
	for _, m := range deref.Slice(props.Methods) {
		a.AddMethod(m)
	}
	for _, g := range deref.Slice(props.GatewayResponses) {
		a.AddGatewayResponse(g)
	}
	for _, k := range deref.Slice(props.ApiKeys) {
		a.AddApiKey(k)
	}
	for _, p := range deref.Slice(props.UsagePlans) {
		a.AddUsagePlan(p)
	}
	return a
}

// Url returns the URL of the named stage, "https://{api-id}.execute-api.{region}.{suffix}/{stage}/",
// or nil if there is no such stage.
func (a *RestApi) Url(stage string) *string {
	s, ok := a.Stages[stage]
	if !ok {
		return nil
	}
	return s.UrlForPath(jsii.String("/"))
}

// DefaultStage is the stage the API was deployed to.
func (a *RestApi) DefaultStage() awsapigateway.Stage { return a.Stages[a.defaultStage] }

// ModelURL is the URL by which a model's schema refers to another model of this API in a
// "$ref" ("Creating more complex models"):
// https://apigateway.amazonaws.com/restapis/{api-id}/models/{name}. The model must be added
// before the ones that refer to it.
func (a *RestApi) ModelURL(name string) *string {
	return jsii.String(modelURLPrefix + *a.Api.RestApiId() + "/models/" + name)
}

// modelURLPrefix starts every model URL; the API id follows.
const modelURLPrefix = "https://apigateway.amazonaws.com/restapis/"

// derefAll is a list of jsii strings as plain strings, nils left out.
func derefAll(s *[]*string) []string {
	var out []string
	for _, v := range deref.Slice(s) {
		if v != nil {
			out = append(out, *v)
		}
	}
	return out
}

// constructID is a construct id from a method key or a name, stable when other items are added
// or reordered: "GET /products/{id}" -> "GET-products-id".
func constructID(s string) string {
	r := strings.NewReplacer("/", "-", "{", "", "}", "", "+", "", " ", "")
	id := strings.Trim(r.Replace(s), "-")
	if id == "" {
		return "root"
	}
	return id
}

// unresolved reports whether s holds a CDK token, known only at deploy time.
func unresolved(s string) bool {
	return *awscdk.Token_IsUnresolved(jsii.String(s))
}
