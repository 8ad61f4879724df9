package intrinsics

import "fmt"

// Cognito resources have no local counterpart, but authorizers name them: a REST API's
// COGNITO_USER_POOLS authorizer lists a pool's Arn, and an HTTP API's JWT authorizer (the CDK's
// HttpUserPoolAuthorizer) builds its issuer from the pool's Ref and audiences from client Refs.
// They resolve to ids of the shapes Cognito gives, stable across runs, so every form of one
// pool names the same token issuer: https://cognito-idp.{region}.amazonaws.com/{poolId}.
const (
	typeUserPool       = "AWS::Cognito::UserPool"
	typeUserPoolClient = "AWS::Cognito::UserPoolClient"
)

// UserPoolID is the local id of a user pool: "{region}_" and nine base-36 characters, as
// Cognito's "us-east-1_AbC123xyZ".
func UserPoolID(region, stack, logicalID string) string {
	return region + "_" + LocalID(9, "userpool", stack, logicalID)
}

// UserPoolClientID is the local id of a user pool app client: 26 base-36 characters.
func UserPoolClientID(stack, logicalID string) string {
	return LocalID(26, "userpoolclient", stack, logicalID)
}

// CognitoIssuer is the issuer (iss claim) of the tokens a user pool signs.
func CognitoIssuer(region, poolID string) string {
	return fmt.Sprintf("https://cognito-idp.%s.%s/%s", region, urlSuffix(region), poolID)
}

// userPoolAtt is a user pool's attribute; ok is false for attributes with no local value.
func (r *Resolver) userPoolAtt(poolID, attr string) (v string, ok bool) {
	switch attr {
	case "Arn":
		return r.arn("cognito-idp", "userpool/"+poolID), true
	case "ProviderName":
		return fmt.Sprintf("cognito-idp.%s.%s/%s", r.opts.Region, urlSuffix(r.opts.Region), poolID), true
	case "ProviderURL":
		return CognitoIssuer(r.opts.Region, poolID), true
	case "UserPoolId":
		return poolID, true
	}
	return "", false
}
