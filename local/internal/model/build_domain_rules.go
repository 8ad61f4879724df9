package model

import (
	"errors"
	"fmt"
	"strings"
)

// The rules below are API Gateway's, as the Developer Guide states them for custom domain
// names and API mappings; a template that breaks one fails to deploy, so Build refuses it.

// maxMappingKey is the guide's "The maximum length for the path in an API mapping is 300
// characters."
const maxMappingKey = 300

// checkDomainName returns a custom domain name in lower case (DNS names are case-insensitive,
// and the runner matches Host headers lower-cased), or why it is not one: a DNS name of at
// least two labels, or a wildcard "*.example.com" whose "*" is the whole first label (the
// guide: "specify a wildcard (*) as the first subdomain of a custom domain").
func checkDomainName(name string) (string, error) {
	n := strings.ToLower(name)
	switch {
	case n == "":
		return "", errors.New("is empty")
	case strings.HasSuffix(n, "."):
		return "", fmt.Errorf("%q ends with a dot: write the name without it", name)
	case len(n) > 253:
		return "", fmt.Errorf("%q is %d characters long: a DNS name has at most 253", name, len(n))
	}
	labels := strings.Split(n, ".")
	if labels[0] == "*" {
		if len(labels) < 3 {
			return "", fmt.Errorf("%q: a wildcard custom domain name stands for the subdomains of a domain, as in *.example.com", name)
		}
		labels = labels[1:]
	} else if len(labels) < 2 {
		return "", fmt.Errorf("%q is not a fully qualified domain name (example.com, api.example.com)", name)
	}
	for _, l := range labels {
		if err := checkLabel(l); err != nil {
			return "", fmt.Errorf("%q: %w", name, err)
		}
	}
	return n, nil
}

// checkLabel checks one label of a host name: 1 to 63 letters, digits and hyphens, neither
// first nor last a hyphen.
func checkLabel(l string) error {
	switch {
	case l == "":
		return errors.New("has an empty label")
	case strings.Contains(l, "*"):
		return errors.New("a wildcard (*) may only be the whole first label, as in *.example.com")
	case len(l) > 63:
		return fmt.Errorf("label %q is longer than 63 characters", l)
	case l[0] == '-' || l[len(l)-1] == '-':
		return fmt.Errorf("label %q starts or ends with a hyphen", l)
	}
	for _, c := range l {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("label %q has %q: host names hold letters, digits and hyphens", l, c)
		}
	}
	return nil
}

// checkSecurityPolicy accepts the guide's TLS_1_0 and TLS_1_2, and the enhanced policies
// (SecurityPolicy_TLS13_1_3_2025_09, ...) that aws-cdk-lib writes; "" is API Gateway's default.
func checkSecurityPolicy(p string) error {
	if p == "" || p == SecurityPolicyTLS10 || p == SecurityPolicyTLS12 || strings.HasPrefix(p, "SecurityPolicy_") {
		return nil
	}
	return fmt.Errorf("%q is not TLS_1_0, TLS_1_2 or an enhanced policy (SecurityPolicy_...)", p)
}

// checkMappingKey applies the guide's restrictions on a mapping key (ApiMappingKey, or a
// REST BasePath): "API mappings must contain only letters, numbers, and the following
// characters: $-_.+!*'()/." for HTTP and REST APIs, without the "/" for WebSocket APIs, whose
// page lists "$-_.+!*'()" only (multi-level mappings are for HTTP and REST APIs); at most 300
// characters; and levels separated by single slashes, none leading or trailing.
func checkMappingKey(key string, proto Protocol) error {
	if len(key) > maxMappingKey {
		return fmt.Errorf("is %d characters long: API Gateway allows at most %d in a mapping key", len(key), maxMappingKey)
	}
	for _, c := range key {
		if !(c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') || strings.ContainsRune("$-_.+!*'()/", c)) {
			return fmt.Errorf("%q has %q: mapping keys hold only letters, numbers and $-_.+!*'()/", key, c)
		}
	}
	switch {
	case strings.HasPrefix(key, "/") || strings.HasSuffix(key, "/"):
		return fmt.Errorf("%q starts or ends with a slash: write it without (orders/v2, not /orders/v2/)", key)
	case strings.Contains(key, "//"):
		return fmt.Errorf("%q has an empty level (//)", key)
	case proto == ProtocolWebSocket && strings.Contains(key, "/"):
		return fmt.Errorf("%q has several levels: a WebSocket API's mapping key is one level (letters, numbers and $-_.+!*'() only); multi-level mappings are for HTTP and REST APIs", key)
	}
	return nil
}

