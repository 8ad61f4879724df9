package local

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// APIInfo describes one served API: what `gatehouse routes --json` prints and what Runner.APIs
// returns to tests.
type APIInfo struct {
	Stack     string      `json:"stack"`
	LogicalID string      `json:"logicalId"`
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	Protocol  string      `json:"protocol"` // HTTP, REST or WEBSOCKET
	Stages    []StageInfo `json:"stages"`
	Routes    []string    `json:"routes"`
	// RouteAuth says how each route of Routes that is not open is authorized, keyed by the
	// route as Routes spells it: "AWS_IAM", "CUSTOM {authorizer}", "JWT {authorizer}" or
	// "COGNITO_USER_POOLS {authorizer}", then the scopes a token must hold, if any, in
	// brackets: "JWT Jwt [read write]". {authorizer} is the authorizer's Name, as listed in
	// Authorizers. Routes without authorization (NONE) are absent.
	RouteAuth map[string]string `json:"routeAuth,omitempty"`
	// Authorizers are the API's authorizers, sorted by logical id.
	Authorizers []AuthorizerInfo `json:"authorizers,omitempty"`
	// APIKeys are the enabled API keys valid on some stage of this API (AWS::ApiGateway::ApiKey
	// through StageKeys or usage plans), for routes that require one. A key whose template sets
	// no Value gets a stable generated one, shown here.
	APIKeys []APIKeyInfo `json:"apiKeys,omitempty"`
}

// APIKeyInfo is one API key and the stages of the API it is valid on.
type APIKeyInfo struct {
	Name   string   `json:"name,omitempty"`
	Value  string   `json:"value"`
	Stages []string `json:"stages"`
}

// AuthorizerInfo is one authorizer of an API.
type AuthorizerInfo struct {
	Name      string `json:"name"`
	LogicalID string `json:"logicalId"` // for an OpenAPI definition's authorizer, its security scheme's name
	Type      string `json:"type"`      // REQUEST, TOKEN (Lambda), JWT or COGNITO_USER_POOLS
	// Issuers are the token issuers a JWT authorizer (one) or a Cognito authorizer (one per
	// user pool) trusts: the runner verifies tokens against the keys given for them.
	Issuers []string `json:"issuers,omitempty"`
	// Audience is a JWT authorizer's: a token's aud (or client_id) must be one of them.
	Audience []string `json:"audience,omitempty"`
	// IdentitySource is where the token or the identity is read ("$request.header.Authorization",
	// "method.request.header.Authorization", "route.request.querystring.token", ...).
	IdentitySource []string `json:"identitySource,omitempty"`
	// Function is a Lambda authorizer's function (physical name). Empty when the assembly does
	// not define it, or when stage variables choose it (FunctionByStage), requests being refused
	// where there is none.
	Function string `json:"function,omitempty"`
	// FunctionByStage is set when the AuthorizerUri takes the function from stage variables: the
	// function each stage of the API resolves it to ("" where it names none of the assembly).
	FunctionByStage map[string]string `json:"functionByStage,omitempty"`
	// ResultTTLSeconds is how long a Lambda authorizer's answer is cached per identity; 0: not
	// cached.
	ResultTTLSeconds int `json:"resultTtlSeconds,omitempty"`
}

// String is the authorizer as `gatehouse start` and `gatehouse routes` print it, on one line:
// "Jwt (JWT ApiJwt046D4791): issuer https://issuer.example.com, audience api, identity
// $request.header.Authorization".
func (a AuthorizerInfo) String() string {
	parts := []string{}
	switch {
	case len(a.Issuers) == 1:
		parts = append(parts, "issuer "+a.Issuers[0])
	case len(a.Issuers) > 1:
		parts = append(parts, "issuers "+strings.Join(a.Issuers, " "))
	}
	if len(a.Audience) > 0 {
		parts = append(parts, "audience "+strings.Join(a.Audience, " "))
	}
	if a.Type == model.AuthorizerRequest || a.Type == model.AuthorizerToken {
		switch {
		case a.Function != "":
			parts = append(parts, "function "+a.Function)
		case a.FunctionByStage != nil:
			var fs []string
			for _, st := range sortedKeys(a.FunctionByStage) {
				fn := a.FunctionByStage[st]
				if fn == "" {
					fn = "none"
				}
				fs = append(fs, st+"="+fn)
			}
			parts = append(parts, "function by stage "+strings.Join(fs, " "))
		default:
			parts = append(parts, "no function in the assembly (requests refused)")
		}
	}
	if len(a.IdentitySource) > 0 {
		parts = append(parts, "identity "+strings.Join(a.IdentitySource, " "))
	}
	if a.ResultTTLSeconds > 0 {
		parts = append(parts, "cached "+strconv.Itoa(a.ResultTTLSeconds)+"s")
	}
	return fmt.Sprintf("%s (%s %s): %s", a.Name, a.Type, a.LogicalID, strings.Join(parts, ", "))
}

// StageInfo is one stage of an API and the URLs that reach it.
type StageInfo struct {
	Name string `json:"name"`
	// URL reaches the stage with any client and no special DNS:
	// http://HOST:PORT/{apiId}/{stage} ($default: http://HOST:PORT/{apiId}).
	URL string `json:"url"`
	// HostURL is the AWS-like address, http://{apiId}.execute-api.localhost:PORT/{stage}, for
	// clients that resolve *.localhost to the loopback address (browsers, curl) or set the Host
	// header themselves.
	HostURL string `json:"hostUrl"`
	// TLSURL is URL on the runner's TLS listener (https://, wss://), when it serves TLS.
	TLSURL string `json:"tlsUrl,omitempty"`
	// CallbackURL is the @connections base URL of a WebSocket stage; empty for other protocols.
	CallbackURL string `json:"callbackUrl,omitempty"`
	// Domains are the custom domain mappings that reach this stage, with their URLs.
	Domains []MappingInfo `json:"domains,omitempty"`
}

