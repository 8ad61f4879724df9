package restapi

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/ohler55/ojg/jp"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/parammap"
)

// Parameter mapping for REST APIs, from "Amazon API Gateway API request and response data
// mapping reference". PARAM_NAME "must match the regular expression '^[a-zA-Z0-9._$-]+$'" and
// a method request parameter "must have been defined before it can be referenced".

var (
	// methodParamRE is a method request parameter as a method declares it.
	methodParamRE = regexp.MustCompile(`^method\.request\.(path|querystring|header)\.(.+)$`)
	// methodSourceRE is a method request parameter as a mapping reads it: the multi-value
	// forms read the declared querystring or header parameter.
	methodSourceRE = regexp.MustCompile(`^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$`)
	// integrationParamRE is the destination of an integration request mapping.
	integrationParamRE = regexp.MustCompile(`^integration\.request\.(path|querystring|header)\.(.+)$`)
	// methodResponseHeaderRE is a method response header, the destination of an integration
	// response mapping and a key of a method response's ResponseParameters.
	methodResponseHeaderRE = regexp.MustCompile(`^method\.response\.header\.(.+)$`)
	// integrationResponseSourceRE is an integration response header as a mapping reads it.
	integrationResponseSourceRE = regexp.MustCompile(`^integration\.response\.(header|multivalueheader)\.(.+)$`)
)

// contextVars are the $context variables of "$context Variables for data models, authorizers,
// mapping templates, and CloudWatch access logging" that a parameter mapping may read.
// authorizer.claims.NAME and authorizer.NAME (a Lambda authorizer's context keys) are open-ended
// and checked by prefix.
var contextVars = map[string]bool{
	"accountId": true, "apiId": true, "authorizer.principalId": true, "awsEndpointRequestId": true,
	"domainName": true, "domainPrefix": true, "error.message": true, "error.messageString": true,
	"error.responseType": true, "error.validationErrorString": true, "extendedRequestId": true,
	"httpMethod": true, "identity.accountId": true, "identity.apiKey": true, "identity.apiKeyId": true,
	"identity.caller": true, "identity.cognitoAuthenticationProvider": true,
	"identity.cognitoAuthenticationType": true, "identity.cognitoIdentityId": true,
	"identity.cognitoIdentityPoolId": true, "identity.principalOrgId": true, "identity.sourceIp": true,
	"identity.clientCert.clientCertPem": true, "identity.clientCert.subjectDN": true,
	"identity.clientCert.issuerDN": true, "identity.clientCert.serialNumber": true,
	"identity.clientCert.validity.notBefore": true, "identity.clientCert.validity.notAfter": true,
	"identity.user": true, "identity.userAgent": true, "identity.userArn": true, "path": true,
	"protocol": true, "requestId": true, "requestTime": true, "requestTimeEpoch": true,
	"resourceId": true, "resourcePath": true, "stage": true, "wafResponseCode": true, "webaclArn": true,
}

// checkContextVar checks the NAME of a context.NAME source.
func checkContextVar(name string) error {
	if contextVars[name] {
		return nil
	}
	for _, prefix := range []string{"authorizer.claims.", "authorizer."} {
		if rest, ok := strings.CutPrefix(name, prefix); ok && rest != "" {
			return nil
		}
	}
	return fmt.Errorf("context.%s is not a $context variable of REST APIs (see the mapping template reference: requestId, stage, resourcePath, httpMethod, identity.sourceIp, ...)", name)
}

// checkBodyPath checks the JSONPath of a "...body.JSONPATH" source, written without "$."
// ("method.request.body.petstore.pets[0].name").
func checkBodyPath(src, path string) error {
	if path == "" {
		return fmt.Errorf("%s: needs a JSONPath after the body, e.g. %s.name", src, strings.TrimSuffix(src, "."))
	}
	if _, err := jp.ParseString("$." + path); err != nil {
		return fmt.Errorf("%s: JSONPath %q does not parse: %v", src, "$."+path, err)
	}
	return nil
}

