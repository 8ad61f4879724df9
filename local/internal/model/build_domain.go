package model

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

// Custom domain names and their mappings. CloudFormation spells them five ways:
//
//   - AWS::ApiGatewayV2::DomainName and AWS::ApiGatewayV2::ApiMapping: HTTP, WebSocket and REST
//     APIs, single- and multi-level keys (the CDK's apigatewayv2.DomainName, and the
//     apigateway.DomainName's multi-level basePath, written as an ApiGatewayV2::ApiMapping);
//   - AWS::ApiGateway::DomainName and AWS::ApiGateway::BasePathMapping: REST APIs, one level;
//   - AWS::ApiGateway::DomainNameV2 and AWS::ApiGateway::BasePathMappingV2: private custom
//     domain names of REST APIs, which mappings name by ARN.
//
// A v1 and a v2 domain of the same name are one domain in API Gateway, so a mapping of either
// kind may name a domain of either kind.
const (
	typeDomainV2          = "AWS::ApiGatewayV2::DomainName"
	typeAPIMapping        = "AWS::ApiGatewayV2::ApiMapping"
	typeRestDomain        = "AWS::ApiGateway::DomainName"
	typeRestDomainV2      = "AWS::ApiGateway::DomainNameV2"
	typeBasePathMapping   = "AWS::ApiGateway::BasePathMapping"
	typeBasePathMappingV2 = "AWS::ApiGateway::BasePathMappingV2"
)

// Endpoint types of a custom domain name.
const (
	EndpointRegional = "REGIONAL"
	EndpointEdge     = "EDGE"
	EndpointPrivate  = "PRIVATE" // AWS::ApiGateway::DomainNameV2
)

// Security policies API Gateway documents for custom domain names; the CDK also writes the
// enhanced ones, named "SecurityPolicy_...".
const (
	SecurityPolicyTLS10 = "TLS_1_0"
	SecurityPolicyTLS12 = "TLS_1_2"
)

// domainIndex finds the domains mappings name, across the stacks of the assembly.
type domainIndex struct {
	list []*domainState
	// byRef holds what a mapping's DomainName (the lower-cased name) or DomainNameArn (a
	// private domain's ARN) resolves to, under the account and region the domain lives in.
	byRef map[string]*domainState
}

func newDomainIndex() domainIndex { return domainIndex{byRef: map[string]*domainState{}} }

// domainState is a domain under construction.
type domainState struct {
	d   *Domain
	src source
	// shadowed is set when an earlier domain of the same name is the one the runner serves.
	shadowed bool
	mappings []*mappingState
}

// mappingState is a mapping with where it was defined, for the checks that need both.
type mappingState struct {
	m       *APIMapping
	src     source
	keyProp string // the property the key came from: ApiMappingKey or BasePath
	apiProp string // ApiId or RestApiId
	api     *apiState
}

// domainKey scopes a domain reference to an account and region: one name may be a Regional
// custom domain name in several regions.
func domainKey(st *stackState, ref string) string {
	return st.r.Account() + "/" + st.r.Region() + "/" + ref
}

func (b *builder) addDomain(st *stackState, res *assembly.Resource) (bool, error) {
	var (
		d   *Domain
		err error
	)
	switch res.Type {
	case typeDomainV2:
		d, err = b.domainV2(st, res)
	case typeRestDomain:
		d, err = b.restDomain(st, res)
	case typeRestDomainV2:
		d, err = b.privateDomain(st, res)
	default:
		return false, nil
	}
	if err != nil {
		return true, err
	}
	d.Stack, d.LogicalID = st.s.Name, res.LogicalID
	ds := &domainState{d: d, src: source{st, res}}
	if err := checkDomainSettings(ds); err != nil {
		return true, err
	}

	ref := d.Name
	if res.Type == typeRestDomainV2 {
		arn, err := st.r.Ref(res.LogicalID)
		if err != nil {
			return true, propErr(st, res, "DomainNameArn", err)
		}
		ref = arn.(string)
	}
	if err := b.addDomainName(ds); err != nil {
		return true, err
	}
	b.domains.byRef[domainKey(st, ref)] = ds
	b.domains.list = append(b.domains.list, ds)
	b.warnDomain(ds)
	return true, nil
}

