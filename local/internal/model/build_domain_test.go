package model_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// domainAPIs are the APIs the domain tests map: an HTTP API with a $default and a v2 stage, a
// WebSocket API with a prod stage, and a REST API with a v1 stage.
const domainAPIs = `
	"Http": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "http", "ProtocolType": "HTTP"}},
	"HttpDefault": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "Http"}, "StageName": "$default"}},
	"HttpV2": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "Http"}, "StageName": "v2"}},
	"Ws": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "ws", "ProtocolType": "WEBSOCKET", "RouteSelectionExpression": "$request.body.action"}},
	"WsProd": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "Ws"}, "StageName": "prod"}},
	"Rest": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "rest"}},
	"RestGet": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "Rest"}, "ResourceId": {"Fn::GetAtt": ["Rest", "RootResourceId"]}, "HttpMethod": "GET", "AuthorizationType": "NONE", "Integration": {"Type": "MOCK"}}},
	"RestDeployment": {"Type": "AWS::ApiGateway::Deployment", "Properties": {"RestApiId": {"Ref": "Rest"}, "StageName": "v1"}},`

// domainStack is one stack of a domain test: its environment and resources besides domainAPIs.
type domainStack struct {
	account, region string
	resources       string // JSON object members
	apis            bool   // include domainAPIs
	outputs         string // JSON object members
}

func buildDomains(t *testing.T, stacks ...domainStack) (*model.Model, error) {
	t.Helper()
	a := &assembly.Assembly{Dir: t.TempDir()}
	for i, s := range stacks {
		res := s.resources
		if s.apis {
			res = domainAPIs + res
		}
		src := `{"Resources": {` + strings.TrimSuffix(strings.TrimSpace(res), ",") + `}, "Outputs": {` + s.outputs + `}}`
		tmpl, err := assembly.ParseTemplate([]byte(src))
		if err != nil {
			t.Fatalf("stack %d: %v\n%s", i, err, src)
		}
		name := fmt.Sprintf("S%d", i)
		a.Stacks = append(a.Stacks, &assembly.Stack{ArtifactID: name, Name: name, Dir: a.Dir, Account: s.account, Region: s.region, Template: tmpl})
	}
	return model.Build(a, model.BuildOptions{})
}

// oneStack is the usual case: the APIs and the resources under test in stack S0.
func oneStack(resources string) []domainStack {
	return []domainStack{{apis: true, resources: resources}}
}

func v2Domain(id, name, extra string) string {
	return fmt.Sprintf(`%q: {"Type": "AWS::ApiGatewayV2::DomainName", "Properties": {"DomainName": %q%s}},`, id, name, extra)
}

func mapping(id, domain, api, stage, key string) string {
	k := ""
	if key != "" {
		k = fmt.Sprintf(`, "ApiMappingKey": %q`, key)
	}
	return fmt.Sprintf(`%q: {"Type": "AWS::ApiGatewayV2::ApiMapping", "Properties": {"DomainName": {"Ref": %q}, "ApiId": {"Ref": %q}, "Stage": %q%s}},`, id, domain, api, stage, k)
}

func basePath(id, domain, stage, path string) string {
	props := fmt.Sprintf(`"DomainName": {"Ref": %q}, "RestApiId": {"Ref": "Rest"}`, domain)
	if stage != "" {
		props += fmt.Sprintf(`, "Stage": %q`, stage)
	}
	if path != "" {
		props += fmt.Sprintf(`, "BasePath": %q`, path)
	}
	return fmt.Sprintf(`%q: {"Type": "AWS::ApiGateway::BasePathMapping", "Properties": {%s}},`, id, props)
}

func restDomain(id, name, extra string) string {
	return fmt.Sprintf(`%q: {"Type": "AWS::ApiGateway::DomainName", "Properties": {"DomainName": %q%s}},`, id, name, extra)
}

const (
	regional = `, "EndpointConfiguration": {"Types": ["REGIONAL"]}, "SecurityPolicy": "TLS_1_2"`
	tls10    = `, "DomainNameConfigurations": [{"EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_0"}]`
)

