package domain_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/domain"
	"github.com/gatehouse-dev/gatehouse/constructs/httpapi"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/constructtest"
	"github.com/gatehouse-dev/gatehouse/constructs/restapi"
	"github.com/gatehouse-dev/gatehouse/constructs/websocketapi"
)

const (
	account = "111122223333"
	region  = "eu-west-1"
	certArn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1234-5678-9abc-def012345678"
)

func env(account, region string) *awscdk.StackProps {
	return &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)}}
}

// apis is one API of each kind, with the stages the tests map.
type apis struct {
	http *httpapi.HttpApi           // $default and beta
	ws   *websocketapi.WebSocketApi // dev
	rest *restapi.RestApi           // prod
}

func newAPIs(stack awscdk.Stack, prefix string) apis {
	fn := constructtest.InlineFunction(stack, prefix+"Fn")
	return apis{
		http: httpapi.New(stack, jsii.String(prefix+"Http"), &httpapi.Props{
			Stages: &[]*httpapi.StageOptions{{Name: jsii.String("beta")}},
			Routes: &[]*httpapi.Route{{Key: jsii.String("GET /items"), Function: fn}},
		}),
		ws: websocketapi.New(stack, jsii.String(prefix+"Ws"), &websocketapi.Props{
			Routes: &[]*websocketapi.Route{{Key: jsii.String("$default"), Function: fn}},
		}),
		rest: restapi.New(stack, jsii.String(prefix+"Rest"), &restapi.Props{
			Methods: &[]*restapi.Method{{
				Key: jsii.String("GET /health"),
				Integration: &restapi.Integration{
					Type:             restapi.IntegrationType_MOCK,
					RequestTemplates: &map[string]*string{"application/json": jsii.String(`{"statusCode": 200}`)},
					Responses:        &[]*awsapigateway.IntegrationResponse{{StatusCode: jsii.String("200")}},
				},
			}},
		}),
	}
}

func zone(stack awscdk.Stack) awsroute53.IHostedZone {
	return awsroute53.HostedZone_FromHostedZoneAttributes(stack, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789ABC"), ZoneName: jsii.String("example.com"),
	})
}

