// Package model is the runner's view of a cloud assembly: the APIs, stages, routes, integrations
// and Lambda functions that the templates declare, with every intrinsic already resolved.
//
// The loader (package assembly) and the template translation (Build, in this package) produce it;
// the servers (httpapi, and later websocket and rest) and the Lambda host only read it. Nothing in
// here depends on the CDK or jsii: a model is plain data, so it can be compared against golden
// files and built in microseconds.
package model

import (
	"fmt"
	"time"
)

// Protocol is an API's kind, spelled as `gatehouse routes --json` prints it.
type Protocol string

const (
	ProtocolHTTP      Protocol = "HTTP"
	ProtocolREST      Protocol = "REST"
	ProtocolWebSocket Protocol = "WEBSOCKET"
)

// DefaultStage is the name of the stage API Gateway serves at the root of an API's URL.
const DefaultStage = "$default"

// Model is everything the runner serves from one cloud assembly.
type Model struct {
	// Account and Region are what pseudo parameters resolved to (local defaults unless the
	// stack's environment names them).
	Account string `json:"account"`
	Region  string `json:"region"`

	APIs      []*API      `json:"apis"`
	Functions []*Function `json:"functions"`
	// Roles are the IAM roles the stacks define, with the policy statements attached to them
	// (inline and through AWS::IAM::Policy), so the runner can refuse what AWS would refuse.
	Roles []*Role `json:"roles,omitempty"`
	// APIKeys are the AWS::ApiGateway::ApiKey resources, with the API stages they are valid for.
	APIKeys []*APIKey `json:"apiKeys,omitempty"`
	// UsagePlans are the AWS::ApiGateway::UsagePlan resources, for their throttling and quotas.
	UsagePlans []*UsagePlan `json:"usagePlans,omitempty"`
	// Domains are the custom domain names (AWS::ApiGatewayV2::DomainName,
	// AWS::ApiGateway::DomainName) with their API mappings (AWS::ApiGatewayV2::ApiMapping,
	// AWS::ApiGateway::BasePathMapping), in template order.
	Domains []*Domain `json:"domains,omitempty"`

	// Warnings name every resource or property the runner cannot serve faithfully, one each.
	Warnings []Warning `json:"warnings,omitempty"`
}

