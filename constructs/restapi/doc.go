// Package restapi is a CDK construct for API Gateway REST APIs, built over aws-cdk-lib's
// awsapigateway.RestApi L2 and its Resource, Method, Integration, Model, RequestValidator,
// GatewayResponse, Stage, ApiKey and UsagePlan classes rather than replacing them.
//
// It adds what a local-first workflow needs: methods given as keys ("GET /products/{id}",
// "ANY /{proxy+}") with their resources created on the way; one Integration value for Lambda
// proxy, Lambda custom (non-proxy), HTTP, HTTP proxy and MOCK integrations; method responses
// derived from integration responses; request validators chosen per method by what they check;
// models referred to by name; stages, API keys and usage plans referred to by name; authorizers
// (Lambda TOKEN and REQUEST, Cognito user pools, IAM) declared by name and attached per method
// or as the API's default; a CfnOutput
// with the URL of every stage; and validation of everything the Developer Guide constrains,
// reported when the app is synthesized with the construct path and the rule that was broken.
//
// The L2 objects stay reachable: RestApi.Api is the awsapigateway.RestApi, and Resources,
// Methods, Stages, Models, Validators, GatewayResponses, ApiKeys, UsagePlans and Authorizers
// hold the L2 objects by path, key or name, so anything this package does not model (caching,
// custom domains) can still be set on them directly.
//
// # Example
//
//	api := restapi.New(stack, jsii.String("Catalogue"), &restapi.Props{
//		RestApiName:      jsii.String("catalogue"),
//		BinaryMediaTypes: jsii.Strings("image/png"),
//		Cors:             &awsapigateway.CorsOptions{AllowOrigins: jsii.Strings("http://localhost:5173")},
//		Models: &[]*restapi.Model{{
//			Name: jsii.String("NewProduct"),
//			Schema: &awsapigateway.JsonSchema{
//				Type:     awsapigateway.JsonSchemaType_OBJECT,
//				Required: jsii.Strings("name", "price"),
//				Properties: &map[string]*awsapigateway.JsonSchema{
//					"name":  {Type: awsapigateway.JsonSchemaType_STRING, MinLength: jsii.Number(1)},
//					"price": {Type: awsapigateway.JsonSchemaType_NUMBER, Minimum: jsii.Number(0)},
//				},
//			},
//		}},
//		DefaultStage: &restapi.StageOptions{
//			Name:           jsii.String("v1"),
//			Variables:      &map[string]*string{"currency": jsii.String("EUR")},
//			Throttle:       &awsapigateway.ThrottleSettings{RateLimit: jsii.Number(100), BurstLimit: jsii.Number(50)},
//			MethodThrottle: &map[string]*awsapigateway.ThrottleSettings{"POST /products": {RateLimit: jsii.Number(5), BurstLimit: jsii.Number(2)}},
//			AccessLogFormat: awsapigateway.AccessLogFormat_Clf(),
//		},
//		Methods: &[]*restapi.Method{
//			{Key: jsii.String("GET /products/{id}"), Integration: &restapi.Integration{Function: products}},
//			{
//				Key: jsii.String("POST /products"), Integration: &restapi.Integration{Function: products},
//				RequestModels: &map[string]*string{"application/json": jsii.String("NewProduct")},
//				Validate:      restapi.Validation_BODY,
//			},
//			{
//				Key: jsii.String("GET /products/{id}/price"),
//				Integration: &restapi.Integration{
//					Type: restapi.IntegrationType_AWS, Function: pricing,
//					RequestTemplates: &map[string]*string{"application/json": jsii.String(`{"id": "$input.params('id')"}`)},
//					Responses: &[]*awsapigateway.IntegrationResponse{
//						{StatusCode: jsii.String("200")},
//						{StatusCode: jsii.String("404"), SelectionPattern: jsii.String(".*not found.*")},
//					},
//				},
//			},
//			{
//				Key: jsii.String("GET /health"), ApiKeyRequired: jsii.Bool(true), Authorizer: jsii.String(restapi.NoAuthorizer),
//				Integration: &restapi.Integration{
//					Type:             restapi.IntegrationType_MOCK,
//					RequestTemplates: &map[string]*string{"application/json": jsii.String(`{"statusCode": 200}`)},
//					Responses:        &[]*awsapigateway.IntegrationResponse{{StatusCode: jsii.String("200")}},
//				},
//			},
//		},
//		GatewayResponses: &[]*awsapigateway.GatewayResponseOptions{{
//			Type:            awsapigateway.ResponseType_DEFAULT_4XX(),
//			ResponseHeaders: &map[string]*string{"Access-Control-Allow-Origin": jsii.String("'http://localhost:5173'")},
//		}},
//		Authorizers: &map[string]*restapi.Authorizer{
//			"token": {Type: restapi.AuthorizerType_TOKEN, Function: authorize, ValidationExpression: jsii.String(`^Bearer [-0-9A-Za-z._~+/]+=*$`)},
//			"staff": {Type: restapi.AuthorizerType_COGNITO, UserPools: &[]awscognito.IUserPool{staff}},
//		},
//		DefaultAuthorizer: jsii.String("token"),
//		ApiKeys: &[]*restapi.ApiKey{{Name: jsii.String("partner"), Value: jsii.String("partner-demo-key-0000001")}},
//		UsagePlans: &[]*restapi.UsagePlan{{
//			Name:     jsii.String("partners"),
//			Throttle: &awsapigateway.ThrottleSettings{RateLimit: jsii.Number(10), BurstLimit: jsii.Number(5)},
//			Quota:    &awsapigateway.QuotaSettings{Limit: jsii.Number(1000), Period: awsapigateway.Period_DAY},
//			ApiKeys:  jsii.Strings("partner"),
//		}},
//	})
//
// # Choices
//
//   - The API is deployed to one stage, "prod" (DefaultStageName) as with the L2, unless
//     DefaultStage names it; Stages adds further stages of the same deployment. REST APIs have
//     no $default stage: the stage is the first path segment of every URL.
//   - A Function without Type is a Lambda proxy integration and a Url an HTTP proxy; custom
//     (non-proxy) integrations and MOCK are named by Type. An HTTP integration calls its Url with
//     the method's own HTTP method unless HttpMethod says otherwise.
//   - Method request parameters that an integration's RequestParameters read are declared on
//     the method (path parameters required, others not) unless the method declares them, since
//     API Gateway maps only declared parameters; a {name} placeholder in an HTTP Url is mapped
//     from the method's path variable of that name ({proxy} from {proxy+}).
//   - Every status an integration response maps to gets a method response with the headers it
//     sets, unless MethodResponses declares it; a declared one must list those headers.
//   - Methods that validate the same way (Validation_BODY, _PARAMETERS, _BODY_AND_PARAMETERS)
//     share one request validator.
//   - An AccessLogFormat without a destination gets a CloudWatch log group (one month's
//     retention). In AWS, access logging also needs the account's CloudWatch role
//     (Props.CloudWatchRole, or set once per account).
//   - Usage plans cover the default stage unless Stages names others.
//   - DefaultAuthorizer and DefaultAuthorizationScopes apply to the methods added through this
//     construct and are not the L2's DefaultMethodOptions: under an L2 default Lambda
//     authorizer a method cannot be made IAM. Default scopes go to the methods that use the
//     default authorizer and set none of their own. CORS preflight methods stay open.
//   - An authorizer's L2 object is created when the first method uses it (the L2 fails
//     synthesis for an authorizer attached to no API); one no method uses is an error.
//   - With ApiKeySource AUTHORIZER, a method that requires a key needs a TOKEN or REQUEST
//     authorizer, whose usageIdentifierKey is the key.
//
// # Rules checked at synthesis
//
// Method keys and resource paths (letters, digits, "._-" and whole {name} or trailing
// {name+} parts; one variable child per resource); one integration backend per type; request
// and response parameter mappings, including the $context variables they read; mapping
// templates keyed by media type, at most 300 KB; integration responses (one per status, one
// default, a default for Lambda custom integrations); selection patterns, which API Gateway
// compiles as Java regular expressions and the local runner as Go's: a Java-only construct
// (lookaround, backreferences, possessive quantifiers, ...) is named in the error; for HTTP and
// MOCK integrations a pattern must be able to match a status code; models (names, draft 4 only,
// $refs to models added earlier, keywords of later drafts, the schema compiles, 400 KB per
// API); authorizers (type and the fields it takes, identity sources: one header for TOKEN and
// COGNITO, method.request.header|querystring, stageVariables and context for REQUEST; caching
// TTL of 0 to 3600 s with an identity source to key it; validation expressions, checked for
// Java-only constructs like selection patterns; scopes only with COGNITO; every authorizer
// used, every named one declared); validators that have something to validate; integration
// timeouts of 50 ms to 29 s; stage names, variables, throttling and access log formats;
// gateway response types, status codes and header sources; API key values (20 to 128
// characters, unique); usage plan stages, keys (one plan per key and stage), quotas and method
// throttles; CORS origins and methods; binary media types.
package restapi
