package model_test

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// FuzzBuild: whatever a template holds (policy documents of any shape, responses naming
// anything, usage plans with odd stages, REST resource trees with cycles, OpenAPI bodies with
// looping $refs, authorizers of any shape, domains and mappings naming anything), Build
// returns a model or an error, never panics.
func FuzzBuild(f *testing.F) {
	f.Add([]byte(`{"Resources": {
		"Ws": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "WEBSOCKET", "RouteSelectionExpression": "$request.body.action"}},
		"Dev": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "Ws"}, "StageName": "dev"}},
		"Mock": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"ApiId": {"Ref": "Ws"}, "IntegrationType": "MOCK"}},
		"Ping": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Ws"}, "RouteKey": "ping", "Target": {"Fn::Sub": "integrations/${Mock}"}}},
		"PingResponse": {"Type": "AWS::ApiGatewayV2::RouteResponse", "Properties": {"ApiId": {"Ref": "Ws"}, "RouteId": {"Ref": "Ping"}, "RouteResponseKey": "$default"}},
		"MockResponse": {"Type": "AWS::ApiGatewayV2::IntegrationResponse", "Properties": {"ApiId": {"Ref": "Ws"}, "IntegrationId": {"Ref": "Mock"}, "IntegrationResponseKey": "/2\\d\\d/"}},
		"Key": {"Type": "AWS::ApiGateway::ApiKey", "Properties": {"Enabled": true}},
		"Plan": {"Type": "AWS::ApiGateway::UsagePlan", "Properties": {"ApiStages": [{"ApiId": {"Ref": "Ws"}, "Stage": {"Ref": "Dev"}}], "Quota": {"Limit": 1}}},
		"PlanKey": {"Type": "AWS::ApiGateway::UsagePlanKey", "Properties": {"KeyId": {"Ref": "Key"}, "KeyType": "API_KEY", "UsagePlanId": {"Ref": "Plan"}}}
	}}`))
	f.Add([]byte(`{"Resources": {
		"Role": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyDocument": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": {"Fn::GetAtt": ["Q", "Nope"]}}}}],
			"ManagedPolicyArns": [{"Ref": "Mp"}, "arn:aws:iam::aws:policy/AdministratorAccess", {"Fn::If": ["C", "x", {"Ref": "AWS::NoValue"}]}]}},
		"Mp": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"Roles": [{"Ref": "Role"}], "PolicyDocument": {"Statement": [{"Effect": "Deny", "NotAction": [], "Resource": ["*", {"Ref": "AWS::NoValue"}], "Condition": {}}]}}},
		"P": {"Type": "AWS::IAM::Policy", "Properties": {"Roles": ["x", {"Ref": "Role"}], "PolicyDocument": {"Statement": [[]]}}},
		"Q": {"Type": "AWS::SQS::Queue", "Properties": {}},
		"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Role": {"Fn::GetAtt": ["Role", "Arn"]}}}
	}, "Conditions": {"C": {"Fn::Equals": ["a", "b"]}}}`))
	f.Add([]byte(`{"Resources": {"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Fn::If": ["C", {"Statement": 1}, "x"]}}}}, "Conditions": {"C": {"Fn::Equals": [1, 1]}}}`))
	f.Add([]byte(`{"Resources": {
		"Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "a", "BinaryMediaTypes": ["image~1png"]}},
		"A": {"Type": "AWS::ApiGateway::Resource", "Properties": {"RestApiId": {"Ref": "Api"}, "ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "PathPart": "{id}"}},
		"B": {"Type": "AWS::ApiGateway::Resource", "Properties": {"RestApiId": {"Ref": "Api"}, "ParentId": {"Ref": "A"}, "PathPart": "{proxy+}"}},
		"M": {"Type": "AWS::ApiGateway::Model", "Properties": {"RestApiId": {"Ref": "Api"}, "Schema": "{}"}},
		"V": {"Type": "AWS::ApiGateway::RequestValidator", "Properties": {"RestApiId": {"Ref": "Api"}, "ValidateRequestBody": true}},
		"G": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "Api"}, "ResourceId": {"Ref": "B"}, "HttpMethod": "ANY", "RequestModels": {"a/b": {"Ref": "M"}}, "RequestValidatorId": {"Ref": "V"},
			"MethodResponses": [{"StatusCode": "200"}], "Integration": {"Type": "MOCK", "IntegrationResponses": [{"StatusCode": "200", "SelectionPattern": "2\\d\\d"}]}}},
		"D": {"Type": "AWS::ApiGateway::Deployment", "Properties": {"RestApiId": {"Ref": "Api"}, "StageName": "s", "StageDescription": {"MethodSettings": [{"ResourcePath": "/~1{id}", "HttpMethod": "*", "ThrottlingRateLimit": 1}]}}},
		"S": {"Type": "AWS::ApiGateway::Stage", "Properties": {"RestApiId": {"Ref": "Api"}, "DeploymentId": {"Ref": "D"}, "StageName": "t"}},
		"P": {"Type": "AWS::ApiGateway::UsagePlan", "Properties": {"Quota": {"Limit": 1, "Period": "DAY"}, "ApiStages": [{"ApiId": {"Ref": "Api"}, "Stage": "s", "Throttle": {"/{id}/{proxy+}/ANY": {"RateLimit": 1}}}]}}
	}}`))
	f.Add([]byte(`{"Resources": {"Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Parameters": {"basepath": "prepend"}, "Body": {
		"openapi": "3.0.1", "servers": [{"url": "https://x/v1"}],
		"paths": {"/a/{b}": {"parameters": [{"$ref": "#/components/parameters/P"}], "x-amazon-apigateway-any-method": {
			"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}},
			"responses": {"200": {"content": {"text/plain": {"schema": {"type": "string"}}}}},
			"x-amazon-apigateway-integration": {"$ref": "#/components/x-loop"}}}},
		"components": {"schemas": {"S": {"$ref": "#/components/schemas/S"}}, "parameters": {"P": {"name": "b", "in": "path"}}, "x-loop": {"$ref": "#/components/x-loop"}}
	}}}}}`))
	// Authorizers of every kind, and routes and methods that name them, some wrongly.
	f.Add([]byte(`{"Resources": {
		"Fn": {"Type": "AWS::Lambda::Function", "Properties": {}},
		"Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {}},
		"Http": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP"}},
		"J": {"Type": "AWS::ApiGatewayV2::Authorizer", "Properties": {"ApiId": {"Ref": "Http"}, "Name": "j", "AuthorizerType": "JWT", "IdentitySource": "$request.header.A,",
			"JwtConfiguration": {"Issuer": {"Fn::GetAtt": ["Pool", "ProviderURL"]}, "Audience": [1]}}},
		"L": {"Type": "AWS::ApiGatewayV2::Authorizer", "Properties": {"ApiId": {"Ref": "Http"}, "Name": "l", "AuthorizerType": "REQUEST", "AuthorizerPayloadFormatVersion": "2.0",
			"AuthorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${stageVariables.f}/invocations", "AuthorizerResultTtlInSeconds": "0"}},
		"R": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Http"}, "RouteKey": "GET /a", "AuthorizationType": "JWT", "AuthorizerId": {"Ref": "L"}}},
		"S": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "Http"}, "StageName": "s", "StageVariables": {"f": {"Fn::GetAtt": ["Fn", "Arn"]}}}},
		"Rest": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"ApiKeySourceType": "AUTHORIZER", "Body": {"swagger": "2.0", "paths": {"/": {"get": {"security": [{"t": ["x"], "c": []}]}}},
			"securityDefinitions": {"t": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authorizer": {"type": "token", "authorizerUri": "f"}},
				"c": {"x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": [{"Fn::GetAtt": ["Pool", "Arn"]}]}}}}}},
		"C": {"Type": "AWS::ApiGateway::Authorizer", "Properties": {"RestApiId": {"Ref": "Rest"}, "Name": "c", "Type": "COGNITO_USER_POOLS", "ProviderARNs": {"Fn::GetAtt": ["Pool", "Arn"]}}},
		"M": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "Rest"}, "ResourceId": {"Fn::GetAtt": ["Rest", "RootResourceId"]}, "HttpMethod": "POST",
			"AuthorizationType": "COGNITO_USER_POOLS", "AuthorizerId": {"Ref": "C"}, "ApiKeyRequired": true}}
	}}`))
	// Custom domains of every kind, with mappings naming domains by Ref, by name and by ARN.
	f.Add([]byte(`{"Resources": {
		"Http": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP", "Target": "https://example.com"}},
		"D": {"Type": "AWS::ApiGatewayV2::DomainName", "Properties": {"DomainName": "*.Example.com", "DomainNameConfigurations": [{"SecurityPolicy": "TLS_1_2"}], "MutualTlsAuthentication": {"TruststoreUri": "s3://b/k"}}},
		"M": {"Type": "AWS::ApiGatewayV2::ApiMapping", "Properties": {"DomainName": "*.example.com", "ApiId": {"Ref": "Http"}, "Stage": "$default", "ApiMappingKey": "a/b"}},
		"R": {"Type": "AWS::ApiGateway::DomainName", "Properties": {"DomainName": "r.example.com", "EndpointConfiguration": {"Types": ["EDGE"]}}},
		"B": {"Type": "AWS::ApiGateway::BasePathMapping", "Properties": {"DomainName": {"Ref": "R"}, "RestApiId": {"Ref": "Http"}, "BasePath": "(none)"}},
		"P": {"Type": "AWS::ApiGateway::DomainNameV2", "Properties": {"DomainName": "p.example.com", "RoutingMode": "ROUTING_RULE_ONLY"}},
		"Q": {"Type": "AWS::ApiGateway::BasePathMappingV2", "Properties": {"DomainNameArn": {"Ref": "P"}, "RestApiId": "x", "Stage": "(none)"}}
	}}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		tmpl, err := assembly.ParseTemplate(data)
		if err != nil {
			return
		}
		// Metadata may name any absolute path as the code's asset; the fuzzer must not go and
		// read (or unzip) files of this machine.
		for _, res := range tmpl.Resources {
			res.Metadata = nil
		}
		a := &assembly.Assembly{Dir: dir, Stacks: []*assembly.Stack{{ArtifactID: "Fuzz", Name: "Fuzz", Dir: dir, Template: tmpl}}}
		m, err := model.Build(a, model.BuildOptions{})
		if err == nil && m == nil {
			t.Fatal("Build returned neither a model nor an error")
		}
	})
}
