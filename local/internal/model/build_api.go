package model

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

const (
	typeAPI         = "AWS::ApiGatewayV2::Api"
	typeStage       = "AWS::ApiGatewayV2::Stage"
	typeRoute       = "AWS::ApiGatewayV2::Route"
	typeIntegration = "AWS::ApiGatewayV2::Integration"
	typeAuthorizer  = "AWS::ApiGatewayV2::Authorizer"
)

func (b *builder) addAPI(st *stackState, res *assembly.Resource) error {
	proto, err := b.str(st, res, "ProtocolType", true)
	if err != nil {
		return err
	}
	api := &API{Stack: st.s.Name, LogicalID: res.LogicalID, Stages: []*Stage{}}
	switch proto {
	case "HTTP":
		api.Protocol = ProtocolHTTP
	case "WEBSOCKET":
		api.Protocol = ProtocolWebSocket
	default:
		return propErr(st, res, "ProtocolType", fmt.Errorf("%q is not HTTP or WEBSOCKET", proto))
	}
	id, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return propErr(st, res, "ApiId", err)
	}
	api.ID = id.(string)
	if api.Name, err = b.str(st, res, "Name", false); err != nil {
		return err
	}
	if api.DisableExecuteAPIEndpoint, err = b.boolean(st, res, "DisableExecuteApiEndpoint"); err != nil {
		return err
	}
	if api.Protocol == ProtocolWebSocket {
		if api.RouteSelectionExpression, err = b.str(st, res, "RouteSelectionExpression", false); err != nil {
			return err
		}
		if api.APIKeySelectionExpression, err = b.str(st, res, "ApiKeySelectionExpression", false); err != nil {
			return err
		}
	}
	if api.CORS, err = b.cors(st, res); err != nil {
		return err
	}
	for _, p := range []string{"Body", "BodyS3Location"} {
		if res.Properties[p] != nil {
			b.warn(st, res.LogicalID, typeAPI, fmt.Sprintf("OpenAPI import (%s) is not supported: routes and integrations defined only there are not served", p))
			break
		}
	}
	b.apis[api.ID] = &apiState{api: api, st: st, integrations: map[string]*Integration{}, routes: map[string]*Route{}, authorizers: map[string]string{}}
	b.m.APIs = append(b.m.APIs, api)
	return b.quickCreate(st, res, api)
}

// quickCreate expands an Api's Target: API Gateway then creates a $default route (or RouteKey)
// with a Lambda proxy (payload 2.0) or HTTP proxy integration, and a $default stage that
// deploys automatically.
func (b *builder) quickCreate(st *stackState, res *assembly.Resource, api *API) error {
	target, err := b.str(st, res, "Target", false)
	if err != nil || target == "" {
		return err
	}
	key, err := b.str(st, res, "RouteKey", false)
	if err != nil {
		return err
	}
	if key == "" {
		key = DefaultStage
	}
	integ := &Integration{LogicalID: res.LogicalID, URI: target}
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
		integ.Type, integ.Method = IntegrationHTTPProxy, "ANY"
	} else {
		integ.Type, integ.PayloadFormatVersion = IntegrationAWSProxy, "2.0"
		b.linkFunction(st, res, integ)
	}
	route := &Route{LogicalID: res.LogicalID, Key: key, Integration: integ}
	if route.Method, route.Path, err = splitRouteKey(api.Protocol, key); err != nil {
		return propErr(st, res, "RouteKey", err)
	}
	api.Routes = append(api.Routes, route)
	api.Stages = append(api.Stages, &Stage{Name: DefaultStage})
	return nil
}

func (b *builder) cors(st *stackState, res *assembly.Resource) (*CORS, error) {
	const prop = "CorsConfiguration"
	v, err := b.resolve(st, res, prop)
	if err != nil || v == nil {
		return nil, err
	}
	m, err := asObject(v)
	if err != nil {
		return nil, propErr(st, res, prop, err)
	}
	c := &CORS{}
	for field, dst := range map[string]*[]string{
		"AllowOrigins": &c.AllowOrigins, "AllowMethods": &c.AllowMethods,
		"AllowHeaders": &c.AllowHeaders, "ExposeHeaders": &c.ExposeHeaders,
	} {
		if m[field] == nil {
			continue
		}
		if *dst, err = asStringList(m[field]); err != nil {
			return nil, propErr(st, res, prop+"."+field, err)
		}
	}
	if m["AllowCredentials"] != nil {
		if c.AllowCredentials, err = asBool(m["AllowCredentials"]); err != nil {
			return nil, propErr(st, res, prop+".AllowCredentials", err)
		}
	}
	if m["MaxAge"] != nil {
		n, err := asInt(m["MaxAge"])
		if err != nil {
			return nil, propErr(st, res, prop+".MaxAge", err)
		}
		c.MaxAge = &n
	}
	return c, nil
}

