package websocketapi

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/deref"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/stagerules"
	"github.com/gatehouse-dev/gatehouse/constructs/internal/validation"
)

// DefaultRouteSelectionExpression routes a JSON message by its "action" property, as in the
// guide's chat examples ({"action":"sendmessage", ...}).
const DefaultRouteSelectionExpression = "$request.body.action"

// DefaultStageName is the name of the stage the API gets unless NoDefaultStage is set.
const DefaultStageName = "dev"

// Props configures a WebSocket API.
type Props struct {
	// ApiName is the API's Name; default: the construct id.
	ApiName     *string
	Description *string
	// RouteSelectionExpression picks a message's route key; default "$request.body.action".
	// Only $request.body.JSONPATH variables and static text are allowed.
	RouteSelectionExpression *string
	// ApiKeySelectionExpression is where API keys are read from:
	// awsapigatewayv2.WebSocketApiKeySelectionExpression_HEADER_X_API_KEY() or
	// _AUTHORIZER_USAGE_IDENTIFIER_KEY(). Required when a route sets ApiKeyRequired.
	ApiKeySelectionExpression awsapigatewayv2.WebSocketApiKeySelectionExpression

	// DefaultStage configures the stage the API gets unless NoDefaultStage is set; its Name
	// defaults to "dev".
	DefaultStage   *StageOptions
	NoDefaultStage *bool
	// Stages are further stages.
	Stages *[]*StageOptions

	// Authorizers declares the API's authorizers by name; the $connect route names its
	// authorizer in Route.Authorizer.
	Authorizers *map[string]*Authorizer

	// Routes are added in order, as by AddRoute.
	Routes *[]*Route
}

// WebSocketApi is an API Gateway WebSocket API with its stages and routes.
type WebSocketApi struct {
	constructs.Construct

	// Api is the underlying L2, for anything this package does not model.
	Api awsapigatewayv2.WebSocketApi
	// Stages holds every stage by name.
	Stages map[string]awsapigatewayv2.WebSocketStage
	// Routes holds every route by route key.
	Routes map[string]awsapigatewayv2.WebSocketRoute
	// Authorizers holds the L2 authorizer of every valid declaration by name: an
	// awsapigatewayv2authorizers.WebSocketLambdaAuthorizer or WebSocketIamAuthorizer.
	Authorizers map[string]awsapigatewayv2.IWebSocketRouteAuthorizer

	errs             *validation.Errors
	defaultStage     string // "" when NoDefaultStage
	hasApiKeySource  bool
	routeThrottles   stagerules.RouteThrottles
	usedConstructIDs map[string]bool

	authorizerTypes     map[string]AuthorizerType // valid declarations by name
	declaredAuthorizers []string                  // every declared name, in order, valid or not
	usedAuthorizers     map[string]bool
	connectAuthorizer   string          // the authorizer $connect uses, "" for none
	apiKeySource        string          // the checked ApiKeySelectionExpression, "" for none
	keyRequired         map[string]bool // route keys with ApiKeyRequired
}

// New creates a WebSocket API. Configuration errors do not panic: they fail synthesis with this
// construct's path, all at once.
func New(scope constructs.Construct, id *string, props *Props) *WebSocketApi {
	if props == nil {
		props = &Props{}
	}
	a := &WebSocketApi{
		Construct:        constructs.NewConstruct(scope, id),
		Stages:           map[string]awsapigatewayv2.WebSocketStage{},
		Routes:           map[string]awsapigatewayv2.WebSocketRoute{},
		Authorizers:      map[string]awsapigatewayv2.IWebSocketRouteAuthorizer{},
		usedConstructIDs: map[string]bool{},
		authorizerTypes:  map[string]AuthorizerType{},
		usedAuthorizers:  map[string]bool{},
		keyRequired:      map[string]bool{},
	}
	a.errs = validation.Attach(a.Construct)
	// Route throttling must name routes of this API, which may be added after the stages.
	a.errs.Defer(func() []string { return a.routeThrottles.CheckRoutes(a.hasRoute) })

	name := props.ApiName
	if name == nil {
		name = id
	}
	selection := DefaultRouteSelectionExpression
	if props.RouteSelectionExpression != nil {
		selection = *props.RouteSelectionExpression
	}
	if !*awscdk.Token_IsUnresolved(jsii.String(selection)) {
		a.errs.Add(checkSelection("route selection expression", routeSelection, selection)...)
	}
	apiKeys := props.ApiKeySelectionExpression
	if apiKeys != nil {
		expr := deref.String(apiKeys.CustomApiKeySelector())
		if err := checkApiKeySelection(expr); err != nil {
			a.errs.Add(err.Error())
			apiKeys = nil
		} else {
			a.hasApiKeySource = true
			a.apiKeySource = expr
		}
	}
	a.addAuthorizers(props.Authorizers)
	a.Api = awsapigatewayv2.NewWebSocketApi(a.Construct, jsii.String("Api"), &awsapigatewayv2.WebSocketApiProps{
		ApiName:                   name,
		Description:               props.Description,
		RouteSelectionExpression:  jsii.String(selection),
		ApiKeySelectionExpression: apiKeys,
	})

	if stagerules.WantDefault(a.errs, props.NoDefaultStage, props.DefaultStage != nil) {
		opts := StageOptions{}
		if props.DefaultStage != nil {
			opts = *props.DefaultStage
		}
		if opts.Name == nil {
			opts.Name = jsii.String(DefaultStageName)
		}
		if a.AddStage(&opts) != nil {
			a.defaultStage = *opts.Name
		}
	}
	for _, s := range deref.Slice(props.Stages) {
		a.AddStage(s)
	}
	for _, r := range deref.Slice(props.Routes) {
		a.AddRoute(r)
	}
	return a
}

// DefaultStage returns the stage created with the API, or nil with NoDefaultStage.
func (a *WebSocketApi) DefaultStage() awsapigatewayv2.WebSocketStage {
	if a.defaultStage == "" {
		return nil
	}
	return a.Stages[a.defaultStage]
}

// Url returns the wss:// URL of the named stage, or nil if there is no such stage.
func (a *WebSocketApi) Url(stage string) *string {
	s, ok := a.Stages[stage]
	if !ok {
		return nil
	}
	return s.Url()
}

// CallbackUrl returns the https:// @connections base URL of the named stage,
// "https://{api-id}.execute-api.{region}.{suffix}/{stage}", or nil if there is no such stage.
func (a *WebSocketApi) CallbackUrl(stage string) *string {
	s, ok := a.Stages[stage]
	if !ok {
		return nil
	}
	return s.CallbackUrl()
}

// ApiId is the API's id (a token until deployment).
func (a *WebSocketApi) ApiId() *string { return a.Api.ApiId() }

// constructID makes a readable, unique construct id from a route key or stage name: "/"
// separates construct paths, so it becomes "--" as the L2 itself does.
func (a *WebSocketApi) constructID(prefix, name string) string {
	base := prefix + strings.ReplaceAll(name, "/", "--")
	id := base
	for n := 2; a.usedConstructIDs[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	a.usedConstructIDs[id] = true
	return id
}

// anyMap is a string map as the L1's untyped (Json) properties take it.
func anyMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
