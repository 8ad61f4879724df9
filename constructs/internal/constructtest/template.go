package constructtest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// LogicalID returns the logical id of the one resource of type typ whose properties include
// props, and fails the test unless there is exactly one.
func LogicalID(t testing.TB, tpl assertions.Template, typ string, props map[string]any) string {
	t.Helper()
	found := *tpl.FindResources(jsii.String(typ), &map[string]any{"Properties": assertions.Match_ObjectLike(&props)})
	if len(found) != 1 {
		t.Fatalf("%d %s resources with properties %v, want 1", len(found), typ, props)
	}
	for id := range found {
		return id
	}
	return ""
}

// HasInvokePermission fails the test unless an AWS::Lambda::Permission lets API Gateway invoke
// a function through the authorizer with this logical id: its SourceArn is the authorizer's
// ARN, ".../authorizers/{authorizer id}", so no other caller may use the permission.
func HasInvokePermission(t testing.TB, tpl assertions.Template, authorizer string) {
	t.Helper()
	perms := *tpl.FindResources(jsii.String("AWS::Lambda::Permission"), &map[string]any{"Properties": assertions.Match_ObjectLike(&map[string]any{
		"Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com",
	})})
	ref, _ := json.Marshal(map[string]string{"Ref": authorizer})
	for _, p := range perms {
		arn, _ := json.Marshal((*p)["Properties"].(map[string]any)["SourceArn"])
		if strings.Contains(string(arn), "/authorizers/") && strings.Contains(string(arn), string(ref)) {
			return
		}
	}
	t.Errorf("no AWS::Lambda::Permission lets apigateway.amazonaws.com invoke through authorizer %s", authorizer)
}
