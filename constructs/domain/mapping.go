package domain

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Kind is the kind of API a mapping maps.
type Kind string

const (
	Kind_HTTP      Kind = "HTTP"
	Kind_WEBSOCKET Kind = "WEBSOCKET"
	Kind_REST      Kind = "REST"
)

// Mapping is one API stage mapped to a domain under a key.
type Mapping struct {
	Kind Kind
	// Key is the mapping key: "" for the empty mapping (the domain's root, and every path no
	// other key matches), "orders", or multi-level "orders/v2".
	Key string
	// Api is the construct path of the mapped API; Stage is the stage's name ("" when it is a
	// token).
	Api   string
	Stage string
	// Url is the base URL of the stage through the domain: https://{domain}/{key}, or
	// wss://{domain}/{key} for a WebSocket API.
	Url *string

	// Resource is the mapping resource: an awsapigatewayv2.ApiMapping for HTTP and WebSocket
	// APIs, an awsapigateway.BasePathMapping for a REST API under an empty or single-level key,
	// and an awsapigatewayv2.CfnApiMapping for a REST API under a multi-level key (REST base
	// path mappings have one level; aws-cdk-lib's DomainName.addApiMapping does the same).
	Resource constructs.IConstruct
	// Output is the CfnOutput with Url.
	Output awscdk.CfnOutput
}

// target is a stage to map, in the terms every rule needs.
type target struct {
	kind      Kind
	api       awscdk.IResource
	stage     constructs.IConstruct
	stageName string // "" when a token
}

// describe names the target in messages: "Stack/Api/Api stage dev".
func (t target) describe() string {
	if t.stageName == "" {
		return *t.stage.Node().Path()
	}
	return fmt.Sprintf("%s stage %s", *t.api.Node().Path(), t.stageName)
}

// MapHttpStage maps an HTTP API stage to the domain under key ("" for the empty mapping) and
// adds a CfnOutput with its URL. The mapping and the output are made next to the stage, in the
// API's stack. It returns nil, and fails synthesis,
// when the mapping breaks a rule.
func (d *Domain) MapHttpStage(stage awsapigatewayv2.IHttpStage, key string) *Mapping {
	if stage == nil {
		d.errs.Addf("%s: a stage is required", mappingLabel(key))
		return nil
	}
	return d.mapV2Stage(Kind_HTTP, stage.Api(), stage, key)
}

// MapWebSocketStage maps a WebSocket API stage to the domain under key, as MapHttpStage does.
func (d *Domain) MapWebSocketStage(stage awsapigatewayv2.IWebSocketStage, key string) *Mapping {
	if stage == nil {
		d.errs.Addf("%s: a stage is required", mappingLabel(key))
		return nil
	}
	return d.mapV2Stage(Kind_WEBSOCKET, stage.Api(), stage, key)
}

// mapV2Stage maps a stage of an HTTP or a WebSocket API: both are mapped by an
// AWS::ApiGatewayV2::ApiMapping, whatever the key.
func (d *Domain) mapV2Stage(kind Kind, api awsapigatewayv2.IApi, stage awsapigatewayv2.IStage, key string) *Mapping {
	t := target{kind: kind, api: api, stage: stage, stageName: concrete(stage.StageName())}
	return d.add(t, key, func(scope constructs.Construct, keyPtr *string) constructs.IConstruct {
		return awsapigatewayv2.NewApiMapping(scope, jsii.String("Mapping"), &awsapigatewayv2.ApiMappingProps{
			Api: api, DomainName: d.DomainName, Stage: stage, ApiMappingKey: keyPtr,
		})
	})
}

