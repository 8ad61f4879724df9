package model

import (
	"errors"
	"fmt"
	"github.com/gatehouse-dev/gatehouse/local/internal/accesslog"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

func (b *builder) addRoute(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeRoute {
		return false, nil
	}
	as, err := b.apiOf(st, res)
	if err != nil {
		return true, err
	}
	r := &Route{LogicalID: res.LogicalID}
	if r.Key, err = b.str(st, res, "RouteKey", true); err != nil {
		return true, err
	}
	if r.Method, r.Path, err = splitRouteKey(as.api.Protocol, r.Key); err != nil {
		return true, propErr(st, res, "RouteKey", err)
	}
	target, err := b.str(st, res, "Target", false)
	if err != nil {
		return true, err
	}
	if target != "" {
		id, ok := strings.CutPrefix(target, "integrations/")
		if !ok {
			return true, propErr(st, res, "Target", fmt.Errorf("%q: want integrations/{IntegrationId}", target))
		}
		if r.Integration = as.integrations[id]; r.Integration == nil {
			return true, propErr(st, res, "Target", fmt.Errorf("integration %q is not defined in API %q", id, as.api.LogicalID))
		}
	}

	if r.AuthorizationType, err = b.str(st, res, "AuthorizationType", false); err != nil {
		return true, err
	}
	authorizerID, err := b.str(st, res, "AuthorizerId", false)
	if err != nil {
		return true, err
	}
	if authorizerID != "" {
		if r.AuthorizerLogicalID = as.authorizers[authorizerID]; r.AuthorizerLogicalID == "" {
			return true, propErr(st, res, "AuthorizerId", fmt.Errorf("authorizer %q is not defined in API %q", authorizerID, as.api.LogicalID))
		}
	}
	if r.AuthorizationScopes, err = b.strList(st, res, "AuthorizationScopes"); err != nil {
		return true, err
	}
	if r.APIKeyRequired, err = b.boolean(st, res, "ApiKeyRequired"); err != nil {
		return true, err
	}
	if r.RouteResponseSelectionExpression, err = b.str(st, res, "RouteResponseSelectionExpression", false); err != nil {
		return true, err
	}
	if r.ModelSelectionExpression, err = b.str(st, res, "ModelSelectionExpression", false); err != nil {
		return true, err
	}
	if r.RequestModels, err = b.strMap(st, res, "RequestModels"); err != nil {
		return true, err
	}
	if r.RequestParameters, err = b.routeRequestParameters(st, res); err != nil {
		return true, err
	}

	if err := b.checkRouteAuth(st, res, as.api, r); err != nil {
		return true, err
	}
	// WebSocket routes are checked against Model.APIKeys by the WebSocket server. The Developer
	// Guide lists API keys for REST and WebSocket APIs only.
	if r.APIKeyRequired && as.api.Protocol == ProtocolHTTP {
		b.warn(st, res.LogicalID, typeRoute, fmt.Sprintf("route %q sets ApiKeyRequired, but HTTP APIs have no API keys: the route is served without one", r.Key))
	}
	id, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return true, propErr(st, res, "RouteId", err)
	}
	as.routes[id.(string)] = r
	as.api.Routes = append(as.api.Routes, r)
	return true, nil
}

// routeRequestParameters reads a WebSocket route's {"route.request.header.x": {"Required": true}}.
func (b *builder) routeRequestParameters(st *stackState, res *assembly.Resource) (map[string]bool, error) {
	const prop = "RequestParameters"
	v, err := b.resolve(st, res, prop)
	if err != nil || v == nil {
		return nil, err
	}
	m, err := asObject(v)
	if err != nil {
		return nil, propErr(st, res, prop, err)
	}
	out := make(map[string]bool, len(m))
	for _, name := range sortedKeys(m) {
		p, err := asObject(m[name])
		if err != nil {
			return nil, propErr(st, res, prop+"."+name, err)
		}
		var required bool
		if p["Required"] != nil {
			if required, err = asBool(p["Required"]); err != nil {
				return nil, propErr(st, res, prop+"."+name+".Required", err)
			}
		}
		out[name] = required
	}
	return out, nil
}

