package stagerules

import (
	"fmt"
	"net/url"
	"regexp"
)

// variableRefRE is a stage variable reference as HTTP integration URLs use it.
var variableRefRE = regexp.MustCompile(`\$\{stageVariables\.[A-Za-z0-9_]+\}`)

// CheckIntegrationURL: an HTTP integration needs an absolute http(s) URL. The guide lets a
// ${stageVariables.x} reference stand for any part of it (a whole host, as in
// "http://${stageVariables.url}", a subdomain, a path segment or a query value), for HTTP and
// WebSocket APIs alike; such a URL only resolves per stage, so it is parsed with each reference
// replaced by a placeholder that is valid wherever the reference may stand.
func CheckIntegrationURL(route, raw string) error {
	if err := IntegrationURLError(raw); err != nil {
		return fmt.Errorf("route %q: %w", route, err)
	}
	return nil
}

// IntegrationURLError is CheckIntegrationURL for callers that name what the URL belongs to
// themselves (a REST API's methods, which are not routes).
func IntegrationURLError(raw string) error {
	u, err := url.Parse(variableRefRE.ReplaceAllString(raw, "stagevariable"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("HTTP integration URL %q must be an absolute http:// or https:// URL", raw)
	}
	return nil
}