// MapRestStage maps a REST API stage to the domain under key, as MapHttpStage does.
func (d *Domain) MapRestStage(stage awsapigateway.Stage, key string) *Mapping {
	if stage == nil {
		d.errs.Addf("%s: a stage is required", mappingLabel(key))
		return nil
	}
	api := stage.RestApi()
	// The L2 Stage's StageName is a reference to its resource; the name itself is on the L1.
	name := ""
	if cfn, ok := stage.Node().DefaultChild().(awsapigateway.CfnStage); ok {
		name = concrete(cfn.StageName())
	}
	t := target{kind: Kind_REST, api: api, stage: stage, stageName: name}
	return d.add(t, key, func(scope constructs.Construct, keyPtr *string) constructs.IConstruct {
		if keyPtr != nil && multiLevel(*keyPtr) {
			return awsapigatewayv2.NewCfnApiMapping(scope, jsii.String("Mapping"), &awsapigatewayv2.CfnApiMappingProps{
				ApiId: api.RestApiId(), DomainName: d.DomainName.Name(), Stage: stage.StageName(), ApiMappingKey: keyPtr,
			})
		}
		return awsapigateway.NewBasePathMapping(scope, jsii.String("Mapping"), &awsapigateway.BasePathMappingProps{
			DomainName: d.RestDomainName(), RestApi: api, Stage: stage, BasePath: keyPtr,
		})
	})
}

// RestDomainName is the domain as aws-cdk-lib's REST L2s take it (awsapigateway.IDomainName,
// e.g. for awsroute53targets.ApiGatewayDomain); nil when the domain could not be built.
func (d *Domain) RestDomainName() awsapigateway.IDomainName {
	if d.DomainName == nil {
		return nil
	}
	if d.restDomain == nil {
		d.restDomain = awsapigateway.DomainName_FromDomainNameAttributes(d.Construct, jsii.String("RestDomainName"), &awsapigateway.DomainNameAttributes{
			DomainName:                  d.DomainName.Name(),
			DomainNameAliasTarget:       d.DomainName.RegionalDomainName(),
			DomainNameAliasHostedZoneId: d.DomainName.RegionalHostedZoneId(),
		})
	}
	return d.restDomain
}

// add checks a mapping against the rules and the domain's other mappings, then makes it with
// create under a construct of its own in the stage's scope.
func (d *Domain) add(t target, key string, create func(scope constructs.Construct, key *string) constructs.IConstruct) *Mapping {
	label := fmt.Sprintf("%s (%s)", mappingLabel(key), t.describe())
	errs := d.check(t, key)
	for _, e := range errs {
		d.errs.Addf("%s: %s", label, e)
	}
	if d.mtls && t.kind == Kind_WEBSOCKET && len(errs) == 0 {
		// The guide documents mutual TLS for REST and HTTP APIs only.
		awscdk.Annotations_Of(d.Construct).AddWarningV2(jsii.String("gatehouse:domain:mtls-websocket"), jsii.String(
			label+": mutual TLS is documented for REST and HTTP APIs only; a WebSocket API behind this domain may not get client certificates checked"))
	}
	if len(errs) > 0 || d.DomainName == nil {
		return nil
	}

	scope := d.mappingScope(t.stage, key)
	var keyPtr *string
	if key != "" {
		keyPtr = jsii.String(key)
	}
	m := &Mapping{Kind: t.kind, Key: key, Api: *t.api.Node().Path(), Stage: t.stageName}
	m.Resource = create(scope, keyPtr)
	scheme := "https://"
	if t.kind == Kind_WEBSOCKET {
		scheme = "wss://"
	}
	m.Url = jsii.String(scheme + *d.Name() + "/" + key)
	m.Output = awscdk.NewCfnOutput(scope, jsii.String("Url"), &awscdk.CfnOutputProps{
		Value:       m.Url,
		Description: jsii.String(fmt.Sprintf("URL of %s through %s", t.describe(), d.label())),
	})
	d.Mappings = append(d.Mappings, m)
	return m
}

