package websocketapi

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
)

// addIntegrationResponse adds one checked AWS::ApiGatewayV2::IntegrationResponse, which the L2
// does not model, under the route next to its integration.
func (a *WebSocketApi) addIntegrationResponse(route awsapigatewayv2.WebSocketRoute, integ awsapigatewayv2.CfnIntegration, ir *IntegrationResponse) awsapigatewayv2.CfnIntegrationResponse {
	props := &awsapigatewayv2.CfnIntegrationResponseProps{
		ApiId:                       a.Api.ApiId(),
		IntegrationId:               integ.Ref(),
		IntegrationResponseKey:      ir.Key,
		TemplateSelectionExpression: ir.TemplateSelectionExpression,
	}
	if ir.ResponseTemplates != nil {
		props.ResponseTemplates = anyMap(deref.StringMap(ir.ResponseTemplates))
	}
	return awsapigatewayv2.NewCfnIntegrationResponse(route, jsii.String(integrationResponseID(*ir.Key)), props)
}

// integrationResponseID is a construct id from an integration response key, stable when other
// responses are added or reordered: "$default" -> "IntegrationResponse-default",
// "/2\d\d/" -> "IntegrationResponse-2\d\d".
func integrationResponseID(key string) string {
	if key == DefaultRouteKey {
		return "IntegrationResponse-default"
	}
	return "IntegrationResponse-" + strings.ReplaceAll(strings.Trim(key, "/"), "/", "_")
}