// addDomainName refuses a second public domain of one name in an account and region, as API
// Gateway does. The same name elsewhere (another region, or a private domain name, of which an
// account may have many) deploys, but the runner answers a Host with one domain: the first.
func (b *builder) addDomainName(ds *domainState) error {
	st, res := ds.src.st, ds.src.res
	for _, prev := range b.domains.list {
		if prev.d.Name != ds.d.Name {
			continue
		}
		pst := prev.src.st
		samePlace := pst.r.Account() == st.r.Account() && pst.r.Region() == st.r.Region()
		if samePlace && prev.d.EndpointType != EndpointPrivate && ds.d.EndpointType != EndpointPrivate {
			return propErr(st, res, "DomainName", fmt.Errorf("custom domain name %q is already defined by %s (stack %q): API Gateway refuses a second one in account %s, region %s", ds.d.Name, prev.d.LogicalID, prev.d.Stack, st.r.Account(), st.r.Region()))
		}
		if !prev.shadowed {
			ds.shadowed = true
			b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("custom domain name %q is also defined by %s (stack %q), which the runner serves under that name: this one (and its mappings) is not served locally", ds.d.Name, prev.d.LogicalID, prev.d.Stack))
			return nil
		}
	}
	return nil
}

// domainV2 reads an AWS::ApiGatewayV2::DomainName.
func (b *builder) domainV2(st *stackState, res *assembly.Resource) (*Domain, error) {
	d, err := b.domainCommon(st, res)
	if err != nil {
		return nil, err
	}
	v, err := b.resolve(st, res, "DomainNameConfigurations")
	if err != nil {
		return nil, err
	}
	f := newFields("", map[string]any{"DomainNameConfigurations": v})
	configs := f.list("DomainNameConfigurations")
	if len(configs) > 1 {
		f.fail("DomainNameConfigurations", fmt.Errorf("has %d configurations: API Gateway takes one", len(configs)))
	}
	d.EndpointType, d.SecurityPolicy = EndpointRegional, SecurityPolicyTLS12
	if len(configs) == 1 {
		c := f.elem("DomainNameConfigurations", 0, configs[0])
		if t := c.str("EndpointType"); t != "" {
			d.EndpointType = strings.ToUpper(t)
		}
		if p := c.str("SecurityPolicy"); p != "" {
			d.SecurityPolicy = p
		}
		d.CertificateARN = c.str("CertificateArn")
	}
	if err := f.check(st, res); err != nil {
		return nil, err
	}
	const prop = "DomainNameConfigurations[0]"
	if d.EndpointType != EndpointRegional && d.EndpointType != EndpointEdge {
		return nil, propErr(st, res, prop+".EndpointType", fmt.Errorf("%q is not REGIONAL or EDGE", d.EndpointType))
	}
	if err := checkSecurityPolicy(d.SecurityPolicy); err != nil {
		return nil, propErr(st, res, prop+".SecurityPolicy", err)
	}
	return d, nil
}

// restDomain reads an AWS::ApiGateway::DomainName: EDGE unless EndpointConfiguration says
// otherwise, as API Gateway creates it, with the certificate property of its endpoint type.
func (b *builder) restDomain(st *stackState, res *assembly.Resource) (*Domain, error) {
	d, err := b.domainCommon(st, res)
	if err != nil {
		return nil, err
	}
	if d.EndpointType, err = b.endpointType(st, res, EndpointEdge); err != nil {
		return nil, err
	}
	if d.EndpointType != EndpointRegional && d.EndpointType != EndpointEdge {
		return nil, propErr(st, res, "EndpointConfiguration.Types", fmt.Errorf("%q is not REGIONAL or EDGE (private custom domain names are AWS::ApiGateway::DomainNameV2)", d.EndpointType))
	}
	certProp := "RegionalCertificateArn"
	if d.EndpointType == EndpointEdge {
		certProp = "CertificateArn"
	}
	if err := b.certificateAndPolicy(st, res, d, certProp); err != nil {
		return nil, err
	}
	return d, nil
}

// privateDomain reads an AWS::ApiGateway::DomainNameV2, a private custom domain name.
func (b *builder) privateDomain(st *stackState, res *assembly.Resource) (*Domain, error) {
	d, err := b.domainCommon(st, res)
	if err != nil {
		return nil, err
	}
	if d.EndpointType, err = b.endpointType(st, res, EndpointPrivate); err != nil {
		return nil, err
	}
	if d.EndpointType != EndpointPrivate {
		return nil, propErr(st, res, "EndpointConfiguration.Types", fmt.Errorf("%q is not PRIVATE: AWS::ApiGateway::DomainNameV2 is a private custom domain name (public ones are AWS::ApiGateway::DomainName)", d.EndpointType))
	}
	if err := b.certificateAndPolicy(st, res, d, "CertificateArn"); err != nil {
		return nil, err
	}
	return d, nil
}

