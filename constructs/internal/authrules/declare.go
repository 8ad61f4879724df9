package authrules

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
)

// DefaultCacheTTLSeconds is how long API Gateway (and the L2s) cache an authorizer's result
// when ResultsCacheTtl is unset: 5 minutes.
const DefaultCacheTTLSeconds = 300

// Declare walks an API's authorizer declarations in name order: each name is checked
// (CheckName), a nil declaration is reported, the rest go through check, and only the ones
// with no errors reach accept. Every message goes to report. It returns every declared name,
// sound or not, so that a route naming a broken declaration is told apart from one naming an
// undeclared authorizer (whose message lists these names).
func Declare[S any](specs *map[string]*S, report func(...string), check func(name string, s *S) []string, accept func(name string, s *S)) []string {
	if specs == nil {
		return nil
	}
	names := SortedNames(*specs)
	for _, name := range names {
		if err := CheckName(name); err != nil {
			report(err.Error())
			continue
		}
		spec := (*specs)[name]
		if spec == nil {
			report(Subject(name) + ": declaration is nil")
			continue
		}
		if errs := check(name, spec); len(errs) > 0 {
			report(errs...)
			continue
		}
		accept(name, spec)
	}
	return names
}

// DisplayName is an authorizer's Name in API Gateway: the one declared, else the name it is
// declared under.
func DisplayName(declared *string, name string) *string {
	if declared != nil {
		return declared
	}
	return jsii.String(name)
}

// IdentitySources is a declaration's identity sources, def when it sets none.
func IdentitySources(s *[]*string, def string) []string {
	if s == nil {
		return []string{def}
	}
	return deref.Strings(s)
}

// CacheSeconds is a ResultsCacheTtl in (possibly fractional, for CheckCacheTTL to refuse)
// seconds, DefaultCacheTTLSeconds when unset; ok is false for one known only at deploy time.
func CacheSeconds(d awscdk.Duration) (float64, bool) {
	if d == nil {
		return DefaultCacheTTLSeconds, true
	}
	if *d.IsUnresolved() {
		return 0, false
	}
	return *d.ToSeconds(&awscdk.TimeConversionOptions{Integral: jsii.Bool(false)}), true
}
