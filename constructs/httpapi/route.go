package httpapi

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
)

// integrationID is the id of each route's integration; the L2 creates the integration
// construct under the route with this id, which is how responseParameters finds it.
const integrationID = "Integration"

// AddRoute adds a route and its integration. It returns nil, and fails synthesis, when the
// route breaks a rule.
func (a *HttpApi) AddRoute(r *Route) awsapigatewayv2.HttpRoute {
	if r == nil || r.Key == nil {
		a.errs.Addf("route: Key is required, e.g. \"GET /items/{id}\" or \"$default\"")
		return nil
	}
	key := *r.Key
	rk, err := parseRouteKey(key)
	if err != nil {
		a.errs.Add(err.Error())
		return nil
	}
	errs := a.checkRoute(key, r)
	auth, authErrs := a.authorization(key, r)
	errs = append(errs, authErrs...)
	if first, dup := a.routeShapes[rk.Shape]; dup {
		if first == key {
			errs = append(errs, fmt.Sprintf("route %q: defined twice (route keys are unique within an API)", key))
		} else {
			errs = append(errs, fmt.Sprintf("route %q: matches exactly the same requests as route %q (only path variable names differ)", key, first))
		}
	}
	if len(errs) > 0 {
		a.errs.Add(errs...)
		return nil
	}
	if auth.name != "" && auth.au == nil {
		return nil // the authorizer's declaration is broken, and its errors fail synthesis
	}
	a.routeShapes[rk.Shape] = key

	routeKey := awsapigatewayv2.HttpRouteKey_DEFAULT()
	if rk.Method != "" {
		routeKey = awsapigatewayv2.HttpRouteKey_With(jsii.String(rk.Path), awsapigatewayv2.HttpMethod(rk.Method))
	}
	// The L2 checks timeouts against REST's old 29 s cap; HTTP APIs allow 30 s (guide, HTTP API
	// quotas), so the L2 gets none and the value goes on the CfnIntegration below.
	authorizer, scopes := auth.bind()
	route := awsapigatewayv2.NewHttpRoute(a.Api, jsii.String(routeID(key)), &awsapigatewayv2.HttpRouteProps{
		HttpApi:             a.Api,
		RouteKey:            routeKey,
		Integration:         integration(r),
		Authorizer:          authorizer,
		AuthorizationScopes: scopes,
	})
	a.afterBind(auth.au)
	cfn := route.Node().FindChild(jsii.String(integrationID)).Node().DefaultChild().(awsapigatewayv2.CfnIntegration)
	if r.Timeout != nil {
		cfn.SetTimeoutInMillis(r.Timeout.ToMilliseconds(&awscdk.TimeConversionOptions{Integral: jsii.Bool(false)}))
	}
	if rp := responseParameters(r.ResponseParameters); rp != nil {
		cfn.SetResponseParameters(rp)
	}
	a.Routes[key] = route
	return route
}

// checkRoute applies the integration rules to one route.
func (a *HttpApi) checkRoute(key string, r *Route) []string {
	var errs []string
	isLambda, isURL := r.Function != nil, r.Url != nil
	switch {
	case isLambda && isURL:
		errs = append(errs, fmt.Sprintf("route %q: set exactly one of Function and Url, not both", key))
	case !isLambda && !isURL:
		errs = append(errs, fmt.Sprintf("route %q: needs an integration: set Function or Url", key))
	}
	if r.PayloadFormatVersion != nil {
		if err := checkPayloadFormat(key, deref.String(r.PayloadFormatVersion.Version()), isLambda && !isURL); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if isURL && !*awscdk.Token_IsUnresolved(r.Url) {
		// A URL built from tokens (another API's endpoint, say) is only known at deploy time.
		if err := stagerules.CheckIntegrationURL(key, *r.Url); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if r.Method != "" && !isURL {
		errs = append(errs, fmt.Sprintf("route %q: Method applies only to HTTP URL integrations", key))
	} else if r.Method != "" && !methods[string(r.Method)] {
		errs = append(errs, fmt.Sprintf("route %q: integration method %q must be one of ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS", key, r.Method))
	}
	if r.Timeout != nil && !*r.Timeout.IsUnresolved() {
		ms := *r.Timeout.ToMilliseconds(&awscdk.TimeConversionOptions{Integral: jsii.Bool(false)})
		if err := checkTimeout(key, time.Duration(ms*float64(time.Millisecond))); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if r.RequestParameters != nil {
		errs = append(errs, checkRequestMapping(key, deref.StringMap(r.RequestParameters.Mappings()))...)
	}
	if r.ResponseParameters != nil {
		byStatus := map[string]map[string]string{}
		for status, m := range *r.ResponseParameters {
			if m != nil {
				byStatus[status] = deref.StringMap(m.Mappings())
			}
		}
		errs = append(errs, checkResponseMapping(key, byStatus)...)
	}
	return errs
}

// integration builds the L2 integration of a checked route.
func integration(r *Route) awsapigatewayv2.HttpRouteIntegration {
	if r.Function != nil {
		return awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String(integrationID), r.Function, &awsapigatewayv2integrations.HttpLambdaIntegrationProps{
			PayloadFormatVersion: r.PayloadFormatVersion,
			ParameterMapping:     r.RequestParameters,
		})
	}
	method := r.Method
	if method == "" {
		method = awsapigatewayv2.HttpMethod_ANY
	}
	return awsapigatewayv2integrations.NewHttpUrlIntegration(jsii.String(integrationID), r.Url, &awsapigatewayv2integrations.HttpUrlIntegrationProps{
		Method:           method,
		ParameterMapping: r.RequestParameters,
	})
}

// responseParameters renders response mappings in CloudFormation's ResponseParameters shape:
// status code -> {"ResponseParameters": [{"Destination": key, "Source": value}]}.
func responseParameters(m *map[string]awsapigatewayv2.ParameterMapping) map[string]any {
	if m == nil || len(*m) == 0 {
		return nil
	}
	out := map[string]any{}
	for _, status := range slices.Sorted(maps.Keys(*m)) {
		mapping := (*m)[status]
		if mapping == nil {
			continue
		}
		pairs := deref.StringMap(mapping.Mappings())
		list := make([]any, 0, len(pairs))
		for _, dest := range slices.Sorted(maps.Keys(pairs)) {
			list = append(list, map[string]any{"Destination": dest, "Source": pairs[dest]})
		}
		out[status] = map[string]any{"ResponseParameters": list}
	}
	return out
}

// routeID is a readable construct id for a route key; "/" separates construct paths, so it
// becomes "--" as the L2 itself does.
func routeID(key string) string {
	if key == DefaultRouteKey {
		return "DefaultRoute"
	}
	return strings.ReplaceAll(key, "/", "--")
}

// hasRoute reports whether the API has a route with this route key.
func (a *HttpApi) hasRoute(key string) bool {
	_, ok := a.Routes[key]
	return ok
}
