package restapi

import (
	"fmt"
	"maps"
	"math"
	"mime"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
)

// Limits from the Developer Guide: "API Gateway quotas for configuring and running a REST API"
// and "Amazon API Gateway important notes for REST APIs".
const (
	minIntegrationTimeout = 50 * time.Millisecond
	maxIntegrationTimeout = 29 * time.Second
	maxTemplateBytes      = 300 * 1024 // "The maximum size of a mapping template is 300 KB."
	maxResources          = 300        // resources per API, the root included
	maxStages             = 10         // stages per API
	maxModelBytes         = 400 * 1024 // model size per API
	// maxPlanMethodThrottles is "Method-level throttling settings for a stage in a usage plan".
	maxPlanMethodThrottles = 20
	minAPIKeyLen           = 20 // "The value is an alphanumeric string between 20 and 128 characters"
	maxAPIKeyLen           = 128
	maxAPIKeyNameLen       = 1024
)

// checkTimeout: "50 milliseconds - 29 seconds for all integration types".
func checkTimeout(key methodKey, d time.Duration) error {
	if d < minIntegrationTimeout || d > maxIntegrationTimeout {
		return fmt.Errorf("method %q: integration timeout %v must be between 50ms and 29s", key, d)
	}
	return nil
}

// checkMediaType: a media type as REST APIs key templates and binary media types by,
// "type/subtype", where wildcard means any ("*/*", "image/*").
func checkMediaType(mt string) error {
	t, params, err := mime.ParseMediaType(mt)
	if err != nil || !strings.Contains(t, "/") || strings.HasPrefix(t, "/") || strings.HasSuffix(t, "/") {
		return fmt.Errorf("%q is not a media type (type/subtype, e.g. application/json)", mt)
	}
	if len(params) > 0 {
		return fmt.Errorf("%q: API Gateway selects by the media type alone; leave out the parameters", mt)
	}
	return nil
}

// checkTemplates: mapping templates of at most 300 KB, keyed by media type.
func checkTemplates(what string, templates map[string]string) []string {
	var errs []string
	for _, ct := range slices.Sorted(maps.Keys(templates)) {
		if err := checkMediaType(ct); err != nil {
			errs = append(errs, fmt.Sprintf("%s: template key %v", what, err))
		}
		if n := len(templates[ct]); n > maxTemplateBytes {
			errs = append(errs, fmt.Sprintf("%s: template %q is %d bytes; a mapping template is at most 300 KB", what, ct, n))
		}
	}
	return errs
}

// checkBinaryMediaTypes: each is a media type, once.
func checkBinaryMediaTypes(types []string) []string {
	var errs []string
	seen := map[string]bool{}
	for _, mt := range types {
		if err := checkMediaType(mt); err != nil {
			errs = append(errs, fmt.Sprintf("binary media type %v", err))
		}
		if seen[mt] {
			errs = append(errs, fmt.Sprintf("binary media type %q is listed twice", mt))
		}
		seen[mt] = true
	}
	return errs
}

// isStatusCode reports whether s is an HTTP status code API Gateway can answer with.
func isStatusCode(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && len(s) == 3 && n >= 100 && n <= 599
}

// canMatchStatus reports whether a selection pattern selects any HTTP status code, which is
// what HTTP and MOCK integrations match it against. API Gateway matches the whole code, as
// Java's Pattern.matches does.
func canMatchStatus(re *regexp.Regexp) bool {
	for code := 100; code <= 599; code++ {
		s := strconv.Itoa(code)
		if loc := re.FindStringIndex(s); loc != nil && loc[0] == 0 && loc[1] == len(s) {
			return true
		}
	}
	return false
}

// urlVarRE is a path parameter placeholder of an HTTP integration URL, "{proxy}".
var urlVarRE = regexp.MustCompile(`\{([^{}$]+)\}`)

