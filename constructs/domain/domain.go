package domain

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53targets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/validation"
)

// Props configures a Regional custom domain name.
type Props struct {
	// Name is the custom domain name in lower case: "api.example.com", or "*.example.com" for
	// a wildcard custom domain name that answers for the subdomains of example.com
	// (a.example.com, b.example.com, ...).
	Name *string

	// Certificate is the ACM certificate for Name, in the domain's Region. Set at most one of
	// Certificate and CertificateArn; with neither, a certificate for Name is requested and
	// validated by DNS in HostedZone.
	Certificate awscertificatemanager.ICertificate
	// CertificateArn imports an existing ACM certificate by ARN.
	CertificateArn *string

	// HostedZone is the Route 53 zone Name belongs to. It validates the certificate this
	// construct requests, and gets an alias A record that points Name at the domain's Regional
	// endpoint unless NoAliasRecord is set.
	HostedZone    awsroute53.IHostedZone
	NoAliasRecord *bool

	// SecurityPolicy is the minimum TLS version clients may use: TLS_1_2 (the default, and
	// the only one HTTP and WebSocket APIs, multi-level mappings and mutual TLS allow) or
	// TLS_1_0 (a domain with only REST APIs under single-level keys).
	SecurityPolicy awsapigatewayv2.SecurityPolicy

	// MutualTls makes clients present a certificate issued by a CA of the truststore.
	MutualTls *MutualTls
}

// MutualTls configures mutual TLS authentication with a truststore in S3: set TruststoreUri,
// or Bucket and Key.
type MutualTls struct {
	// TruststoreUri is "s3://BUCKET/KEY", a PEM file of the CA certificates clients'
	// certificates must chain to.
	TruststoreUri *string
	// Bucket and Key name the truststore object instead, for a bucket the app makes or imports.
	Bucket awss3.IBucket
	Key    *string
	// Version is the truststore object's S3 version (the bucket must be versioned); default:
	// the latest.
	Version *string
	// OwnershipCertificate is a public ACM certificate for Name, which API Gateway requires
	// when Certificate is imported into ACM or issued by a private CA.
	OwnershipCertificate awscertificatemanager.ICertificate
}

// Domain is a Regional custom domain name (AWS::ApiGatewayV2::DomainName) and the API stages
// mapped to it. A domain made with ApiGatewayV2 serves HTTP, WebSocket and REST APIs alike
// ("You can use API Gateway Version 2 APIs to create and manage Regional custom domain names
// for REST APIs and HTTP APIs").
type Domain struct {
	constructs.Construct

	// DomainName is the underlying L2; nil when the props broke a rule it needs (synthesis
	// then fails).
	DomainName awsapigatewayv2.DomainName
	// Certificate is the certificate given, imported or requested.
	Certificate awscertificatemanager.ICertificate
	// AliasRecord is the Route 53 A record, nil without HostedZone or with NoAliasRecord.
	AliasRecord awsroute53.ARecord
	// Mappings are the valid mappings, in the order they were made.
	Mappings []*Mapping

	errs   *validation.Errors
	name   string // Name when known at synth, "" for a token
	policy string // the checked security policy, "" for a token
	mtls   bool
	// restDomain is DomainName as aws-cdk-lib's REST L2s take it, made on first use.
	restDomain awsapigateway.IDomainName
}

// New creates a Regional custom domain name, its certificate and alias record as the props
// ask. Configuration errors do not panic: they fail synthesis with this construct's path, all at
// once. Map stages to it with MapDomain on an API construct (httpapi, websocketapi, restapi) or
// with MapHttpStage, MapWebSocketStage and MapRestStage.
func New(scope constructs.Construct, id *string, props *Props) *Domain {
	if props == nil {
		props = &Props{}
	}
	d := &Domain{Construct: constructs.NewConstruct(scope, id)}
	d.errs = validation.Attach(d.Construct)

	ok := true
	// A name that is a token (a parameter, a context value) is checked by API Gateway when it
	// is deployed.
	if name := deref.String(props.Name); props.Name == nil || !unresolved(name) {
		if errs := checkName(name); len(errs) > 0 {
			d.errs.Add(errs...)
			ok = false
		} else {
			d.name = name
		}
	}

	policy := props.SecurityPolicy
	if policy == "" {
		policy = awsapigatewayv2.SecurityPolicy_TLS_1_2
	}
	if d.policy = string(policy); unresolved(d.policy) {
		d.policy = ""
	} else if err := checkPolicy(d.policy); err != nil {
		d.errs.Add(err.Error())
		ok = false
	}
	d.checkZone(props.HostedZone)
	mtls, ownership, mtlsOK := d.mutualTLS(props.MutualTls)
	cert := d.certificate(props)
	if !ok || !mtlsOK || cert == nil {
		return d
	}

	d.Certificate = cert
	l2 := &awsapigatewayv2.DomainNameProps{
		DomainName:     props.Name,
		Certificate:    cert,
		EndpointType:   awsapigatewayv2.EndpointType_REGIONAL,
		SecurityPolicy: policy,
		Mtls:           mtls,
	}
	if ownership != nil {
		l2.OwnershipCertificate = ownership
	}
	d.DomainName = awsapigatewayv2.NewDomainName(d.Construct, jsii.String("DomainName"), l2)

	if props.HostedZone != nil && !isTrue(props.NoAliasRecord) {
		d.AliasRecord = awsroute53.NewARecord(d.Construct, jsii.String("AliasRecord"), &awsroute53.ARecordProps{
			Zone:       props.HostedZone,
			RecordName: props.Name,
			Target: awsroute53.RecordTarget_FromAlias(awsroute53targets.NewApiGatewayv2DomainProperties(
				d.DomainName.RegionalDomainName(), d.DomainName.RegionalHostedZoneId())),
		})
	} else {
		// Without a record of ours, the user points DNS at the Regional endpoint themselves.
		awscdk.NewCfnOutput(d.Construct, jsii.String("RegionalDomainName"), &awscdk.CfnOutputProps{
			Value:       d.DomainName.RegionalDomainName(),
			Description: jsii.String(fmt.Sprintf("DNS target of %s: point a CNAME or alias A record at it", d.label())),
		})
	}
	return d
}

