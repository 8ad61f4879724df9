package model

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/intrinsics"
)

// The three places an authorizer is written (AWS::ApiGatewayV2::Authorizer,
// AWS::ApiGateway::Authorizer, an OpenAPI x-amazon-apigateway-authorizer) spell the same fields
// differently. Each maps these field names to its own spelling, so one check serves all three
// and its errors name the property the user wrote.
const (
	fieldType           = "type"
	fieldName           = "name"
	fieldURI            = "uri"
	fieldIdentitySource = "identitySource"
	fieldValidation     = "validation"
	fieldTTL            = "ttl"
	fieldPayload        = "payload"
	fieldSimple         = "simple"
	fieldIssuer         = "issuer"
	fieldAudience       = "audience"
	fieldProviders      = "providers"
)

var v2AuthorizerFields = map[string]string{
	fieldType: "AuthorizerType", fieldName: "Name", fieldURI: "AuthorizerUri",
	fieldIdentitySource: "IdentitySource", fieldValidation: "IdentityValidationExpression",
	fieldTTL: "AuthorizerResultTtlInSeconds", fieldPayload: "AuthorizerPayloadFormatVersion",
	fieldSimple: "EnableSimpleResponses", fieldIssuer: "JwtConfiguration.Issuer", fieldAudience: "JwtConfiguration.Audience",
}

var restAuthorizerFields = map[string]string{
	fieldType: "Type", fieldName: "Name", fieldURI: "AuthorizerUri",
	fieldIdentitySource: "IdentitySource", fieldValidation: "IdentityValidationExpression",
	fieldTTL: "AuthorizerResultTtlInSeconds", fieldProviders: "ProviderARNs",
}

// Authorizer result caching, from the guide: "The default TTL value is 300 seconds. The maximum
// value is 3600 seconds". The default is REST's; HTTP APIs cache only when asked to.
const (
	defaultRESTAuthorizerTTL = 300
	maxAuthorizerTTL         = 3600
)

// addAuthorizer translates an AWS::ApiGatewayV2::Authorizer of an HTTP or WebSocket API.
func (b *builder) addAuthorizer(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeAuthorizer {
		return false, nil
	}
	as, err := b.apiOf(st, res)
	if err != nil {
		return true, err
	}
	f, err := b.resolvedFields(st, res, "AuthorizerType", "Name", "AuthorizerUri", "IdentitySource",
		"IdentityValidationExpression", "AuthorizerResultTtlInSeconds", "AuthorizerPayloadFormatVersion",
		"EnableSimpleResponses", "JwtConfiguration", "AuthorizerCredentialsArn")
	if err != nil {
		return true, err
	}
	a := &Authorizer{
		LogicalID: res.LogicalID, Name: f.str("Name"), Type: f.str("AuthorizerType"), URI: f.str("AuthorizerUri"),
		IdentitySource:               f.identitySources("IdentitySource"),
		IdentityValidationExpression: f.str("IdentityValidationExpression"),
		PayloadFormatVersion:         f.str("AuthorizerPayloadFormatVersion"),
		EnableSimpleResponses:        f.boolean("EnableSimpleResponses"),
		CredentialsARN:               f.str("AuthorizerCredentialsArn"),
	}
	jwt := f.object("JwtConfiguration")
	a.Issuer, a.Audience = jwt.str("Issuer"), jwt.strList("Audience")
	ttl := f.integer("AuthorizerResultTtlInSeconds")
	if err := f.check(st, res); err != nil {
		return true, err
	}
	// The API reference: "This parameter is not used." (TOKEN authorizers are REST's.)
	if a.IdentityValidationExpression != "" {
		b.warn(st, res.LogicalID, res.Type, "IdentityValidationExpression is not used by HTTP and WebSocket API authorizers: ignored")
		a.IdentityValidationExpression = ""
	}
	ac := &authorizerCheck{b: b, src: source{st, res}, api: as.api, a: a, ttl: ttl, fields: v2AuthorizerFields}
	if err := ac.run(); err != nil {
		return true, err
	}
	return true, b.registerAuthorizer(ac)
}

