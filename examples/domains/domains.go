// Package domains defines the custom domain example: APIs of every kind behind Regional custom
// domain names and API mappings, as users reach them in AWS, and as `gatehouse start` serves
// them offline by Host name (see README.md). It is a package, not a command, so that the
// repository's root app (examples/httpapi, which cdk.json runs and `make run` serves) can
// include it, as it includes the catalogue and authorizer examples.
//
//   - chat.gatehouse.example maps the live stage of a WebSocket API under "live":
//     wss://chat.gatehouse.example/live, whose handler answers two-way and pushes through the
//     @connections API at the callback URL through the domain, https://chat.gatehouse.example/live.
//   - api.gatehouse.example maps two stages of one HTTP API, v1 under "orders" and v2 under the
//     multi-level "orders/v2", and a REST API's prod stage under "catalog". It has no empty
//     mapping, so a path under no key gets 403.
//   - *.tenants.gatehouse.example, a wildcard domain, maps an HTTP API's $default stage at its
//     root: any name one label deeper (acme.tenants.gatehouse.example) reaches it, and the
//     event's requestContext.domainName and domainPrefix say which.
//
// The HTTP and REST APIs answer with the raw event (lambdas/echo), so a client sees what API
// Gateway told the handler: the stage, the path with the key stripped, the domain.
package domains

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/domain"
	"github.com/gatehouse-dev/gatehouse/constructs/golambda"
	"github.com/gatehouse-dev/gatehouse/constructs/httpapi"
	"github.com/gatehouse-dev/gatehouse/constructs/restapi"
	"github.com/gatehouse-dev/gatehouse/constructs/websocketapi"
)

// Names the README, clients and tests use.
const (
	// StackName is the stack the root app gives the example.
	StackName = "GatehouseDomainExample"

	// ChatDomain maps the WebSocket API's ChatStage under ChatKey.
	ChatDomain = "chat.gatehouse.example"
	ChatKey    = "live"
	ChatStage  = "live"
	// ChatApiName is the WebSocket API's name.
	ChatApiName = "gatehouse-domain-chat"

	// ApiDomain maps OrdersApiName's stage OrdersV1Stage under OrdersV1Key and OrdersV2Stage
	// under the multi-level OrdersV2Key, and CatalogApiName's CatalogStage under CatalogKey.
	ApiDomain      = "api.gatehouse.example"
	OrdersApiName  = "gatehouse-domain-orders"
	OrdersV1Stage  = "v1"
	OrdersV1Key    = "orders"
	OrdersV2Stage  = "v2"
	OrdersV2Key    = "orders/v2"
	CatalogApiName = "gatehouse-domain-catalog"
	CatalogStage   = "prod"
	CatalogKey     = "catalog"

	// TenantsDomain is a wildcard domain mapping TenantsApiName's $default stage at its root.
	TenantsDomain  = "*.tenants.gatehouse.example"
	TenantsApiName = "gatehouse-domain-tenants"
)

// certificateArn is an ACM certificate of the deploying account and Region. The ids are
// placeholders: to deploy, put your own certificates' here (or give domain.Props a HostedZone
// to request them). Locally the runner issues its own certificates (gatehouse start --tls).
func certificateArn(id string) *string {
	return awscdk.Fn_Sub(jsii.String("arn:aws:acm:${AWS::Region}:${AWS::AccountId}:certificate/"+id), nil)
}

