package model

import "testing"

func TestFunctionNameInURI(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"arn:aws:lambda:us-east-1:123456789012:function:items", "items"},
		{"arn:aws:lambda:us-east-1:123456789012:function:items:live", "items"}, // alias
		{"arn:aws:lambda:us-east-1:123456789012:function:items:7", "items"},    // version
		{"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:items/invocations", "items"},
		{"arn:aws-cn:apigateway:cn-north-1:lambda:path/2015-03-31/functions/arn:aws-cn:lambda:cn-north-1:1:function:items:live/invocations", "items"},
		{"items", "items"},
		{"https://example.com/items", ""},
		{"arn:aws:sqs:us-east-1:1:queue", ""},
		{"arn:aws:apigateway:us-east-1:lambda:path/nothing", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := functionNameInURI(tt.uri); got != tt.want {
			t.Errorf("functionNameInURI(%q) = %q, want %q", tt.uri, got, tt.want)
		}
	}
}

func TestStageFunction(t *testing.T) {
	const viaVariable = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}/invocations"
	tests := []struct {
		uri  string
		vars map[string]string
		want string
	}{
		{viaVariable, map[string]string{"fn": "auth"}, "auth"},
		{viaVariable, map[string]string{"fn": "auth:live"}, "auth"}, // an alias in the variable
		{viaVariable, nil, ""},                         // the stage does not set it
		{viaVariable, map[string]string{"fn": ""}, ""}, // set to nothing
		{"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${stageVariables.arn}/invocations",
			map[string]string{"arn": "arn:aws:lambda:us-east-1:1:function:whole"}, "whole"},
		{"arn:aws:lambda:us-east-1:1:function:${stageVariables.a}-${stageVariables.b}", map[string]string{"a": "x", "b": "y"}, "x-y"},
		{"arn:aws:lambda:us-east-1:1:function:${stageVariables.a", map[string]string{"a": "x"}, ""}, // unterminated
		{"arn:aws:lambda:us-east-1:1:function:fixed", nil, "fixed"},                                 // no variables
		{"https://example.com/${stageVariables.host}", map[string]string{"host": "h"}, ""},
	}
	for _, tt := range tests {
		if got := StageFunction(tt.uri, tt.vars); got != tt.want {
			t.Errorf("StageFunction(%q, %v) = %q, want %q", tt.uri, tt.vars, got, tt.want)
		}
	}
}

func TestIdentitySourceKind(t *testing.T) {
	tests := []struct {
		p    Protocol
		src  string
		want string // "" when refused
	}{
		{ProtocolHTTP, "$request.header.Authorization", sourceHeader},
		{ProtocolHTTP, "$request.querystring.token", sourceQueryString},
		{ProtocolHTTP, "$context.routeKey", sourceContext},
		{ProtocolHTTP, "$stageVariables.tenant", sourceStageVariables},
		{ProtocolHTTP, "route.request.header.Authorization", ""}, // WebSocket's
		{ProtocolHTTP, "$request.body.token", ""},                // bodies are not identity sources
		{ProtocolHTTP, "$request.header.", ""},                   // no name
		{ProtocolHTTP, "$request.header.a b", ""},
		{ProtocolWebSocket, "route.request.header.Auth", sourceHeader},
		{ProtocolWebSocket, "route.request.querystring.token", sourceQueryString},
		{ProtocolWebSocket, "context.identity.sourceIp", sourceContext},
		{ProtocolWebSocket, "stageVariables.tenant", sourceStageVariables},
		{ProtocolWebSocket, "$request.header.Auth", ""},
		{ProtocolREST, "method.request.header.Authorization", sourceHeader},
		{ProtocolREST, "method.request.querystring.token", sourceQueryString},
		{ProtocolREST, "context.requestId", sourceContext},
		{ProtocolREST, "stageVariables.tenant", sourceStageVariables},
		{ProtocolREST, "method.request.path.id", ""}, // path parameters are not identity sources
		{ProtocolREST, "method.request.header.A,method.request.header.B", ""},
	}
	for _, tt := range tests {
		got, err := identitySourceKind(tt.p, tt.src)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("identitySourceKind(%s, %q) = %q, %v; want %q", tt.p, tt.src, got, err, tt.want)
		}
	}
}

func TestCognitoIssuer(t *testing.T) {
	tests := []struct{ arn, want string }{
		{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"},
		{"arn:aws-cn:cognito-idp:cn-north-1:1:userpool/cn-north-1_x", "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_x"},
		{"arn:aws:cognito-idp:us-east-1:1:userpool/", ""},
		{"arn:aws:cognito-idp:us-east-1:1:userpool/a/b", ""},
		{"arn:aws:cognito-identity:us-east-1:1:identitypool/x", ""},
		{"us-east-1_AbC123", ""},
	}
	for _, tt := range tests {
		got, err := cognitoIssuer(tt.arn)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("cognitoIssuer(%q) = %q, %v; want %q", tt.arn, got, err, tt.want)
		}
	}
}
