package domain

import (
	"fmt"
	"strings"
)

// Limits of a DNS name (RFC 1035): API Gateway serves a custom domain name by its host name,
// so the name must be one a client can resolve.
const (
	maxNameLength  = 253
	maxLabelLength = 63
)

// checkName checks a custom domain name: lower-case DNS labels (letters, digits and inner
// hyphens) separated by dots, at least two of them, and for a wildcard custom domain name a
// "*" as the whole first label ("*.example.com"), the only place the guide allows it.
func checkName(name string) []string {
	if name == "" {
		return []string{"Name is required: the custom domain name, e.g. api.example.com"}
	}
	prefix := fmt.Sprintf("domain name %q", name)
	if strings.HasSuffix(name, ".") {
		return []string{prefix + ": leave out the trailing dot"}
	}
	if strings.Contains(name, "://") || strings.ContainsAny(name, "/:") {
		return []string{prefix + ": give the host name only, without scheme, port or path"}
	}
	var errs []string
	if len(name) > maxNameLength {
		errs = append(errs, fmt.Sprintf("%s: is %d characters long; a domain name has at most %d", prefix, len(name), maxNameLength))
	}
	if strings.ToLower(name) != name {
		// aws-cdk-lib's REST DomainName refuses them too; API Gateway keeps names in lower case.
		errs = append(errs, fmt.Sprintf("%s: must be lower case (%s)", prefix, strings.ToLower(name)))
	}
	labels := strings.Split(strings.ToLower(name), ".")
	wildcard := labels[0] == "*"
	hostLabels := labels
	if wildcard {
		hostLabels = labels[1:]
	}
	if len(hostLabels) < 2 {
		if wildcard {
			errs = append(errs, prefix+": a wildcard stands for the subdomains of a registered domain, as in *.example.com")
		} else {
			errs = append(errs, prefix+": must have at least two labels, as in example.com")
		}
	}
	for i, label := range hostLabels {
		if err := checkLabel(label); err != "" {
			if strings.Contains(label, "*") {
				errs = append(errs, prefix+`: a wildcard "*" may only be the whole first label, as in *.example.com`)
			} else {
				errs = append(errs, fmt.Sprintf("%s: label %d %q %s", prefix, i+1+boolInt(wildcard), label, err))
			}
		}
	}
	return errs
}

// checkLabel returns what is wrong with one DNS label, or "".
func checkLabel(label string) string {
	switch {
	case label == "":
		return "is empty (two dots in a row, or a leading dot)"
	case len(label) > maxLabelLength:
		return fmt.Sprintf("is %d characters long; a label has at most %d", len(label), maxLabelLength)
	case label[0] == '-' || label[len(label)-1] == '-':
		return "must not start or end with a hyphen"
	}
	for _, c := range label {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Sprintf("has %q; a label has only letters, digits and hyphens", c)
		}
	}
	return ""
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// inZone reports whether name (a wildcard included) is zone or one of its subdomains; zone may
// end with the dot Route 53 writes.
func inZone(name, zone string) bool {
	zone = strings.ToLower(strings.TrimSuffix(zone, "."))
	name = strings.ToLower(name)
	return name == zone || strings.HasSuffix(name, "."+zone)
}
