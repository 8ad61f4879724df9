package model_test

import (
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// authCommon are the resources every case of TestAuthorizerErrors builds on: a function
// (T-Fn), an HTTP API, a WebSocket API and a REST API with an /items resource.
const authCommon = `
	"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "provided.al2023", "Handler": "bootstrap", "Code": {"S3Key": "fake.zip"}}},
	"Http": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "http", "ProtocolType": "HTTP"}},
	"Ws": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "ws", "ProtocolType": "WEBSOCKET", "RouteSelectionExpression": "$request.body.action"}},
	"Rest": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "rest"}},
	"Items": {"Type": "AWS::ApiGateway::Resource", "Properties": {"RestApiId": {"Ref": "Rest"}, "ParentId": {"Fn::GetAtt": ["Rest", "RootResourceId"]}, "PathPart": "items"}}`

// authURI is T-Fn's invocation URI, for AuthorizerUri.
const authURI = `"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:T-Fn/invocations"`

// Shorthands for the cases: an authorizer A of each API, a route R, a method M on /items.
func v2Auth(api, props string) string {
	return `"A": {"Type": "AWS::ApiGatewayV2::Authorizer", "Properties": {"ApiId": {"Ref": "` + api + `"}, "Name": "a", ` + props + `}}`
}

func restAuth(props string) string {
	return `"A": {"Type": "AWS::ApiGateway::Authorizer", "Properties": {"RestApiId": {"Ref": "Rest"}, "Name": "a", ` + props + `}}`
}

func route(api, key, props string) string {
	return `"R": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "` + api + `"}, "RouteKey": "` + key + `", ` + props + `}}`
}

func method(props string) string {
	return `"M": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": {"Ref": "Rest"}, "ResourceId": {"Ref": "Items"}, "HttpMethod": "GET",
		"Integration": {"Type": "MOCK"}, ` + props + `}}`
}

const (
	httpLambda = `"AuthorizerType": "REQUEST", "AuthorizerPayloadFormatVersion": "2.0", "AuthorizerUri": ` + authURI
	httpJWT    = `"AuthorizerType": "JWT", "IdentitySource": ["$request.header.Authorization"], "JwtConfiguration": {"Issuer": "https://issuer.example.com", "Audience": ["api"]}`
	wsLambda   = `"AuthorizerType": "REQUEST", "AuthorizerUri": ` + authURI
	restToken  = `"Type": "TOKEN", "IdentitySource": "method.request.header.Authorization", "AuthorizerUri": ` + authURI
	restPool   = `"Type": "COGNITO_USER_POOLS", "IdentitySource": "method.request.header.Authorization", "ProviderARNs": ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x"]`
)

// specBody is a RestApi whose OpenAPI definition has the given security schemes and one
// operation GET /items with the given fields.
func specBody(schemes, op string) string {
	return `"Spec": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Body": {"openapi": "3.0.1", "info": {"title": "spec"},
		"components": {"securitySchemes": {` + schemes + `}},
		"paths": {"/items": {"get": {"x-amazon-apigateway-integration": {"type": "mock"}` + op + `}}}}}}`
}

// TestAuthorizerErrors covers every authorizer, route and method authorization that
// CloudFormation or API Gateway would refuse to deploy: each must fail the build with an error
// naming the resource and property. want "" means the template builds.
func TestAuthorizerErrors(t *testing.T) {
	tests := []struct {
		name      string
		resources string // added to authCommon
		want      string // a part of the error
	}{
		// HTTP API authorizers
		{"http token", v2Auth("Http", `"AuthorizerType": "TOKEN", "AuthorizerUri": `+authURI),
			`resource "A" (AWS::ApiGatewayV2::Authorizer): property AuthorizerType: "TOKEN" is not an authorizer type of HTTP APIs`},
		{"http cognito", v2Auth("Http", `"AuthorizerType": "COGNITO_USER_POOLS"`),
			`property AuthorizerType: "COGNITO_USER_POOLS" is not an authorizer type of HTTP APIs`},
		{"http no type", v2Auth("Http", `"AuthorizerUri": `+authURI), `property AuthorizerType: is required`},
		{"http no name", `"A": {"Type": "AWS::ApiGatewayV2::Authorizer", "Properties": {"ApiId": {"Ref": "Http"}, ` + httpJWT + `}}`,
			`property Name: is required`},
		{"http lambda without payload version", v2Auth("Http", `"AuthorizerType": "REQUEST", "AuthorizerUri": `+authURI),
			`property AuthorizerPayloadFormatVersion: is required for Lambda authorizers of HTTP APIs (1.0 or 2.0)`},
		{"http payload version", v2Auth("Http", `"AuthorizerType": "REQUEST", "AuthorizerPayloadFormatVersion": "3.0", "AuthorizerUri": `+authURI),
			`property AuthorizerPayloadFormatVersion: "3.0" is not 1.0 or 2.0`},
		{"http simple responses on 1.0", v2Auth("Http", `"AuthorizerType": "REQUEST", "AuthorizerPayloadFormatVersion": "1.0", "EnableSimpleResponses": true, "AuthorizerUri": `+authURI),
			`property EnableSimpleResponses: simple responses need AuthorizerPayloadFormatVersion 2.0`},
		{"http ttl too long", v2Auth("Http", httpLambda+`, "IdentitySource": ["$request.header.Authorization"], "AuthorizerResultTtlInSeconds": 3601`),
			`property AuthorizerResultTtlInSeconds: 3601 is outside API Gateway's 0 to 3600 seconds`},
		{"http cache without identity source", v2Auth("Http", httpLambda+`, "AuthorizerResultTtlInSeconds": 300`),
			`property IdentitySource: is required while results are cached (a TTL of 300 seconds)`},
		{"http lambda without cache or identity source", v2Auth("Http", httpLambda), ""},
		{"http identity source of REST", v2Auth("Http", httpLambda+`, "IdentitySource": ["method.request.header.Authorization"]`),
			`property IdentitySource: "method.request.header.Authorization" is not an identity source of an HTTP API: want $request.header.NAME, $request.querystring.NAME, $context.NAME, $stageVariables.NAME`},
		{"http identity source without name", v2Auth("Http", httpLambda+`, "IdentitySource": ["$request.header."]`),
			`property IdentitySource: "$request.header." is not an identity source`},
		{"http lambda without uri", v2Auth("Http", `"AuthorizerType": "REQUEST", "AuthorizerPayloadFormatVersion": "2.0"`),
			`property AuthorizerUri: is required for a Lambda (REQUEST) authorizer`},
		{"http lambda uri not lambda", v2Auth("Http", `"AuthorizerType": "REQUEST", "AuthorizerPayloadFormatVersion": "2.0", "AuthorizerUri": "https://auth.example.com"`),
			`property AuthorizerUri: "https://auth.example.com" is not a Lambda function's invocation URI`},
		{"jwt without issuer", v2Auth("Http", `"AuthorizerType": "JWT", "IdentitySource": ["$request.header.Authorization"], "JwtConfiguration": {"Audience": ["api"]}`),
			`property JwtConfiguration.Issuer: is required for a JWT authorizer`},
		{"jwt without audience", v2Auth("Http", `"AuthorizerType": "JWT", "IdentitySource": ["$request.header.Authorization"], "JwtConfiguration": {"Issuer": "https://i"}`),
			`property JwtConfiguration.Audience: is required for a JWT authorizer`},
		{"jwt without identity source", v2Auth("Http", `"AuthorizerType": "JWT", "JwtConfiguration": {"Issuer": "https://i", "Audience": ["a"]}`),
			`property IdentitySource: has 0 identity sources: a JWT authorizer reads the token from exactly one`},
		{"jwt with two identity sources", v2Auth("Http", `"AuthorizerType": "JWT", "IdentitySource": ["$request.header.A", "$request.header.B"], "JwtConfiguration": {"Issuer": "https://i", "Audience": ["a"]}`),
			`property IdentitySource: has 2 identity sources`},

		// HTTP API routes
		{"route custom without authorizer", route("Http", "GET /x", `"AuthorizationType": "CUSTOM"`),
			`resource "R" (AWS::ApiGatewayV2::Route): property AuthorizerId: is required: CUSTOM authorization needs a REQUEST authorizer`},
		{"route jwt without authorizer", route("Http", "GET /x", `"AuthorizationType": "JWT"`),
			`property AuthorizerId: is required: JWT authorization needs a JWT authorizer`},
		{"route jwt naming a lambda authorizer", v2Auth("Http", httpLambda) + "," + route("Http", "GET /x", `"AuthorizationType": "JWT", "AuthorizerId": {"Ref": "A"}`),
			`property AuthorizerId: names REQUEST authorizer "A", but JWT authorization needs a JWT authorizer`},
		{"route custom naming a jwt authorizer", v2Auth("Http", httpJWT) + "," + route("Http", "GET /x", `"AuthorizationType": "CUSTOM", "AuthorizerId": {"Ref": "A"}`),
			`property AuthorizerId: names JWT authorizer "A", but CUSTOM authorization needs a REQUEST authorizer`},
		{"route unknown authorizer id", route("Http", "GET /x", `"AuthorizationType": "JWT", "AuthorizerId": "abc1234"`),
			`property AuthorizerId: authorizer "abc1234" is not defined in API "Http"`},
		{"route authorizer of another api", v2Auth("Ws", wsLambda) + "," + route("Http", "GET /x", `"AuthorizationType": "CUSTOM", "AuthorizerId": {"Ref": "A"}`),
			`property AuthorizerId: authorizer`},
		{"route cognito", route("Http", "GET /x", `"AuthorizationType": "COGNITO_USER_POOLS"`),
			`property AuthorizationType: COGNITO_USER_POOLS authorization belongs to REST APIs`},
		{"route unknown type", route("Http", "GET /x", `"AuthorizationType": "BASIC"`),
			`property AuthorizationType: "BASIC" is not NONE, AWS_IAM, CUSTOM or JWT`},
		{"route jwt", v2Auth("Http", httpJWT) + "," + route("Http", "GET /x", `"AuthorizationType": "JWT", "AuthorizerId": {"Ref": "A"}, "AuthorizationScopes": ["read"]`), ""},

		// WebSocket APIs
		{"websocket jwt authorizer", v2Auth("Ws", httpJWT),
			`property AuthorizerType: "JWT" is not an authorizer type of WebSocket APIs, which have only REQUEST (Lambda) authorizers`},
		{"websocket identity source of HTTP", v2Auth("Ws", wsLambda+`, "IdentitySource": ["$request.header.Auth"]`),
			`property IdentitySource: "$request.header.Auth" is not an identity source of a WEBSOCKET API: want route.request.header.NAME`},
		{"websocket jwt route", route("Ws", "$connect", `"AuthorizationType": "JWT"`),
			`property AuthorizationType: JWT authorization belongs to HTTP APIs`},
		{"websocket authorizer off $connect", v2Auth("Ws", wsLambda) + "," + route("Ws", "sendmessage", `"AuthorizationType": "CUSTOM", "AuthorizerId": {"Ref": "A"}`),
			`property AuthorizationType: route "sendmessage" cannot use CUSTOM authorization: a WebSocket API authorizes a connection once, on its $connect route`},
		{"websocket iam off $connect", route("Ws", "$default", `"AuthorizationType": "AWS_IAM"`),
			`route "$default" cannot use AWS_IAM authorization`},
		{"websocket connect", v2Auth("Ws", wsLambda) + "," + route("Ws", "$connect", `"AuthorizationType": "CUSTOM", "AuthorizerId": {"Ref": "A"}`), ""},

		// REST authorizers
		{"rest jwt", restAuth(`"Type": "JWT"`),
			`resource "A" (AWS::ApiGateway::Authorizer): property Type: "JWT" is not an authorizer type of REST APIs, which have TOKEN, REQUEST and COGNITO_USER_POOLS authorizers`},
		{"rest token without identity source", restAuth(`"Type": "TOKEN", "AuthorizerUri": ` + authURI),
			`property IdentitySource: is required while results are cached (a TTL of 300 seconds, REST's default)`},
		{"rest token without identity source nor cache", restAuth(`"Type": "TOKEN", "AuthorizerResultTtlInSeconds": 0, "AuthorizerUri": ` + authURI),
			`property IdentitySource: has 0 identity sources: a TOKEN authorizer reads the token from one header`},
		{"rest token from the query string", restAuth(`"Type": "TOKEN", "IdentitySource": "method.request.querystring.token", "AuthorizerUri": ` + authURI),
			`property IdentitySource: "method.request.querystring.token" is not a header`},
		{"rest token two headers", restAuth(`"Type": "TOKEN", "IdentitySource": "method.request.header.A,method.request.header.B", "AuthorizerUri": ` + authURI),
			`property IdentitySource: has 2 identity sources`},
		{"rest token validation", restAuth(restToken + `, "IdentityValidationExpression": "(?<=Bearer )\\w+"`),
			`property IdentityValidationExpression: "(?<=Bearer )\\w+" is not a regular expression the runner can match`},
		{"rest request without identity source, default cache", restAuth(`"Type": "REQUEST", "AuthorizerUri": ` + authURI),
			`property IdentitySource: is required while results are cached (a TTL of 300 seconds, REST's default)`},
		{"rest request without identity source nor cache", restAuth(`"Type": "REQUEST", "AuthorizerResultTtlInSeconds": 0, "AuthorizerUri": ` + authURI), ""},
		{"rest identity source of HTTP", restAuth(`"Type": "REQUEST", "IdentitySource": "$request.header.A", "AuthorizerUri": ` + authURI),
			`property IdentitySource: "$request.header.A" is not an identity source of a REST API`},
		{"rest cognito without pools", restAuth(`"Type": "COGNITO_USER_POOLS", "IdentitySource": "method.request.header.Authorization"`),
			`property ProviderARNs: is required for a COGNITO_USER_POOLS authorizer`},
		{"rest cognito bad pool arn", restAuth(`"Type": "COGNITO_USER_POOLS", "IdentitySource": "method.request.header.Authorization", "ProviderARNs": ["arn:aws:cognito-idp:us-east-1:1:identitypool/x"]`),
			`property ProviderARNs: [0]: "arn:aws:cognito-idp:us-east-1:1:identitypool/x" is not a Cognito user pool ARN`},
		{"rest cognito without identity source", restAuth(`"Type": "COGNITO_USER_POOLS", "ProviderARNs": ["arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_x"]`),
			`property IdentitySource: has 0 identity sources: a COGNITO_USER_POOLS authorizer reads the token from one header`},
		{"rest lambda without uri", restAuth(`"Type": "TOKEN", "IdentitySource": "method.request.header.Authorization"`),
			`property AuthorizerUri: is required for a Lambda (TOKEN) authorizer`},
		{"rest authorizer on http api", `"A": {"Type": "AWS::ApiGateway::Authorizer", "Properties": {"RestApiId": {"Ref": "Http"}, "Name": "a", "Type": "TOKEN"}}`,
			`property RestApiId: names HTTP API "Http": AWS::ApiGateway resources belong to REST APIs`},

		// REST methods
		{"method custom without authorizer", method(`"AuthorizationType": "CUSTOM"`),
			`resource "M" (AWS::ApiGateway::Method): property AuthorizerId: is required: CUSTOM authorization needs a Lambda (TOKEN or REQUEST) authorizer`},
		{"method custom naming a pool", restAuth(restPool) + "," + method(`"AuthorizationType": "CUSTOM", "AuthorizerId": {"Ref": "A"}`),
			`property AuthorizerId: names COGNITO_USER_POOLS authorizer "A", but CUSTOM authorization needs a Lambda (TOKEN or REQUEST) authorizer`},
		{"method cognito naming a token authorizer", restAuth(restToken) + "," + method(`"AuthorizationType": "COGNITO_USER_POOLS", "AuthorizerId": {"Ref": "A"}`),
			`property AuthorizerId: names TOKEN authorizer "A", but COGNITO_USER_POOLS authorization needs a COGNITO_USER_POOLS authorizer`},
		{"method jwt", method(`"AuthorizationType": "JWT"`),
			`property AuthorizationType: JWT authorization belongs to HTTP APIs`},
		{"method unknown type", method(`"AuthorizationType": "OAUTH"`),
			`property AuthorizationType: "OAUTH" is not NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS`},
		{"method cognito", restAuth(restPool) + "," + method(`"AuthorizationType": "COGNITO_USER_POOLS", "AuthorizerId": {"Ref": "A"}, "AuthorizationScopes": ["a/b"]`), ""},

		// OpenAPI definitions
		{"openapi authorizer without type", specBody(`"t": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authorizer": {"authorizerUri": `+authURI+`}}`, ""),
			`resource "Spec" (AWS::ApiGateway::RestApi): property Body.components.securitySchemes.t.x-amazon-apigateway-authorizer.type: is required`},
		{"openapi jwt on a REST API", specBody(`"j": {"type": "oauth2", "x-amazon-apigateway-authorizer": {"type": "jwt", "identitySource": "$request.header.Authorization", "jwtConfiguration": {"issuer": "https://i", "audience": ["a"]}}}`, ""),
			`property Body.components.securitySchemes.j.x-amazon-apigateway-authorizer.type: "JWT" is not an authorizer type of REST APIs`},
		{"openapi token from the query string", specBody(`"t": {"type": "apiKey", "name": "token", "in": "query", "x-amazon-apigateway-authorizer": {"type": "token", "authorizerUri": `+authURI+`}}`, ""),
			`property Body.components.securitySchemes.t.x-amazon-apigateway-authorizer.identitySource: "method.request.querystring.token" is not a header`},
		{"openapi ttl", specBody(`"t": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authorizer": {"type": "token", "authorizerResultTtlInSeconds": -1, "authorizerUri": `+authURI+`}}`, ""),
			`x-amazon-apigateway-authorizer.authorizerResultTtlInSeconds: -1 is outside API Gateway's 0 to 3600 seconds`},
		{"openapi two authorizers", specBody(`"t": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authorizer": {"type": "token", "authorizerUri": `+authURI+`}},
			"iam": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"}`, `, "security": [{"iam": [], "t": []}]`),
			`property Body.paths./items.get.security[0].t: requires both "iam" and "t": a method has one authorization type and at most one authorizer`},
		{"openapi auth type", specBody(``, `, "x-amazon-apigateway-auth": {"type": "custom"}`),
			`property Body.paths./items.get.x-amazon-apigateway-auth.type: "CUSTOM" is not NONE or AWS_IAM`},
		{"openapi scheme and authorizer share an id", specBody(`"A": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authorizer": {"type": "token", "authorizerUri": `+authURI+`}}`, "") +
			`, "A": {"Type": "AWS::ApiGateway::Authorizer", "Properties": {"RestApiId": {"Ref": "Spec"}, "Name": "a", ` + restToken + `}}`,
			`property RestApiId: API "Spec" already has an authorizer "A", a security scheme of its Body`},
		{"openapi request scheme", specBody(`"r": {"type": "apiKey", "name": "Unused", "in": "header", "x-amazon-apigateway-authtype": "corporate",
			"x-amazon-apigateway-authorizer": {"type": "request", "identitySource": "method.request.header.A, context.requestId", "authorizerUri": `+authURI+`}}`, `, "security": [{"r": []}]`), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeAssembly(t, dir, func(add func(name, env, template string)) {
				add("T", "", `{"Resources": {`+authCommon+",\n"+tt.resources+`}}`)
			})
			a, err := assembly.LoadWithOptions(dir, assembly.Options{CacheDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			_, err = model.Build(a, model.BuildOptions{})
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Build: %v; want no error", err)
			case tt.want != "" && err == nil:
				t.Fatalf("Build succeeded; want an error containing %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("Build error:\n  %v\nwant one containing\n  %s", err, tt.want)
			}
		})
	}
}
