package websocketapi

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Predefined route keys ("Working with routes for WebSocket APIs").
const (
	ConnectRouteKey    = "$connect"
	DisconnectRouteKey = "$disconnect"
	DefaultRouteKey    = "$default"
)

// API key selection expressions: "Currently the only two supported values are
// $request.header.x-api-key and $context.authorizer.usageIdentifierKey."
const (
	apiKeyFromHeader     = "$request.header.x-api-key"
	apiKeyFromAuthorizer = "$context.authorizer.usageIdentifierKey"
)

// Limits from the Developer Guide: WebSocket API quotas and the important notes for REST and
// WebSocket APIs. The stage rules WebSocket APIs share with HTTP APIs are in
// internal/stagerules.
const (
	minIntegrationTimeout = 50 * time.Millisecond
	maxIntegrationTimeout = 29 * time.Second
	maxTemplateBytes      = 300 * 1024 // "The maximum size of a mapping template is 300 KB."
)

// envNameRE is Lambda's pattern for environment variable keys.
var envNameRE = regexp.MustCompile(`^[a-zA-Z]([a-zA-Z0-9_])+$`)

// integrationMethods are the methods an HTTP integration may call its backend with. ANY is
// absent: a WebSocket message has no client method to pass through.
var integrationMethods = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true,
}

// reservedEnv are the variables Lambda sets itself and refuses in a function's configuration.
var reservedEnv = map[string]bool{
	"_HANDLER": true, "_X_AMZN_TRACE_ID": true, "AWS_DEFAULT_REGION": true, "AWS_REGION": true,
	"AWS_EXECUTION_ENV": true, "AWS_LAMBDA_FUNCTION_NAME": true, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": true,
	"AWS_LAMBDA_FUNCTION_VERSION": true, "AWS_LAMBDA_INITIALIZATION_TYPE": true,
	"AWS_LAMBDA_LOG_GROUP_NAME": true, "AWS_LAMBDA_LOG_STREAM_NAME": true, "AWS_ACCESS_KEY": true,
	"AWS_ACCESS_KEY_ID": true, "AWS_SECRET_ACCESS_KEY": true, "AWS_SESSION_TOKEN": true,
	"AWS_LAMBDA_RUNTIME_API": true, "LAMBDA_TASK_ROOT": true, "LAMBDA_RUNTIME_DIR": true,
}

// checkRouteKey: the three predefined keys, or a custom key without the "$" prefix the guide
// reserves for predefined routes.
func checkRouteKey(key string) error {
	switch key {
	case ConnectRouteKey, DisconnectRouteKey, DefaultRouteKey:
		return nil
	case "":
		return fmt.Errorf("route key must not be empty")
	}
	if strings.HasPrefix(key, "$") {
		return fmt.Errorf("route key %q: the \"$\" prefix is reserved for $connect, $disconnect and $default", key)
	}
	return nil
}

// checkApiKeySelection: one of the two values the guide supports.
func checkApiKeySelection(expr string) error {
	if expr != apiKeyFromHeader && expr != apiKeyFromAuthorizer {
		return fmt.Errorf("API key selection expression %q must be %s or %s", expr, apiKeyFromHeader, apiKeyFromAuthorizer)
	}
	return nil
}

// checkTimeout: "50 milliseconds - 29 seconds for all integration types".
func checkTimeout(route string, d time.Duration) error {
	if d < minIntegrationTimeout || d > maxIntegrationTimeout {
		return fmt.Errorf("route %q: integration timeout %v must be between 50ms and 29s", route, d)
	}
	return nil
}

// checkIntegrationResponseKey: "$default", or a regular expression between slashes
// ("/2\d\d/") matched against the status code (HTTP, MOCK) or error message (Lambda).
func checkIntegrationResponseKey(route, key string) error {
	if key == DefaultRouteKey {
		return nil
	}
	if len(key) < 3 || key[0] != '/' || key[len(key)-1] != '/' {
		return fmt.Errorf("route %q: integration response key %q must be \"$default\" or a pattern between slashes, e.g. \"/2\\d\\d/\"", route, key)
	}
	if _, err := regexp.Compile(key[1 : len(key)-1]); err != nil {
		return fmt.Errorf("route %q: integration response key %q is not a valid regular expression: %v", route, key, err)
	}
	return nil
}

// checkTemplates: mapping templates of at most 300 KB, under non-empty keys.
func checkTemplates(what string, templates map[string]string) []string {
	var errs []string
	for _, key := range slices.Sorted(maps.Keys(templates)) {
		if key == "" {
			errs = append(errs, fmt.Sprintf("%s: template key must not be empty (use \"$default\" for the catch-all)", what))
		}
		if n := len(templates[key]); n > maxTemplateBytes {
			errs = append(errs, fmt.Sprintf("%s: template %q is %d bytes; a mapping template is at most 300 KB", what, key, n))
		}
	}
	return errs
}

// checkEnvName: Lambda's key pattern, and not one of the variables Lambda reserves.
func checkEnvName(name string) error {
	if !envNameRE.MatchString(name) {
		return fmt.Errorf("environment variable name %q must start with a letter and have only letters, digits and \"_\" (at least 2 characters)", name)
	}
	if reservedEnv[name] {
		return fmt.Errorf("environment variable name %q is reserved by Lambda", name)
	}
	return nil
}