// Stage finds a stage by name.
func (a APIInfo) Stage(name string) (StageInfo, bool) {
	for _, s := range a.Stages {
		if s.Name == name {
			return s, true
		}
	}
	return StageInfo{}, false
}

// hostSuffix is the Host-header form of an execute-api address, mirroring
// {api-id}.execute-api.{region}.amazonaws.com.
const hostSuffix = ".execute-api.localhost"

// describe lists the APIs of a model as served at baseHost ("127.0.0.1:3000") and, with TLS,
// tlsHost, sorted by stack and logical id so the output is stable.
func describe(m *model.Model, baseHost, tlsHost string) []APIInfo {
	domains := describeDomains(m, baseHost, tlsHost)
	port := ""
	if i := strings.LastIndexByte(baseHost, ':'); i >= 0 {
		port = baseHost[i:]
	}
	out := make([]APIInfo, 0, len(m.APIs))
	for _, api := range m.APIs {
		info := APIInfo{
			Stack: api.Stack, LogicalID: api.LogicalID, ID: api.ID, Name: api.Name,
			Protocol: string(api.Protocol), Stages: []StageInfo{}, Routes: []string{},
		}
		for _, st := range api.Stages {
			scheme := "http://"
			if api.Protocol == model.ProtocolWebSocket {
				scheme = "ws://"
			}
			suffix := ""
			if st.Name != model.DefaultStage {
				suffix = "/" + st.Name
			}
			si := StageInfo{
				Name:    st.Name,
				URL:     scheme + baseHost + "/" + api.ID + suffix,
				HostURL: scheme + api.ID + hostSuffix + port + suffix,
			}
			if tlsHost != "" {
				tlsScheme := "https://"
				if api.Protocol == model.ProtocolWebSocket {
					tlsScheme = "wss://"
				}
				si.TLSURL = tlsScheme + tlsHost + "/" + api.ID + suffix
			}
			if api.Protocol == model.ProtocolWebSocket {
				si.CallbackURL = "http://" + baseHost + "/" + api.ID + suffix
			}
			si.Domains = stageDomains(domains, api.ID, st.Name)
			info.Stages = append(info.Stages, si)
		}
		for _, r := range api.Routes {
			info.Routes = append(info.Routes, r.Key)
			info.addRouteAuth(api, r.Key, r.AuthorizationType, r.AuthorizerLogicalID, r.AuthorizationScopes)
		}
		for _, res := range api.Resources { // REST: "VERB /path"
			for _, m := range res.Methods {
				key := m.HTTPMethod + " " + res.Path
				info.Routes = append(info.Routes, key)
				info.addRouteAuth(api, key, m.AuthorizationType, m.AuthorizerLogicalID, m.AuthorizationScopes)
			}
		}
		for _, id := range sortedKeys(api.Authorizers) {
			info.Authorizers = append(info.Authorizers, describeAuthorizer(m, api, api.Authorizers[id]))
		}
		for _, k := range m.APIKeys {
			ki := APIKeyInfo{Name: k.Name, Value: k.Value}
			for _, st := range k.Stages {
				if st.APIID == api.ID {
					ki.Stages = append(ki.Stages, st.Stage)
				}
			}
			if k.Enabled && len(ki.Stages) > 0 {
				info.APIKeys = append(info.APIKeys, ki)
			}
		}
		out = append(out, info)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Stack != out[j].Stack {
			return out[i].Stack < out[j].Stack
		}
		return out[i].LogicalID < out[j].LogicalID
	})
	return out
}

// addRouteAuth records how a route or method is authorized, in RouteAuth's shape.
func (info *APIInfo) addRouteAuth(api *model.API, key, authorizationType, authorizerID string, scopes []string) {
	if authorizationType == "" || authorizationType == model.AuthorizationNone {
		return
	}
	desc := authorizationType
	if authorizationType != model.AuthorizationIAM {
		name := authorizerID
		if a := api.Authorizers[authorizerID]; a != nil && a.Name != "" {
			name = a.Name
		}
		desc += " " + name
		// Scopes count only where API Gateway checks them (the model warns about the rest).
		if len(scopes) > 0 && (authorizationType == model.AuthorizationJWT || authorizationType == model.AuthorizationCognito) {
			desc += " [" + strings.Join(scopes, " ") + "]"
		}
	}
	if info.RouteAuth == nil {
		info.RouteAuth = map[string]string{}
	}
	info.RouteAuth[key] = desc
}

func describeAuthorizer(m *model.Model, api *model.API, a *model.Authorizer) AuthorizerInfo {
	ai := AuthorizerInfo{
		Name: a.Name, LogicalID: a.LogicalID, Type: a.Type, Audience: a.Audience,
		IdentitySource: a.IdentitySource, Function: a.Function, ResultTTLSeconds: int(a.ResultTTL.Seconds()),
	}
	if a.Issuer != "" {
		ai.Issuers = []string{a.Issuer}
	}
	ai.Issuers = append(ai.Issuers, a.Issuers...)
	if a.Function == "" && strings.Contains(a.URI, "${stageVariables.") {
		ai.FunctionByStage = map[string]string{}
		for _, st := range api.Stages {
			fn := model.StageFunction(a.URI, st.Variables)
			if m.Function(fn) == nil {
				fn = ""
			}
			ai.FunctionByStage[st.Name] = fn
		}
	}
	return ai
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
