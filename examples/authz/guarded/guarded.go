// Package guarded defines the authorizer example: one API of each kind (HTTP, WebSocket, REST)
// with a route or method behind every authorizer type that kind has, and one open route, all
// served by the same handler (lambdas/authecho), which answers with what API Gateway told it
// about the caller. It is a package, not a command, so that two apps can include it:
// examples/authz on its own, and the repository's root app (examples/httpapi, which cdk.json
// runs and `make run` serves).
package guarded

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/golambda"
	"github.com/gatehouse-dev/gatehouse/constructs/httpapi"
	"github.com/gatehouse-dev/gatehouse/constructs/websocketapi"
)

// Names the README, clients and tests use.
const (
	// StackName is the stack the example apps give the example.
	StackName = "GatehouseAuthExample"

	// HTTPApiName, WebSocketApiName, WebSocketIAMApiName and RestApiName are the APIs' names.
	HTTPApiName         = "gatehouse-authz-http"
	WebSocketApiName    = "gatehouse-authz-ws"
	WebSocketIAMApiName = "gatehouse-authz-ws-iam"
	RestApiName         = "gatehouse-authz-rest"

	// RestStage and WebSocketStage are the stages of the REST and WebSocket APIs; the HTTP API
	// has only $default.
	RestStage      = "v1"
	WebSocketStage = "dev"

	// Issuer is the JWT authorizer's issuer. Any https URL does: the runner has no network and
	// verifies its tokens with the keys given by --jwks (`make run` makes them). In AWS it
	// would be an identity provider that publishes /.well-known/openid-configuration.
	Issuer = "https://auth.gatehouse.example"
	// Audience is what the JWT authorizer wants in a token's aud (or client_id).
	Audience = "gatehouse-authz"
	// ReadScope and WriteScope are the scopes routes require, of JWT and Cognito tokens alike
	// (Cognito writes a resource server's scopes as "{identifier}/{scope}").
	ReadScope  = "gatehouse/read"
	WriteScope = "gatehouse/write"
	// AdminScope is what the payload 1.0 Lambda authorizer wants in an HS256 token's scope; a
	// valid token without it gets an explicit Deny (403).
	AdminScope = "admin"

	// TokenSecret is the HS256 key of the Lambda authorizers (lambdas/tokenauth), a demo value
	// in the template on purpose so that the example works the same in AWS and locally. Do not
	// reuse it: a real secret belongs in a secret store.
	TokenSecret = "gatehouse-authz-demo-secret-do-not-reuse"

	// CallerRoleName is the IAM role whose credentials (`gatehouse credentials
	// gatehouse-authz-caller`) may call GET /iam of the HTTP and REST APIs and connect to the
	// IAM WebSocket API, and nothing else.
	CallerRoleName = "gatehouse-authz-caller"

	// Origin is the one origin the REST API's CORS allows: a local front-end dev server.
	Origin = "http://localhost:5173"
)

