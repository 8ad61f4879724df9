package httpapi

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Limits from the Developer Guide (HTTP API quotas). The stage rules HTTP APIs share with
// WebSocket APIs are in internal/stagerules.
const (
	minIntegrationTimout = 50 * time.Millisecond
	maxIntegrationTimout = 30 * time.Second
	maxCorsMaxAge        = 86400 // seconds
)

var (
	// Parameter mapping keys from "Transforming API requests and responses".
	requestMappingRE  = regexp.MustCompile(`^(?:(append|overwrite|remove):(header|querystring)\.(.+)|overwrite:path)$`)
	responseMappingRE = regexp.MustCompile(`^(?:(append|overwrite|remove):header\.(.+)|overwrite:statuscode)$`)
)

// checkTimeout: HTTP API integrations time out between 50 milliseconds and 30 seconds.
func checkTimeout(route string, d time.Duration) error {
	if d < minIntegrationTimout || d > maxIntegrationTimout {
		return fmt.Errorf("route %q: integration timeout %v must be between 50ms and 30s", route, d)
	}
	return nil
}

// checkPayloadFormat: Lambda proxy integrations take 1.0 or 2.0; other integrations always use
// 1.0, so a version there is a misunderstanding worth reporting.
func checkPayloadFormat(route, version string, lambda bool) error {
	if !lambda {
		return fmt.Errorf("route %q: PayloadFormatVersion applies only to Lambda integrations (HTTP proxy integrations always use 1.0)", route)
	}
	if version != "1.0" && version != "2.0" {
		return fmt.Errorf("route %q: payload format version %q must be \"1.0\" or \"2.0\"", route, version)
	}
	return nil
}

// reservedHeader reports whether parameter mapping may not touch header (Developer Guide,
// "Reserved headers").
func reservedHeader(header string) bool {
	h := strings.ToLower(header)
	for _, p := range []string{"access-control-", "apigw-", "x-amz-", "x-amzn-"} {
		if strings.HasPrefix(h, p) {
			return true
		}
	}
	switch h {
	case "authorization", "connection", "content-encoding", "content-length", "content-location",
		"forwarded", "keep-alive", "origin", "proxy-authenticate", "proxy-authorization", "te",
		"trailers", "transfer-encoding", "upgrade", "x-forwarded-for", "x-forwarded-host",
		"x-forwarded-proto", "via":
		return true
	}
	return false
}

// checkRequestMapping checks the keys of a request parameter mapping.
func checkRequestMapping(route string, m map[string]string) []string {
	var errs []string
	for _, key := range slices.Sorted(maps.Keys(m)) {
		sub := requestMappingRE.FindStringSubmatch(key)
		switch {
		case sub == nil:
			errs = append(errs, fmt.Sprintf("route %q: request parameter mapping key %q must be append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME or overwrite:path", route, key))
		case sub[2] == "header" && reservedHeader(sub[3]):
			errs = append(errs, fmt.Sprintf("route %q: request parameter mapping %q: header %q is reserved and cannot be mapped", route, key, sub[3]))
		}
	}
	return errs
}

// checkResponseMapping checks response parameter mappings, keyed by the integration's status code.
func checkResponseMapping(route string, byStatus map[string]map[string]string) []string {
	var errs []string
	for _, status := range slices.Sorted(maps.Keys(byStatus)) {
		code, err := strconv.Atoi(status)
		if err != nil || code < 200 || code > 599 {
			errs = append(errs, fmt.Sprintf("route %q: response parameter mapping status %q must be an HTTP status code from 200 to 599", route, status))
		}
		m := byStatus[status]
		for _, key := range slices.Sorted(maps.Keys(m)) {
			sub := responseMappingRE.FindStringSubmatch(key)
			switch {
			case sub == nil:
				errs = append(errs, fmt.Sprintf("route %q: response parameter mapping key %q (status %s) must be append|overwrite|remove:header.NAME or overwrite:statuscode", route, key, status))
			case sub[2] != "" && reservedHeader(sub[2]):
				errs = append(errs, fmt.Sprintf("route %q: response parameter mapping %q (status %s): header %q is reserved and cannot be mapped", route, key, status, sub[2]))
			case key == "overwrite:statuscode":
				if c, err := strconv.Atoi(m[key]); err != nil || c < 100 || c > 599 {
					errs = append(errs, fmt.Sprintf("route %q: response parameter mapping overwrite:statuscode (status %s) value %q must be a status code", route, status, m[key]))
				}
			}
		}
	}
	return errs
}

// corsConfig is the part of a CORS configuration that has rules, in plain Go types.
type corsConfig struct {
	AllowCredentials bool
	AllowOrigins     []string
	MaxAgeSeconds    *float64
}

// checkCORS: credentials cannot be allowed for every origin (a browser rejects
// "Access-Control-Allow-Origin: *" on a credentialed request, and API Gateway refuses the
// configuration); origins are "*" or http(s) origins, optionally with a "*" wildcard as the
// guide shows ("https://*"); MaxAge is at most a day.
func checkCORS(c corsConfig) []string {
	var errs []string
	for _, o := range c.AllowOrigins {
		if o == "*" {
			if c.AllowCredentials {
				errs = append(errs, `CORS: AllowCredentials cannot be true when AllowOrigins contains "*"`)
			}
			continue
		}
		if !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://") || strings.HasSuffix(o, "/") {
			errs = append(errs, fmt.Sprintf("CORS: origin %q must be \"*\" or scheme://host[:port] with no path, e.g. http://localhost:3000", o))
		}
	}
	if c.MaxAgeSeconds != nil && *c.MaxAgeSeconds > maxCorsMaxAge {
		errs = append(errs, fmt.Sprintf("CORS: MaxAge %vs must be at most %d seconds", *c.MaxAgeSeconds, maxCorsMaxAge))
	}
	return errs
}
