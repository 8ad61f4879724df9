package gatewayresp

// Gateway response types, as the guide's "Gateway response types" table names them.
const (
	Default4XX                   = "DEFAULT_4XX"
	Default5XX                   = "DEFAULT_5XX"
	AccessDenied                 = "ACCESS_DENIED"
	APIConfigurationError        = "API_CONFIGURATION_ERROR"
	AuthorizerConfigurationError = "AUTHORIZER_CONFIGURATION_ERROR"
	AuthorizerFailure            = "AUTHORIZER_FAILURE"
	BadRequestParameters         = "BAD_REQUEST_PARAMETERS"
	BadRequestBody               = "BAD_REQUEST_BODY"
	ExpiredToken                 = "EXPIRED_TOKEN"
	IntegrationFailure           = "INTEGRATION_FAILURE"
	IntegrationTimeout           = "INTEGRATION_TIMEOUT"
	InvalidAPIKey                = "INVALID_API_KEY"
	InvalidSignature             = "INVALID_SIGNATURE"
	MissingAuthenticationToken   = "MISSING_AUTHENTICATION_TOKEN"
	QuotaExceeded                = "QUOTA_EXCEEDED"
	RequestTooLarge              = "REQUEST_TOO_LARGE"
	ResourceNotFound             = "RESOURCE_NOT_FOUND"
	Throttled                    = "THROTTLED"
	Unauthorized                 = "UNAUTHORIZED"
	UnsupportedMediaType         = "UNSUPPORTED_MEDIA_TYPE"
	WAFFiltered                  = "WAF_FILTERED"
)

// Type is one gateway response type and what API Gateway answers for it when the API does not
// customize it.
type Type struct {
	Name string
	// Status is the default status code; 0 for DEFAULT_4XX and DEFAULT_5XX, whose default is
	// null in the guide: they take the status of the error they stand in for.
	Status int
	// Fallback is DEFAULT_4XX or DEFAULT_5XX, whose customization applies when this type has
	// none of its own; empty for those two.
	Fallback string
	// Message is API Gateway's usual $context.error.message for the type, empty where it
	// depends on the error (the runner then supplies it).
	Message string
	// ErrorType is the x-amzn-ErrorType header API Gateway sends with it, from which the AWS
	// SDKs name the error; empty where it depends on the error.
	ErrorType string
}

// types is the guide's table, in its order. The guide says each type "defaults to the
// DEFAULT_4XX type" or DEFAULT_5XX, except UNAUTHORIZED and REQUEST_TOO_LARGE, which it does not
// say: they are 4XX responses, and API Gateway applies DEFAULT_4XX to them too (which is why
// CORS headers set on DEFAULT_4XX reach an authorizer's 401).
//
// Messages are the guide's where it gives them (Missing Authentication Token, Invalid request
// body, Unauthorized, Unsupported Media Type, the content length one) and API Gateway's well
// known answers otherwise.
var types = []Type{
	{Name: AccessDenied, Status: 403, Fallback: Default4XX,
		Message: "User is not authorized to access this resource with an explicit deny", ErrorType: "AccessDeniedException"},
	{Name: APIConfigurationError, Status: 500, Fallback: Default5XX,
		Message: "Internal server error", ErrorType: "InternalServerErrorException"},
	{Name: AuthorizerConfigurationError, Status: 500, Fallback: Default5XX, ErrorType: "InternalServerErrorException"},
	{Name: AuthorizerFailure, Status: 500, Fallback: Default5XX, ErrorType: "InternalServerErrorException"},
	{Name: BadRequestParameters, Status: 400, Fallback: Default4XX, ErrorType: "BadRequestException"},
	{Name: BadRequestBody, Status: 400, Fallback: Default4XX,
		Message: "Invalid request body", ErrorType: "BadRequestException"},
	{Name: Default4XX},
	{Name: Default5XX},
	{Name: ExpiredToken, Status: 403, Fallback: Default4XX,
		Message: "The security token included in the request is expired", ErrorType: "ExpiredTokenException"},
	{Name: IntegrationFailure, Status: 504, Fallback: Default5XX,
		Message: "Internal server error", ErrorType: "InternalServerErrorException"},
	{Name: IntegrationTimeout, Status: 504, Fallback: Default5XX,
		Message: "Endpoint request timed out", ErrorType: "InternalServerErrorException"},
	{Name: InvalidAPIKey, Status: 403, Fallback: Default4XX, Message: "Forbidden", ErrorType: "ForbiddenException"},
	{Name: InvalidSignature, Status: 403, Fallback: Default4XX, ErrorType: "InvalidSignatureException"},
	{Name: MissingAuthenticationToken, Status: 403, Fallback: Default4XX,
		Message: "Missing Authentication Token", ErrorType: "MissingAuthenticationTokenException"},
	{Name: QuotaExceeded, Status: 429, Fallback: Default4XX, Message: "Limit Exceeded", ErrorType: "LimitExceededException"},
	{Name: RequestTooLarge, Status: 413, Fallback: Default4XX, Message: "HTTP content length exceeded 10485760 bytes."},
	{Name: ResourceNotFound, Status: 404, Fallback: Default4XX, ErrorType: "NotFoundException"},
	{Name: Throttled, Status: 429, Fallback: Default4XX, Message: "Too Many Requests", ErrorType: "TooManyRequestsException"},
	{Name: Unauthorized, Status: 401, Fallback: Default4XX, Message: "Unauthorized", ErrorType: "UnauthorizedException"},
	{Name: UnsupportedMediaType, Status: 415, Fallback: Default4XX,
		Message: "Unsupported Media Type", ErrorType: "UnsupportedMediaTypeException"},
	{Name: WAFFiltered, Status: 403, Fallback: Default4XX, Message: "Forbidden", ErrorType: "ForbiddenException"},
}

var byName = func() map[string]Type {
	m := make(map[string]Type, len(types))
	for _, t := range types {
		m[t.Name] = t
	}
	return m
}()

// Types are the gateway response types, in the guide's order.
func Types() []Type {
	return append([]Type(nil), types...)
}

// Lookup finds a gateway response type by name.
func Lookup(name string) (Type, bool) {
	t, ok := byName[name]
	return t, ok
}