// TestDomainErrors: every template API Gateway would refuse to deploy is refused, naming the
// stack, the resource, the property and the rule.
func TestDomainErrors(t *testing.T) {
	tests := []struct {
		name   string
		stacks []domainStack
		want   string // a substring of the error
	}{
		// Mappings naming what does not exist.
		{"unknown API", oneStack(v2Domain("D", "api.example.com", "") + `"M": {"Type": "AWS::ApiGatewayV2::ApiMapping", "Properties": {"DomainName": {"Ref": "D"}, "ApiId": "abc123", "Stage": "$default"}}`),
			`resource "M" (AWS::ApiGatewayV2::ApiMapping): property ApiId: names API "abc123", which the assembly does not define`},
		{"unknown stage", oneStack(v2Domain("D", "api.example.com", "") + mapping("M", "D", "Http", "prod", "")),
			`resource "M" (AWS::ApiGatewayV2::ApiMapping): property Stage: names stage "prod", which API "Http" does not have (it has stages "$default", "v2")`},
		{"unknown REST stage", oneStack(restDomain("D", "shop.example.com", regional) + basePath("M", "D", "v9", "shop")),
			`resource "M" (AWS::ApiGateway::BasePathMapping): property Stage: names stage "v9", which API "Rest" does not have (it has stages "v1")`},
		{"no stage on an ApiMapping", oneStack(v2Domain("D", "api.example.com", "") + `"M": {"Type": "AWS::ApiGatewayV2::ApiMapping", "Properties": {"DomainName": {"Ref": "D"}, "ApiId": {"Ref": "Http"}}}`),
			`resource "M" (AWS::ApiGatewayV2::ApiMapping): property Stage: is required`},
		{"base path mapping of an HTTP API", oneStack(restDomain("D", "shop.example.com", regional) + `"M": {"Type": "AWS::ApiGateway::BasePathMapping", "Properties": {"DomainName": {"Ref": "D"}, "RestApiId": {"Ref": "Http"}, "Stage": "$default"}}`),
			`property RestApiId: names HTTP API "Http": base path mappings map REST APIs`},

		// Mapping keys.
		{"key with a character outside the set", oneStack(v2Domain("D", "api.example.com", "") + mapping("M", "D", "Http", "v2", "orders?x")),
			`resource "M" (AWS::ApiGatewayV2::ApiMapping): property ApiMappingKey: "orders?x" has '?': mapping keys hold only letters, numbers and $-_.+!*'()/`},
		{"key with a space", oneStack(v2Domain("D", "api.example.com", "") + mapping("M", "D", "Http", "v2", "my orders")),
			`"my orders" has ' '`},
		{"key with a non-ASCII letter", oneStack(v2Domain("D", "api.example.com", "") + mapping("M", "D", "Http", "v2", "café")),
			`"café" has 'é'`},
		{"key longer than 300", oneStack(v2Domain("D", "api.example.com", "") + mapping("M", "D", "Http", "v2", strings.Repeat("a", 301))),
			`property ApiMappingKey: is 301 characters long: API Gateway allows at most 300 in a mapping key`},
		{"key with a leading slash", oneStack(v2Domain("D", "api.example.com", "") + mapping("M", "D", "Http", "v2", "/orders")),
			`"/orders" starts or ends with a slash`},
		{"key with a trailing slash", oneStack(v2Domain("D", "api.example.com", "") + mapping("M", "D", "Http", "v2", "orders/")),
			`"orders/" starts or ends with a slash`},
		{"key with a doubled slash", oneStack(v2Domain("D", "api.example.com", "") + mapping("M", "D", "Http", "v2", "orders//v2")),
			`"orders//v2" has an empty level (//)`},
		{"base path with a bad character", oneStack(restDomain("D", "shop.example.com", regional) + basePath("M", "D", "v1", "shop#1")),
			`resource "M" (AWS::ApiGateway::BasePathMapping): property BasePath: "shop#1" has '#'`},
		{"multi-level base path mapping", oneStack(restDomain("D", "shop.example.com", regional) + basePath("M", "D", "v1", "shop/v1")),
			`property BasePath: "shop/v1" has several levels, which only AWS::ApiGatewayV2::ApiMapping can map`},
		{"multi-level key for a WebSocket API", oneStack(v2Domain("D", "ws.example.com", "") + mapping("M", "D", "Ws", "prod", "chat/v1")),
			`property ApiMappingKey: "chat/v1" has several levels: a WebSocket API's mapping key is one level`},

		// Keys that collide on a domain.
		{"one key twice", oneStack(v2Domain("D", "api.example.com", "") + mapping("A", "D", "Http", "$default", "orders") + mapping("B", "D", "Http", "v2", "orders")),
			`resource "B" (AWS::ApiGatewayV2::ApiMapping): property ApiMappingKey: custom domain name "api.example.com" already maps key "orders", to API "Http" stage "$default" (A in stack "S0")`},
		{"two empty mappings", oneStack(v2Domain("D", "api.example.com", "") + mapping("A", "D", "Http", "$default", "") + mapping("B", "D", "Http", "v2", "")),
			`resource "B" (AWS::ApiGatewayV2::ApiMapping): property ApiMappingKey: custom domain name "api.example.com" already maps the empty key (the catch-all)`},
		{"(none) and no base path are one key", oneStack(restDomain("D", "shop.example.com", regional) + basePath("A", "D", "v1", "") + basePath("B", "D", "v1", "(none)")),
			`resource "B" (AWS::ApiGateway::BasePathMapping): property BasePath: custom domain name "shop.example.com" already maps the empty key`},
		{"a base path and an api mapping key collide", oneStack(restDomain("D", "shop.example.com", regional) + basePath("A", "D", "v1", "shop") + mapping("B", "D", "Rest", "v1", "shop")),
			`resource "B" (AWS::ApiGatewayV2::ApiMapping): property ApiMappingKey: custom domain name "shop.example.com" already maps key "shop"`},

		// API kinds and domain settings.
		{"WebSocket with HTTP on one domain", oneStack(v2Domain("D", "api.example.com", "") + mapping("A", "D", "Http", "$default", "orders") + mapping("B", "D", "Ws", "prod", "chat")),
			`resource "B" (AWS::ApiGatewayV2::ApiMapping): property ApiId: maps WEBSOCKET API "Ws" onto custom domain name "api.example.com", which already maps HTTP API "Http" (A): a domain cannot map WebSocket APIs together with HTTP or REST APIs`},
		{"REST after WebSocket on one domain", oneStack(v2Domain("D", "api.example.com", "") + mapping("A", "D", "Ws", "prod", "chat") + mapping("B", "D", "Rest", "v1", "shop")),
			`resource "B" (AWS::ApiGatewayV2::ApiMapping): property ApiId: maps REST API "Rest" onto custom domain name "api.example.com", which already maps WEBSOCKET API "Ws" (A)`},
		{"WebSocket on a TLS 1.0 domain", oneStack(v2Domain("D", "ws.example.com", tls10) + mapping("M", "D", "Ws", "prod", "chat")),
			`resource "M" (AWS::ApiGatewayV2::ApiMapping): property ApiId: maps WebSocket API "Ws" onto custom domain name "ws.example.com", which is REGIONAL with security policy TLS_1_0: WebSocket APIs need a Regional custom domain name with TLS 1.2`},
		{"WebSocket on an edge domain", oneStack(restDomain("D", "ws.example.com", `, "SecurityPolicy": "TLS_1_2"`) + mapping("M", "D", "Ws", "prod", "")),
			`which is EDGE with security policy TLS_1_2: WebSocket APIs need a Regional custom domain name`},
		{"HTTP on a TLS 1.0 domain", oneStack(restDomain("D", "api.example.com", `, "EndpointConfiguration": {"Types": ["REGIONAL"]}, "SecurityPolicy": "TLS_1_0"`) + mapping("M", "D", "Http", "$default", "")),
			`property ApiId: maps HTTP API "Http" onto custom domain name "api.example.com", which is REGIONAL with security policy TLS_1_0: HTTP APIs need a Regional custom domain name with the TLS 1.2 security policy`},
		{"HTTP on an edge domain", oneStack(restDomain("D", "api.example.com", "") + mapping("M", "D", "Http", "$default", "")),
			`which is EDGE with the default security policy: HTTP APIs need a Regional custom domain name`},
		{"multi-level REST key on a TLS 1.0 domain", oneStack(restDomain("D", "shop.example.com", `, "EndpointConfiguration": {"Types": ["REGIONAL"]}, "SecurityPolicy": "TLS_1_0"`) + mapping("M", "D", "Rest", "v1", "shop/v1")),
			`property ApiId: maps API "Rest" under multi-level key "shop/v1" onto custom domain name "shop.example.com", which is REGIONAL with security policy TLS_1_0: multi-level mappings need a Regional custom domain name with the TLS 1.2 security policy`},
		{"multi-level REST key on an edge domain", oneStack(restDomain("D", "shop.example.com", `, "SecurityPolicy": "TLS_1_2"`) + mapping("M", "D", "Rest", "v1", "shop/v1")),
			`which is EDGE with security policy TLS_1_2: multi-level mappings need a Regional`},
		{"mutual TLS on an edge domain", oneStack(restDomain("D", "shop.example.com", `, "SecurityPolicy": "TLS_1_2", "MutualTlsAuthentication": {"TruststoreUri": "s3://b/k.pem"}`)),
			`resource "D" (AWS::ApiGateway::DomainName): property MutualTlsAuthentication: mutual TLS needs a Regional custom domain name with the TLS_1_2 security policy; "shop.example.com" is EDGE with security policy TLS_1_2`},
		{"mutual TLS with TLS 1.0", oneStack(v2Domain("D", "api.example.com", tls10+`, "MutualTlsAuthentication": {"TruststoreUri": "s3://b/k.pem"}`)),
			`property MutualTlsAuthentication: mutual TLS needs a Regional custom domain name with the TLS_1_2 security policy`},
		{"HTTP on an enhanced policy", oneStack(restDomain("D", "api.example.com", `, "EndpointConfiguration": {"Types": ["REGIONAL"]}, "SecurityPolicy": "SecurityPolicy_TLS13_1_3_2025_09", "EndpointAccessMode": "STRICT"`) + mapping("M", "D", "Http", "$default", "")),
			`property ApiId: maps HTTP API "Http" onto custom domain name "api.example.com", whose security policy SecurityPolicy_TLS13_1_3_2025_09 is an enhanced one: HTTP APIs cannot be mapped onto those`},
		{"REST on an enhanced policy is fine", oneStack(restDomain("D", "shop.example.com", `, "EndpointConfiguration": {"Types": ["REGIONAL"]}, "SecurityPolicy": "SecurityPolicy_TLS13_1_2_PQ_2025_09", "EndpointAccessMode": "BASIC"`) + mapping("M", "D", "Rest", "v1", "shop/v1")),
			""},
		{"mutual TLS with an enhanced policy", oneStack(restDomain("D", "shop.example.com", `, "EndpointConfiguration": {"Types": ["REGIONAL"]}, "SecurityPolicy": "SecurityPolicy_TLS13_1_3_2025_09", "MutualTlsAuthentication": {"TruststoreUri": "s3://b/k.pem"}`)),
			`resource "D" (AWS::ApiGateway::DomainName): property MutualTlsAuthentication: mutual TLS cannot be enabled on "shop.example.com", whose security policy SecurityPolicy_TLS13_1_3_2025_09 is an enhanced one`},
		{"an unknown security policy", oneStack(v2Domain("D", "api.example.com", `, "DomainNameConfigurations": [{"SecurityPolicy": "TLS_1_1"}]`)),
			`resource "D" (AWS::ApiGatewayV2::DomainName): property DomainNameConfigurations[0].SecurityPolicy: "TLS_1_1" is not TLS_1_0, TLS_1_2 or an enhanced policy`},
		{"an unknown REST security policy", oneStack(restDomain("D", "api.example.com", `, "SecurityPolicy": "SSLv3"`)),
			`resource "D" (AWS::ApiGateway::DomainName): property SecurityPolicy: "SSLv3" is not TLS_1_0, TLS_1_2`},
		{"two configurations", oneStack(v2Domain("D", "api.example.com", `, "DomainNameConfigurations": [{}, {}]`)),
			`property DomainNameConfigurations: has 2 configurations: API Gateway takes one`},
		{"an unknown endpoint type", oneStack(v2Domain("D", "api.example.com", `, "DomainNameConfigurations": [{"EndpointType": "GLOBAL"}]`)),
			`property DomainNameConfigurations[0].EndpointType: "GLOBAL" is not REGIONAL or EDGE`},
		{"a private type on a public domain", oneStack(restDomain("D", "api.example.com", `, "EndpointConfiguration": {"Types": ["PRIVATE"]}`)),
			`property EndpointConfiguration.Types: "PRIVATE" is not REGIONAL or EDGE (private custom domain names are AWS::ApiGateway::DomainNameV2)`},
		{"two endpoint types", oneStack(restDomain("D", "api.example.com", `, "EndpointConfiguration": {"Types": ["REGIONAL", "EDGE"]}`)),
			`property EndpointConfiguration.Types: names 2 endpoint types: a custom domain name has one`},
		{"a public type on a private domain", oneStack(`"D": {"Type": "AWS::ApiGateway::DomainNameV2", "Properties": {"DomainName": "p.example.com", "EndpointConfiguration": {"Types": ["REGIONAL"]}}}`),
			`resource "D" (AWS::ApiGateway::DomainNameV2): property EndpointConfiguration.Types: "REGIONAL" is not PRIVATE`},
		{"BasePathMappingV2 onto a public domain", oneStack(restDomain("D", "shop.example.com", regional) + `"M": {"Type": "AWS::ApiGateway::BasePathMappingV2", "Properties": {"DomainNameArn": "arn:aws:apigateway:us-east-1::/domainnames/shop.example.com", "RestApiId": {"Ref": "Rest"}, "Stage": "v1"}}`),
			"", // not an error: the ARN names no private domain, which is a warning (below)
		},

		// Domain names.
		{"a name with an underscore", oneStack(v2Domain("D", "my_api.example.com", "")),
			`resource "D" (AWS::ApiGatewayV2::DomainName): property DomainName: "my_api.example.com": label "my_api" has '_': host names hold letters, digits and hyphens`},
		{"a single label", oneStack(v2Domain("D", "localhost", "")),
			`property DomainName: "localhost" is not a fully qualified domain name`},
		{"a trailing dot", oneStack(v2Domain("D", "api.example.com.", "")),
			`property DomainName: "api.example.com." ends with a dot`},
		{"an empty label", oneStack(v2Domain("D", "api..example.com", "")),
			`"api..example.com": has an empty label`},
		{"a hyphen first", oneStack(restDomain("D", "-api.example.com", regional)),
			`label "-api" starts or ends with a hyphen`},
		{"a label of 64", oneStack(v2Domain("D", strings.Repeat("a", 64)+".example.com", "")),
			`is longer than 63 characters`},
		{"a wildcard inside", oneStack(v2Domain("D", "api.*.example.com", "")),
			`a wildcard (*) may only be the whole first label, as in *.example.com`},
		{"a wildcard in a label", oneStack(v2Domain("D", "*api.example.com", "")),
			`a wildcard (*) may only be the whole first label`},
		{"a wildcard on a top-level domain", oneStack(v2Domain("D", "*.com", "")),
			`"*.com": a wildcard custom domain name stands for the subdomains of a domain`},
		{"an empty name", oneStack(v2Domain("D", "", "")),
			`property DomainName: is empty`},
		{"no name", oneStack(`"D": {"Type": "AWS::ApiGatewayV2::DomainName", "Properties": {}}`),
			`property DomainName: is required`},
		{"a name too long", oneStack(v2Domain("D", strings.Repeat("abcdefghi.", 26)+"com", "")),
			`is 263 characters long: a DNS name has at most 253`},
		{"two domains of one name", oneStack(v2Domain("A", "api.example.com", "") + restDomain("B", "API.example.com", regional)),
			`resource "B" (AWS::ApiGateway::DomainName): property DomainName: custom domain name "api.example.com" is already defined by A (stack "S0"): API Gateway refuses a second one in account 123456789012, region us-east-1`},
		{"two domains of one name in two stacks", []domainStack{{resources: v2Domain("A", "api.example.com", "")}, {resources: v2Domain("B", "api.example.com", "")}},
			`stack "S1": resource "B" (AWS::ApiGatewayV2::DomainName): property DomainName: custom domain name "api.example.com" is already defined by A (stack "S0")`},
		{"a wildcard twice", oneStack(v2Domain("A", "*.example.com", "") + v2Domain("B", "*.example.com", "")),
			`custom domain name "*.example.com" is already defined by A`},

		// Accounts and regions.
		{"an API of another account", []domainStack{
			{account: "111111111111", region: "us-east-1", apis: true, outputs: `"HttpId": {"Value": {"Ref": "Http"}, "Export": {"Name": "HttpId"}}`},
			{account: "222222222222", region: "us-east-1", resources: v2Domain("D", "api.example.com", "") +
				`"M": {"Type": "AWS::ApiGatewayV2::ApiMapping", "Properties": {"DomainName": {"Ref": "D"}, "ApiId": {"Fn::ImportValue": "HttpId"}, "Stage": "$default"}}`},
		}, `stack "S1": resource "M" (AWS::ApiGatewayV2::ApiMapping): property ApiId: names API "Http" of account 111111111111, region us-east-1, but the custom domain name is in account 222222222222, region us-east-1: they must be in the same account and region`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := buildDomains(t, tt.stacks...)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Build: %v", err)
			case tt.want == "":
			case err == nil:
				t.Fatalf("Build succeeded, want an error with %q", tt.want)
			case !strings.Contains(err.Error(), tt.want):
				t.Fatalf("Build error:\n  %v\nwant it to contain:\n  %s", err, tt.want)
			}
		})
	}
}