// checkDomainSettings refuses a domain whose own settings API Gateway refuses.
func checkDomainSettings(ds *domainState) error {
	d, st, res := ds.d, ds.src.st, ds.src.res
	if d.TruststoreURI != "" && enhancedPolicy(d.SecurityPolicy) {
		// The guide's security policy page (in its current edition): "You can't enable mutual
		// TLS on a domain name that uses an enhanced security policy."
		return propErr(st, res, "MutualTlsAuthentication", fmt.Errorf("mutual TLS cannot be enabled on %q, whose security policy %s is an enhanced one", d.Name, d.SecurityPolicy))
	}
	if d.TruststoreURI != "" && (d.EndpointType == EndpointEdge || d.SecurityPolicy == SecurityPolicyTLS10) {
		// The guide: "To configure mutual TLS for a REST API, you must use a Regional custom
		// domain name for your API, with a TLS_1_2 security policy."
		return propErr(st, res, "MutualTlsAuthentication", fmt.Errorf("mutual TLS needs a Regional custom domain name with the TLS_1_2 security policy; %q is %s with %s", d.Name, d.EndpointType, policyName(d.SecurityPolicy)))
	}
	return nil
}

// enhancedPolicy tells the enhanced security policies from the legacy TLS_1_0 and TLS_1_2.
func enhancedPolicy(p string) bool { return strings.HasPrefix(p, "SecurityPolicy_") }

func policyName(p string) string {
	if p == "" {
		return "the default security policy"
	}
	return "security policy " + p
}

// checkDomainMappings applies the rules that concern a domain's mappings together, and each
// mapping's API against the domain's settings.
func checkDomainMappings(ds *domainState) error {
	d := ds.d
	byKey := map[string]*mappingState{}
	var websocket, other *mappingState
	for _, ms := range ds.mappings {
		st, res := ms.src.st, ms.src.res
		if prev := byKey[ms.m.Key]; prev != nil {
			what := fmt.Sprintf("key %q", ms.m.Key)
			if ms.m.Key == "" {
				what = "the empty key (the catch-all)"
			}
			return propErr(st, res, ms.keyProp, fmt.Errorf("custom domain name %q already maps %s, to API %q stage %q (%s in stack %q): a domain maps each key once", d.Name, what, prev.api.api.LogicalID, prev.m.Stage, prev.m.LogicalID, prev.src.st.s.Name))
		}
		byKey[ms.m.Key] = ms

		api := ms.api.api
		if api.Protocol == ProtocolWebSocket {
			websocket = ms
		} else {
			other = ms
		}
		if websocket != nil && other != nil {
			// The guide: "You can't map WebSocket APIs to the same custom domain name as an
			// HTTP API or REST API."
			prev := other
			if ms == other {
				prev = websocket
			}
			return propErr(st, res, ms.apiProp, fmt.Errorf("maps %s API %q onto custom domain name %q, which already maps %s API %q (%s): a domain cannot map WebSocket APIs together with HTTP or REST APIs", api.Protocol, api.LogicalID, d.Name, prev.api.api.Protocol, prev.api.api.LogicalID, prev.m.LogicalID))
		}
		if err := checkMappingOnDomain(ms, d); err != nil {
			return propErr(st, res, ms.apiProp, err)
		}
	}
	return nil
}

// checkMappingOnDomain applies the guide's rules on which domains an API kind, or a
// multi-level key, may be mapped onto.
func checkMappingOnDomain(ms *mappingState, d *Domain) error {
	api := ms.api.api
	old := d.SecurityPolicy == SecurityPolicyTLS10
	switch {
	case api.Protocol == ProtocolWebSocket && (d.EndpointType != EndpointRegional || old):
		// "For WebSocket APIs, Regional custom domain names are supported." and "For
		// WebSocket APIs, TLS 1.2 is the only supported TLS version."
		return fmt.Errorf("maps WebSocket API %q onto custom domain name %q, which is %s with %s: WebSocket APIs need a Regional custom domain name with TLS 1.2", api.LogicalID, d.Name, d.EndpointType, policyName(d.SecurityPolicy))
	case api.Protocol == ProtocolHTTP && (d.EndpointType != EndpointRegional || old):
		// "You can only map HTTP APIs to a regional custom domain name with the TLS 1.2
		// security policy."
		return fmt.Errorf("maps HTTP API %q onto custom domain name %q, which is %s with %s: HTTP APIs need a Regional custom domain name with the TLS 1.2 security policy", api.LogicalID, d.Name, d.EndpointType, policyName(d.SecurityPolicy))
	case api.Protocol == ProtocolHTTP && enhancedPolicy(d.SecurityPolicy):
		// The security policy page (current edition): "You can't map an HTTP API to a domain
		// name that uses an enhanced security policy."
		return fmt.Errorf("maps HTTP API %q onto custom domain name %q, whose security policy %s is an enhanced one: HTTP APIs cannot be mapped onto those", api.LogicalID, d.Name, d.SecurityPolicy)
	case strings.Contains(ms.m.Key, "/") && (d.EndpointType != EndpointRegional || old):
		// "To configure API mappings with multiple levels, your custom domain name must be
		// regional and use the TLS 1.2 security policy."
		return fmt.Errorf("maps API %q under multi-level key %q onto custom domain name %q, which is %s with %s: multi-level mappings need a Regional custom domain name with the TLS 1.2 security policy", api.LogicalID, ms.m.Key, d.Name, d.EndpointType, policyName(d.SecurityPolicy))
	}
	return nil
}
