package domain

import (
	"fmt"
	"regexp"
	"strings"
)

// Security policies a Regional custom domain name takes ("Choosing a security policy for your
// custom domain in API Gateway"): TLS_1_0 accepts TLS 1.0 to 1.3, TLS_1_2 refuses TLS 1.0 and 1.1.
const (
	tls10 = "TLS_1_0"
	tls12 = "TLS_1_2"
)

// checkPolicy: the guide documents two security policies for Regional domain names. The
// "SecurityPolicy_TLS13_..." policies exist only for REST DomainName resources, which this
// package does not make.
func checkPolicy(policy string) error {
	if policy != tls10 && policy != tls12 {
		return fmt.Errorf("security policy %q must be TLS_1_0 or TLS_1_2", policy)
	}
	return nil
}

var (
	// bucketRE is an S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens,
	// starting and ending with a letter or digit.
	bucketRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	// certificateArnRE is an ACM certificate ARN; the groups are the Region and the account.
	certificateArnRE = regexp.MustCompile(`^arn:aws[a-z-]*:acm:([a-z0-9-]+):([0-9]{12}):certificate/[A-Za-z0-9-]+$`)
)

// parseTruststoreURI splits the S3 URI of a mutual TLS truststore, "s3://bucket/key".
func parseTruststoreURI(uri string) (bucket, key string, err error) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	if ok {
		bucket, key, ok = strings.Cut(rest, "/")
	}
	if !ok || key == "" {
		return "", "", fmt.Errorf("truststore URI %q must be s3://BUCKET/KEY, the PEM file of the CA certificates clients' certificates must chain to", uri)
	}
	if !bucketRE.MatchString(bucket) {
		return "", "", fmt.Errorf("truststore URI %q: %q is not an S3 bucket name", uri, bucket)
	}
	return bucket, key, nil
}

// checkCertificateArn checks an ACM certificate ARN and, when the stack's Region is known,
// that the certificate is in it: a Regional custom domain name needs its certificate "in the
// same Region as your API" ("Setting up a regional custom domain name").
func checkCertificateArn(arn, region string) error {
	m := certificateArnRE.FindStringSubmatch(arn)
	if m == nil {
		return fmt.Errorf("certificate ARN %q must be arn:aws:acm:REGION:ACCOUNT:certificate/ID", arn)
	}
	if region != "" && m[1] != region {
		return fmt.Errorf("certificate %q is in %s; a Regional domain name in %s needs a certificate of its own Region", arn, m[1], region)
	}
	return nil
}
