package stagerules

import (
	"fmt"
	"math"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
)

// CheckThrottle: both limits are non-negative, and the burst is a count of requests, so whole.
// what names the stage or route the settings belong to; nil settings break no rule.
func CheckThrottle(what string, t *awsapigatewayv2.ThrottleSettings) []string {
	if t == nil {
		return nil
	}
	var errs []string
	if rate := t.RateLimit; rate != nil && (*rate < 0 || math.IsNaN(*rate)) {
		errs = append(errs, fmt.Sprintf("%s: throttling rate limit %v must not be negative", what, *rate))
	}
	if burst := t.BurstLimit; burst != nil && (*burst < 0 || *burst != math.Trunc(*burst)) {
		errs = append(errs, fmt.Sprintf("%s: throttling burst limit %v must be a non-negative whole number", what, *burst))
	}
	return errs
}