// splitRouteKey splits an HTTP API route key "GET /items/{id}" into method and path. $default
// and WebSocket route keys have neither.
func splitRouteKey(p Protocol, key string) (method, path string, err error) {
	if p != ProtocolHTTP || key == DefaultStage {
		return "", "", nil
	}
	method, path, ok := strings.Cut(key, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		return "", "", fmt.Errorf("%q: want \"METHOD /path\" or $default", key)
	}
	switch method {
	case "ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS":
	default:
		return "", "", fmt.Errorf("%q: %s is not an HTTP method API Gateway routes (or ANY)", key, method)
	}
	return method, path, nil
}

func (b *builder) addStage(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeStage {
		return false, nil
	}
	as, err := b.apiOf(st, res)
	if err != nil {
		return true, err
	}
	s := &Stage{LogicalID: res.LogicalID}
	if s.Name, err = b.str(st, res, "StageName", true); err != nil {
		return true, err
	}
	if as.api.Stage(s.Name) != nil {
		return true, propErr(st, res, "StageName", fmt.Errorf("API %q already has a stage %q", as.api.LogicalID, s.Name))
	}
	if s.Variables, err = b.strMap(st, res, "StageVariables"); err != nil {
		return true, err
	}
	v, err := b.resolve(st, res, "DefaultRouteSettings")
	if err != nil {
		return true, err
	}
	if s.DefaultRouteThrottle, err = throttle(v); err != nil {
		return true, propErr(st, res, "DefaultRouteSettings", err)
	}
	v, err = b.resolve(st, res, "RouteSettings")
	if err != nil {
		return true, err
	}
	routes, err := asObject(v)
	if err != nil {
		return true, propErr(st, res, "RouteSettings", err)
	}
	for _, key := range sortedKeys(routes) {
		t, err := throttle(routes[key])
		if err != nil {
			return true, propErr(st, res, "RouteSettings."+key, err)
		}
		if t == nil {
			continue
		}
		if s.RouteThrottle == nil {
			s.RouteThrottle = map[string]*Throttle{}
		}
		s.RouteThrottle[key] = t
	}
	if v, err = b.resolve(st, res, "AccessLogSettings"); err != nil {
		return true, err
	}
	if s.AccessLogFormat, err = accessLogFormat(v); err != nil {
		return true, propErr(st, res, "AccessLogSettings", err)
	}
	b.checkAccessLogFormat(st, res, s)
	as.api.Stages = append(as.api.Stages, s)
	return true, nil
}

// accessLogFormat reads the Format of a stage's AccessLogSettings; empty when none is set.
func accessLogFormat(v any) (string, error) {
	m, err := asObject(v)
	if err != nil || m == nil || m["Format"] == nil {
		return "", err
	}
	f, ok := m["Format"].(string)
	if !ok {
		return "", fmt.Errorf("Format: want a string, got %T", m["Format"])
	}
	return f, nil
}

// checkAccessLogFormat warns of a format API Gateway refuses: the runner still prints it.
func (b *builder) checkAccessLogFormat(st *stackState, res *assembly.Resource, s *Stage) {
	if s.AccessLogFormat == "" {
		return
	}
	if err := accesslog.Check(s.AccessLogFormat); err != nil {
		b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("stage %q: %v; API Gateway refuses the stage, the runner prints the lines anyway", s.Name, err))
	}
}

// throttle reads ThrottlingRateLimit and ThrottlingBurstLimit of a route settings object; nil
// when neither is set.
func throttle(v any) (*Throttle, error) {
	m, err := asObject(v)
	if err != nil || m == nil {
		return nil, err
	}
	if m["ThrottlingRateLimit"] == nil && m["ThrottlingBurstLimit"] == nil {
		return nil, nil
	}
	t := &Throttle{}
	if m["ThrottlingRateLimit"] != nil {
		if t.RateLimit, err = asFloat(m["ThrottlingRateLimit"]); err != nil {
			return nil, fmt.Errorf("ThrottlingRateLimit: %w", err)
		}
	}
	if m["ThrottlingBurstLimit"] != nil {
		if t.BurstLimit, err = asInt(m["ThrottlingBurstLimit"]); err != nil {
			return nil, fmt.Errorf("ThrottlingBurstLimit: %w", err)
		}
	}
	if t.RateLimit < 0 || t.BurstLimit < 0 {
		return nil, errors.New("throttling limits cannot be negative")
	}
	return t, nil
}