// urlPathVars returns the placeholders of an HTTP integration URL, "{id}" -> "id", leaving
// out ${stageVariables.x} references.
func urlPathVars(raw string) []string {
	var names []string
	for _, m := range urlVarRE.FindAllStringSubmatchIndex(raw, -1) {
		if m[0] > 0 && raw[m[0]-1] == '$' {
			continue
		}
		names = append(names, raw[m[2]:m[3]])
	}
	return names
}

// accessLogIDRE finds the request id variables an access log format must have.
var accessLogIDRE = regexp.MustCompile(`\$\{?context\.(requestId|extendedRequestId)\b`)

// checkAccessLogFormat: "The access log format must include at least $context.requestId or
// $context.extendedRequestId."
func checkAccessLogFormat(stage, format string) error {
	if !accessLogIDRE.MatchString(format) {
		return fmt.Errorf("stage %q: access log format must include $context.requestId or $context.extendedRequestId", stage)
	}
	return nil
}

// checkQuota: a positive whole number of requests per DAY, WEEK or MONTH, and an offset that
// is a non-negative whole number.
func checkQuota(what string, q *awsapigateway.QuotaSettings) []string {
	if q == nil {
		return nil
	}
	var errs []string
	if q.Limit == nil || *q.Limit <= 0 || *q.Limit != math.Trunc(*q.Limit) {
		errs = append(errs, fmt.Sprintf("%s: quota limit must be a positive whole number of requests", what))
	}
	switch q.Period {
	case awsapigateway.Period_DAY, awsapigateway.Period_WEEK, awsapigateway.Period_MONTH:
	case "":
		errs = append(errs, fmt.Sprintf("%s: quota period is required (DAY, WEEK or MONTH)", what))
	default:
		errs = append(errs, fmt.Sprintf("%s: quota period %q must be DAY, WEEK or MONTH", what, q.Period))
	}
	if o := q.Offset; o != nil && (*o < 0 || *o != math.Trunc(*o)) {
		errs = append(errs, fmt.Sprintf("%s: quota offset %v must be a non-negative whole number", what, *o))
	}
	return errs
}

// checkAPIKeyValue: "between 20 and 128 characters".
func checkAPIKeyValue(name, value string) error {
	if n := len(value); n < minAPIKeyLen || n > maxAPIKeyLen {
		return fmt.Errorf("API key %q: value is %d characters; API Gateway wants 20 to 128", name, n)
	}
	return nil
}

// corsMethods are what Access-Control-Allow-Methods may list.
var corsMethods = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true, "ANY": true,
}

// checkCORS applies the L2's rules (an origin is needed; "*" does not mix with other origins;
// ANY does not mix with other methods), which it would throw without the construct path, and
// the browser's: credentials cannot be allowed for every origin (a browser rejects
// "Access-Control-Allow-Origin: *" on a credentialed request); origins are "*" or
// scheme://host[:port]; methods are HTTP methods.
func checkCORS(origins []string, credentials bool, methods []string) []string {
	var errs []string
	if len(origins) == 0 {
		errs = append(errs, "CORS: AllowOrigins needs at least one origin, or \"*\"")
	}
	for _, o := range origins {
		if o == "*" {
			if credentials {
				errs = append(errs, `CORS: AllowCredentials cannot be true when AllowOrigins contains "*"`)
			}
			if len(origins) > 1 {
				errs = append(errs, `CORS: AllowOrigins "*" cannot be mixed with other origins`)
			}
			continue
		}
		if !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://") || strings.Count(o, "/") != 2 {
			errs = append(errs, fmt.Sprintf("CORS: origin %q must be \"*\" or scheme://host[:port] with no path, e.g. http://localhost:3000", o))
		}
	}
	for _, m := range methods {
		if !corsMethods[m] {
			errs = append(errs, fmt.Sprintf("CORS: method %q must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY (upper case)", m))
		}
		if m == "ANY" && len(methods) > 1 {
			errs = append(errs, "CORS: AllowMethods ANY cannot be mixed with other methods")
		}
	}
	return errs
}