// TestDomainsTemplate builds every kind of domain and mapping in one stack and checks the
// synthesized template.
func TestDomainsTemplate(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Good"), env(account, region))
	z := zone(stack)
	a := newAPIs(stack, "")

	// A domain with a certificate requested in the zone, an alias record, and HTTP and REST
	// APIs under the empty key, single-level and multi-level keys.
	api := domain.New(stack, jsii.String("ApiDomain"), &domain.Props{Name: jsii.String("api.example.com"), HostedZone: z})
	maps := []*domain.Mapping{
		a.http.MapDomain(api, "$default", ""),
		a.http.MapDomain(api, "beta", "orders/v2"),
		a.rest.MapDomain(api, "prod", "legacy"),
		a.rest.MapDomain(api, "prod", "reports/2024"),
	}
	// A WebSocket domain with an imported certificate and no zone: the same stage twice.
	chat := domain.New(stack, jsii.String("ChatDomain"), &domain.Props{Name: jsii.String("chat.example.com"), CertificateArn: jsii.String(certArn)})
	maps = append(maps, a.ws.MapDomain(chat, "dev", "chat"), a.ws.MapDomain(chat, "dev", ""))
	// A wildcard domain with its record; mutual TLS from a URI and from a bucket; TLS 1.0 for a
	// REST API under a single-level key.
	wild := domain.New(stack, jsii.String("TenantsDomain"), &domain.Props{Name: jsii.String("*.tenants.example.com"), HostedZone: z})
	maps = append(maps, a.http.MapDomain(wild, "$default", ""))
	imported := awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Imported"), jsii.String(certArn))
	mtls := domain.New(stack, jsii.String("MtlsDomain"), &domain.Props{
		Name: jsii.String("mtls.example.com"), Certificate: imported,
		MutualTls: &domain.MutualTls{TruststoreUri: jsii.String("s3://trust-bucket/ca.pem"), Version: jsii.String("v7")},
	})
	maps = append(maps, a.rest.MapDomain(mtls, "prod", ""))
	bucket := awss3.NewBucket(stack, jsii.String("Truststores"), &awss3.BucketProps{Versioned: jsii.Bool(true)})
	owner := awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Owner"), jsii.String(strings.Replace(certArn, "0a1b", "9f8e", 1)))
	mtls2 := domain.New(stack, jsii.String("Mtls2Domain"), &domain.Props{
		Name: jsii.String("partners.example.com"), Certificate: imported,
		MutualTls: &domain.MutualTls{Bucket: bucket, Key: jsii.String("partners/ca.pem"), OwnershipCertificate: owner},
	})
	maps = append(maps, a.http.MapDomain(mtls2, "beta", "v1"))
	old := domain.New(stack, jsii.String("OldDomain"), &domain.Props{
		Name: jsii.String("old.example.com"), CertificateArn: jsii.String(certArn), SecurityPolicy: awsapigatewayv2.SecurityPolicy_TLS_1_0,
	})
	maps = append(maps, a.rest.MapDomain(old, "prod", "v1"))

	for i, m := range maps {
		if m == nil {
			t.Fatalf("mapping %d is nil", i)
		}
	}
	if msg := constructtest.SynthError(app); msg != "" {
		t.Fatalf("synthesis failed: %s", msg)
	}

	tpl := assertions.Template_FromStack(stack, nil)
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::DomainName"), jsii.Number(6))
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::ApiMapping"), jsii.Number(7)) // 6 HTTP/WebSocket + 1 multi-level REST
	tpl.ResourceCountIs(jsii.String("AWS::ApiGateway::BasePathMapping"), jsii.Number(3))
	tpl.ResourceCountIs(jsii.String("AWS::CertificateManager::Certificate"), jsii.Number(2))
	tpl.ResourceCountIs(jsii.String("AWS::Route53::RecordSet"), jsii.Number(2))

	// The domain: Regional, TLS 1.2 written out, the requested certificate.
	apiID := constructtest.LogicalID(t, tpl, "AWS::ApiGatewayV2::DomainName", map[string]any{"DomainName": "api.example.com"})
	certID := constructtest.LogicalID(t, tpl, "AWS::CertificateManager::Certificate", map[string]any{"DomainName": "api.example.com"})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::DomainName"), &map[string]any{
		"DomainName": "api.example.com",
		"DomainNameConfigurations": []any{map[string]any{
			"CertificateArn": map[string]any{"Ref": certID}, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2",
		}},
		"MutualTlsAuthentication": assertions.Match_Absent(),
	})
	tpl.HasResourceProperties(jsii.String("AWS::CertificateManager::Certificate"), &map[string]any{
		"DomainName": "api.example.com", "ValidationMethod": "DNS",
		"DomainValidationOptions": []any{map[string]any{"DomainName": "api.example.com", "HostedZoneId": "Z0123456789ABC"}},
	})
	tpl.HasResourceProperties(jsii.String("AWS::CertificateManager::Certificate"), &map[string]any{"DomainName": "*.tenants.example.com"})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::DomainName"), &map[string]any{
		"DomainName":               "chat.example.com",
		"DomainNameConfigurations": []any{map[string]any{"CertificateArn": certArn, "SecurityPolicy": "TLS_1_2"}},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::DomainName"), &map[string]any{
		"DomainName":               "old.example.com",
		"DomainNameConfigurations": []any{map[string]any{"SecurityPolicy": "TLS_1_0"}},
	})

	// Alias records point the names at the domains' Regional endpoints.
	for _, name := range []string{"api.example.com.", "*.tenants.example.com."} {
		tpl.HasResourceProperties(jsii.String("AWS::Route53::RecordSet"), &map[string]any{
			"Name": name, "Type": "A", "HostedZoneId": "Z0123456789ABC",
			"AliasTarget": map[string]any{
				"DNSName":      map[string]any{"Fn::GetAtt": assertions.Match_ArrayWith(&[]any{"RegionalDomainName"})},
				"HostedZoneId": map[string]any{"Fn::GetAtt": assertions.Match_ArrayWith(&[]any{"RegionalHostedZoneId"})},
			},
		})
	}
	tpl.HasResourceProperties(jsii.String("AWS::Route53::RecordSet"), &map[string]any{
		"Name": "api.example.com.", "AliasTarget": map[string]any{"DNSName": map[string]any{"Fn::GetAtt": []any{apiID, "RegionalDomainName"}}},
	})

	// Mutual TLS: the truststore from the URI with its version, and from the bucket with the
	// ownership certificate.
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::DomainName"), &map[string]any{
		"DomainName":              "mtls.example.com",
		"MutualTlsAuthentication": map[string]any{"TruststoreUri": "s3://trust-bucket/ca.pem", "TruststoreVersion": "v7"},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::DomainName"), &map[string]any{
		"DomainName":               "partners.example.com",
		"MutualTlsAuthentication":  map[string]any{"TruststoreUri": assertions.Match_AnyValue()},
		"DomainNameConfigurations": []any{map[string]any{"OwnershipVerificationCertificateArn": strings.Replace(certArn, "0a1b", "9f8e", 1)}},
	})

	// Mappings: the HTTP API's stages, the REST API's single-level key as a base path mapping
	// and its multi-level key as an ApiGatewayV2 mapping.
	httpID := constructtest.LogicalID(t, tpl, "AWS::ApiGatewayV2::Api", map[string]any{"ProtocolType": "HTTP"})
	wsID := constructtest.LogicalID(t, tpl, "AWS::ApiGatewayV2::Api", map[string]any{"ProtocolType": "WEBSOCKET"})
	restID := constructtest.LogicalID(t, tpl, "AWS::ApiGateway::RestApi", map[string]any{})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::ApiMapping"), &map[string]any{
		"DomainName": map[string]any{"Ref": apiID}, "ApiId": map[string]any{"Ref": httpID}, "Stage": "$default",
		"ApiMappingKey": assertions.Match_Absent(),
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::ApiMapping"), &map[string]any{
		"DomainName": map[string]any{"Ref": apiID}, "ApiId": map[string]any{"Ref": httpID}, "Stage": "beta", "ApiMappingKey": "orders/v2",
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::ApiMapping"), &map[string]any{
		"ApiId": map[string]any{"Ref": wsID}, "Stage": assertions.Match_AnyValue(), "ApiMappingKey": "chat",
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::BasePathMapping"), &map[string]any{
		"DomainName": map[string]any{"Ref": apiID}, "RestApiId": map[string]any{"Ref": restID},
		"BasePath": "legacy", "Stage": map[string]any{"Ref": assertions.Match_AnyValue()},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::BasePathMapping"), &map[string]any{
		"RestApiId": map[string]any{"Ref": restID}, "BasePath": assertions.Match_Absent(),
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::ApiMapping"), &map[string]any{
		"DomainName": map[string]any{"Ref": apiID}, "ApiId": map[string]any{"Ref": restID},
		"ApiMappingKey": "reports/2024", "Stage": map[string]any{"Ref": assertions.Match_AnyValue()},
	})
	// A WebSocket stage is made by the API construct, so the mapping must wait for it: the L2
	// writes the stage's name, not a reference.
	wsMapping := *tpl.FindResources(jsii.String("AWS::ApiGatewayV2::ApiMapping"), &map[string]any{
		"Properties": map[string]any{"ApiMappingKey": "chat"},
	})
	for _, r := range wsMapping {
		if deps, _ := json.Marshal((*r)["DependsOn"]); !strings.Contains(string(deps), "Stage") {
			t.Errorf("the WebSocket mapping does not depend on its stage: DependsOn %s", deps)
		}
	}

	// One URL output per mapping, and the DNS target of each domain without an alias record.
	var urls []string
	for _, o := range *tpl.FindOutputs(jsii.String("*"), nil) {
		if v, ok := (*o)["Value"].(string); ok && strings.Contains(v, "://") && !strings.Contains(v, "execute-api") {
			urls = append(urls, v)
		}
	}
	slices.Sort(urls)
	wantURLs := []string{
		"https://*.tenants.example.com/",
		"https://api.example.com/",
		"https://api.example.com/legacy",
		"https://api.example.com/orders/v2",
		"https://api.example.com/reports/2024",
		"https://mtls.example.com/",
		"https://old.example.com/v1",
		"https://partners.example.com/v1",
		"wss://chat.example.com/",
		"wss://chat.example.com/chat",
	}
	if !slices.Equal(urls, wantURLs) {
		t.Errorf("URL outputs:\n got %q\nwant %q", urls, wantURLs)
	}
	dnsTargets := *tpl.FindOutputs(jsii.String("*"), &map[string]any{
		"Value": map[string]any{"Fn::GetAtt": assertions.Match_ArrayWith(&[]any{"RegionalDomainName"})},
	})
	if len(dnsTargets) != 4 { // chat, mtls, partners, old
		t.Errorf("%d RegionalDomainName outputs, want 4 (the domains without an alias record)", len(dnsTargets))
	}

	// The exported objects.
	if m := maps[1]; m.Kind != domain.Kind_HTTP || m.Key != "orders/v2" || m.Stage != "beta" || *m.Url != "https://api.example.com/orders/v2" || m.Api != "Good/Http/Api" {
		t.Errorf("mapping = %+v", m)
	}
	if m := maps[2]; m.Kind != domain.Kind_REST || m.Stage != "prod" {
		t.Errorf("REST mapping = %+v", m)
	}
	if _, ok := maps[2].Resource.(awsapigateway.BasePathMapping); !ok {
		t.Errorf("single-level REST mapping resource is %T, want awsapigateway.BasePathMapping", maps[2].Resource)
	}
	if _, ok := maps[3].Resource.(awsapigatewayv2.CfnApiMapping); !ok {
		t.Errorf("multi-level REST mapping resource is %T, want awsapigatewayv2.CfnApiMapping", maps[3].Resource)
	}
	if _, ok := maps[4].Resource.(awsapigatewayv2.ApiMapping); !ok {
		t.Errorf("WebSocket mapping resource is %T, want awsapigatewayv2.ApiMapping", maps[4].Resource)
	}
	if len(api.Mappings) != 4 || api.AliasRecord == nil || api.Certificate == nil || api.DomainName == nil || chat.AliasRecord != nil || *api.Name() != "api.example.com" {
		t.Errorf("domain: mappings=%d record=%v certificate=%v", len(api.Mappings), api.AliasRecord, api.Certificate)
	}
	if api.RestDomainName() == nil {
		t.Error("RestDomainName is nil")
	}
}

