// Package iamauth is API Gateway's IAM authorization, offline: SigV4 signature checks for the
// @connections management API and for routes with AWS_IAM authorization, and IAM policy
// evaluation against the roles in the template.
//
// The runner gives each function local credentials of its own. A request signed with them is
// recomputed with the AWS SDK's own signer and, when it matches, checked against that
// function's role, so a missing execute-api:ManageConnections grant is refused with 403
// offline rather than after deployment. A request signed with any other well-formed SigV4
// credentials (a developer's tests and scripts) is accepted without a policy check: the runner
// knows neither their secret nor their policies.
//
// Every refusal is an [*Error] carrying API Gateway's status, message, gateway response type
// and x-amzn-ErrorType.
//
// # Example
//
//	body, _ := io.ReadAll(r.Body)
//	caller, err := iamauth.Verify(r, body, time.Now(), keys.Lookup)
//	if err != nil {
//		err.(*iamauth.Error).Write(w)
//		return
//	}
//	if caller.Known {
//		fn := keys.Function(caller.AccessKeyID)
//		resource := iamauth.ConnectionsARN(region, account, apiID, stage, r.Method, connectionID)
//		if d := iamauth.Evaluate(fn.Role.Statements, iamauth.ActionManageConnections, resource); d != iamauth.Allow {
//			principal, _ := iamauth.AssumedRoleARN(fn.Role.ARN, fn.Name)
//			iamauth.AccessDenied(principal, iamauth.ActionManageConnections, resource, d).Write(w)
//			return
//		}
//	}
package iamauth