// NewStack defines the example in a stack of its own: it refers to nothing of the other
// examples. Function entries are relative to the repository root, where `cdk synth` runs.
func NewStack(scope constructs.Construct, id string) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), &awscdk.StackProps{
		Description: jsii.String("Gatehouse example: HTTP, WebSocket and REST APIs behind every kind of authorizer"),
	})
	fn := func(id, entry string, env map[string]string) awslambda.Function {
		vars := map[string]*string{}
		for k, v := range env {
			vars[k] = jsii.String(v)
		}
		return golambda.NewFunction(stack, jsii.String(id), &golambda.FunctionProps{
			Entry:           jsii.String(entry),
			FunctionOptions: awslambda.FunctionOptions{Environment: &vars},
		})
	}
	// The protected handler, the same behind every route.
	echo := fn("AuthEcho", "lambdas/authecho", map[string]string{"ALLOW_ORIGIN": Origin})
	// The Lambda authorizers, each its own function so that its invocations can be told apart
	// in the runner's output (the cache is visible as the lines that do not appear).
	httpAuth := fn("HttpAuthorizer", "lambdas/authrequest", map[string]string{"TOKENAUTH_SECRET": TokenSecret})
	adminAuth := fn("AdminAuthorizer", "lambdas/authrequest", map[string]string{"TOKENAUTH_SECRET": TokenSecret, "TOKENAUTH_SCOPE": AdminScope})
	tokenAuth := fn("TokenAuthorizer", "lambdas/authtoken", map[string]string{"TOKENAUTH_SECRET": TokenSecret})
	requestAuth := fn("RequestAuthorizer", "lambdas/authrequest", map[string]string{"TOKENAUTH_SECRET": TokenSecret})

	pool, client := userPool(stack)
	h := httpAPI(stack, echo, httpAuth, adminAuth, pool, client)
	webSocketAPI(stack, echo, requestAuth)
	wsIAM := webSocketIAMAPI(stack, echo)
	rest := restAPI(stack, echo, tokenAuth, requestAuth, pool)

	// The caller role: allowed GET /iam on the HTTP and REST APIs and $connect on the IAM
	// WebSocket API. DELETE /iam is refused to it: nothing allows it.
	caller := awsiam.NewRole(stack, jsii.String("Caller"), &awsiam.RoleProps{
		RoleName:    jsii.String(CallerRoleName),
		Description: jsii.String("Gatehouse example: may call GET /iam and connect to the IAM WebSocket API"),
		AssumedBy:   awsiam.NewAccountRootPrincipal(),
	})
	caller.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("execute-api:Invoke"),
		Resources: &[]*string{
			h.Api.ArnForExecuteApi(jsii.String("GET"), jsii.String("/iam"), jsii.String("*")),
			rest.Api.ArnForExecuteApi(jsii.String("GET"), jsii.String("/iam"), jsii.String(RestStage)),
			wsIAM.Api.ArnForExecuteApiV2(jsii.String("$connect"), jsii.String(WebSocketStage)),
		},
	}))
	return stack
}

