package restapi

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
)

// responseTypes are the gateway response types of the guide's "Gateway response types".
var responseTypes = map[string]bool{
	"ACCESS_DENIED": true, "API_CONFIGURATION_ERROR": true, "AUTHORIZER_CONFIGURATION_ERROR": true,
	"AUTHORIZER_FAILURE": true, "BAD_REQUEST_BODY": true, "BAD_REQUEST_PARAMETERS": true,
	"DEFAULT_4XX": true, "DEFAULT_5XX": true, "EXPIRED_TOKEN": true, "INTEGRATION_FAILURE": true,
	"INTEGRATION_TIMEOUT": true, "INVALID_API_KEY": true, "INVALID_SIGNATURE": true,
	"MISSING_AUTHENTICATION_TOKEN": true, "QUOTA_EXCEEDED": true, "REQUEST_TOO_LARGE": true,
	"RESOURCE_NOT_FOUND": true, "THROTTLED": true, "UNAUTHORIZED": true,
	"UNSUPPORTED_MEDIA_TYPE": true, "WAF_FILTERED": true,
}

// AddGatewayResponse customizes the response API Gateway makes itself for one response type:
// its status code, headers ("Access-Control-Allow-Origin": "'*'", "x-request-id":
// "context.requestId") and body templates ($context.error.messageString and the like). It
// returns nil, and fails synthesis, when the options break a rule.
func (a *RestApi) AddGatewayResponse(o *awsapigateway.GatewayResponseOptions) awsapigateway.GatewayResponse {
	if o == nil || o.Type == nil {
		a.errs.Addf("gateway response: Type is required, e.g. awsapigateway.ResponseType_DEFAULT_4XX()")
		return nil
	}
	typ := deref.String(o.Type.ResponseType())
	what := fmt.Sprintf("gateway response %s", typ)
	var errs []string
	if !responseTypes[typ] {
		errs = append(errs, fmt.Sprintf("%s: not a gateway response type (DEFAULT_4XX, DEFAULT_5XX, MISSING_AUTHENTICATION_TOKEN, BAD_REQUEST_BODY, THROTTLED, ...)", what))
	}
	if a.GatewayResponses[typ] != nil {
		errs = append(errs, fmt.Sprintf("%s: defined twice (an API has one gateway response per type)", what))
	}
	if s := o.StatusCode; s != nil && !isStatusCode(*s) {
		errs = append(errs, fmt.Sprintf("%s: status code %q must be 100 to 599", what, *s))
	}
	errs = append(errs, checkGatewayResponseHeaders(what, deref.StringMap(o.ResponseHeaders))...)
	if o.Templates != nil {
		errs = append(errs, checkTemplates(what+": templates", deref.StringMap(o.Templates))...)
	}
	if len(errs) > 0 {
		a.errs.Add(errs...)
		return nil
	}
	g := a.Api.AddGatewayResponse(jsii.String("GatewayResponse-"+typ), o)
	a.GatewayResponses[typ] = g
	return g
}