// addRestAuthorizer translates an AWS::ApiGateway::Authorizer.
func (b *builder) addRestAuthorizer(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeRestAuthorizer {
		return false, nil
	}
	as, err := b.restAPIOf(st, res)
	if err != nil {
		return true, err
	}
	f, err := b.resolvedFields(st, res, "Type", "Name", "AuthorizerUri", "IdentitySource",
		"IdentityValidationExpression", "AuthorizerResultTtlInSeconds", "AuthorizerCredentials")
	if err != nil {
		return true, err
	}
	a := &Authorizer{
		LogicalID: res.LogicalID, Name: f.str("Name"), Type: f.str("Type"), URI: f.str("AuthorizerUri"),
		IdentitySource:               f.identitySources("IdentitySource"),
		IdentityValidationExpression: f.str("IdentityValidationExpression"),
		CredentialsARN:               f.str("AuthorizerCredentials"),
	}
	ttl := f.integer("AuthorizerResultTtlInSeconds")
	if err := f.check(st, res); err != nil {
		return true, err
	}
	if a.ProviderARNs, err = b.strList(st, res, "ProviderARNs"); err != nil {
		return true, err
	}
	if prev := as.api.Authorizers[a.LogicalID]; prev != nil {
		return true, propErr(st, res, "RestApiId", fmt.Errorf("API %q already has an authorizer %q, a security scheme of its Body: CloudFormation logical ids and scheme names share one namespace here", as.api.LogicalID, a.LogicalID))
	}
	ac := &authorizerCheck{b: b, src: source{st, res}, api: as.api, a: a, ttl: ttl, fields: restAuthorizerFields}
	if err := ac.run(); err != nil {
		return true, err
	}
	return true, b.registerAuthorizer(ac)
}

// resolvedFields resolves the named properties of a resource one by one, for a fields reader.
func (b *builder) resolvedFields(st *stackState, res *assembly.Resource, props ...string) (*fields, error) {
	m := make(map[string]any, len(props))
	for _, p := range props {
		v, err := b.resolve(st, res, p)
		if err != nil {
			return nil, err
		}
		if v != nil {
			m[p] = v
		}
	}
	return newFields("", m), nil
}

// registerAuthorizer adds a checked authorizer resource to its API under its logical id, and
// maps its id (its Ref, what AuthorizerId holds) to it.
func (b *builder) registerAuthorizer(ac *authorizerCheck) error {
	st, res := ac.src.st, ac.src.res
	id, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return propErr(st, res, "AuthorizerId", err)
	}
	as := b.apis[ac.api.ID]
	as.authorizers[id.(string)] = res.LogicalID
	addAuthorizer(ac.api, ac.a)
	return nil
}

func addAuthorizer(api *API, a *Authorizer) {
	if api.Authorizers == nil {
		api.Authorizers = map[string]*Authorizer{}
	}
	api.Authorizers[a.LogicalID] = a
}

