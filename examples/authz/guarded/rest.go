package guarded

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/restapi"
)

// vtlTemplate is GET /vtl's response template: a MOCK integration's answer made of what the
// TOKEN authorizer returned, read through $context.authorizer.
const vtlTemplate = `{
  "principalId": "$context.authorizer.principalId",
  "user": "$context.authorizer.user",
  "scope": "$context.authorizer.scope",
  "stage": "$context.stage"
}`

// errorTemplate is the body of the REST API's UNAUTHORIZED and ACCESS_DENIED responses.
const errorTemplate = `{"message": $context.error.messageString, "type": "$context.error.responseType", "requestId": "$context.requestId"}`

// restAPI has an open method and a method behind each REST API authorizer type, and gateway
// responses that let a browser on Origin read the refusals.
func restAPI(stack awscdk.Stack, echo, tokenAuth, requestAuth awslambda.IFunction, pool awscognito.IUserPool) *restapi.RestApi {
	method := func(key, authorizer string, scopes ...string) *restapi.Method {
		m := &restapi.Method{Key: jsii.String(key), Integration: &restapi.Integration{Function: echo}}
		if authorizer != "" {
			m.Authorizer = jsii.String(authorizer)
		}
		if len(scopes) > 0 {
			m.AuthorizationScopes = jsii.Strings(scopes...)
		}
		return m
	}
	json := func(tpl string) *map[string]*string { return &map[string]*string{"application/json": jsii.String(tpl)} }
	cors := &map[string]*string{"method.response.header.Access-Control-Allow-Origin": jsii.String("'" + Origin + "'")}
	vtl := &restapi.Method{
		Key:        jsii.String("GET /vtl"),
		Authorizer: jsii.String("token"),
		Integration: &restapi.Integration{
			Type:             restapi.IntegrationType_MOCK,
			RequestTemplates: json(`{"statusCode": 200}`),
			Responses: &[]*awsapigateway.IntegrationResponse{{
				StatusCode: jsii.String("200"), ResponseParameters: cors, ResponseTemplates: json(vtlTemplate),
			}},
		},
	}
	refusalHeaders := func(extra map[string]string) *map[string]*string {
		h := map[string]*string{
			"Access-Control-Allow-Origin": jsii.String("'" + Origin + "'"),
			"x-request-id":                jsii.String("context.requestId"),
		}
		for k, v := range extra {
			h[k] = jsii.String(v)
		}
		return &h
	}
	return restapi.New(stack, jsii.String("Rest"), &restapi.Props{
		RestApiName:  jsii.String(RestApiName),
		Description:  jsii.String("Gatehouse example: a REST API behind every kind of authorizer"),
		DefaultStage: &restapi.StageOptions{Name: jsii.String(RestStage)},
		Cors: &awsapigateway.CorsOptions{
			AllowOrigins: jsii.Strings(Origin),
			AllowHeaders: jsii.Strings("authorization", "content-type", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"),
		},
		Authorizers: &map[string]*restapi.Authorizer{
			// The Authorization header must look like a bearer token before the function runs;
			// answers are cached for 5 minutes per header value.
			"token": {
				Type: restapi.AuthorizerType_TOKEN, Function: tokenAuth,
				ValidationExpression: jsii.String(`^Bearer [-_.0-9A-Za-z]+$`),
				ResultsCacheTtl:      awscdk.Duration_Minutes(jsii.Number(5)),
			},
			// A REQUEST authorizer reading the token from the query string, not cached.
			"request": {
				Type: restapi.AuthorizerType_REQUEST, Function: requestAuth,
				IdentitySource:  jsii.Strings("method.request.querystring.token"),
				ResultsCacheTtl: awscdk.Duration_Seconds(jsii.Number(0)),
			},
			"users": {Type: restapi.AuthorizerType_COGNITO, UserPools: &[]awscognito.IUserPool{pool}},
			"iam":   {Type: restapi.AuthorizerType_IAM},
		},
		Methods: &[]*restapi.Method{
			method("GET /open", ""),
			method("GET /token", "token"),
			method("GET /request", "request"),
			method("GET /cognito", "users", ReadScope),
			method("GET /iam", "iam"),
			method("DELETE /iam", "iam"),
			vtl,
		},
		GatewayResponses: &[]*awsapigateway.GatewayResponseOptions{
			{
				Type:            awsapigateway.ResponseType_UNAUTHORIZED(),
				ResponseHeaders: refusalHeaders(map[string]string{"WWW-Authenticate": `'Bearer realm="gatehouse-authz"'`}),
				Templates:       json(errorTemplate),
			},
			{
				Type:            awsapigateway.ResponseType_ACCESS_DENIED(),
				ResponseHeaders: refusalHeaders(nil),
				Templates:       json(errorTemplate),
			},
		},
	})
}