// checkMethodRequestParameters checks a method's declared request parameters
// ({"method.request.querystring.q": required}); a path parameter must be a variable of the
// method's resource.
func checkMethodRequestParameters(key methodKey, params map[string]bool) []string {
	var errs []string
	for _, p := range slices.Sorted(maps.Keys(params)) {
		sub := methodParamRE.FindStringSubmatch(p)
		switch {
		case sub == nil:
			errs = append(errs, fmt.Sprintf("method %q: request parameter %q must be method.request.path.NAME, method.request.querystring.NAME or method.request.header.NAME", key, p))
		case !parammap.ValidName(sub[2]):
			errs = append(errs, fmt.Sprintf("method %q: request parameter %q: name %q must match ^[a-zA-Z0-9._$-]+$", key, p, sub[2]))
		case sub[1] == "path" && !hasVar(key, sub[2]):
			errs = append(errs, fmt.Sprintf("method %q: request parameter %q: the path %s has no variable {%s}", key, p, key.Path, sub[2]))
		}
	}
	return errs
}

func hasVar(key methodKey, name string) bool {
	_, ok := key.Vars[name]
	return ok
}

// requestMapping is what checking a method's integration request parameters found: the errors,
// and the method request parameters the sources read, as the method must declare them
// ("method.request.querystring.q"), sorted.
type requestMapping struct {
	errs     []string
	declared []string
}

// checkRequestMapping checks integration request parameters (destination -> source).
func checkRequestMapping(key methodKey, m map[string]string) requestMapping {
	var res requestMapping
	res.errs, res.declared = parammap.Requests{
		Dest:      integrationParamRE,
		DestForms: "integration.request.path.NAME, integration.request.querystring.NAME or integration.request.header.NAME",
		Source:    func(src string) (string, error) { return checkRequestSource(key, src) },
	}.Check(func(dest string) string {
		return fmt.Sprintf("method %q: integration request parameter %q", key, dest)
	}, m)
	slices.Sort(res.declared)
	return res
}

// checkRequestSource checks one integration request mapping expression. For a method request
// parameter it returns the declaration the method needs.
func checkRequestSource(key methodKey, src string) (declared string, err error) {
	switch {
	case strings.HasPrefix(src, "'"):
		return "", parammap.CheckStatic(src)
	case src == "method.request.body":
		return "", nil
	case strings.HasPrefix(src, "method.request.body."):
		return "", checkBodyPath(src, strings.TrimPrefix(src, "method.request.body."))
	case strings.HasPrefix(src, "method.request."):
		sub := methodSourceRE.FindStringSubmatch(src)
		if sub == nil {
			return "", fmt.Errorf("%s must be method.request.path|querystring|multivaluequerystring|header|multivalueheader.NAME, method.request.body or method.request.body.JSONPATH", src)
		}
		if !parammap.ValidName(sub[2]) {
			return "", fmt.Errorf("%s: name %q must match ^[a-zA-Z0-9._$-]+$", src, sub[2])
		}
		if sub[1] == "path" && !hasVar(key, sub[2]) {
			return "", fmt.Errorf("%s: the path %s has no variable {%s}", src, key.Path, sub[2])
		}
		return "method.request." + strings.TrimPrefix(sub[1], "multivalue") + "." + sub[2], nil
	case strings.HasPrefix(src, "stageVariables."):
		return "", parammap.CheckStageVariable(src)
	case strings.HasPrefix(src, "context."):
		return "", checkContextVar(strings.TrimPrefix(src, "context."))
	}
	return "", fmt.Errorf("source %q must be method.request.path|querystring|multivaluequerystring|header|multivalueheader.NAME, method.request.body[.JSONPATH], stageVariables.NAME, context.NAME or a 'static value' in single quotes", src)
}

