package model

import (
	"fmt"
	"strings"
)

// securityScheme is what a security scheme does to a method that requires it.
type securityScheme struct {
	apiKey   bool
	authType string // AWS_IAM, CUSTOM, COGNITO_USER_POOLS; "" for none
	// authorizer is the scheme's x-amazon-apigateway-authorizer, added to the API's
	// authorizers under the scheme's name.
	authorizer *Authorizer
}

// securitySchemes reads the schemes operations' security requirements name: API Gateway
// authorizers (x-amazon-apigateway-authorizer), IAM (x-amazon-apigateway-authtype awsSigv4),
// and API keys. An import ignores any other scheme.
func (imp *openAPIImport) securitySchemes(f *fields) error {
	schemes := f.object("securityDefinitions")
	if imp.v3 {
		schemes = f.object("components").object("securitySchemes")
	}
	for _, name := range sortedKeys(schemes.m) {
		s := schemes.object(name)
		var scheme securityScheme
		switch {
		case s.has("x-amazon-apigateway-authorizer"):
			a, err := imp.authorizer(name, s)
			if err != nil {
				return err
			}
			scheme.authorizer, scheme.authType = a, AuthorizationCustom
			if a.Type == AuthorizerCognito {
				scheme.authType = AuthorizationCognito
			}
		case strings.EqualFold(s.str("x-amazon-apigateway-authtype"), "awsSigv4"):
			scheme.authType = AuthorizationIAM
		case s.str("type") == "apiKey" && strings.EqualFold(s.str("name"), "x-api-key") && s.str("in") == "header":
			scheme.apiKey = true
		default:
			imp.warn(fmt.Sprintf("security scheme %q is neither an API key (x-api-key header) nor an API Gateway authorizer (x-amazon-apigateway-authorizer, or x-amazon-apigateway-authtype awsSigv4): API Gateway's import ignores it, so methods that require only it are open, as in AWS", name))
		}
		imp.schemes[name] = scheme
	}
	return f.check(imp.src.st, imp.src.res)
}

// authorizer translates a scheme's x-amazon-apigateway-authorizer. The scheme's name is the
// authorizer's name and its key in API.Authorizers.
func (imp *openAPIImport) authorizer(name string, s *fields) (*Authorizer, error) {
	az := s.object("x-amazon-apigateway-authorizer")
	a := &Authorizer{
		LogicalID: name, Name: name,
		Type:                         strings.ToUpper(az.str("type")),
		URI:                          az.str("authorizerUri"),
		CredentialsARN:               az.str("authorizerCredentials"),
		IdentitySource:               az.identitySources("identitySource"),
		IdentityValidationExpression: az.str("identityValidationExpression"),
		PayloadFormatVersion:         az.str("authorizerPayloadFormatVersion"),
		EnableSimpleResponses:        az.boolean("enableSimpleResponses"),
		ProviderARNs:                 az.strList("providerARNs"),
	}
	jwt := az.object("jwtConfiguration")
	a.Issuer, a.Audience = jwt.str("issuer"), jwt.strList("audience")
	ttl := az.integer("authorizerResultTtlInSeconds")
	// Without identitySource, the scheme's own name and location are the one identity source:
	// "The name of a single header or query parameter as the identity source" ("Unused" when
	// there are several, or other kinds).
	if len(a.IdentitySource) == 0 {
		if n := s.str("name"); n != "" && n != "Unused" {
			switch s.str("in") {
			case "header":
				a.IdentitySource = []string{"method.request.header." + n}
			case "query":
				a.IdentitySource = []string{"method.request.querystring." + n}
			}
		}
	}
	if err := s.check(imp.src.st, imp.src.res); err != nil {
		return nil, err
	}
	ac := &authorizerCheck{
		b: imp.b, src: imp.src, api: imp.as.api, a: a, ttl: ttl,
		fields: map[string]string{
			fieldType: az.at("type"), fieldName: s.path, fieldURI: az.at("authorizerUri"),
			fieldIdentitySource: az.at("identitySource"), fieldValidation: az.at("identityValidationExpression"),
			fieldTTL: az.at("authorizerResultTtlInSeconds"), fieldPayload: az.at("authorizerPayloadFormatVersion"),
			fieldSimple: az.at("enableSimpleResponses"), fieldIssuer: az.at("jwtConfiguration.issuer"),
			fieldAudience: az.at("jwtConfiguration.audience"), fieldProviders: az.at("providerARNs"),
		},
		prefix: fmt.Sprintf("security scheme %q: ", name),
	}
	if err := ac.run(); err != nil {
		return nil, err
	}
	addAuthorizer(imp.as.api, a)
	return a, nil
}

// security applies the operation's security requirements (or the document's): API Gateway
// uses the first requirement object, whose schemes all apply: an API key, and one authorizer or
// IAM. x-amazon-apigateway-auth then overrides the authorization type.
func (imp *openAPIImport) security(f *fields, m *Method) error {
	reqs, where := f.list("security"), f.at("security")
	if !f.has("security") {
		reqs, where = newFields("Body", imp.doc).list("security"), "Body.security"
	}
	if len(reqs) > 0 {
		req := newFields(where+"[0]", reqs[0])
		for _, name := range sortedKeys(req.m) {
			scheme, ok := imp.schemes[name]
			if !ok {
				return imp.errAt(req.at(name), fmt.Errorf("names security scheme %q, which the definition does not declare", name))
			}
			switch {
			case scheme.apiKey:
				m.APIKeyRequired = true
			case scheme.authType != "":
				if m.AuthorizationType != "" {
					return imp.errAt(req.at(name), fmt.Errorf("requires both %q and %q: a method has one authorization type and at most one authorizer", firstAuthScheme(req, imp.schemes, name), name))
				}
				m.AuthorizationType = scheme.authType
				if scheme.authorizer != nil {
					m.AuthorizerLogicalID = name
					m.AuthorizationScopes = req.strList(name)
				}
			}
		}
		if err := req.check(imp.src.st, imp.src.res); err != nil {
			return err
		}
	}
	if t := f.object("x-amazon-apigateway-auth").str("type"); t != "" {
		// "Specify NONE for open access. Specify AWS_IAM to use IAM permissions. Values are
		// case insensitive."
		switch t = strings.ToUpper(t); t {
		case AuthorizationNone, AuthorizationIAM:
			m.AuthorizationType, m.AuthorizerLogicalID, m.AuthorizationScopes = t, "", nil
		default:
			return imp.errAt(f.at("x-amazon-apigateway-auth.type"), fmt.Errorf("%q is not NONE or AWS_IAM", t))
		}
	}
	return f.check(imp.src.st, imp.src.res)
}

// firstAuthScheme is the scheme of a requirement, before name, that set the authorization.
func firstAuthScheme(req *fields, schemes map[string]securityScheme, name string) string {
	for _, n := range sortedKeys(req.m) {
		if n != name && schemes[n].authType != "" {
			return n
		}
	}
	return ""
}
