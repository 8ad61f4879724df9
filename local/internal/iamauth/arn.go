package iamauth

import (
	"fmt"
	"strings"
)

// The execute-api actions IAM knows (the guide: "The execute-api action supports
// ManageConnections in addition to existing actions (Invoke, InvalidateCache)").
const (
	ActionInvoke            = "execute-api:Invoke"
	ActionInvalidateCache   = "execute-api:InvalidateCache"
	ActionManageConnections = "execute-api:ManageConnections"
)

// ConnectionsARN is the resource an @connections request is authorized against:
// arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/@connections/{connectionId}.
// The guide gives the @connections API "the same ARN format as REST APIs"; the connection id
// is the resource path's last segment, which is why CDK's grantManagementApiAccess and the
// usual hand-written grants end in "@connections/*". (AWS's denial messages name the resource
// with the template "{connectionId}" in place of the id; pass that to reproduce them exactly.)
func ConnectionsARN(region, account, apiID, stage, method, connectionID string) string {
	return fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s/%s/@connections/%s",
		region, account, apiID, stage, strings.ToUpper(method), connectionID)
}

// MethodARN is the resource an IAM-authorized REST or HTTP API request is authorized against:
// arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}, path without its
// leading slash (the root is ".../GET/"). For an HTTP API's default stage, stage is "$default".
func MethodARN(region, account, apiID, stage, method, path string) string {
	return fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s/%s/%s",
		region, account, apiID, stage, strings.ToUpper(method), strings.TrimPrefix(path, "/"))
}

// RouteARN is the resource an IAM-authorized WebSocket route is authorized against (the
// guide: "WebSocket routes use a different ARN format"):
// arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{routeKey}, such as ".../prod/$connect".
func RouteARN(region, account, apiID, stage, routeKey string) string {
	return fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s/%s", region, account, apiID, stage, routeKey)
}

// AssumedRoleARN is the principal a function running with roleARN signs as, the one AWS names
// in its denial messages: arn:aws:iam::123456789012:role/path/Name with session fn becomes
// arn:aws:sts::123456789012:assumed-role/Name/fn (Lambda names the session after the
// function).
func AssumedRoleARN(roleARN, session string) (string, error) {
	parts := strings.SplitN(roleARN, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
		return "", fmt.Errorf("making the assumed-role ARN: %q is not an IAM role ARN", roleARN)
	}
	name := parts[5][strings.LastIndexByte(parts[5], '/')+1:]
	return fmt.Sprintf("arn:%s:sts::%s:assumed-role/%s/%s", parts[1], parts[4], name, session), nil
}