// checkResponseMapping checks an integration response's parameters (method response header ->
// source) and returns the method response headers it sets, sorted.
func checkResponseMapping(what string, m map[string]string) (errs []string, headers []string) {
	for _, dest := range slices.Sorted(maps.Keys(m)) {
		src := m[dest]
		sub := methodResponseHeaderRE.FindStringSubmatch(dest)
		switch {
		case sub == nil:
			errs = append(errs, fmt.Sprintf("%s: response parameter %q must be method.response.header.NAME", what, dest))
		case !parammap.ValidName(sub[1]):
			errs = append(errs, fmt.Sprintf("%s: response parameter %q: name %q must match ^[a-zA-Z0-9._$-]+$", what, dest, sub[1]))
		default:
			headers = append(headers, dest)
		}
		if err := checkResponseSource(src); err != nil {
			errs = append(errs, fmt.Sprintf("%s: response parameter %q: %v", what, dest, err))
		}
	}
	return errs, headers
}

// checkResponseSource checks one integration response mapping expression.
func checkResponseSource(src string) error {
	switch {
	case strings.HasPrefix(src, "'"):
		return parammap.CheckStatic(src)
	case src == "integration.response.body":
		return nil
	case strings.HasPrefix(src, "integration.response.body."):
		return checkBodyPath(src, strings.TrimPrefix(src, "integration.response.body."))
	case strings.HasPrefix(src, "integration.response."):
		sub := integrationResponseSourceRE.FindStringSubmatch(src)
		if sub == nil {
			return fmt.Errorf("%s must be integration.response.header.NAME, integration.response.multivalueheader.NAME, integration.response.body or integration.response.body.JSONPATH", src)
		}
		if !parammap.ValidName(sub[2]) {
			return fmt.Errorf("%s: name %q must match ^[a-zA-Z0-9._$-]+$", src, sub[2])
		}
		return nil
	case strings.HasPrefix(src, "stageVariables."):
		return parammap.CheckStageVariable(src)
	case strings.HasPrefix(src, "context."):
		return checkContextVar(strings.TrimPrefix(src, "context."))
	}
	return fmt.Errorf("source %q must be integration.response.header|multivalueheader.NAME, integration.response.body[.JSONPATH], stageVariables.NAME, context.NAME or a 'static value' in single quotes", src)
}

// gatewaySourceRE is a request value a gateway response header may carry.
var gatewaySourceRE = regexp.MustCompile(`^method\.request\.(header|multivalueheader|querystring|multivaluequerystring|path)\.(.+)$`)

// checkGatewayResponseHeaders checks a gateway response's headers (name -> source), as the
// L2's ResponseHeaders take them: the name without "gatewayresponse.header.".
func checkGatewayResponseHeaders(what string, m map[string]string) []string {
	var errs []string
	for _, name := range slices.Sorted(maps.Keys(m)) {
		src := m[name]
		if !parammap.ValidName(name) {
			errs = append(errs, fmt.Sprintf("%s: header name %q must match ^[a-zA-Z0-9._$-]+$", what, name))
		}
		var err error
		switch {
		case strings.HasPrefix(src, "'"):
			err = parammap.CheckStatic(src)
		case strings.HasPrefix(src, "method.request."):
			if sub := gatewaySourceRE.FindStringSubmatch(src); sub == nil || !parammap.ValidName(sub[2]) {
				err = fmt.Errorf("%s must be method.request.header|multivalueheader|querystring|multivaluequerystring|path.NAME", src)
			}
		case strings.HasPrefix(src, "stageVariables."):
			err = parammap.CheckStageVariable(src)
		case strings.HasPrefix(src, "context."):
			err = checkContextVar(strings.TrimPrefix(src, "context."))
		default:
			err = fmt.Errorf("value %q must be a 'static value' in single quotes, method.request.header|querystring|path.NAME, stageVariables.NAME or context.NAME", src)
		}
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: header %q: %v", what, name, err))
		}
	}
	return errs
}