// Name is the custom domain name.
func (d *Domain) Name() *string {
	if d.DomainName == nil {
		return jsii.String(d.name)
	}
	if d.name != "" {
		return jsii.String(d.name)
	}
	return d.DomainName.Name()
}

// label names the domain in messages and descriptions.
func (d *Domain) label() string {
	if d.name != "" {
		return d.name
	}
	return "the domain " + *d.Node().Path()
}

// certificate returns the certificate the props give or ask for, or nil after recording why
// there is none.
func (d *Domain) certificate(props *Props) awscertificatemanager.ICertificate {
	switch {
	case props.Certificate != nil && props.CertificateArn != nil:
		d.errs.Addf("set one of Certificate and CertificateArn, not both")
		return nil
	case props.Certificate != nil:
		return props.Certificate
	case props.CertificateArn != nil:
		arn := *props.CertificateArn
		if !unresolved(arn) {
			region := *awscdk.Stack_Of(d.Construct).Region()
			if unresolved(region) {
				region = ""
			}
			if err := checkCertificateArn(arn, region); err != nil {
				d.errs.Add(err.Error())
				return nil
			}
		}
		return awscertificatemanager.Certificate_FromCertificateArn(d.Construct, jsii.String("Certificate"), props.CertificateArn)
	case props.HostedZone != nil:
		if props.Name == nil {
			return nil // the missing name is reported already
		}
		return awscertificatemanager.NewCertificate(d.Construct, jsii.String("Certificate"), &awscertificatemanager.CertificateProps{
			DomainName: props.Name,
			Validation: awscertificatemanager.CertificateValidation_FromDns(props.HostedZone),
		})
	}
	d.errs.Addf("a certificate is required: set Certificate or CertificateArn, or HostedZone to request one validated by DNS")
	return nil
}

// checkZone: the alias record and the DNS validation records go in HostedZone, so Name must
// be in it.
func (d *Domain) checkZone(zone awsroute53.IHostedZone) {
	if zone == nil || d.name == "" {
		return
	}
	zoneName := deref.String(zone.ZoneName())
	if zoneName == "" || unresolved(zoneName) {
		return
	}
	if !inZone(d.name, zoneName) {
		d.errs.Addf("domain name %q is not in hosted zone %q: its records could not be written there", d.name, zoneName)
	}
}

// mutualTLS checks and renders the mutual TLS options.
func (d *Domain) mutualTLS(m *MutualTls) (*awsapigatewayv2.MTLSConfig, awscertificatemanager.ICertificate, bool) {
	if m == nil {
		return nil, nil, true
	}
	d.mtls = true
	ok := true
	if d.policy == tls10 {
		d.errs.Addf("MutualTls needs security policy TLS_1_2, not TLS_1_0")
		ok = false
	}
	cfg := &awsapigatewayv2.MTLSConfig{Bucket: m.Bucket, Key: m.Key, Version: m.Version}
	switch {
	case m.TruststoreUri != nil && (m.Bucket != nil || m.Key != nil):
		d.errs.Addf("MutualTls: set TruststoreUri, or Bucket and Key, not both")
		ok = false
	case m.TruststoreUri != nil:
		uri := *m.TruststoreUri
		if unresolved(uri) {
			d.errs.Addf("MutualTls: TruststoreUri must be known at synth to be split into bucket and key; give Bucket and Key instead")
			return nil, nil, false
		}
		bucket, key, err := parseTruststoreURI(uri)
		if err != nil {
			d.errs.Addf("MutualTls: %v", err)
			return nil, nil, false
		}
		cfg.Bucket = awss3.Bucket_FromBucketName(d.Construct, jsii.String("Truststore"), jsii.String(bucket))
		cfg.Key = jsii.String(key)
	case m.Bucket == nil || deref.String(m.Key) == "":
		d.errs.Addf("MutualTls: set TruststoreUri (s3://BUCKET/KEY), or both Bucket and Key")
		ok = false
	}
	if v := m.Version; v != nil && *v == "" {
		d.errs.Addf("MutualTls: Version must not be empty; leave it unset for the latest version")
		ok = false
	}
	return cfg, m.OwnershipCertificate, ok
}

// isTrue is *b, false for nil.
func isTrue(b *bool) bool { return b != nil && *b }

// unresolved reports whether s holds a CDK token, known only at deploy time.
func unresolved(s string) bool { return *awscdk.Token_IsUnresolved(jsii.String(s)) }