// Function finds a function by its physical name, or returns nil.
func (m *Model) Function(name string) *Function {
	for _, f := range m.Functions {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Warning names a resource the runner cannot serve as AWS would, and why.
type Warning struct {
	Stack     string `json:"stack"`
	LogicalID string `json:"logicalId,omitempty"`
	Type      string `json:"type,omitempty"` // CloudFormation resource type, when it is about one resource
	Message   string `json:"message"`
}

func (w Warning) String() string {
	switch {
	case w.LogicalID != "" && w.Type != "":
		return fmt.Sprintf("stack %q: resource %q (%s): %s", w.Stack, w.LogicalID, w.Type, w.Message)
	case w.LogicalID != "":
		return fmt.Sprintf("stack %q: resource %q: %s", w.Stack, w.LogicalID, w.Message)
	default:
		return fmt.Sprintf("stack %q: %s", w.Stack, w.Message)
	}
}

// API is one AWS::ApiGatewayV2::Api (HTTP or WebSocket) or AWS::ApiGateway::RestApi.
type API struct {
	Stack     string   `json:"stack"`
	LogicalID string   `json:"logicalId"`
	ID        string   `json:"id"` // local API id: 10 lowercase base-36 characters, stable for a stack and logical id
	Name      string   `json:"name"`
	Protocol  Protocol `json:"protocol"`

	// DisableExecuteAPIEndpoint mirrors the property of the same name: when true, AWS answers
	// 403 on the execute-api host and the API is reachable only through custom domains.
	DisableExecuteAPIEndpoint bool `json:"disableExecuteApiEndpoint,omitempty"`

	Stages []*Stage `json:"stages"`

	// Routes of an HTTP or WebSocket API, in template order.
	Routes []*Route `json:"routes,omitempty"`

	// REST only: the resource tree (flattened, each with its full path), the models, request
	// validators and gateway responses, and the API's binary media types.
	Resources         []*Resource                  `json:"resources,omitempty"`
	SchemaModels      map[string]*SchemaModel      `json:"schemaModels,omitempty"` // by model name
	RequestValidators map[string]*RequestValidator `json:"requestValidators,omitempty"`
	GatewayResponses  []*GatewayResponse           `json:"gatewayResponses,omitempty"`
	BinaryMediaTypes  []string                     `json:"binaryMediaTypes,omitempty"`
	// APIKeySource is HEADER (x-api-key, the default) or AUTHORIZER.
	APIKeySource string `json:"apiKeySource,omitempty"`

	// Authorizers are the API's authorizers (AWS::ApiGatewayV2::Authorizer,
	// AWS::ApiGateway::Authorizer, or an OpenAPI body's x-amazon-apigateway-authorizer), keyed
	// by logical id (the security scheme's name for OpenAPI ones), which Route.AuthorizerLogicalID
	// and Method.AuthorizerLogicalID name.
	Authorizers map[string]*Authorizer `json:"authorizers,omitempty"`

	// CORS is the HTTP API's CorsConfiguration, nil when none is set.
	CORS *CORS `json:"cors,omitempty"`

	// WebSocket only.
	RouteSelectionExpression  string `json:"routeSelectionExpression,omitempty"`
	APIKeySelectionExpression string `json:"apiKeySelectionExpression,omitempty"`
}

// Stage finds a stage by name, or returns nil.
func (a *API) Stage(name string) *Stage {
	for _, s := range a.Stages {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Stage is one AWS::ApiGatewayV2::Stage (or AWS::ApiGateway::Stage).
type Stage struct {
	LogicalID string            `json:"logicalId,omitempty"`
	Name      string            `json:"name"` // "$default" or a name, served at /{name}
	Variables map[string]string `json:"variables,omitempty"`

	// REST only: MethodSettings' throttling keyed by "{resourcePath}/{METHOD}" as CloudFormation
	// writes them ("/items/GET", "/*/*" for every method).
	MethodThrottle map[string]*Throttle `json:"methodThrottle,omitempty"`
	// AccessLogFormat is the stage's access log format (AccessLogSettings.Format, REST
	// AccessLogSetting.Format); empty when the stage logs no access.
	AccessLogFormat string `json:"accessLogFormat,omitempty"`

	// DefaultRouteThrottle is DefaultRouteSettings' throttling; nil when the stage sets none.
	DefaultRouteThrottle *Throttle `json:"defaultRouteThrottle,omitempty"`
	// RouteThrottle is RouteSettings' throttling, keyed by route key ("GET /items/{id}").
	RouteThrottle map[string]*Throttle `json:"routeThrottle,omitempty"`
}

// Throttle is a token bucket: RateLimit requests per second, bursts of BurstLimit.
type Throttle struct {
	RateLimit  float64 `json:"rateLimit"`
	BurstLimit int     `json:"burstLimit"`
}

// Route is one AWS::ApiGatewayV2::Route.
type Route struct {
	LogicalID string `json:"logicalId"`
	// Key is the RouteKey as written: "GET /items/{id}", "ANY /{proxy+}", "$default", or for
	// WebSocket APIs "$connect", "$disconnect", "sendmessage".
	Key string `json:"key"`
	// Method and Path split an HTTP route key; both empty for "$default" and WebSocket routes.
	Method string `json:"method,omitempty"`
	Path   string `json:"path,omitempty"`

	Integration *Integration `json:"integration,omitempty"` // nil: a route with no target

	AuthorizationType   string   `json:"authorizationType,omitempty"` // NONE, JWT, AWS_IAM, CUSTOM
	AuthorizerLogicalID string   `json:"authorizerLogicalId,omitempty"`
	AuthorizationScopes []string `json:"authorizationScopes,omitempty"`
	APIKeyRequired      bool     `json:"apiKeyRequired,omitempty"`

	// WebSocket only.
	RouteResponseSelectionExpression string            `json:"routeResponseSelectionExpression,omitempty"`
	RequestParameters                map[string]bool   `json:"requestParameters,omitempty"` // name -> required
	ModelSelectionExpression         string            `json:"modelSelectionExpression,omitempty"`
	RequestModels                    map[string]string `json:"requestModels,omitempty"`
	// RouteResponses make a WebSocket route two-way: the integration's response goes back to the
	// client. API Gateway supports only the "$default" key.
	RouteResponses []*RouteResponse `json:"routeResponses,omitempty"`
}

// RouteResponse is one AWS::ApiGatewayV2::RouteResponse.
type RouteResponse struct {
	LogicalID                string            `json:"logicalId"`
	Key                      string            `json:"key"` // RouteResponseKey
	ModelSelectionExpression string            `json:"modelSelectionExpression,omitempty"`
	ResponseModels           map[string]string `json:"responseModels,omitempty"`
}

// IntegrationResponse is one AWS::ApiGatewayV2::IntegrationResponse, or one entry of a REST
// method's Integration.IntegrationResponses: how a non-proxy integration's response is
// transformed before it is sent back.
type IntegrationResponse struct {
	LogicalID string `json:"logicalId,omitempty"`
	// REST only: the method response status this maps to, and the regular expression matched
	// against the Lambda error message or the HTTP status ("" is the default response).
	StatusCode       string `json:"statusCode,omitempty"`
	SelectionPattern string `json:"selectionPattern,omitempty"`
	// Key is IntegrationResponseKey: "$default", or a status code pattern like "/2\\d\\d/".
	Key                         string            `json:"key,omitempty"`
	TemplateSelectionExpression string            `json:"templateSelectionExpression,omitempty"`
	ResponseTemplates           map[string]string `json:"responseTemplates,omitempty"`
	ResponseParameters          map[string]string `json:"responseParameters,omitempty"`
	ContentHandlingStrategy     string            `json:"contentHandlingStrategy,omitempty"`
}

// Integration types, as CloudFormation spells them.
const (
	IntegrationAWSProxy  = "AWS_PROXY"
	IntegrationAWS       = "AWS"
	IntegrationHTTPProxy = "HTTP_PROXY"
	IntegrationHTTP      = "HTTP"
	IntegrationMock      = "MOCK"
)

// Integration is one AWS::ApiGatewayV2::Integration.
type Integration struct {
	LogicalID string `json:"logicalId"`
	Type      string `json:"type"` // AWS_PROXY, HTTP_PROXY, HTTP, MOCK, AWS
	// URI is IntegrationUri resolved to a string: a Lambda function ARN (or the
	// arn:aws:apigateway:...:lambda:path/.../functions/ARN/invocations form) or an HTTP URL.
	URI    string `json:"uri,omitempty"`
	Method string `json:"method,omitempty"` // IntegrationMethod, for HTTP integrations
	// Function is the physical name of the Lambda function URI points at, when it points at one
	// that the assembly defines. Empty otherwise (and a warning says so).
	Function string `json:"function,omitempty"`
	// PayloadFormatVersion is "1.0" or "2.0" for Lambda proxy integrations of HTTP APIs.
	PayloadFormatVersion string `json:"payloadFormatVersion,omitempty"`
	// Timeout is TimeoutInMillis; zero means API Gateway's default for the protocol.
	Timeout time.Duration `json:"timeout,omitempty"`

	// RequestParameters is the HTTP API parameter mapping ("append:header.x" ->
	// "$request.header.y") or the WebSocket integration request parameters
	// ("integration.request.header.x" -> "route.request.body.y").
	RequestParameters map[string]string `json:"requestParameters,omitempty"`
	// ResponseParameters maps a status code ("200") to its response parameter mapping.
	ResponseParameters map[string]map[string]string `json:"responseParameters,omitempty"`

	// WebSocket / REST non-proxy integrations.
	RequestTemplates            map[string]string `json:"requestTemplates,omitempty"`
	TemplateSelectionExpression string            `json:"templateSelectionExpression,omitempty"`
	PassthroughBehavior         string            `json:"passthroughBehavior,omitempty"`
	ContentHandlingStrategy     string            `json:"contentHandlingStrategy,omitempty"`
	// IntegrationResponses of a WebSocket integration, and the expression that picks one
	// (IntegrationResponseSelectionExpression, e.g. "${integration.response.statuscode}").
	IntegrationResponseSelectionExpression string                 `json:"integrationResponseSelectionExpression,omitempty"`
	IntegrationResponses                   []*IntegrationResponse `json:"integrationResponses,omitempty"`
}

// CORS is an HTTP API's CorsConfiguration.
type CORS struct {
	AllowOrigins     []string `json:"allowOrigins,omitempty"`
	AllowMethods     []string `json:"allowMethods,omitempty"`
	AllowHeaders     []string `json:"allowHeaders,omitempty"`
	ExposeHeaders    []string `json:"exposeHeaders,omitempty"`
	AllowCredentials bool     `json:"allowCredentials,omitempty"`
	// MaxAge in seconds; nil when unset (API Gateway then sends no Access-Control-Max-Age).
	MaxAge *int `json:"maxAge,omitempty"`
}

// Architectures, as AWS::Lambda::Function spells them.
const (
	ArchX8664 = "x86_64"
	ArchARM64 = "arm64"
)

// Function is one AWS::Lambda::Function.
type Function struct {
	Stack     string `json:"stack"`
	LogicalID string `json:"logicalId"`
	// Name is FunctionName, or the name CloudFormation would generate ("{stack}-{logicalId}",
	// trimmed to 64 characters, without CloudFormation's random suffix so it is stable).
	Name string `json:"name"`
	ARN  string `json:"arn"`

	Runtime      string `json:"runtime"` // provided.al2023, provided.al2, go1.x, nodejs20.x, ...
	Handler      string `json:"handler,omitempty"`
	Architecture string `json:"architecture"` // x86_64 (the default) or arm64
	// CodeDir is the absolute path of the unpacked code (the asset directory with bootstrap in
	// it); empty when the code cannot be found locally (a warning says so).
	CodeDir string `json:"codeDir,omitempty"`

	MemoryMB    int               `json:"memoryMb"` // default 128
	Timeout     time.Duration     `json:"timeout"`  // default 3s
	Environment map[string]string `json:"environment,omitempty"`
	// ReservedConcurrency is ReservedConcurrentExecutions; nil when unset.
	ReservedConcurrency *int `json:"reservedConcurrency,omitempty"`

	// Role is the execution role's ARN (resolved), and RoleLogicalID its logical id when the role
	// is defined in the same stack. Issue 3 and 5 evaluate its policies.
	Role          string `json:"role,omitempty"`
	RoleLogicalID string `json:"roleLogicalId,omitempty"`
}

// Resource is one REST API resource (AWS::ApiGateway::Resource, or the root) with its methods.
type Resource struct {
	LogicalID string `json:"logicalId,omitempty"` // empty for the root resource
	// Path is the full path: "/", "/items", "/items/{id}", "/files/{proxy+}".
	Path    string    `json:"path"`
	Methods []*Method `json:"methods,omitempty"`
}

// Method is one AWS::ApiGateway::Method.
type Method struct {
	LogicalID           string   `json:"logicalId"`
	HTTPMethod          string   `json:"httpMethod"` // GET, POST, ..., ANY
	AuthorizationType   string   `json:"authorizationType,omitempty"`
	AuthorizerLogicalID string   `json:"authorizerLogicalId,omitempty"`
	AuthorizationScopes []string `json:"authorizationScopes,omitempty"`
	APIKeyRequired      bool     `json:"apiKeyRequired,omitempty"`
	// RequestParameters: "method.request.querystring.x" (or header, path) -> required.
	RequestParameters map[string]bool `json:"requestParameters,omitempty"`
	// RequestModels: content type -> model name, validated when the validator says so.
	RequestModels    map[string]string `json:"requestModels,omitempty"`
	RequestValidator string            `json:"requestValidator,omitempty"` // key of API.RequestValidators
	MethodResponses  []*MethodResponse `json:"methodResponses,omitempty"`
	// Integration is the method's integration (Type, URI, Method, RequestParameters,
	// RequestTemplates, PassthroughBehavior, ContentHandlingStrategy, Timeout,
	// IntegrationResponses with StatusCode and SelectionPattern).
	Integration *Integration `json:"integration,omitempty"`
}

// MethodResponse is one of a REST method's MethodResponses.
type MethodResponse struct {
	StatusCode         string            `json:"statusCode"`
	ResponseParameters map[string]bool   `json:"responseParameters,omitempty"`
	ResponseModels     map[string]string `json:"responseModels,omitempty"`
}

// SchemaModel is one AWS::ApiGateway::Model (or ApiGatewayV2::Model): a JSON schema (draft 4).
type SchemaModel struct {
	LogicalID   string `json:"logicalId,omitempty"`
	Name        string `json:"name"`
	ContentType string `json:"contentType,omitempty"`
	// Schema is the schema document as JSON; "$ref"s to other models use their URLs
	// (https://apigateway.amazonaws.com/restapis/{id}/models/{name}).
	Schema string `json:"schema"`
}

// Domain is one custom domain name and the API stages mapped to it.
type Domain struct {
	Stack     string `json:"stack"`
	LogicalID string `json:"logicalId"`
	// Name is DomainName, lower case: "api.example.com", or "*.example.com" for a wildcard
	// custom domain name, which answers every name one label deeper.
	Name string `json:"name"`
	// EndpointType is REGIONAL (the only kind for HTTP and WebSocket APIs), EDGE, or PRIVATE
	// (AWS::ApiGateway::DomainNameV2, a private custom domain name).
	EndpointType string `json:"endpointType,omitempty"`
	// SecurityPolicy is TLS_1_0 or TLS_1_2 (the only one HTTP and WebSocket APIs allow, and
	// what an AWS::ApiGatewayV2::DomainName without one gets), one of the enhanced policies
	// aws-cdk-lib writes ("SecurityPolicy_TLS13_1_3_2025_09" accepts TLS 1.3 only,
	// "SecurityPolicy_TLS13_1_2_PQ_2025_09" 1.2 and 1.3), or empty for a REST domain that
	// names none:
	// the runner's --tls listener refuses older handshakes accordingly.
	SecurityPolicy string `json:"securityPolicy,omitempty"`
	// CertificateARN is the ACM certificate (for messages; the runner serves its own).
	CertificateARN string `json:"certificateArn,omitempty"`
	// TruststoreURI is set when mutual TLS is on: clients must present a certificate.
	TruststoreURI string `json:"truststoreUri,omitempty"`
	// Mappings are the API mappings, longest key first, so the first whose key matches a
	// request path wins.
	Mappings []*APIMapping `json:"mappings,omitempty"`
}

// APIMapping maps a key (a path below the domain) to one API stage.
type APIMapping struct {
	LogicalID string `json:"logicalId"`
	// API is the mapped API's local id (API.ID), Stage the stage's name. Stage is empty only
	// for a REST base path mapping without one (BasePathMapping with no Stage, or "(none)"):
	// API Gateway then takes the stage from the path segment after the key, as its API
	// reference says: "Specify '(none)' if you want callers to explicitly specify the stage
	// name after any base path name."
	API   string `json:"api"`
	Stage string `json:"stage"`
	// Key is ApiMappingKey (or a REST BasePath): "" for the empty mapping, "orders", or a
	// multi-level "orders/v2", without leading or trailing slashes.
	Key string `json:"key,omitempty"`
}

// Authorizer types, as CloudFormation spells them.
const (
	AuthorizerRequest = "REQUEST"            // Lambda, every API kind
	AuthorizerToken   = "TOKEN"              // Lambda, REST only
	AuthorizerJWT     = "JWT"                // HTTP only
	AuthorizerCognito = "COGNITO_USER_POOLS" // REST only
)

// Authorization types of a route or method, as CloudFormation spells them.
const (
	AuthorizationNone    = "NONE"
	AuthorizationIAM     = "AWS_IAM"
	AuthorizationCustom  = "CUSTOM"             // a Lambda authorizer
	AuthorizationJWT     = "JWT"                // HTTP APIs
	AuthorizationCognito = "COGNITO_USER_POOLS" // REST APIs
)

// Authorizer is one authorizer of an API.
type Authorizer struct {
	LogicalID string `json:"logicalId"`
	Name      string `json:"name"`
	// Type is REQUEST or TOKEN (Lambda), JWT, or COGNITO_USER_POOLS.
	Type string `json:"type"`
	// Function is the physical name of the Lambda function AuthorizerUri names, when the
	// assembly defines it; empty otherwise (a warning says so, and requests are refused with
	// the authorizer's configuration error, never let through). It is empty too when the URI
	// takes the function from stage variables ("...function:${stageVariables.fn}/invocations"):
	// StageFunction(URI, stage.Variables) names it per stage.
	Function string `json:"function,omitempty"`
	// URI is AuthorizerUri resolved, for messages.
	URI string `json:"uri,omitempty"`
	// IdentitySource is the list of identity sources as written: HTTP
	// "$request.header.Authorization", "$request.querystring.token", "$context.x",
	// "$stageVariables.x"; WebSocket "route.request.header.Auth", "route.request.querystring.token",
	// "context.x", "stageVariables.x"; REST "method.request.header.Authorization",
	// "method.request.querystring.token", "context.x", "stageVariables.x". A comma-separated
	// string in the template is split. Empty for a Lambda REQUEST authorizer without caching.
	IdentitySource []string `json:"identitySource,omitempty"`
	// IdentityValidationExpression is a REST TOKEN authorizer's regular expression the token
	// must match before the function runs; for a Cognito authorizer, the guide says it is
	// matched against the identity token's aud claim (so access tokens, without aud, fail it).
	IdentityValidationExpression string `json:"identityValidationExpression,omitempty"`
	// ResultTTL is AuthorizerResultTtlInSeconds: how long a Lambda authorizer's answer is cached
	// per identity. REST defaults to 300 s when the template leaves it out; HTTP to 0 (off);
	// always 0 for WebSocket, JWT and Cognito authorizers.
	ResultTTL time.Duration `json:"resultTtl,omitempty"`
	// PayloadFormatVersion is an HTTP API Lambda authorizer's "1.0" or "2.0".
	PayloadFormatVersion string `json:"payloadFormatVersion,omitempty"`
	// EnableSimpleResponses lets an HTTP API payload 2.0 authorizer answer {"isAuthorized": ..}.
	EnableSimpleResponses bool `json:"enableSimpleResponses,omitempty"`
	// Issuer and Audience are a JWT authorizer's JwtConfiguration (both required: Build refuses
	// a JWT authorizer without an audience).
	Issuer   string   `json:"issuer,omitempty"`
	Audience []string `json:"audience,omitempty"`
	// ProviderARNs are a Cognito authorizer's user pool ARNs, and Issuers the token issuers
	// they stand for (https://cognito-idp.{region}.amazonaws.com/{userPoolId}).
	ProviderARNs []string `json:"providerArns,omitempty"`
	Issuers      []string `json:"issuers,omitempty"`
	// CredentialsARN is AuthorizerCredentialsArn: the role API Gateway invokes the function
	// with, when one is set.
	CredentialsARN string `json:"credentialsArn,omitempty"`
}

// RequestValidator is one AWS::ApiGateway::RequestValidator.
type RequestValidator struct {
	LogicalID                 string `json:"logicalId,omitempty"`
	Name                      string `json:"name,omitempty"`
	ValidateRequestBody       bool   `json:"validateRequestBody,omitempty"`
	ValidateRequestParameters bool   `json:"validateRequestParameters,omitempty"`
}

// GatewayResponse is one AWS::ApiGateway::GatewayResponse: how API Gateway answers one kind of
// error it produces itself (ResponseType DEFAULT_4XX, MISSING_AUTHENTICATION_TOKEN, ...).
type GatewayResponse struct {
	LogicalID          string            `json:"logicalId,omitempty"`
	ResponseType       string            `json:"responseType"`
	StatusCode         string            `json:"statusCode,omitempty"`
	ResponseParameters map[string]string `json:"responseParameters,omitempty"`
	ResponseTemplates  map[string]string `json:"responseTemplates,omitempty"`
}

// UsagePlan is one AWS::ApiGateway::UsagePlan: the stages it covers, and the throttling and
// quota every API key in it gets (each key separately).
type UsagePlan struct {
	Stack     string     `json:"stack"`
	LogicalID string     `json:"logicalId"`
	Name      string     `json:"name,omitempty"`
	Stages    []APIStage `json:"stages,omitempty"`
	Throttle  *Throttle  `json:"throttle,omitempty"`
	Quota     *Quota     `json:"quota,omitempty"`
	// MethodThrottle is per-method throttling, keyed "{apiId}/{stage}/{resourcePath}/{METHOD}".
	MethodThrottle map[string]*Throttle `json:"methodThrottle,omitempty"`
	// Keys are the values of the API keys in the plan.
	Keys []string `json:"keys,omitempty"`
}

// Quota is a usage plan's request quota per period (DAY, WEEK or MONTH), after Offset days.
type Quota struct {
	Limit  int    `json:"limit"`
	Period string `json:"period"`
	Offset int    `json:"offset,omitempty"`
}

// Role is one AWS::IAM::Role with every policy statement attached to it in the assembly.
type Role struct {
	Stack     string `json:"stack"`
	LogicalID string `json:"logicalId"`
	ARN       string `json:"arn"`
	// Statements are the role's identity-based policy statements: its inline Policies and every
	// AWS::IAM::Policy (or ManagedPolicy defined in the assembly) that names it.
	Statements []*Statement `json:"statements,omitempty"`
}

// Statement is one IAM policy statement, with single strings widened to lists.
type Statement struct {
	Effect       string   `json:"effect"` // Allow or Deny
	Actions      []string `json:"actions,omitempty"`
	NotActions   []string `json:"notActions,omitempty"`
	Resources    []string `json:"resources,omitempty"`
	NotResources []string `json:"notResources,omitempty"`
	// HasCondition is true when the statement has a Condition block, which the runner does not
	// evaluate (a warning says so); such a statement is treated as not matching.
	HasCondition bool `json:"hasCondition,omitempty"`
}

// APIKey is one AWS::ApiGateway::ApiKey.
type APIKey struct {
	Stack     string `json:"stack"`
	LogicalID string `json:"logicalId"`
	// ID is the key's id (its Ref), what $context.identity.apiKeyId reports.
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	// Value is the key's Value, or a stable generated one when the template sets none (AWS
	// generates a random one); the runner prints it so clients can use it.
	Value   string `json:"value"`
	Enabled bool   `json:"enabled"`
	// Stages are the API stages the key is valid for: its StageKeys, and the ApiStages of every
	// usage plan it belongs to (AWS::ApiGateway::UsagePlanKey).
	Stages []APIStage `json:"stages,omitempty"`
}

// APIStage names one stage of one API, by the API's local id.
type APIStage struct {
	APIID string `json:"apiId"`
	Stage string `json:"stage"`
}
