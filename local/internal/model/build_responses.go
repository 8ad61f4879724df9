package model

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

const (
	typeRouteResponse       = "AWS::ApiGatewayV2::RouteResponse"
	typeIntegrationResponse = "AWS::ApiGatewayV2::IntegrationResponse"
)

// addRouteResponse attaches an AWS::ApiGatewayV2::RouteResponse to its route: with one, a
// WebSocket route is two-way and the integration's response goes back to the client.
func (b *builder) addRouteResponse(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeRouteResponse {
		return false, nil
	}
	as, err := b.apiOf(st, res)
	if err != nil {
		return true, err
	}
	routeID, err := b.str(st, res, "RouteId", true)
	if err != nil {
		return true, err
	}
	route := as.routes[routeID]
	if route == nil {
		return true, propErr(st, res, "RouteId", fmt.Errorf("route %q is not defined in API %q", routeID, as.api.LogicalID))
	}
	rr := &RouteResponse{LogicalID: res.LogicalID}
	if rr.Key, err = b.str(st, res, "RouteResponseKey", true); err != nil {
		return true, err
	}
	// The Developer Guide: "You can only define the $default route response for WebSocket APIs."
	if rr.Key != DefaultStage {
		return true, propErr(st, res, "RouteResponseKey", fmt.Errorf("%q: API Gateway supports only $default", rr.Key))
	}
	for _, prev := range route.RouteResponses {
		if prev.Key == rr.Key {
			return true, propErr(st, res, "RouteResponseKey", fmt.Errorf("route %q already has the %s route response %q", route.LogicalID, rr.Key, prev.LogicalID))
		}
	}
	if rr.ModelSelectionExpression, err = b.str(st, res, "ModelSelectionExpression", false); err != nil {
		return true, err
	}
	if rr.ResponseModels, err = b.strMap(st, res, "ResponseModels"); err != nil {
		return true, err
	}
	route.RouteResponses = append(route.RouteResponses, rr)
	return true, nil
}

// addIntegrationResponse attaches an AWS::ApiGatewayV2::IntegrationResponse to its integration.
func (b *builder) addIntegrationResponse(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeIntegrationResponse {
		return false, nil
	}
	as, err := b.apiOf(st, res)
	if err != nil {
		return true, err
	}
	integID, err := b.str(st, res, "IntegrationId", true)
	if err != nil {
		return true, err
	}
	integ := as.integrations[integID]
	if integ == nil {
		return true, propErr(st, res, "IntegrationId", fmt.Errorf("integration %q is not defined in API %q", integID, as.api.LogicalID))
	}
	ir := &IntegrationResponse{LogicalID: res.LogicalID}
	if ir.Key, err = b.str(st, res, "IntegrationResponseKey", true); err != nil {
		return true, err
	}
	if err := checkIntegrationResponseKey(ir.Key); err != nil {
		return true, propErr(st, res, "IntegrationResponseKey", err)
	}
	for _, prev := range integ.IntegrationResponses {
		if prev.Key == ir.Key {
			return true, propErr(st, res, "IntegrationResponseKey", fmt.Errorf("integration %q already has the integration response %q for %q", integ.LogicalID, prev.LogicalID, ir.Key))
		}
	}
	if ir.TemplateSelectionExpression, err = b.str(st, res, "TemplateSelectionExpression", false); err != nil {
		return true, err
	}
	if ir.ContentHandlingStrategy, err = b.str(st, res, "ContentHandlingStrategy", false); err != nil {
		return true, err
	}
	switch ir.ContentHandlingStrategy {
	case "", "CONVERT_TO_BINARY", "CONVERT_TO_TEXT":
	default:
		return true, propErr(st, res, "ContentHandlingStrategy", fmt.Errorf("%q is not CONVERT_TO_BINARY or CONVERT_TO_TEXT", ir.ContentHandlingStrategy))
	}
	if ir.ResponseTemplates, err = b.strMap(st, res, "ResponseTemplates"); err != nil {
		return true, err
	}
	if ir.ResponseParameters, err = b.strMap(st, res, "ResponseParameters"); err != nil {
		return true, err
	}
	// The Developer Guide: "For proxy integrations, API Gateway automatically passes the backend
	// output to the caller as the complete payload. There is no integration response."
	if integ.Type == IntegrationAWSProxy || integ.Type == IntegrationHTTPProxy {
		b.warn(st, res.LogicalID, typeIntegrationResponse, fmt.Sprintf("integration %q is a %s integration, which has no integration response: this one is never used", integ.LogicalID, integ.Type))
	}
	integ.IntegrationResponses = append(integ.IntegrationResponses, ir)
	return true, nil
}

// checkIntegrationResponseKey accepts what the Developer Guide describes: "$default", or a
// regular expression wrapped in slashes ("/2\d\d/") that the status code must match.
func checkIntegrationResponseKey(key string) error {
	if key == DefaultStage {
		return nil
	}
	if len(key) < 2 || !strings.HasPrefix(key, "/") || !strings.HasSuffix(key, "/") {
		return fmt.Errorf("%q: want $default or a regular expression between slashes, like /2\\d\\d/", key)
	}
	if _, err := regexp.Compile(key[1 : len(key)-1]); err != nil {
		return fmt.Errorf("%q: not a regular expression the runner can match: %w", key, err)
	}
	return nil
}
