package websocketapi

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/constructtest"
)

// TestAuthorizersTemplate: a Lambda authorizer and an IAM authorizer, each on the $connect
// route of its own API (an API authorizes connections one way).
func TestAuthorizersTemplate(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Auth"), nil)
	fn := constructtest.InlineFunction(stack, "Fn")
	authFn := constructtest.InlineFunction(stack, "AuthFn")
	lambdaApi := New(stack, jsii.String("Lambda"), &Props{
		// Keys from the authorizer's usageIdentifierKey need the Lambda authorizer on $connect.
		ApiKeySelectionExpression: awsapigatewayv2.WebSocketApiKeySelectionExpression_AUTHORIZER_USAGE_IDENTIFIER_KEY(),
		Authorizers: &map[string]*Authorizer{
			"token": {Type: AuthorizerType_LAMBDA, Function: authFn, Name: jsii.String("token-authorizer"), IdentitySource: jsii.Strings("route.request.querystring.token")},
		},
		Routes: &[]*Route{
			{Key: jsii.String("$connect"), Function: fn, Authorizer: jsii.String("token")},
			{Key: jsii.String("$default"), Function: fn, ApiKeyRequired: jsii.Bool(true)},
		},
	})
	New(stack, jsii.String("Iam"), &Props{
		Authorizers: &map[string]*Authorizer{"iam": {Type: AuthorizerType_IAM}},
		Routes: &[]*Route{
			{Key: jsii.String("$connect"), Function: fn, Authorizer: jsii.String("iam")},
			{Key: jsii.String("$default"), Function: fn},
		},
	})
	if lambdaApi.Authorizers["token"] == nil {
		t.Fatal("Authorizers has no L2 authorizer \"token\"")
	}

	tpl := assertions.Template_FromStack(stack, nil)
	tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Authorizer"), jsii.Number(1))
	token := constructtest.LogicalID(t, tpl, "AWS::ApiGatewayV2::Authorizer", map[string]any{
		"Name": "token-authorizer", "AuthorizerType": "REQUEST",
		"IdentitySource": []any{"route.request.querystring.token"},
		// WebSocket authorizers have no payload versions, simple responses or caching.
		"AuthorizerPayloadFormatVersion": assertions.Match_Absent(),
		"AuthorizerResultTtlInSeconds":   assertions.Match_Absent(),
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), &map[string]any{
		"RouteKey": "$connect", "AuthorizationType": "CUSTOM", "AuthorizerId": map[string]any{"Ref": token},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), &map[string]any{
		"RouteKey": "$connect", "AuthorizationType": "AWS_IAM", "AuthorizerId": assertions.Match_Absent(),
	})
	// Later messages are authorized by the connection: no other route has an authorizer.
	found := *tpl.FindResources(jsii.String("AWS::ApiGatewayV2::Route"), &map[string]any{"Properties": assertions.Match_ObjectLike(&map[string]any{"RouteKey": "$default"})})
	for id, r := range found {
		if typ := (*r)["Properties"].(map[string]any)["AuthorizationType"]; typ != "NONE" {
			t.Errorf("$default route %s: AuthorizationType %v, want NONE", id, typ)
		}
	}
	constructtest.HasInvokePermission(t, tpl, token)
}