func (b *builder) addIntegration(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeIntegration {
		return false, nil
	}
	as, err := b.apiOf(st, res)
	if err != nil {
		return true, err
	}
	integ := &Integration{LogicalID: res.LogicalID}
	if integ.Type, err = b.str(st, res, "IntegrationType", true); err != nil {
		return true, err
	}
	switch integ.Type {
	case IntegrationAWSProxy, IntegrationAWS, IntegrationHTTPProxy, IntegrationHTTP, IntegrationMock:
	default:
		return true, propErr(st, res, "IntegrationType", fmt.Errorf("%q is not AWS_PROXY, AWS, HTTP_PROXY, HTTP or MOCK", integ.Type))
	}
	strs := []struct {
		prop string
		dst  *string
	}{
		{"IntegrationUri", &integ.URI},
		{"IntegrationMethod", &integ.Method},
		{"PayloadFormatVersion", &integ.PayloadFormatVersion},
		{"TemplateSelectionExpression", &integ.TemplateSelectionExpression},
		{"PassthroughBehavior", &integ.PassthroughBehavior},
		{"ContentHandlingStrategy", &integ.ContentHandlingStrategy},
		{"IntegrationResponseSelectionExpression", &integ.IntegrationResponseSelectionExpression},
	}
	for _, s := range strs {
		if *s.dst, err = b.str(st, res, s.prop, false); err != nil {
			return true, err
		}
	}
	if ms, err := b.integer(st, res, "TimeoutInMillis"); err != nil {
		return true, err
	} else if ms != nil {
		integ.Timeout = time.Duration(*ms) * time.Millisecond
	}
	if integ.RequestParameters, err = b.strMap(st, res, "RequestParameters"); err != nil {
		return true, err
	}
	if integ.RequestTemplates, err = b.strMap(st, res, "RequestTemplates"); err != nil {
		return true, err
	}
	if integ.ResponseParameters, err = b.responseParameters(st, res); err != nil {
		return true, err
	}

	subtype, err := b.str(st, res, "IntegrationSubtype", false)
	if err != nil {
		return true, err
	}
	connection, err := b.str(st, res, "ConnectionType", false)
	if err != nil {
		return true, err
	}
	switch {
	case subtype != "":
		b.warn(st, res.LogicalID, typeIntegration, fmt.Sprintf("AWS service integrations (%s) are not emulated: routes using it get a 500", subtype))
	case connection == "VPC_LINK":
		b.warn(st, res.LogicalID, typeIntegration, "private integrations (VPC_LINK) cannot reach a VPC from here: routes using it get a 500")
	case integ.Type == IntegrationAWSProxy || integ.Type == IntegrationAWS:
		if integ.URI == "" {
			return true, propErr(st, res, "IntegrationUri", errors.New("is required for a Lambda integration"))
		}
		if as.api.Protocol == ProtocolHTTP && integ.Type == IntegrationAWSProxy && integ.PayloadFormatVersion == "" {
			// The Developer Guide: "If you create a Lambda integration by using the AWS CLI,
			// AWS CloudFormation, or an SDK, you must specify a payloadFormatVersion."
			return true, propErr(st, res, "PayloadFormatVersion", errors.New("is required for Lambda proxy integrations of HTTP APIs (1.0 or 2.0)"))
		}
		b.linkFunction(st, res, integ)
	}
	if v := integ.PayloadFormatVersion; v != "" && v != "1.0" && v != "2.0" {
		return true, propErr(st, res, "PayloadFormatVersion", fmt.Errorf("%q is not 1.0 or 2.0", v))
	}

	id, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return true, propErr(st, res, "IntegrationId", err)
	}
	as.integrations[id.(string)] = integ
	return true, nil
}

// responseParameters reads both shapes seen in templates: the API's own
// {"200": {"overwrite:header.x": "v"}} and CloudFormation's
// {"200": {"ResponseParameters": [{"Destination": "overwrite:header.x", "Source": "v"}]}}.
func (b *builder) responseParameters(st *stackState, res *assembly.Resource) (map[string]map[string]string, error) {
	const prop = "ResponseParameters"
	v, err := b.resolve(st, res, prop)
	if err != nil || v == nil {
		return nil, err
	}
	m, err := asObject(v)
	if err != nil {
		return nil, propErr(st, res, prop, err)
	}
	out := map[string]map[string]string{}
	for _, status := range sortedKeys(m) {
		entry, err := asObject(m[status])
		if err != nil {
			return nil, propErr(st, res, prop+"."+status, err)
		}
		mapping := map[string]string{}
		if list, ok := entry["ResponseParameters"].([]any); ok {
			for i, e := range list {
				p, _ := e.(map[string]any)
				dst, err1 := asString(p["Destination"])
				src, err2 := asString(p["Source"])
				if err := errors.Join(err1, err2); err != nil {
					return nil, propErr(st, res, fmt.Sprintf("%s.%s.ResponseParameters[%d]", prop, status, i), err)
				}
				mapping[dst] = src
			}
		} else if mapping, err = asStringMap(entry); err != nil {
			return nil, propErr(st, res, prop+"."+status, err)
		}
		out[status] = mapping
	}
	return out, nil
}

// linkFunction sets integ.Function when its URI names a function of the assembly, in any of the
// forms API Gateway accepts: a function ARN (optionally qualified by an alias or version), the
// arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations form, or a name.
func (b *builder) linkFunction(st *stackState, res *assembly.Resource, integ *Integration) {
	if UsesStageVariables(integ.URI) {
		b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("integration URI %q takes its function from stage variables, which the runner resolves for REST APIs only: requests get a 500", integ.URI))
		return
	}
	name, problem := b.lambdaTarget(integ.URI)
	if problem != "" {
		b.warn(st, res.LogicalID, res.Type, problem)
		return
	}
	integ.Function = name
}

// lambdaTarget is the function of the assembly a Lambda integration URI names, or why there is
// none.
func (b *builder) lambdaTarget(uri string) (name, problem string) {
	name = functionNameInURI(uri)
	if name == "" {
		return "", fmt.Sprintf("integration URI %q is not a Lambda function ARN: requests get a 500", uri)
	}
	if _, ok := b.functions[name]; !ok {
		return "", fmt.Sprintf("integration URI names Lambda function %q, which the assembly does not define: requests get a 500", name)
	}
	return name, ""
}