// check returns every rule the mapping breaks, alone or with the domain's other mappings.
func (d *Domain) check(t target, key string) []string {
	var errs []string
	if !unresolved(key) {
		errs = append(errs, checkKey(key, t.kind)...)
	}
	multi := multiLevel(key) && t.kind != Kind_WEBSOCKET // a WebSocket key with "/" is refused above

	// Security policy: HTTP and WebSocket APIs speak TLS 1.2 only, and multi-level mappings and
	// mutual TLS need it.
	if d.policy == tls10 {
		switch {
		case t.kind == Kind_WEBSOCKET:
			errs = append(errs, "a WebSocket API needs a domain with security policy TLS_1_2 (TLS 1.2 is the only version WebSocket APIs support), not TLS_1_0")
		case t.kind == Kind_HTTP:
			errs = append(errs, "an HTTP API needs a domain with security policy TLS_1_2 (TLS 1.2 is the only version HTTP APIs support), not TLS_1_0")
		case multi:
			errs = append(errs, "a multi-level key needs a domain with security policy TLS_1_2, not TLS_1_0")
		}
	}

	multiCount := 0
	for _, other := range d.Mappings {
		if multiLevel(other.Key) {
			multiCount++
		}
		switch {
		case other.Key == key && key == "":
			errs = append(errs, fmt.Sprintf("the domain has an empty mapping already (%s): only one mapping per domain may have no key", other.describe()))
		case other.Key == key:
			errs = append(errs, fmt.Sprintf("key %q maps %s already", key, other.describe()))
		}
	}
	for _, other := range d.Mappings {
		if (t.kind == Kind_WEBSOCKET) != (other.Kind == Kind_WEBSOCKET) {
			errs = append(errs, fmt.Sprintf("a WebSocket API cannot share a custom domain name with HTTP or REST APIs, and this domain maps %s (%s)", other.describe(), other.Kind))
			break
		}
	}
	if multi && multiCount >= maxMultiLevel {
		errs = append(errs, fmt.Sprintf("the domain has %d multi-level mappings already, the most one domain may have", maxMultiLevel))
	}

	// "The custom domain name and mapped APIs must be in the same AWS account", and a
	// Regional domain name serves the APIs of its Region.
	domainEnv, apiEnv := awscdk.Stack_Of(d.Construct), t.api.Env()
	if a, b := concrete(domainEnv.Account()), concrete(apiEnv.Account); a != "" && b != "" && a != b {
		errs = append(errs, fmt.Sprintf("the API is in account %s and the domain in %s; a domain maps APIs of its own account", b, a))
	}
	if a, b := concrete(domainEnv.Region()), concrete(apiEnv.Region); a != "" && b != "" && a != b {
		errs = append(errs, fmt.Sprintf("the API is in %s and the domain in %s; a Regional domain name maps APIs of its own Region", b, a))
	}
	return errs
}

// describe names a made mapping's target in messages.
func (m *Mapping) describe() string {
	if m.Stage == "" {
		return m.Api
	}
	return fmt.Sprintf("%s stage %s", m.Api, m.Stage)
}

// mappingScope makes the construct a mapping and its output live in: a sibling of the stage
// (a child of its API), so that it is in the API's stack and can depend on the stage. Under
// the stage itself, two mappings of one stage would each depend on the other through the
// L2's dependency on the stage. Its id is readable and unique there:
// "DomainMapping-ApiDomain-Stage-beta-orders--v2" for the domain "ApiDomain", the stage
// "Stage-beta" and the key "orders/v2". A parent that jsii hands over as a bare interface
// cannot be a scope; the stack is, with the stage's unique id in the name.
func (d *Domain) mappingScope(stage constructs.IConstruct, key string) constructs.Construct {
	k := strings.ReplaceAll(key, "/", "--")
	if key == "" {
		k = "root"
	}
	base := fmt.Sprintf("DomainMapping-%s-%s-%s", *d.Node().Id(), *stage.Node().Id(), k)
	scope, ok := stage.Node().Scope().(constructs.Construct)
	if !ok {
		scope = awscdk.Stack_Of(stage)
		base = *awscdk.Names_UniqueId(stage) + base
	}
	id := base
	for n := 2; scope.Node().TryFindChild(jsii.String(id)) != nil; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	return constructs.NewConstruct(scope, jsii.String(id))
}

// mappingLabel names a mapping by its key in messages, the start of a long key only.
func mappingLabel(key string) string {
	const shown = 40
	switch {
	case key == "":
		return "empty mapping"
	case len(key) > shown:
		return fmt.Sprintf("mapping %q... (%d characters)", key[:shown], len(key))
	}
	return fmt.Sprintf("mapping %q", key)
}

// concrete is *s, or "" when s is nil or a token.
func concrete(s *string) string {
	if s == nil || unresolved(*s) {
		return ""
	}
	return *s
}