// identitySources reads an identity source list: a list of strings, or the comma-separated
// string REST APIs use ("method.request.header.A, method.request.querystring.b").
func (f *fields) identitySources(key string) []string {
	if _, isList := f.m[key].([]any); isList || f.m[key] == nil {
		return f.strList(key)
	}
	var out []string
	for _, part := range strings.Split(f.str(key), ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// authorizerCheck checks one authorizer against its API's kind and completes it: defaults,
// issuers, its function. What API Gateway's CreateAuthorizer refuses is an error naming the
// property; what AWS accepts but ignores is a warning.
type authorizerCheck struct {
	b   *builder
	src source // the authorizer resource, or the RestApi whose Body declares it
	api *API
	a   *Authorizer
	ttl *int // AuthorizerResultTtlInSeconds as written; nil when absent
	// fields spells each field as the source does; prefix starts each warning (it names the
	// security scheme when the source is an OpenAPI Body).
	fields map[string]string
	prefix string
}

func (c *authorizerCheck) fail(field string, err error) error {
	return propErr(c.src.st, c.src.res, c.fields[field], err)
}

func (c *authorizerCheck) warn(msg string) {
	c.b.warn(c.src.st, c.src.res.LogicalID, c.src.res.Type, c.prefix+msg)
}

// authorizerTypes are the authorizer types each kind of API has.
var authorizerTypes = map[Protocol][]string{
	ProtocolHTTP:      {AuthorizerRequest, AuthorizerJWT},
	ProtocolWebSocket: {AuthorizerRequest},
	ProtocolREST:      {AuthorizerToken, AuthorizerRequest, AuthorizerCognito},
}

func (c *authorizerCheck) run() error {
	a, p := c.a, c.api.Protocol
	if a.Name == "" {
		return c.fail(fieldName, errors.New("is required"))
	}
	if err := checkAuthorizerType(p, a.Type); err != nil {
		return c.fail(fieldType, err)
	}
	for _, s := range a.IdentitySource {
		if _, err := identitySourceKind(p, s); err != nil {
			return c.fail(fieldIdentitySource, err)
		}
	}
	if c.ttl != nil && (*c.ttl < 0 || *c.ttl > maxAuthorizerTTL) {
		return c.fail(fieldTTL, fmt.Errorf("%d is outside API Gateway's 0 to %d seconds", *c.ttl, maxAuthorizerTTL))
	}
	switch a.Type {
	case AuthorizerToken, AuthorizerRequest:
		return c.lambda()
	case AuthorizerJWT:
		return c.jwt()
	default:
		return c.cognito()
	}
}

func checkAuthorizerType(p Protocol, typ string) error {
	if typ == "" {
		return errors.New("is required")
	}
	for _, t := range authorizerTypes[p] {
		if t == typ {
			return nil
		}
	}
	switch p {
	case ProtocolHTTP:
		return fmt.Errorf("%q is not an authorizer type of HTTP APIs, which have REQUEST (Lambda) and JWT authorizers: TOKEN and COGNITO_USER_POOLS authorizers belong to REST APIs (an HTTP API accepts Cognito tokens through a JWT authorizer whose issuer is the user pool)", typ)
	case ProtocolWebSocket:
		return fmt.Errorf("%q is not an authorizer type of WebSocket APIs, which have only REQUEST (Lambda) authorizers", typ)
	}
	return fmt.Errorf("%q is not an authorizer type of REST APIs, which have TOKEN, REQUEST and COGNITO_USER_POOLS authorizers (JWT authorizers belong to HTTP APIs)", typ)
}

// lambda checks a TOKEN or REQUEST authorizer.
func (c *authorizerCheck) lambda() error {
	a, p := c.a, c.api.Protocol
	switch {
	case p == ProtocolHTTP:
		switch a.PayloadFormatVersion {
		case "1.0", "2.0":
		case "":
			return c.fail(fieldPayload, errors.New("is required for Lambda authorizers of HTTP APIs (1.0 or 2.0)"))
		default:
			return c.fail(fieldPayload, fmt.Errorf("%q is not 1.0 or 2.0", a.PayloadFormatVersion))
		}
		if a.EnableSimpleResponses && a.PayloadFormatVersion != "2.0" {
			return c.fail(fieldSimple, errors.New("simple responses need AuthorizerPayloadFormatVersion 2.0"))
		}
	case a.PayloadFormatVersion != "" || a.EnableSimpleResponses:
		c.warn(fmt.Sprintf("the payload format version and simple responses belong to HTTP API authorizers: a %s API's authorizer gets its own event and answers with a policy", c.api.Protocol))
		a.PayloadFormatVersion, a.EnableSimpleResponses = "", false
	}

	switch {
	case p == ProtocolWebSocket:
		// "Supported only for HTTP API Lambda authorizers."
		if c.ttl != nil && *c.ttl > 0 {
			c.warn("AuthorizerResultTtlInSeconds is ignored: WebSocket APIs do not cache authorizer results, the authorizer runs on every $connect")
		}
	case c.ttl != nil:
		a.ResultTTL = time.Duration(*c.ttl) * time.Second
	case p == ProtocolREST:
		a.ResultTTL = defaultRESTAuthorizerTTL * time.Second
	}
	// The guide: "To enable caching, your authorizer must have at least one identity source."
	if a.ResultTTL > 0 && len(a.IdentitySource) == 0 {
		return c.fail(fieldIdentitySource, fmt.Errorf("is required while results are cached (a TTL of %d seconds%s): the identity sources are the cache key; set the TTL to 0 to run without one", int(a.ResultTTL.Seconds()), c.ttlOrigin()))
	}

	if a.Type == AuthorizerToken {
		if err := c.singleHeader("a TOKEN authorizer reads the token from one header (method.request.header.NAME)"); err != nil {
			return err
		}
		if err := c.validation(); err != nil {
			return err
		}
	} else if a.IdentityValidationExpression != "" {
		c.warn("IdentityValidationExpression is ignored: it applies to TOKEN and COGNITO_USER_POOLS authorizers, a REQUEST authorizer's function sees the request itself")
		a.IdentityValidationExpression = ""
	}
	return c.function()
}

func (c *authorizerCheck) ttlOrigin() string {
	if c.ttl == nil {
		return ", REST's default"
	}
	return ""
}

// singleHeader requires exactly one identity source, a header: a TOKEN authorizer's token, or
// a Cognito authorizer's.
func (c *authorizerCheck) singleHeader(why string) error {
	src := c.a.IdentitySource
	if len(src) != 1 {
		return c.fail(fieldIdentitySource, fmt.Errorf("has %d identity sources: %s", len(src), why))
	}
	if kind, _ := identitySourceKind(c.api.Protocol, src[0]); kind != sourceHeader {
		return c.fail(fieldIdentitySource, fmt.Errorf("%q is not a header: %s", src[0], why))
	}
	return nil
}

// validation checks the identity validation expression compiles. API Gateway compiles it as a
// Java regular expression; what RE2 cannot express has no faithful local equivalent.
func (c *authorizerCheck) validation() error {
	e := c.a.IdentityValidationExpression
	if e == "" {
		return nil
	}
	if _, err := regexp.Compile(e); err != nil {
		return c.fail(fieldValidation, fmt.Errorf("%q is not a regular expression the runner can match (Java features such as lookaround, backreferences and possessive quantifiers have no Go equivalent): %w", e, err))
	}
	return nil
}

// function finds the Lambda function AuthorizerUri names, as integration URIs are read. A URI
// that takes the function from stage variables is checked per stage once stages are known.
func (c *authorizerCheck) function() error {
	a := c.a
	if a.URI == "" {
		return c.fail(fieldURI, fmt.Errorf("is required for a Lambda (%s) authorizer", a.Type))
	}
	name := functionNameInURI(a.URI)
	if name == "" {
		return c.fail(fieldURI, fmt.Errorf("%q is not a Lambda function's invocation URI (arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations)", a.URI))
	}
	if UsesStageVariables(a.URI) {
		c.b.stageAuthorizers = append(c.b.stageAuthorizers, c)
		return nil
	}
	if _, ok := c.b.functions[name]; !ok {
		c.warn(fmt.Sprintf("AuthorizerUri names Lambda function %q, which the assembly does not define: requests the authorizer guards are refused with a 500, as API Gateway answers when it cannot invoke an authorizer", name))
		return nil
	}
	a.Function = name
	return nil
}

// jwt checks an HTTP API's JWT authorizer.
func (c *authorizerCheck) jwt() error {
	a := c.a
	if a.Issuer == "" {
		return c.fail(fieldIssuer, errors.New("is required for a JWT authorizer"))
	}
	if len(a.IdentitySource) != 1 {
		return c.fail(fieldIdentitySource, fmt.Errorf("has %d identity sources: a JWT authorizer reads the token from exactly one (such as $request.header.Authorization)", len(a.IdentitySource)))
	}
	// CloudFormation: "Required for the JWT authorizer type."
	if len(a.Audience) == 0 {
		return c.fail(fieldAudience, errors.New("is required for a JWT authorizer: a token's aud (or, without aud, its client_id) must be one of them"))
	}
	if c.ttl != nil && *c.ttl > 0 {
		c.warn("AuthorizerResultTtlInSeconds is ignored: it applies to Lambda authorizers")
	}
	return nil
}

// cognito checks a REST API's COGNITO_USER_POOLS authorizer and finds the issuer of each pool.
func (c *authorizerCheck) cognito() error {
	a := c.a
	if len(a.ProviderARNs) == 0 {
		return c.fail(fieldProviders, errors.New("is required for a COGNITO_USER_POOLS authorizer: the ARNs of the user pools whose tokens it accepts"))
	}
	for i, arn := range a.ProviderARNs {
		iss, err := cognitoIssuer(arn)
		if err != nil {
			return c.fail(fieldProviders, fmt.Errorf("[%d]: %w", i, err))
		}
		a.Issuers = append(a.Issuers, iss)
	}
	if err := c.singleHeader("a COGNITO_USER_POOLS authorizer reads the token from one header (method.request.header.NAME)"); err != nil {
		return err
	}
	return c.validation()
}

// cognitoIssuer is the token issuer of the user pool an ARN names:
// arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC gives
// https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC.
func cognitoIssuer(arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" && parts[2] == "cognito-idp" && parts[3] != "" {
		if id, ok := strings.CutPrefix(parts[5], "userpool/"); ok && id != "" && !strings.Contains(id, "/") {
			return intrinsics.CognitoIssuer(parts[3], id), nil
		}
	}
	return "", fmt.Errorf("%q is not a Cognito user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)", arn)
}

// Identity source kinds.
const (
	sourceHeader         = "header"
	sourceQueryString    = "querystring"
	sourceContext        = "context"
	sourceStageVariables = "stageVariables"
)

// identitySourceForms are the identity sources each kind of API accepts, by kind: a prefix
// followed by a name.
var identitySourceForms = map[Protocol][][2]string{
	ProtocolHTTP: {{"$request.header.", sourceHeader}, {"$request.querystring.", sourceQueryString},
		{"$context.", sourceContext}, {"$stageVariables.", sourceStageVariables}},
	ProtocolWebSocket: {{"route.request.header.", sourceHeader}, {"route.request.querystring.", sourceQueryString},
		{"context.", sourceContext}, {"stageVariables.", sourceStageVariables}},
	ProtocolREST: {{"method.request.header.", sourceHeader}, {"method.request.querystring.", sourceQueryString},
		{"context.", sourceContext}, {"stageVariables.", sourceStageVariables}},
}

// identitySourceKind is the kind of an identity source ("header", "querystring", "context",
// "stageVariables"), or an error listing the forms the API's kind accepts.
func identitySourceKind(p Protocol, s string) (string, error) {
	forms := identitySourceForms[p]
	for _, f := range forms {
		if name, ok := strings.CutPrefix(s, f[0]); ok && name != "" && !strings.ContainsAny(name, " \t,") {
			return f[1], nil
		}
	}
	want := make([]string, len(forms))
	for i, f := range forms {
		want[i] = f[0] + "NAME"
	}
	article := "a"
	if p == ProtocolHTTP {
		article = "an"
	}
	return "", fmt.Errorf("%q is not an identity source of %s %s API: want %s", s, article, p, strings.Join(want, ", "))
}

// checkStageAuthorizers checks, once stages are known, the authorizers whose AuthorizerUri
// takes its function from stage variables: on each stage it must name a function of the
// assembly, or requests there are refused.
func (b *builder) checkStageAuthorizers() {
	for _, c := range b.stageAuthorizers {
		for _, s := range c.api.Stages {
			name := StageFunction(c.a.URI, s.Variables)
			switch {
			case name == "":
				c.warn(fmt.Sprintf("on stage %q, AuthorizerUri %q names no Lambda function (a stage variable it uses is not set): requests the authorizer guards there are refused with a 500", s.Name, c.a.URI))
			case b.functions[name] == nil:
				c.warn(fmt.Sprintf("on stage %q, AuthorizerUri names Lambda function %q, which the assembly does not define: requests the authorizer guards there are refused with a 500", s.Name, name))
			}
		}
	}
}
