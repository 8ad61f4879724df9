package model

import (
	"errors"
	"fmt"
)

// checkAuth checks a REST method's authorization against its API's authorizers: what PutMethod
// (or an OpenAPI import) refuses is an error, what AWS accepts but ignores a warning.
func (mc *methodCtx) checkAuth() error {
	m, api := mc.m, mc.as.api
	t := m.AuthorizationType
	switch t {
	case "", AuthorizationNone, AuthorizationIAM, AuthorizationCustom, AuthorizationCognito:
	case AuthorizationJWT:
		return mc.errAt(mc.authProp(), errors.New("JWT authorization belongs to HTTP APIs: a REST API verifies Cognito tokens with a COGNITO_USER_POOLS authorizer"))
	default:
		return mc.errAt(mc.authProp(), fmt.Errorf("%q is not NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS", t))
	}
	a := api.Authorizers[m.AuthorizerLogicalID]
	switch t {
	case AuthorizationCustom, AuthorizationCognito:
		want := "a Lambda (TOKEN or REQUEST)"
		fits := a != nil && (a.Type == AuthorizerToken || a.Type == AuthorizerRequest)
		if t == AuthorizationCognito {
			want, fits = "a COGNITO_USER_POOLS", a != nil && a.Type == AuthorizerCognito
		}
		if a == nil {
			return mc.errAt(mc.authorizerProp(), fmt.Errorf("is required: %s authorization needs %s authorizer", t, want))
		}
		if !fits {
			return mc.errAt(mc.authorizerProp(), fmt.Errorf("names %s authorizer %q, but %s authorization needs %s authorizer", a.Type, a.LogicalID, t, want))
		}
	default:
		if a != nil {
			mc.warn(fmt.Sprintf("names authorizer %q, but its authorization type is %s: the authorizer is not used (as in AWS, where the authorization type decides)", a.LogicalID, orNone(t)))
		}
	}
	if len(m.AuthorizationScopes) > 0 && t != AuthorizationCognito {
		mc.warn(fmt.Sprintf("authorization scopes apply to COGNITO_USER_POOLS authorization only, so API Gateway ignores them on %s methods", orNone(t)))
	}
	// With the AUTHORIZER key source, only a Lambda authorizer's usageIdentifierKey supplies the
	// API key: a method without one has no key to check and is refused.
	if m.APIKeyRequired && api.APIKeySource == "AUTHORIZER" && t != AuthorizationCustom {
		mc.warn("requires an API key, which this API takes from a Lambda authorizer's usageIdentifierKey (API key source AUTHORIZER), but the method has no Lambda authorizer: every request is refused with a 403, as in AWS")
	}
	return nil
}

// authorizerProp is where a method names its authorizer.
func (mc *methodCtx) authorizerProp() string {
	if mc.openAPI {
		return mc.verbProp() + ".security"
	}
	return "AuthorizerId"
}
