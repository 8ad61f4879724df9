package datamap

import "strings"

// contextVars are the $context variables of the guide's "API Gateway WebSocket API mapping
// template reference": a context.NAME source "must be one of the supported context
// variables".
var contextVars = map[string]bool{
	"apiId":                                  true,
	"authorizer.principalId":                 true,
	"connectedAt":                            true,
	"connectionId":                           true,
	"domainName":                             true,
	"error.messageString":                    true,
	"error.validationErrorString":            true,
	"eventType":                              true,
	"extendedRequestId":                      true,
	"identity.accountId":                     true,
	"identity.apiKey":                        true,
	"identity.apiKeyId":                      true,
	"identity.caller":                        true,
	"identity.cognitoAuthenticationProvider": true,
	"identity.cognitoAuthenticationType":     true,
	"identity.cognitoIdentityId":             true,
	"identity.cognitoIdentityPoolId":         true,
	"identity.sourceIp":                      true,
	"identity.user":                          true,
	"identity.userAgent":                     true,
	"identity.userArn":                       true,
	"messageId":                              true,
	"requestId":                              true,
	"requestTime":                            true,
	"requestTimeEpoch":                       true,
	"routeKey":                               true,
	"stage":                                  true,
	"status":                                 true,
}

// supportedContext reports whether name is a WebSocket context variable. Besides the fixed
// list, "authorizer.PROPERTY" reads any key of a Lambda authorizer's context map.
func supportedContext(name string) bool {
	if contextVars[name] {
		return true
	}
	prop, ok := strings.CutPrefix(name, "authorizer.")
	return ok && prop != ""
}