// errorCase is a domain that breaks one rule: its props, and the mappings made to it (nil for
// a rule of the domain itself).
type errorCase struct {
	id    string
	props *domain.Props
	mapTo func(d *domain.Domain)
	want  string
}

// TestValidationErrorsNamePathAndRule builds one domain per broken rule in a single app, so one
// synthesis (the slow part) checks them all, and each message must carry its own path.
func TestValidationErrorsNamePathAndRule(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Bad"), env(account, region))
	z := zone(stack)
	a := newAPIs(stack, "")
	name := func(n string) *domain.Props {
		return &domain.Props{Name: jsii.String(n), CertificateArn: jsii.String(certArn)}
	}
	tls10 := func() *domain.Props {
		p := name("old.example.com")
		p.SecurityPolicy = awsapigatewayv2.SecurityPolicy_TLS_1_0
		return p
	}
	withMtls := func(p *domain.Props, m *domain.MutualTls) *domain.Props { p.MutualTls = m; return p }
	imported := awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Imported"), jsii.String(certArn))

	cases := []errorCase{
		// The domain
		{"NoName", &domain.Props{CertificateArn: jsii.String(certArn)}, nil, "Name is required"},
		{"Upper", name("Api.example.com"), nil, `domain name "Api.example.com": must be lower case (api.example.com)`},
		{"WildcardInside", name("api.*.example.com"), nil, `a wildcard "*" may only be the whole first label`},
		{"OneLabel", name("localhost"), nil, "must have at least two labels"},
		{"Scheme", name("https://api.example.com"), nil, "give the host name only"},
		{"Hyphen", name("api-.example.com"), nil, `label 1 "api-" must not start or end with a hyphen`},
		{"NoCertificate", &domain.Props{Name: jsii.String("api.example.com")}, nil, "a certificate is required"},
		{"TwoCertificates", &domain.Props{Name: jsii.String("api.example.com"), CertificateArn: jsii.String(certArn), Certificate: imported}, nil, "set one of Certificate and CertificateArn, not both"},
		{"CertificateArn", &domain.Props{Name: jsii.String("api.example.com"), CertificateArn: jsii.String("0a1b2c3d")}, nil, "must be arn:aws:acm:REGION:ACCOUNT:certificate/ID"},
		{"CertificateRegion", &domain.Props{Name: jsii.String("api.example.com"), CertificateArn: jsii.String(strings.Replace(certArn, region, "us-east-1", 1))}, nil, "is in us-east-1; a Regional domain name in eu-west-1 needs a certificate of its own Region"},
		{"Policy", &domain.Props{Name: jsii.String("api.example.com"), CertificateArn: jsii.String(certArn), SecurityPolicy: "TLS_1_3"}, nil, `security policy "TLS_1_3" must be TLS_1_0 or TLS_1_2`},
		{"WrongZone", &domain.Props{Name: jsii.String("api.example.org"), HostedZone: z}, nil, `domain name "api.example.org" is not in hosted zone "example.com"`},
		{"MtlsTls10", withMtls(tls10(), &domain.MutualTls{TruststoreUri: jsii.String("s3://trust-bucket/ca.pem")}), nil, "MutualTls needs security policy TLS_1_2, not TLS_1_0"},
		{"MtlsUri", withMtls(name("m.example.com"), &domain.MutualTls{TruststoreUri: jsii.String("https://trust-bucket/ca.pem")}), nil, "must be s3://BUCKET/KEY"},
		{"MtlsNone", withMtls(name("m.example.com"), &domain.MutualTls{}), nil, "MutualTls: set TruststoreUri (s3://BUCKET/KEY), or both Bucket and Key"},
		{"MtlsBoth", withMtls(name("m.example.com"), &domain.MutualTls{TruststoreUri: jsii.String("s3://trust-bucket/ca.pem"), Key: jsii.String("ca.pem")}), nil, "set TruststoreUri, or Bucket and Key, not both"},
		{"MtlsVersion", withMtls(name("m.example.com"), &domain.MutualTls{TruststoreUri: jsii.String("s3://trust-bucket/ca.pem"), Version: jsii.String("")}), nil, "Version must not be empty"},

		// Mapping keys
		{"KeyChars", name("k.example.com"), func(d *domain.Domain) { a.http.MapDomain(d, "beta", "a b") }, `mapping "a b" (Bad/Http/Api stage beta): ' ' is not allowed`},
		{"KeyLength", name("k.example.com"), func(d *domain.Domain) { a.http.MapDomain(d, "beta", strings.Repeat("k", 301)) }, "is 301 characters long; a key has at most 300"},
		{"KeySlash", name("k.example.com"), func(d *domain.Domain) { a.rest.MapDomain(d, "prod", "/orders") }, `mapping "/orders" (Bad/Rest/Api stage prod): must not start or end with "/" (write "orders")`},
		{"KeyEmptyLevel", name("k.example.com"), func(d *domain.Domain) { a.http.MapDomain(d, "beta", "orders//v2") }, `has an empty level ("//")`},
		{"WebSocketMultiLevel", name("k.example.com"), func(d *domain.Domain) { a.ws.MapDomain(d, "dev", "chat/v1") }, `mapping "chat/v1" (Bad/Ws/Api stage dev): a WebSocket API's key has one level`},

		// Mappings together
		{"DuplicateKey", name("k.example.com"), func(d *domain.Domain) {
			a.http.MapDomain(d, "beta", "orders")
			a.rest.MapDomain(d, "prod", "orders")
		}, `mapping "orders" (Bad/Rest/Api stage prod): key "orders" maps Bad/Http/Api stage beta already`},
		{"TwoEmpty", name("k.example.com"), func(d *domain.Domain) {
			a.http.MapDomain(d, "$default", "")
			a.http.MapDomain(d, "beta", "")
		}, "empty mapping (Bad/Http/Api stage beta): the domain has an empty mapping already (Bad/Http/Api stage $default): only one mapping per domain may have no key"},
		{"WebSocketAfterHttp", name("k.example.com"), func(d *domain.Domain) {
			a.http.MapDomain(d, "beta", "api")
			a.ws.MapDomain(d, "dev", "chat")
		}, `mapping "chat" (Bad/Ws/Api stage dev): a WebSocket API cannot share a custom domain name with HTTP or REST APIs, and this domain maps Bad/Http/Api stage beta (HTTP)`},
		{"RestAfterWebSocket", name("k.example.com"), func(d *domain.Domain) {
			a.ws.MapDomain(d, "dev", "chat")
			a.rest.MapDomain(d, "prod", "api")
		}, `mapping "api" (Bad/Rest/Api stage prod): a WebSocket API cannot share a custom domain name with HTTP or REST APIs, and this domain maps Bad/Ws/Api stage dev (WEBSOCKET)`},
		{"Tls10WebSocket", tls10(), func(d *domain.Domain) { a.ws.MapDomain(d, "dev", "chat") }, "a WebSocket API needs a domain with security policy TLS_1_2"},
		{"Tls10Http", tls10(), func(d *domain.Domain) { a.http.MapDomain(d, "beta", "") }, "an HTTP API needs a domain with security policy TLS_1_2"},
		{"Tls10MultiLevel", tls10(), func(d *domain.Domain) { a.rest.MapDomain(d, "prod", "orders/v2") }, "a multi-level key needs a domain with security policy TLS_1_2"},
	}
	for _, c := range cases {
		d := domain.New(stack, jsii.String(c.id), c.props)
		if c.mapTo != nil {
			c.mapTo(d)
		}
	}

	// The domain and the API in other accounts or Regions.
	other := awscdk.NewStack(app, jsii.String("OtherAccount"), env("444455556666", region))
	acct := domain.New(stack, jsii.String("Account"), name("k.example.com"))
	newAPIs(other, "").http.MapDomain(acct, "$default", "")
	elsewhere := awscdk.NewStack(app, jsii.String("OtherRegion"), env(account, "us-east-1"))
	regional := domain.New(stack, jsii.String("Region"), name("k.example.com"))
	newAPIs(elsewhere, "").ws.MapDomain(regional, "dev", "")
	cases = append(cases,
		errorCase{"Account", nil, nil, "empty mapping (OtherAccount/Http/Api stage $default): the API is in account 444455556666 and the domain in 111122223333; a domain maps APIs of its own account"},
		errorCase{"Region", nil, nil, "the API is in us-east-1 and the domain in eu-west-1; a Regional domain name maps APIs of its own Region"},
	)

	// MapDomain's own rules are reported on the API.
	unknown := domain.New(stack, jsii.String("Unknown"), name("k.example.com"))
	api := httpapi.New(stack, jsii.String("UnknownStage"), nil)
	api.MapDomain(unknown, "prod", "x")
	noDomain := websocketapi.New(stack, jsii.String("NoDomain"), nil)
	noDomain.MapDomain(nil, "dev", "x")

	msg := constructtest.SynthError(app)
	if msg == "" {
		t.Fatal("synthesis succeeded; want it to fail with every broken rule")
	}
	for _, c := range cases {
		if !constructtest.HasErrorLine(msg, "Bad/"+c.id, c.want) {
			t.Errorf("%s: no error line with path [Bad/%s] and rule %q", c.id, c.id, c.want)
		}
	}
	for path, want := range map[string]string{
		"Bad/UnknownStage": `MapDomain(Bad/Unknown): stage "prod" is not a stage of this API`,
		"Bad/NoDomain":     "MapDomain: a domain is required",
	} {
		if !constructtest.HasErrorLine(msg, path, want) {
			t.Errorf("no error line with path [%s] and rule %q", path, want)
		}
	}
	// Each broken rule is reported once: a mapping that breaks one is not made, so it cannot
	// be reported again as a duplicate or a conflict.
	if n := strings.Count(msg, "[Bad/DuplicateKey]"); n != 1 {
		t.Errorf("Bad/DuplicateKey has %d error lines, want 1", n)
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("synth error:\n%s", msg)
	}
}
