package restapi

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/javaregex"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/parammap"
)

// checkIntegrationResponses applies the rules of "Set up an integration response": a status
// code each, one response per status, at most one default (no SelectionPattern), patterns that
// are Java regular expressions the runner can match too, and for a Lambda custom integration a
// default for successful invocations, whose result no pattern is matched against.
func checkIntegrationResponses(k methodKey, typ IntegrationType, responses []*awsapigateway.IntegrationResponse) []string {
	var errs []string
	seen := map[string]bool{}
	defaults := 0
	for i, r := range responses {
		if r == nil || r.StatusCode == nil {
			errs = append(errs, fmt.Sprintf("method %q: integration response %d: StatusCode is required", k, i))
			continue
		}
		status := *r.StatusCode
		what := fmt.Sprintf("method %q: integration response %s", k, status)
		if !isStatusCode(status) {
			errs = append(errs, fmt.Sprintf("%s: status code %q must be 100 to 599", what, status))
		}
		if seen[status] {
			errs = append(errs, fmt.Sprintf("%s: defined twice (API Gateway keeps one integration response per status code)", what))
		}
		seen[status] = true
		pattern := deref.String(r.SelectionPattern)
		if pattern == "" {
			defaults++
		} else if err := javaregex.Check(pattern); err != nil {
			errs = append(errs, fmt.Sprintf("%s: selection pattern %q %v", what, pattern, err))
		} else if typ != IntegrationType_AWS && !canMatchStatus(regexp.MustCompile(pattern)) {
			errs = append(errs, fmt.Sprintf("%s: selection pattern %q matches no HTTP status code, which is what a %s integration's responses are selected by", what, pattern, typ))
		}
		if r.ResponseTemplates != nil {
			errs = append(errs, checkTemplates(what+": response templates", deref.StringMap(r.ResponseTemplates))...)
		}
		if r.ResponseParameters != nil {
			pErrs, _ := checkResponseMapping(what, deref.StringMap(r.ResponseParameters))
			errs = append(errs, pErrs...)
		}
		switch r.ContentHandling {
		case "", awsapigateway.ContentHandling_CONVERT_TO_BINARY, awsapigateway.ContentHandling_CONVERT_TO_TEXT:
		default:
			errs = append(errs, fmt.Sprintf("%s: ContentHandling %q must be CONVERT_TO_BINARY or CONVERT_TO_TEXT", what, r.ContentHandling))
		}
	}
	if defaults > 1 {
		errs = append(errs, fmt.Sprintf("method %q: %d integration responses have no SelectionPattern; one default response is allowed", k, defaults))
	}
	if typ == IntegrationType_AWS && defaults == 0 {
		errs = append(errs, fmt.Sprintf("method %q: a Lambda custom integration needs a default integration response (one without SelectionPattern): patterns are matched against Lambda error messages, so a successful invocation selects the default", k))
	}
	return errs
}

// methodResponses returns the method's responses for the L2: the declared ones, and one for
// every status an integration response maps to that is not declared, with the headers it sets.
// A declared response must list the headers its integration response sets, since API Gateway
// maps only declared headers.
func (a *RestApi) methodResponses(k methodKey, declared []*MethodResponse, integration []*awsapigateway.IntegrationResponse) ([]*awsapigateway.MethodResponse, []string) {
	var errs []string
	var out []*awsapigateway.MethodResponse
	byStatus := map[string]map[string]bool{} // status -> declared headers
	for i, mr := range declared {
		if mr == nil || mr.StatusCode == nil {
			errs = append(errs, fmt.Sprintf("method %q: method response %d: StatusCode is required", k, i))
			continue
		}
		status := *mr.StatusCode
		what := fmt.Sprintf("method %q: method response %s", k, status)
		if !isStatusCode(status) {
			errs = append(errs, fmt.Sprintf("%s: status code %q must be 100 to 599", what, status))
		}
		if _, dup := byStatus[status]; dup {
			errs = append(errs, fmt.Sprintf("%s: defined twice", what))
		}
		headers := map[string]bool{}
		if mr.ResponseParameters != nil {
			for _, p := range slices.Sorted(maps.Keys(*mr.ResponseParameters)) {
				sub := methodResponseHeaderRE.FindStringSubmatch(p)
				if sub == nil || !parammap.ValidName(sub[1]) {
					errs = append(errs, fmt.Sprintf("%s: response parameter %q must be method.response.header.NAME, NAME matching ^[a-zA-Z0-9._$-]+$", what, p))
				}
				headers[p] = true
			}
		}
		byStatus[status] = headers
		resp := &awsapigateway.MethodResponse{StatusCode: mr.StatusCode, ResponseParameters: mr.ResponseParameters}
		if mr.ResponseModels != nil {
			models, mErrs := a.modelMap(what+": ResponseModels", deref.StringMap(mr.ResponseModels))
			errs = append(errs, mErrs...)
			resp.ResponseModels = &models
		}
		out = append(out, resp)
	}
	for _, ir := range integration {
		if ir == nil || ir.StatusCode == nil {
			continue // reported by checkIntegrationResponses
		}
		status := *ir.StatusCode
		_, sets := checkResponseMapping("", deref.StringMap(ir.ResponseParameters))
		if headers, ok := byStatus[status]; ok {
			for _, h := range sets {
				if !headers[h] {
					errs = append(errs, fmt.Sprintf("method %q: integration response %s sets %s, which method response %s does not declare in its ResponseParameters", k, status, h, status))
				}
			}
			continue
		}
		params := map[string]*bool{}
		for _, h := range sets {
			params[h] = jsii.Bool(false)
		}
		resp := &awsapigateway.MethodResponse{StatusCode: jsii.String(status)}
		if len(params) > 0 {
			resp.ResponseParameters = &params
		}
		byStatus[status] = map[string]bool{}
		out = append(out, resp)
	}
	return out, errs
}
