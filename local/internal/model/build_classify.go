package model

import (
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

// served are the types Build translates into the model.
var served = map[string]bool{
	"AWS::Lambda::Function":          true,
	"AWS::ApiGatewayV2::Api":         true,
	"AWS::ApiGatewayV2::Stage":       true,
	"AWS::ApiGatewayV2::Route":       true,
	"AWS::ApiGatewayV2::Integration": true,
	"AWS::ApiGatewayV2::Authorizer":  true,

	"AWS::ApiGatewayV2::RouteResponse":       true,
	"AWS::ApiGatewayV2::IntegrationResponse": true,
	"AWS::IAM::Role":                         true,
	"AWS::IAM::Policy":                       true,
	"AWS::IAM::ManagedPolicy":                true,
	"AWS::ApiGateway::ApiKey":                true,
	"AWS::ApiGateway::UsagePlan":             true,
	"AWS::ApiGateway::UsagePlanKey":          true,
	typeRestAPI:                              true,
	typeRestResource:                         true,
	typeRestMethod:                           true,
	typeRestDeployment:                       true,
	typeRestStage:                            true,
	typeRestModel:                            true,
	typeRestValidator:                        true,
	typeRestGatewayResponse:                  true,
	typeRestAuthorizer:                       true,
	typeDomainV2:                             true,
	typeAPIMapping:                           true,
	typeRestDomain:                           true,
	typeRestDomainV2:                         true,
	typeBasePathMapping:                      true,
	typeBasePathMappingV2:                    true,
}

// noEffect are types that change nothing about how requests are served locally, so they are
// accepted silently: resource-based permissions (API Gateway may always invoke here), log groups,
// the CDK's metadata, and deployments (the runner always serves the current template, as a
// stage with AutoDeploy does).
var noEffect = map[string]bool{
	"AWS::CDK::Metadata":                       true,
	"AWS::Lambda::Permission":                  true,
	"AWS::Lambda::Version":                     true,
	"AWS::Lambda::Alias":                       true,
	"AWS::ApiGatewayV2::Deployment":            true,
	"AWS::ApiGateway::Account":                 true, // the CloudWatch role API Gateway logs with
	"AWS::ApiGateway::DocumentationPart":       true,
	"AWS::ApiGateway::DocumentationVersion":    true,
	"AWS::ApiGateway::ClientCertificate":       true, // what HTTP integrations present to backends
	"AWS::CloudFormation::WaitCondition":       true,
	"AWS::CloudFormation::WaitConditionHandle": true,
	// An app client's id is only an audience a JWT authorizer lists; the pool gets the warning.
	"AWS::Cognito::UserPoolClient": true,
	// DNS records and certificates of custom domain names: the runner answers a domain by the
	// Host a request names, whatever DNS says, and with --tls presents certificates of its own.
	"AWS::Route53::RecordSet":              true,
	"AWS::CertificateManager::Certificate": true,
}

// classify warns, once per resource, about everything Build does not serve.
func (b *builder) classify(st *stackState, res *assembly.Resource) {
	typ := res.Type
	switch {
	case served[typ] || noEffect[typ],
		// Users, groups, instance profiles, ...: nothing a function runs as.
		strings.HasPrefix(typ, "AWS::IAM::"),
		strings.HasPrefix(typ, "AWS::Logs::"):
	case typ == "AWS::ApiGatewayV2::Model":
		b.warn(st, res.LogicalID, typ, "request and response models are not validated locally: messages are passed on without being checked against this schema")
	case typ == "AWS::Cognito::UserPool":
		b.warn(st, res.LogicalID, typ, "Cognito user pools are not emulated (no sign-up or sign-in): authorizers that trust this pool verify tokens against the keys given for its issuer "+b.userPoolIssuer(st, res)+" (gatehouse start --jwks ISSUER=FILE), and refuse every token without them")
	case strings.HasPrefix(typ, "Custom::"), typ == "AWS::CloudFormation::CustomResource":
		b.warn(st, res.LogicalID, typ, "custom resources are not run locally")
	default:
		b.warn(st, res.LogicalID, typ, typ+" is not emulated locally")
	}
}

// userPoolIssuer is the issuer of a user pool's tokens, as its Arn and Ref resolve.
func (b *builder) userPoolIssuer(st *stackState, res *assembly.Resource) string {
	arn, err := st.r.GetAtt(res.LogicalID, "Arn")
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	iss, err := cognitoIssuer(arn.(string))
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return iss
}
