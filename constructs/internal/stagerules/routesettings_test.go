package stagerules

import (
	"reflect"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/jsii-runtime-go"
)

// TestRouteThrottles writes on one stage of each protocol's L2 (an HTTP API's $default stage
// and a WebSocket stage), then checks the template and the deferred route check.
func TestRouteThrottles(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Stages"), nil)
	httpStage := awsapigatewayv2.NewHttpApi(stack, jsii.String("Http"), nil).DefaultStage()
	wsApi := awsapigatewayv2.NewWebSocketApi(stack, jsii.String("Ws"), nil)
	wsStage := awsapigatewayv2.NewWebSocketStage(stack, jsii.String("WsDev"), &awsapigatewayv2.WebSocketStageProps{
		WebSocketApi: wsApi, StageName: jsii.String("dev"),
	})
	ws2 := awsapigatewayv2.NewWebSocketStage(stack, jsii.String("WsProd"), &awsapigatewayv2.WebSocketStageProps{
		WebSocketApi: wsApi, StageName: jsii.String("prod"),
	})

	var r RouteThrottles
	r.Write(httpStage, &map[string]*awsapigatewayv2.ThrottleSettings{"GET /items/{id}": {RateLimit: jsii.Number(1), BurstLimit: jsii.Number(2)}})
	r.Write(wsStage, &map[string]*awsapigatewayv2.ThrottleSettings{"sendmessage": {RateLimit: jsii.Number(10)}, "nope": nil})
	r.Write(ws2, &map[string]*awsapigatewayv2.ThrottleSettings{}) // nothing to write or check
	r.Write(ws2, nil)

	tpl := assertions.Template_FromStack(stack, nil)
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), &map[string]any{
		"StageName":     "$default",
		"RouteSettings": map[string]any{"GET /items/{id}": map[string]any{"ThrottlingRateLimit": 1, "ThrottlingBurstLimit": 2}},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), &map[string]any{
		"StageName":     "dev",
		"RouteSettings": map[string]any{"sendmessage": map[string]any{"ThrottlingRateLimit": 10}},
	})
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), &map[string]any{
		"StageName": "prod", "RouteSettings": assertions.Match_Absent(),
	})

	routes := map[string]bool{"GET /items/{id}": true, "sendmessage": true}
	got := r.CheckRoutes(func(key string) bool { return routes[key] })
	// A key with nil settings writes nothing but still names a route, so it is checked too.
	want := []string{`stage "dev": RouteThrottle names route "nope", which this API does not have`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CheckRoutes = %q, want %q", got, want)
	}
	if got := r.CheckRoutes(func(string) bool { return true }); got != nil {
		t.Errorf("CheckRoutes with every route present = %q, want none", got)
	}
}