// TestDomainWarnings: the runner names each thing it serves differently from API Gateway, and
// nothing else.
func TestDomainWarnings(t *testing.T) {
	tests := []struct {
		name   string
		stacks []domainStack
		want   []string // each a substring of one domain warning, in order
	}{
		{"regional domains with mappings of every kind", oneStack(
			v2Domain("Api", "api.example.com", "") + mapping("A", "Api", "Http", "$default", "") + mapping("B", "Api", "Http", "v2", "orders/v2") + mapping("C", "Api", "Rest", "v1", "shop/v1") +
				restDomain("Shop", "shop.example.com", regional) + basePath("S", "Shop", "v1", "shop") + basePath("T", "Shop", "", "any") +
				v2Domain("WsDomain", "ws.example.com", "") + mapping("W", "WsDomain", "Ws", "prod", "chat") +
				v2Domain("Wild", "*.example.com", "") + mapping("X", "Wild", "Http", "$default", "") +
				`"Alias": {"Type": "AWS::Route53::RecordSet", "Properties": {"Name": "api.example.com.", "Type": "A", "AliasTarget": {"DNSName": {"Fn::GetAtt": ["Api", "RegionalDomainName"]}, "HostedZoneId": {"Fn::GetAtt": ["Api", "RegionalHostedZoneId"]}}}},
				"Cert": {"Type": "AWS::CertificateManager::Certificate", "Properties": {"DomainName": "api.example.com", "ValidationMethod": "DNS"}},`),
			nil},
		{"an edge domain", oneStack(restDomain("D", "legacy.example.com", "") + basePath("M", "D", "v1", "")),
			[]string{`edge-optimized custom domain name "legacy.example.com" is served like a Regional one: no CloudFront distribution stands in front, so header names reach integrations as the client wrote them`}},
		{"mutual TLS", oneStack(v2Domain("D", "partners.example.com", `, "MutualTlsAuthentication": {"TruststoreUri": "s3://trust/store.pem", "TruststoreVersion": "1"}`)),
			[]string{`mutual TLS: the truststore s3://trust/store.pem is not read`}},
		{"routing rules", oneStack(v2Domain("D", "api.example.com", `, "RoutingMode": "ROUTING_RULE_THEN_API_MAPPING"`)),
			[]string{`RoutingMode ROUTING_RULE_THEN_API_MAPPING: routing rules (AWS::ApiGatewayV2::RoutingRule) are not emulated; the runner routes requests to "api.example.com" by its API mappings only`}},
		{"API mappings only is what the runner does", oneStack(v2Domain("D", "api.example.com", `, "RoutingMode": "API_MAPPING_ONLY"`)), nil},
		{"a domain outside the assembly", oneStack(`"M": {"Type": "AWS::ApiGatewayV2::ApiMapping", "Properties": {"DomainName": "shared.example.com", "ApiId": {"Ref": "Http"}, "Stage": "$default", "ApiMappingKey": "http"}}`),
			[]string{`maps API "Http" onto custom domain name "shared.example.com", which the assembly does not define (in account 123456789012, region us-east-1): the mapping is not served locally`}},
		{"BasePathMappingV2 onto a public domain's ARN", oneStack(restDomain("D", "shop.example.com", regional) + `"M": {"Type": "AWS::ApiGateway::BasePathMappingV2", "Properties": {"DomainNameArn": "arn:aws:apigateway:us-east-1::/domainnames/shop.example.com", "RestApiId": {"Ref": "Rest"}, "Stage": "v1"}}`),
			[]string{`onto custom domain name "arn:aws:apigateway:us-east-1::/domainnames/shop.example.com", which the assembly does not define`}},
		{"a private domain", oneStack(`"D": {"Type": "AWS::ApiGateway::DomainNameV2", "Properties": {"DomainName": "private.example.com", "EndpointConfiguration": {"Types": ["PRIVATE"]}, "SecurityPolicy": "TLS_1_2"}},
			"M": {"Type": "AWS::ApiGateway::BasePathMappingV2", "Properties": {"DomainNameArn": {"Ref": "D"}, "RestApiId": {"Ref": "Rest"}, "Stage": "v1", "BasePath": "rest"}}`),
			[]string{`private custom domain name "private.example.com" is served to every local client: AWS answers only through a VPC endpoint`}},
		{"one name in two regions", []domainStack{
			{region: "us-east-1", apis: true, resources: v2Domain("D", "api.example.com", "") + mapping("M", "D", "Http", "$default", "")},
			{region: "eu-west-1", apis: true, resources: v2Domain("D", "api.example.com", "") + mapping("M", "D", "Http", "$default", "")},
		}, []string{`custom domain name "api.example.com" is also defined by D (stack "S0"), which the runner serves under that name: this one (and its mappings) is not served locally`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := buildDomains(t, tt.stacks...)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			var got []string
			for _, w := range m.Warnings {
				if strings.Contains(w.Type, "Domain") || strings.Contains(w.Type, "Mapping") || strings.HasPrefix(w.Type, "AWS::Route53::") || strings.HasPrefix(w.Type, "AWS::CertificateManager::") {
					got = append(got, w.Message)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("domain warnings:\n  %s\nwant %d:\n  %s", strings.Join(got, "\n  "), len(tt.want), strings.Join(tt.want, "\n  "))
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("warning %d:\n  %s\nwant it to contain:\n  %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestDomainMappings checks what the runner reads: names lower-cased (a mapping may name its
// domain in any case), keys as written with REST's "(none)" read as empty, and mappings longest
// key first, equally long ones by key, the catch-all last.
func TestDomainMappings(t *testing.T) {
	m, err := buildDomains(t, domainStack{apis: true, resources: v2Domain("Api", "API.Example.com", "") +
		mapping("A", "Api", "Http", "$default", "") +
		mapping("B", "Api", "Http", "v2", "orders") +
		`"C": {"Type": "AWS::ApiGatewayV2::ApiMapping", "Properties": {"DomainName": "api.example.COM", "ApiId": {"Ref": "Rest"}, "Stage": "v1", "ApiMappingKey": "orders/v1/items"}},` +
		mapping("D", "Api", "Http", "v2", "orders/v2") +
		mapping("E", "Api", "Http", "v2", "b") +
		mapping("F", "Api", "Http", "v2", "a") +
		restDomain("Shop", "shop.example.com", regional) +
		basePath("S", "Shop", "(none)", "(none)")})
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Domain, Key, Stage, API string }
	var got []row
	for _, d := range m.Domains {
		for _, mp := range d.Mappings {
			api := ""
			for _, a := range m.APIs {
				if a.ID == mp.API {
					api = a.LogicalID
				}
			}
			got = append(got, row{d.Name, mp.Key, mp.Stage, api})
		}
	}
	want := []row{
		{"api.example.com", "orders/v1/items", "v1", "Rest"},
		{"api.example.com", "orders/v2", "v2", "Http"},
		{"api.example.com", "orders", "v2", "Http"},
		{"api.example.com", "a", "v2", "Http"},
		{"api.example.com", "b", "v2", "Http"},
		{"api.example.com", "", "$default", "Http"},
		{"shop.example.com", "", "", "Rest"},
	}
	if g, w := js(got), js(want); g != w {
		t.Errorf("mappings:\n%s\nwant:\n%s", g, w)
	}
}

func js(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}