// certificateAndPolicy reads what both kinds of REST domain name keep at the top level of
// their properties: the certificate, under certProp, and the SecurityPolicy, which must be one
// API Gateway offers.
func (b *builder) certificateAndPolicy(st *stackState, res *assembly.Resource, d *Domain, certProp string) error {
	var err error
	if d.CertificateARN, err = b.str(st, res, certProp, false); err != nil {
		return err
	}
	if d.SecurityPolicy, err = b.str(st, res, "SecurityPolicy", false); err != nil {
		return err
	}
	if err := checkSecurityPolicy(d.SecurityPolicy); err != nil {
		return propErr(st, res, "SecurityPolicy", err)
	}
	return nil
}

// domainCommon reads what every kind of domain has: its name and mutual TLS truststore.
func (b *builder) domainCommon(st *stackState, res *assembly.Resource) (*Domain, error) {
	name, err := b.str(st, res, "DomainName", true)
	if err != nil {
		return nil, err
	}
	d := &Domain{}
	if d.Name, err = checkDomainName(name); err != nil {
		return nil, propErr(st, res, "DomainName", err)
	}
	v, err := b.resolve(st, res, "MutualTlsAuthentication")
	if err != nil {
		return nil, err
	}
	f := newFields("MutualTlsAuthentication", v)
	d.TruststoreURI = f.str("TruststoreUri")
	if err := f.check(st, res); err != nil {
		return nil, err
	}
	return d, nil
}

// endpointType reads EndpointConfiguration.Types, which holds exactly one type.
func (b *builder) endpointType(st *stackState, res *assembly.Resource, def string) (string, error) {
	v, err := b.resolve(st, res, "EndpointConfiguration")
	if err != nil {
		return "", err
	}
	f := newFields("EndpointConfiguration", v)
	types := f.strList("Types")
	if err := f.check(st, res); err != nil {
		return "", err
	}
	switch len(types) {
	case 0:
		return def, nil
	case 1:
		return strings.ToUpper(types[0]), nil
	}
	return "", propErr(st, res, "EndpointConfiguration.Types", fmt.Errorf("names %d endpoint types: a custom domain name has one", len(types)))
}

// addAPIMapping reads the three kinds of mapping into the domain they name.
func (b *builder) addAPIMapping(st *stackState, res *assembly.Resource) (bool, error) {
	var domainProp, apiProp, keyProp string
	switch res.Type {
	case typeAPIMapping:
		domainProp, apiProp, keyProp = "DomainName", "ApiId", "ApiMappingKey"
	case typeBasePathMapping:
		domainProp, apiProp, keyProp = "DomainName", "RestApiId", "BasePath"
	case typeBasePathMappingV2:
		domainProp, apiProp, keyProp = "DomainNameArn", "RestApiId", "BasePath"
	default:
		return false, nil
	}
	ref, err := b.str(st, res, domainProp, true)
	if err != nil {
		return true, err
	}
	if res.Type != typeBasePathMappingV2 {
		ref = strings.ToLower(ref)
	}
	apiID, err := b.str(st, res, apiProp, true)
	if err != nil {
		return true, err
	}
	as, ok := b.apis[apiID]
	if !ok {
		return true, propErr(st, res, apiProp, fmt.Errorf("names API %q, which the assembly does not define", apiID))
	}
	if res.Type != typeAPIMapping && as.rest == nil {
		return true, propErr(st, res, apiProp, fmt.Errorf("names %s API %q: base path mappings map REST APIs (AWS::ApiGatewayV2::ApiMapping maps every kind)", as.api.Protocol, as.api.LogicalID))
	}
	stage, err := b.str(st, res, "Stage", res.Type == typeAPIMapping)
	if err != nil {
		return true, err
	}
	key, err := b.str(st, res, keyProp, false)
	if err != nil {
		return true, err
	}
	if res.Type != typeAPIMapping {
		// API Gateway's REST API spells "no base path" and "no stage" (none).
		if key == "(none)" {
			key = ""
		}
		if stage == "(none)" {
			stage = ""
		}
	}
	m := &APIMapping{LogicalID: res.LogicalID, API: as.api.ID, Stage: stage, Key: key}
	if stage != "" && as.api.Stage(stage) == nil {
		return true, propErr(st, res, "Stage", fmt.Errorf("names stage %q, which API %q does not have (it has %s)", stage, as.api.LogicalID, stageNames(as.api)))
	}
	if err := checkMappingKey(key, as.api.Protocol); err != nil {
		return true, propErr(st, res, keyProp, err)
	}
	if res.Type == typeBasePathMapping && strings.Contains(key, "/") {
		// The guide: "To create API mappings with multiple levels, you must use
		// AWS::ApiGatewayV2."
		return true, propErr(st, res, keyProp, fmt.Errorf("%q has several levels, which only AWS::ApiGatewayV2::ApiMapping can map", key))
	}

	ds := b.domains.byRef[domainKey(st, ref)]
	if ds == nil {
		b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("maps API %q onto custom domain name %q, which the assembly does not define (in account %s, region %s): the mapping is not served locally; use the API's execute-api URL", as.api.LogicalID, ref, st.r.Account(), st.r.Region()))
		return true, nil
	}
	if ast := as.st; ast.r.Account() != st.r.Account() || ast.r.Region() != st.r.Region() {
		// The guide: "In an API mapping, the custom domain name and mapped APIs must be in
		// the same AWS account." A domain name is also a resource of one region.
		return true, propErr(st, res, apiProp, fmt.Errorf("names API %q of account %s, region %s, but the custom domain name is in account %s, region %s: they must be in the same account and region", as.api.LogicalID, ast.r.Account(), ast.r.Region(), st.r.Account(), st.r.Region()))
	}
	if (res.Type == typeBasePathMappingV2) != (ds.d.EndpointType == EndpointPrivate) {
		if res.Type == typeBasePathMappingV2 {
			return true, propErr(st, res, domainProp, fmt.Errorf("names %s, which is not a private custom domain name (AWS::ApiGateway::DomainNameV2)", ds.d.LogicalID))
		}
		return true, propErr(st, res, domainProp, fmt.Errorf("names private custom domain name %s, which only AWS::ApiGateway::BasePathMappingV2 maps", ds.d.LogicalID))
	}
	ds.mappings = append(ds.mappings, &mappingState{m: m, src: source{st, res}, keyProp: keyProp, apiProp: apiProp, api: as})
	return true, nil
}

