package httpapi

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/constructtest"
)

// TestAuthorizersTemplate declares one authorizer of every kind and a route per way of
// attaching them, and checks the synthesized authorizers, routes and Lambda permissions.
func TestAuthorizersTemplate(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Auth"), nil)
	fn := constructtest.InlineFunction(stack, "Fn")
	authFn := constructtest.InlineFunction(stack, "AuthFn")
	pool := awscognito.NewUserPool(stack, jsii.String("Pool"), nil)
	client := pool.AddClient(jsii.String("Client"), nil)
	route := func(key string, authorizer string, scopes ...string) *Route {
		r := &Route{Key: jsii.String(key), Function: fn}
		if authorizer != "" {
			r.Authorizer = jsii.String(authorizer)
		}
		if scopes != nil {
			r.AuthorizationScopes = jsii.Strings(scopes...)
		}
		return r
	}
	api := New(stack, jsii.String("Api"), &Props{
		Authorizers: &map[string]*Authorizer{
			"simple": {
				Type: AuthorizerType_LAMBDA, Function: authFn, Name: jsii.String("simple-authorizer"),
				IdentitySource:  jsii.Strings("$request.querystring.token", "$context.routeKey"),
				ResultsCacheTtl: awscdk.Duration_Seconds(jsii.Number(0)),
			},
			"policy2": {
				Type: AuthorizerType_LAMBDA, Function: authFn,
				ResponseType: awsapigatewayv2authorizers.HttpLambdaResponseType_IAM,
			},
			"policy1": {
				Type: AuthorizerType_LAMBDA, Function: authFn,
				PayloadFormatVersion: awsapigatewayv2.AuthorizerPayloadVersion_VERSION_1_0,
				ResultsCacheTtl:      awscdk.Duration_Minutes(jsii.Number(10)),
			},
			"jwt": {
				Type: AuthorizerType_JWT, Issuer: jsii.String("https://issuer.example.com"),
				Audiences: jsii.Strings("gatehouse-api"),
			},
			"pool": {Type: AuthorizerType_USER_POOL, UserPool: pool, UserPoolClients: &[]awscognito.IUserPoolClient{client}},
			"iam":  {Type: AuthorizerType_IAM},
		},
		DefaultAuthorizer:          jsii.String("jwt"),
		DefaultAuthorizationScopes: jsii.Strings("read"),
		Routes: &[]*Route{
			route("GET /default", ""),
			route("POST /default", "jwt", "write"),
			route("GET /open", NoAuthorizer),
			route("GET /simple", "simple"),
			route("GET /policy2", "policy2"),
			route("GET /policy1", "policy1"),
			route("GET /pool", "pool", "email"),
			route("GET /signed", "iam"),
		},
	})
	// A second route on the same Lambda authorizer reuses its one AWS::ApiGatewayV2::Authorizer.
	api.AddRoute(route("GET /simple/again", "simple"))
	if len(api.Authorizers) != 6 || api.Authorizers["jwt"] == nil {
		t.Fatalf("Authorizers = %v, want the 6 L2 authorizers", api.Authorizers)
	}

	tpl := assertions.Template_FromStack(stack, nil)
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Authorizer"), jsii.Number(5))
	simple := constructtest.LogicalID(t, tpl, "AWS::ApiGatewayV2::Authorizer", map[string]any{
		"Name": "simple-authorizer", "AuthorizerType": "REQUEST",
		"AuthorizerPayloadFormatVersion": "2.0", "EnableSimpleResponses": true,
		"IdentitySource":               []any{"$request.querystring.token", "$context.routeKey"},
		"AuthorizerResultTtlInSeconds": 0,
	})
	// The L2 writes 1.0 for IAM responses; the construct sets the 2.0 asked for.
	policy2 := constructtest.LogicalID(t, tpl, "AWS::ApiGatewayV2::Authorizer", map[string]any{
		"Name": "policy2", "AuthorizerType": "REQUEST", "AuthorizerPayloadFormatVersion": "2.0",
		"EnableSimpleResponses": assertions.Match_Absent(), "IdentitySource": []any{"$request.header.Authorization"},
		"AuthorizerResultTtlInSeconds": 300,
	})
	policy1 := constructtest.LogicalID(t, tpl, "AWS::ApiGatewayV2::Authorizer", map[string]any{
		"Name": "policy1", "AuthorizerPayloadFormatVersion": "1.0", "EnableSimpleResponses": assertions.Match_Absent(),
		"AuthorizerResultTtlInSeconds": 600,
	})
	jwt := constructtest.LogicalID(t, tpl, "AWS::ApiGatewayV2::Authorizer", map[string]any{
		"Name": "jwt", "AuthorizerType": "JWT", "IdentitySource": []any{"$request.header.Authorization"},
		"JwtConfiguration": map[string]any{"Issuer": "https://issuer.example.com", "Audience": []any{"gatehouse-api"}},
	})
	poolAuth := constructtest.LogicalID(t, tpl, "AWS::ApiGatewayV2::Authorizer", map[string]any{
		"Name": "pool", "AuthorizerType": "JWT",
		"JwtConfiguration": map[string]any{"Audience": []any{map[string]any{"Ref": stack.GetLogicalId(client.Node().DefaultChild().(awscdk.CfnElement))}}},
	})

	routes := []struct {
		key, typ, authorizer string
		scopes               []any
	}{
		{"GET /default", "JWT", jwt, []any{"read"}},
		{"POST /default", "JWT", jwt, []any{"write"}},
		{"GET /open", "NONE", "", nil},
		{"GET /simple", "CUSTOM", simple, nil},
		{"GET /simple/again", "CUSTOM", simple, nil},
		{"GET /policy2", "CUSTOM", policy2, nil},
		{"GET /policy1", "CUSTOM", policy1, nil},
		{"GET /pool", "JWT", poolAuth, []any{"email"}},
		{"GET /signed", "AWS_IAM", "", nil},
	}
	for _, r := range routes {
		want := map[string]any{"RouteKey": r.key, "AuthorizationType": r.typ, "AuthorizerId": assertions.Match_Absent(), "AuthorizationScopes": assertions.Match_Absent()}
		if r.authorizer != "" {
			want["AuthorizerId"] = map[string]any{"Ref": r.authorizer}
		}
		if r.scopes != nil {
			want["AuthorizationScopes"] = r.scopes
		}
		tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), &want)
	}

	// API Gateway may invoke each Lambda authorizer, and only through that authorizer.
	for _, id := range []string{simple, policy2, policy1} {
		constructtest.HasInvokePermission(t, tpl, id)
	}
}