// userPool is the Amazon Cognito user pool whose tokens the HTTP API's USER_POOL authorizer
// and the REST API's COGNITO authorizer take, with a resource server for the scopes and an app
// client. The runner gives them stable ids, so the issuer
// (https://cognito-idp.{region}.amazonaws.com/{pool id}) and the client id are the same on
// every run: `gatehouse routes` prints them.
func userPool(stack awscdk.Stack) (awscognito.UserPool, awscognito.UserPoolClient) {
	pool := awscognito.NewUserPool(stack, jsii.String("Users"), &awscognito.UserPoolProps{
		UserPoolName:  jsii.String("gatehouse-authz-users"),
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	read := awscognito.NewResourceServerScope(&awscognito.ResourceServerScopeProps{ScopeName: jsii.String("read"), ScopeDescription: jsii.String("call the read routes")})
	write := awscognito.NewResourceServerScope(&awscognito.ResourceServerScopeProps{ScopeName: jsii.String("write"), ScopeDescription: jsii.String("call the write routes")})
	server := pool.AddResourceServer(jsii.String("Api"), &awscognito.UserPoolResourceServerOptions{
		Identifier: jsii.String("gatehouse"),
		Scopes:     &[]awscognito.ResourceServerScope{read, write},
	})
	client := pool.AddClient(jsii.String("Web"), &awscognito.UserPoolClientOptions{
		OAuth: &awscognito.OAuthSettings{
			Flows:        &awscognito.OAuthFlows{AuthorizationCodeGrant: jsii.Bool(true)},
			CallbackUrls: jsii.Strings(Origin + "/"),
			Scopes: &[]awscognito.OAuthScope{
				awscognito.OAuthScope_OPENID(),
				awscognito.OAuthScope_ResourceServer(server, read),
				awscognito.OAuthScope_ResourceServer(server, write),
			},
		},
	})
	return pool, client
}

// httpAPI has an open route and a route behind each HTTP API authorizer type.
func httpAPI(stack awscdk.Stack, echo, httpAuth, adminAuth awslambda.IFunction, pool awscognito.IUserPool, client awscognito.IUserPoolClient) *httpapi.HttpApi {
	route := func(key, authorizer string, scopes ...string) *httpapi.Route {
		r := &httpapi.Route{Key: jsii.String(key), Function: echo}
		if authorizer != "" {
			r.Authorizer = jsii.String(authorizer)
		}
		if len(scopes) > 0 {
			r.AuthorizationScopes = jsii.Strings(scopes...)
		}
		return r
	}
	return httpapi.New(stack, jsii.String("Http"), &httpapi.Props{
		ApiName:     jsii.String(HTTPApiName),
		Description: jsii.String("Gatehouse example: an HTTP API behind every kind of authorizer"),
		Authorizers: &map[string]*httpapi.Authorizer{
			// Payload 2.0, simple responses, answers cached for 5 minutes per Authorization
			// header.
			"lambda": {
				Type: httpapi.AuthorizerType_LAMBDA, Function: httpAuth,
				ResultsCacheTtl: awscdk.Duration_Minutes(jsii.Number(5)),
			},
			// Payload 1.0, which answers with an IAM policy: Deny without the admin scope.
			// Not cached, so every request shows the authorizer at work.
			"admin": {
				Type: httpapi.AuthorizerType_LAMBDA, Function: adminAuth,
				PayloadFormatVersion: awsapigatewayv2.AuthorizerPayloadVersion_VERSION_1_0,
				ResultsCacheTtl:      awscdk.Duration_Seconds(jsii.Number(0)),
			},
			"jwt": {Type: httpapi.AuthorizerType_JWT, Issuer: jsii.String(Issuer), Audiences: jsii.Strings(Audience)},
			"users": {
				Type: httpapi.AuthorizerType_USER_POOL, UserPool: pool,
				UserPoolClients: &[]awscognito.IUserPoolClient{client},
			},
			"iam": {Type: httpapi.AuthorizerType_IAM},
		},
		Routes: &[]*httpapi.Route{
			route("GET /open", ""),
			route("GET /lambda", "lambda"),
			route("GET /admin", "admin"),
			route("GET /jwt", "jwt", ReadScope),
			route("POST /jwt", "jwt", WriteScope),
			route("GET /cognito", "users", ReadScope),
			route("GET /iam", "iam"),
			route("DELETE /iam", "iam"),
		},
	})
}

// webSocketAPI authorizes connections with a Lambda REQUEST authorizer on $connect, reading
// an HS256 token from the query string (browsers cannot set headers on the handshake); its
// context reaches every later message, which $default echoes back.
func webSocketAPI(stack awscdk.Stack, echo, requestAuth awslambda.IFunction) *websocketapi.WebSocketApi {
	return websocketapi.New(stack, jsii.String("Ws"), &websocketapi.Props{
		ApiName:      jsii.String(WebSocketApiName),
		Description:  jsii.String("Gatehouse example: a WebSocket API behind a Lambda REQUEST authorizer"),
		DefaultStage: &websocketapi.StageOptions{Name: jsii.String(WebSocketStage)},
		Authorizers: &map[string]*websocketapi.Authorizer{
			"token": {Type: websocketapi.AuthorizerType_LAMBDA, Function: requestAuth, IdentitySource: jsii.Strings("route.request.querystring.token")},
		},
		Routes: &[]*websocketapi.Route{
			{Key: jsii.String("$connect"), Function: echo, Authorizer: jsii.String("token")},
			{Key: jsii.String("$default"), Function: echo, ReturnResponse: jsii.Bool(true)},
		},
	})
}

// webSocketIAMAPI authorizes connections with IAM: the handshake must be signed (SigV4) by a
// principal allowed execute-api:Invoke on its $connect.
func webSocketIAMAPI(stack awscdk.Stack, echo awslambda.IFunction) *websocketapi.WebSocketApi {
	return websocketapi.New(stack, jsii.String("WsIam"), &websocketapi.Props{
		ApiName:      jsii.String(WebSocketIAMApiName),
		Description:  jsii.String("Gatehouse example: a WebSocket API behind IAM authorization"),
		DefaultStage: &websocketapi.StageOptions{Name: jsii.String(WebSocketStage)},
		Authorizers:  &map[string]*websocketapi.Authorizer{"iam": {Type: websocketapi.AuthorizerType_IAM}},
		Routes: &[]*websocketapi.Route{
			{Key: jsii.String("$connect"), Function: echo, Authorizer: jsii.String("iam")},
			{Key: jsii.String("$default"), Function: echo, ReturnResponse: jsii.Bool(true)},
		},
	})
}
