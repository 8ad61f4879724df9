package intrinsics_test

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/intrinsics"
)

// TestCognito checks that every form of a user pool names the same pool, so a token minted for
// the issuer a JWT authorizer builds from the pool's Ref passes a REST authorizer that lists the
// pool's Arn.
func TestCognito(t *testing.T) {
	tmpl, err := assembly.ParseTemplate([]byte(`{"Resources": {
		"Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {"UserPoolName": "users"}},
		"Client": {"Type": "AWS::Cognito::UserPoolClient", "Properties": {"UserPoolId": {"Ref": "Pool"}}}
	}}`))
	if err != nil {
		t.Fatal(err)
	}
	r := intrinsics.New(tmpl, intrinsics.Options{StackName: "Auth", Account: "111122223333", Region: "eu-west-1"})
	id := intrinsics.UserPoolID("eu-west-1", "Auth", "Pool")
	if len(id) != len("eu-west-1_")+9 || id[:10] != "eu-west-1_" {
		t.Fatalf("UserPoolID = %q, want eu-west-1_ and nine characters", id)
	}
	client := intrinsics.UserPoolClientID("Auth", "Client")
	tests := []struct{ in, want string }{
		{`{"Ref": "Pool"}`, id},
		{`{"Fn::GetAtt": ["Pool", "UserPoolId"]}`, id},
		{`{"Fn::GetAtt": ["Pool", "Arn"]}`, "arn:aws:cognito-idp:eu-west-1:111122223333:userpool/" + id},
		{`{"Fn::GetAtt": ["Pool", "ProviderName"]}`, "cognito-idp.eu-west-1.amazonaws.com/" + id},
		{`{"Fn::GetAtt": ["Pool", "ProviderURL"]}`, "https://cognito-idp.eu-west-1.amazonaws.com/" + id},
		// The CDK's HttpUserPoolAuthorizer issuer.
		{`{"Fn::Join": ["", ["https://cognito-idp.", {"Ref": "AWS::Region"}, ".amazonaws.com/", {"Ref": "Pool"}]]}`, intrinsics.CognitoIssuer("eu-west-1", id)},
		{`{"Ref": "Client"}`, client},
		{`{"Fn::GetAtt": ["Client", "ClientId"]}`, client},
	}
	for _, tt := range tests {
		got, err := r.Resolve(decode(t, tt.in))
		if err != nil || got != tt.want {
			t.Errorf("Resolve(%s) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	if _, err := r.Resolve(decode(t, `{"Fn::GetAtt": ["Client", "ClientSecret"]}`)); err == nil {
		t.Error("ClientSecret resolved; want an unknown attribute: the secret exists only in AWS")
	}
}