// NewStack defines the example in a stack of its own. Function entries are relative to the
// repository root, where `cdk synth` runs.
func NewStack(scope constructs.Construct, id string) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), &awscdk.StackProps{
		Description: jsii.String("Gatehouse example: HTTP, WebSocket and REST APIs behind custom domain names"),
	})
	echo := golambda.NewFunction(stack, jsii.String("DomainEcho"), &golambda.FunctionProps{Entry: jsii.String("lambdas/echo")})

	chat := chatAPI(stack)
	chatDomain := domain.New(stack, jsii.String("ChatDomain"), &domain.Props{
		Name:           jsii.String(ChatDomain),
		CertificateArn: certificateArn("00000000-0000-4000-8000-000000000001"),
	})
	chat.MapDomain(chatDomain, ChatStage, ChatKey)

	orders := httpapi.New(stack, jsii.String("Orders"), &httpapi.Props{
		ApiName:        jsii.String(OrdersApiName),
		NoDefaultStage: jsii.Bool(true),
		Stages: &[]*httpapi.StageOptions{
			{Name: jsii.String(OrdersV1Stage), Variables: &map[string]*string{"version": jsii.String("1")}},
			{Name: jsii.String(OrdersV2Stage), Variables: &map[string]*string{"version": jsii.String("2")}},
		},
		Routes: &[]*httpapi.Route{
			{Key: jsii.String("GET /items/{id}"), Function: echo},
			{Key: jsii.String("$default"), Function: echo},
		},
	})
	catalog := restapi.New(stack, jsii.String("Catalog"), &restapi.Props{
		RestApiName:  jsii.String(CatalogApiName),
		DefaultStage: &restapi.StageOptions{Name: jsii.String(CatalogStage)},
		Methods: &[]*restapi.Method{
			{Key: jsii.String("GET /products/{id}"), Integration: &restapi.Integration{Function: echo}},
			{Key: jsii.String("ANY /{proxy+}"), Integration: &restapi.Integration{Function: echo}},
		},
	})
	apiDomain := domain.New(stack, jsii.String("ApiDomain"), &domain.Props{
		Name:           jsii.String(ApiDomain),
		CertificateArn: certificateArn("00000000-0000-4000-8000-000000000002"),
	})
	orders.MapDomain(apiDomain, OrdersV1Stage, OrdersV1Key)
	orders.MapDomain(apiDomain, OrdersV2Stage, OrdersV2Key)
	catalog.MapDomain(apiDomain, CatalogStage, CatalogKey)

	tenants := httpapi.New(stack, jsii.String("Tenants"), &httpapi.Props{
		ApiName: jsii.String(TenantsApiName),
		Routes:  &[]*httpapi.Route{{Key: jsii.String("$default"), Function: echo}},
	})
	tenantsDomain := domain.New(stack, jsii.String("TenantsDomain"), &domain.Props{
		Name:           jsii.String(TenantsDomain),
		CertificateArn: certificateArn("00000000-0000-4000-8000-000000000003"),
	})
	tenants.MapDomain(tenantsDomain, "$default", "")
	return stack
}

// chatAPI is a WebSocket API with one handler (lambdas/wsdomain) behind a two-way $default
// route and a "push" route that answers through @connections at the domain's callback URL.
func chatAPI(stack awscdk.Stack) *websocketapi.WebSocketApi {
	handler := golambda.NewFunction(stack, jsii.String("ChatHandler"), &golambda.FunctionProps{
		Entry: jsii.String("lambdas/wsdomain"),
		FunctionOptions: awslambda.FunctionOptions{
			Timeout: awscdk.Duration_Seconds(jsii.Number(10)),
			Environment: &map[string]*string{
				// Through a domain the callback URL's path is the mapping key, not the stage.
				"DOMAIN_CALLBACK_URL": jsii.String("https://" + ChatDomain + "/" + ChatKey),
			},
		},
	})
	chat := websocketapi.New(stack, jsii.String("Chat"), &websocketapi.Props{
		ApiName:                  jsii.String(ChatApiName),
		Description:              jsii.String("Gatehouse example: a WebSocket API behind a custom domain name"),
		RouteSelectionExpression: jsii.String(websocketapi.DefaultRouteSelectionExpression),
		DefaultStage:             &websocketapi.StageOptions{Name: jsii.String(ChatStage)},
		Routes: &[]*websocketapi.Route{
			{Key: jsii.String("$default"), Function: handler, ReturnResponse: jsii.Bool(true)},
			{Key: jsii.String("push"), Function: handler},
		},
	})
	// The permission to post to the stage's connections; the stage's execute-api callback URL
	// goes in a variable the handler does not use, as the domain's is the one it is given.
	chat.GrantCallback(handler, &websocketapi.CallbackOptions{EnvVar: jsii.String("STAGE_CALLBACK_URL")})
	return chat
}
