package restapi

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/constructtest"
)

// TestAuthorizersTemplate declares one authorizer of every kind, a default, and a method per
// way of attaching them, and checks the synthesized authorizers, methods and permissions.
func TestAuthorizersTemplate(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Auth"), nil)
	fn := constructtest.InlineFunction(stack, "Fn")
	authFn := constructtest.InlineFunction(stack, "AuthFn")
	pool := awscognito.NewUserPool(stack, jsii.String("Pool"), nil)
	method := func(key, authorizer string, scopes ...string) *Method {
		// OperationName tells the methods apart in the template.
		m := &Method{Key: jsii.String(key), Integration: &Integration{Function: fn}, OperationName: jsii.String(constructID(key))}
		if authorizer != "" {
			m.Authorizer = jsii.String(authorizer)
		}
		if scopes != nil {
			m.AuthorizationScopes = jsii.Strings(scopes...)
		}
		return m
	}
	api := New(stack, jsii.String("Api"), &Props{
		// Preflight requests carry no credentials: CORS OPTIONS methods stay open under a default.
		Cors: &awsapigateway.CorsOptions{AllowOrigins: jsii.Strings("http://localhost:3000")},
		Authorizers: &map[string]*Authorizer{
			"token": {
				Type: AuthorizerType_TOKEN, Function: authFn, Name: jsii.String("token-authorizer"),
				ValidationExpression: jsii.String(`^Bearer [-0-9A-Za-z._~+/]+=*$`),
				ResultsCacheTtl:      awscdk.Duration_Minutes(jsii.Number(10)),
			},
			"request": {
				Type: AuthorizerType_REQUEST, Function: authFn,
				IdentitySource:  jsii.Strings("method.request.header.X-Tenant", "method.request.querystring.token"),
				ResultsCacheTtl: awscdk.Duration_Seconds(jsii.Number(0)),
			},
			"users": {Type: AuthorizerType_COGNITO, UserPools: &[]awscognito.IUserPool{pool}, ValidationExpression: jsii.String(`^[-0-9A-Za-z._]+$`)},
			"iam":   {Type: AuthorizerType_IAM},
		},
		DefaultAuthorizer: jsii.String("token"),
		Methods: &[]*Method{
			method("GET /default", ""),
			method("GET /open", NoAuthorizer),
			method("GET /request", "request"),
			method("GET /users", "users", "email"),
			method("GET /signed", "iam"),
		},
	})
	// A second method on the same authorizer shares its one AWS::ApiGateway::Authorizer.
	api.AddMethod(method("POST /request", "request"))
	if len(api.Authorizers) != 3 || api.Authorizers["users"] == nil {
		t.Fatalf("Authorizers = %v, want the 3 L2 authorizers", api.Authorizers)
	}

	tpl := assertions.Template_FromStack(stack, nil)
	tpl.ResourceCountIs(jsii.String("AWS::ApiGateway::Authorizer"), jsii.Number(3))
	token := constructtest.LogicalID(t, tpl, "AWS::ApiGateway::Authorizer", map[string]any{
		"Name": "token-authorizer", "Type": "TOKEN", "IdentitySource": "method.request.header.Authorization",
		"IdentityValidationExpression": `^Bearer [-0-9A-Za-z._~+/]+=*$`, "AuthorizerResultTtlInSeconds": 600,
	})
	request := constructtest.LogicalID(t, tpl, "AWS::ApiGateway::Authorizer", map[string]any{
		"Name": "request", "Type": "REQUEST", "AuthorizerResultTtlInSeconds": 0,
		"IdentitySource": "method.request.header.X-Tenant,method.request.querystring.token",
	})
	users := constructtest.LogicalID(t, tpl, "AWS::ApiGateway::Authorizer", map[string]any{
		"Name": "users", "Type": "COGNITO_USER_POOLS", "IdentitySource": "method.request.header.Authorization",
		"IdentityValidationExpression": `^[-0-9A-Za-z._]+$`,
		"ProviderARNs":                 []any{map[string]any{"Fn::GetAtt": []any{stack.GetLogicalId(pool.Node().DefaultChild().(awscdk.CfnElement)), "Arn"}}},
	})

	methods := []struct {
		key, typ, authorizer string
		scopes               []any
	}{
		{"GET /default", "CUSTOM", token, nil},
		{"GET /open", "NONE", "", nil},
		{"GET /request", "CUSTOM", request, nil},
		{"POST /request", "CUSTOM", request, nil},
		{"GET /users", "COGNITO_USER_POOLS", users, []any{"email"}},
		{"GET /signed", "AWS_IAM", "", nil},
	}
	for _, m := range methods {
		want := map[string]any{"OperationName": constructID(m.key), "AuthorizationType": m.typ, "AuthorizerId": assertions.Match_Absent(), "AuthorizationScopes": assertions.Match_Absent()}
		if m.authorizer != "" {
			want["AuthorizerId"] = map[string]any{"Ref": m.authorizer}
		}
		if m.scopes != nil {
			want["AuthorizationScopes"] = m.scopes
		}
		tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), &want)
	}
	preflight := *tpl.FindResources(jsii.String("AWS::ApiGateway::Method"), &map[string]any{"Properties": assertions.Match_ObjectLike(&map[string]any{"HttpMethod": "OPTIONS"})})
	if len(preflight) == 0 {
		t.Error("no CORS preflight methods")
	}
	for id, m := range preflight {
		if typ := (*m)["Properties"].(map[string]any)["AuthorizationType"]; typ != "NONE" {
			t.Errorf("preflight method %s: AuthorizationType %v, want NONE", id, typ)
		}
	}
	for _, id := range []string{token, request} {
		constructtest.HasInvokePermission(t, tpl, id)
	}
}
