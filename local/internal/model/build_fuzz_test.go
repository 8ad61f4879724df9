package model_test

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// FuzzBuild: whatever a template holds (policy documents of any shape, responses naming
// anything, usage plans with odd stages), Build returns a model or an error, never panics.
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