func stageNames(api *API) string {
	if len(api.Stages) == 0 {
		return "no stage"
	}
	names := make([]string, len(api.Stages))
	for i, s := range api.Stages {
		names[i] = quote(s.Name)
	}
	return "stages " + strings.Join(names, ", ")
}

// finishDomains checks each domain's mappings together, orders them for matching, and puts
// the served domains into the model in template order.
func (b *builder) finishDomains() error {
	for _, ds := range b.domains.list {
		if err := checkDomainMappings(ds); err != nil {
			return err
		}
		ds.d.Mappings = make([]*APIMapping, len(ds.mappings))
		for i, ms := range ds.mappings {
			ds.d.Mappings[i] = ms.m
		}
		sortMappings(ds.d.Mappings)
		if !ds.shadowed {
			b.m.Domains = append(b.m.Domains, ds.d)
		}
	}
	return nil
}

// sortMappings puts the longest key first, so the first mapping whose key matches a request
// wins, as API Gateway picks "the API mapping that has the longest matching path"; the empty
// key, the catch-all, comes last.
func sortMappings(ms []*APIMapping) {
	sort.SliceStable(ms, func(i, j int) bool {
		if len(ms[i].Key) != len(ms[j].Key) {
			return len(ms[i].Key) > len(ms[j].Key)
		}
		return ms[i].Key < ms[j].Key
	})
}

// warnDomain names what the runner does not do as API Gateway does for this domain.
func (b *builder) warnDomain(ds *domainState) {
	st, res, d := ds.src.st, ds.src.res, ds.d
	warn := func(msg string) { b.warn(st, res.LogicalID, res.Type, msg) }
	switch d.EndpointType {
	case EndpointEdge:
		// The guide: "Edge-optimized APIs capitalize the names of HTTP headers (for
		// example, Cookie)", and CloudFront sorts cookies by name.
		warn(fmt.Sprintf("edge-optimized custom domain name %q is served like a Regional one: no CloudFront distribution stands in front, so header names reach integrations as the client wrote them (API Gateway's edge capitalizes them) and cookies are not sorted by name", d.Name))
	case EndpointPrivate:
		msg := fmt.Sprintf("private custom domain name %q is served to every local client: AWS answers only through a VPC endpoint with a domain name access association", d.Name)
		if res.Properties["Policy"] != nil {
			msg += ", and its Policy is not evaluated locally"
		}
		warn(msg)
	}
	if d.TruststoreURI != "" {
		warn(mutualTLSWarning(d))
	}
	mode, err := b.str(st, res, "RoutingMode", false)
	if err == nil && mode != "" && mode != "API_MAPPING_ONLY" {
		warn(fmt.Sprintf("RoutingMode %s: routing rules (AWS::ApiGatewayV2::RoutingRule) are not emulated; the runner routes requests to %q by its API mappings only", mode, d.Name))
	}
}

// mutualTLSWarning says what the runner does instead of loading the truststore from S3.
func mutualTLSWarning(d *Domain) string {
	return fmt.Sprintf("mutual TLS: the truststore %s is not read (it is in S3); on its --tls listener the runner instead requires clients of %q to present a certificate issued by its local CA (403 Forbidden without one), and lets plain HTTP requests, which cannot carry one, through", d.TruststoreURI, d.Name)
}
