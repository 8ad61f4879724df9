package model

import (
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

// checkRouteAuth checks an HTTP or WebSocket route's authorization against its API: what
// CreateRoute refuses is an error naming the property, what AWS accepts but ignores a warning.
func (b *builder) checkRouteAuth(st *stackState, res *assembly.Resource, api *API, r *Route) error {
	t := r.AuthorizationType
	switch t {
	case "", AuthorizationNone, AuthorizationIAM, AuthorizationCustom:
	case AuthorizationJWT:
		if api.Protocol != ProtocolHTTP {
			return propErr(st, res, "AuthorizationType", errors.New("JWT authorization belongs to HTTP APIs: a WebSocket API authorizes $connect with AWS_IAM or a Lambda (CUSTOM) authorizer"))
		}
	case AuthorizationCognito:
		return propErr(st, res, "AuthorizationType", fmt.Errorf("COGNITO_USER_POOLS authorization belongs to REST APIs: an %s API accepts Cognito tokens through a JWT authorizer whose issuer is the user pool", api.Protocol))
	default:
		want := "NONE, AWS_IAM, CUSTOM or JWT"
		if api.Protocol == ProtocolWebSocket {
			want = "NONE, AWS_IAM or CUSTOM"
		}
		return propErr(st, res, "AuthorizationType", fmt.Errorf("%q is not %s", t, want))
	}
	open := t == "" || t == AuthorizationNone
	// The guide: "you can configure authorization on the $connect route only."
	if api.Protocol == ProtocolWebSocket && r.Key != "$connect" && !open {
		return propErr(st, res, "AuthorizationType", fmt.Errorf("route %q cannot use %s authorization: a WebSocket API authorizes a connection once, on its $connect route", r.Key, t))
	}
	a := api.Authorizers[r.AuthorizerLogicalID]
	switch t {
	case AuthorizationCustom, AuthorizationJWT:
		want := AuthorizerRequest
		if t == AuthorizationJWT {
			want = AuthorizerJWT
		}
		if a == nil {
			return propErr(st, res, "AuthorizerId", fmt.Errorf("is required: %s authorization needs a %s authorizer", t, want))
		}
		if a.Type != want {
			return propErr(st, res, "AuthorizerId", fmt.Errorf("names %s authorizer %q, but %s authorization needs a %s authorizer", a.Type, a.LogicalID, t, want))
		}
	default:
		if a != nil {
			b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("route %q names authorizer %q, but its AuthorizationType is %s: the authorizer is not used (as in AWS, where the authorization type decides)", r.Key, a.LogicalID, orNone(t)))
		}
	}
	if len(r.AuthorizationScopes) > 0 && t != AuthorizationJWT {
		b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("route %q: AuthorizationScopes apply to JWT authorization only, so API Gateway ignores them on %s routes", r.Key, orNone(t)))
	}
	return nil
}

func orNone(authorizationType string) string {
	if authorizationType == "" {
		return AuthorizationNone
	}
	return authorizationType
}
