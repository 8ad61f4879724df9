package websocketapi

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/parammap"
)

// Data mapping for WebSocket APIs ("Setting up data mapping for WebSocket APIs"): an
// integration request parameter "integration.request.header.NAME" or
// "integration.request.querystring.NAME" takes its value from one of
//
//	route.request.querystring.NAME            ($connect only)
//	route.request.header.NAME                 ($connect only)
//	route.request.multivaluequerystring.NAME  ($connect only)
//	route.request.multivalueheader.NAME       ($connect only)
//	route.request.body.JSONPATH
//	stageVariables.NAME
//	context.NAME                              (a supported context variable)
//	'static value'

var (
	// integrationParamRE is the destination of a mapping.
	integrationParamRE = regexp.MustCompile(`^integration\.request\.(header|querystring)\.(.+)$`)
	// routeParamRE is a route request parameter, declared on the route and used as a source.
	routeParamRE = regexp.MustCompile(`^route\.request\.(querystring|header|multivaluequerystring|multivalueheader)\.(.+)$`)
)

// contextVars are the context variables of the "API Gateway WebSocket API mapping template
// reference", the list the data mapping table points at. "authorizer.PROPERTY" stands for any
// key of a Lambda authorizer's context map.
var contextVars = map[string]bool{
	"apiId": true, "authorizer.principalId": true, "connectedAt": true, "connectionId": true,
	"domainName": true, "error.messageString": true, "error.validationErrorString": true,
	"eventType": true, "extendedRequestId": true, "identity.accountId": true,
	"identity.apiKey": true, "identity.apiKeyId": true, "identity.caller": true,
	"identity.cognitoAuthenticationProvider": true, "identity.cognitoAuthenticationType": true,
	"identity.cognitoIdentityId": true, "identity.cognitoIdentityPoolId": true,
	"identity.sourceIp": true, "identity.user": true, "identity.userAgent": true,
	"identity.userArn": true, "messageId": true, "requestId": true, "requestTime": true,
	"requestTimeEpoch": true, "routeKey": true, "stage": true, "status": true,
}

// mappingResult is what checking a route's request parameters found: the errors, and the
// route request parameters its sources use, which the route must declare.
type mappingResult struct {
	errs        []string
	routeParams []string // "route.request.querystring.token", sorted, deduplicated
}

// checkRequestMapping checks a route's integration request parameters (destination -> source).
func checkRequestMapping(route string, m map[string]string) mappingResult {
	var res mappingResult
	res.errs, res.routeParams = parammap.Requests{
		Dest:      integrationParamRE,
		DestForms: "integration.request.header.NAME or integration.request.querystring.NAME",
		Source:    func(src string) (string, error) { return checkMappingSource(route, src) },
	}.Check(func(dest string) string {
		return fmt.Sprintf("route %q: request parameter %q", route, dest)
	}, m)
	return res
}

// checkMappingSource checks one mapping expression. For a route request parameter it returns
// the declaration the route needs ("route.request.querystring.NAME"): the multi-value forms
// read the same parameter as the single-value ones.
func checkMappingSource(route, src string) (declared string, err error) {
	switch {
	case strings.HasPrefix(src, "'"):
		return "", parammap.CheckStatic(src)
	case strings.HasPrefix(src, "route.request.body"):
		if _, err := bodyPath(strings.TrimPrefix(src, "route.request.body")); err != nil {
			return "", fmt.Errorf("%s: %v", src, err)
		}
		return "", nil
	case strings.HasPrefix(src, "route.request."):
		sub := routeParamRE.FindStringSubmatch(src)
		if sub == nil {
			return "", fmt.Errorf("%s must be route.request.querystring|header|multivaluequerystring|multivalueheader.NAME or route.request.body.JSONPATH", src)
		}
		if !parammap.ValidName(sub[2]) {
			return "", fmt.Errorf("%s: name %q must match ^[a-zA-Z0-9._$-]+$", src, sub[2])
		}
		if route != ConnectRouteKey {
			return "", fmt.Errorf("%s is available only on the $connect route: messages have no query string or headers", src)
		}
		kind := strings.TrimPrefix(sub[1], "multivalue")
		return "route.request." + kind + "." + sub[2], nil
	case strings.HasPrefix(src, "stageVariables."):
		return "", parammap.CheckStageVariable(src)
	case strings.HasPrefix(src, "context."):
		name := strings.TrimPrefix(src, "context.")
		if !contextVars[name] && !(strings.HasPrefix(name, "authorizer.") && len(name) > len("authorizer.")) {
			return "", fmt.Errorf("%s is not a supported WebSocket context variable (see the mapping template reference: connectionId, domainName, stage, requestId, identity.sourceIp, ...)", src)
		}
		if name == "messageId" && (route == ConnectRouteKey || route == DisconnectRouteKey) {
			return "", fmt.Errorf("%s is available only for messages (eventType MESSAGE), not on the %s route", src, route)
		}
		return "", nil
	}
	return "", fmt.Errorf("source %q must be route.request.body.JSONPATH, route.request.querystring|header|multivaluequerystring|multivalueheader.NAME, stageVariables.NAME, context.NAME or a 'static value' in single quotes", src)
}

// checkRouteRequestParameters checks the declared route request parameters
// ({"route.request.querystring.token": required}): only $connect has a query string and headers.
func checkRouteRequestParameters(route string, params map[string]bool) []string {
	var errs []string
	for _, key := range slices.Sorted(maps.Keys(params)) {
		sub := routeParamRE.FindStringSubmatch(key)
		switch {
		case sub == nil || strings.HasPrefix(sub[1], "multivalue"):
			errs = append(errs, fmt.Sprintf("route %q: route request parameter %q must be route.request.querystring.NAME or route.request.header.NAME", route, key))
		case !parammap.ValidName(sub[2]):
			errs = append(errs, fmt.Sprintf("route %q: route request parameter %q: name %q must match ^[a-zA-Z0-9._$-]+$", route, key, sub[2]))
		case route != ConnectRouteKey:
			errs = append(errs, fmt.Sprintf("route %q: route request parameter %q: only the $connect route has a query string and headers", route, key))
		}
	}
	return errs
}
