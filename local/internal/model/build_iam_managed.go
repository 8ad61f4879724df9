package model

import "strings"

// awsManagedPolicy returns the statements of an AWS managed policy the runner knows, by ARN
// (arn:PARTITION:iam::aws:policy/NAME), in any partition.
//
// Only a few are known, on purpose: AWSLambdaBasicExecutionRole because the CDK gives it to
// every function's role (its absence would warn about every function),
// AmazonAPIGatewayPushToCloudWatchLogs because it gives it to every RestApi's CloudWatch role
// (likewise for every REST API), and the two that grant execute-api actions the runner checks. Any other AWS managed policy is a warning, not a guess.
func awsManagedPolicy(arn string) ([]*Statement, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[3] != "" || parts[4] != "aws" {
		return nil, false
	}
	partition := parts[1]
	allow := func(actions []string, resources ...string) *Statement {
		return &Statement{Effect: "Allow", Actions: actions, Resources: resources}
	}
	switch parts[5] {
	case "policy/service-role/AWSLambdaBasicExecutionRole":
		return []*Statement{allow([]string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}, "*")}, true
	case "policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs":
		return []*Statement{allow([]string{
			"logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams",
			"logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents",
		}, "*")}, true
	case "policy/AdministratorAccess":
		return []*Statement{allow([]string{"*"}, "*")}, true
	case "policy/AmazonAPIGatewayInvokeFullAccess":
		return []*Statement{allow([]string{"execute-api:Invoke", "execute-api:ManageConnections"}, "arn:"+partition+":execute-api:*:*:*")}, true
	}
	return nil, false
}
