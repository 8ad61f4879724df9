package local

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"
	"github.com/aws/smithy-go"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// TestManagementAuthorization checks @connections requests signed with the functions' own
// local credentials against their roles, as IAM would in AWS. No function process runs: the
// credentials exist as soon as the host does.
func TestManagementAuthorization(t *testing.T) {
	grant := &model.Statement{Effect: "Allow", Actions: []string{"execute-api:ManageConnections"},
		Resources: []string{"arn:aws:execute-api:us-east-1:123456789012:ws1/dev/*/@connections/*"}}
	logs := &model.Statement{Effect: "Allow", Actions: []string{"logs:PutLogEvents"}, Resources: []string{"*"}}
	m := &model.Model{Account: "123456789012", Region: "us-east-1",
		APIs: []*model.API{{Stack: "S", LogicalID: "Ws", ID: "ws1", Name: "chat", Protocol: model.ProtocolWebSocket,
			RouteSelectionExpression: "$request.body.action", Stages: []*model.Stage{{Name: "dev"}, {Name: "prod"}}}},
		Functions: []*model.Function{
			{Stack: "S", LogicalID: "Granted", Name: "granted", Role: "arn:aws:iam::123456789012:role/S-GrantedRole", RoleLogicalID: "GrantedRole"},
			{Stack: "S", LogicalID: "Plain", Name: "plain", Role: "arn:aws:iam::123456789012:role/S-PlainRole", RoleLogicalID: "PlainRole"},
			{Stack: "S", LogicalID: "Imported", Name: "imported", Role: "arn:aws:iam::123456789012:role/elsewhere"},
		},
		Roles: []*model.Role{
			{Stack: "S", LogicalID: "GrantedRole", ARN: "arn:aws:iam::123456789012:role/S-GrantedRole", Statements: []*model.Statement{logs, grant}},
			{Stack: "S", LogicalID: "PlainRole", ARN: "arn:aws:iam::123456789012:role/S-PlainRole", Statements: []*model.Statement{logs}},
		},
	}
	log := slog.New(slog.DiscardHandler)
	host, err := lambdahost.New(lambdahost.Config{Functions: m.Functions, Account: m.Account, Region: m.Region, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	r := &Runner{log: log, model: m, host: host, apis: map[string]*apiEntry{}, done: make(chan struct{})}
	e, err := newAPIEntry(m.APIs[0], host, http.DefaultClient, m, log, Options{}, r.authorizeManagement)
	if err != nil {
		t.Fatal(err)
	}
	r.apis["ws1"] = e
	srv := httptest.NewServer(r)
	defer srv.Close()

	creds := func(fn string) aws.CredentialsProvider {
		key, secret, token, _ := host.Credentials(fn)
		return credentials.NewStaticCredentialsProvider(key, secret, token)
	}
	grantedKey, _, grantedToken, _ := host.Credentials("granted")
	for _, tc := range []struct {
		name  string
		stage string
		creds aws.CredentialsProvider
		code  string // the error code the SDK reports; GoneException means the call was let through
		msg   string // part of the message
	}{
		{"function with the grant", "dev", creds("granted"), "GoneException", ""},
		{"function with the grant, on another stage", "prod", creds("granted"), "AccessDeniedException", "assumed-role/S-GrantedRole/granted is not authorized to perform: execute-api:ManageConnections"},
		{"function without the grant", "dev", creds("plain"), "AccessDeniedException", "assumed-role/S-PlainRole/plain is not authorized"},
		{"function with an imported role", "dev", creds("imported"), "AccessDeniedException", "not authorized"},
		{"a function's key with the wrong secret", "dev", credentials.NewStaticCredentialsProvider(grantedKey, "wrong", grantedToken), "InvalidSignatureException", "signature we calculated does not match"},
		{"a developer's own credentials", "dev", credentials.NewStaticCredentialsProvider("AKIADEVELOPER0000001", "anything", ""), "GoneException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client := apigatewaymanagementapi.New(apigatewaymanagementapi.Options{
				Region: "us-east-1", BaseEndpoint: aws.String(srv.URL + "/ws1/" + tc.stage), Credentials: tc.creds,
			})
			_, err := client.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{
				ConnectionId: aws.String("AAAAAAAAAAAAAAA="), Data: []byte("x"),
			})
			var ae smithy.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("PostToConnection: %v, want an API error", err)
			}
			if ae.ErrorCode() != tc.code || !strings.Contains(ae.ErrorMessage(), tc.msg) {
				t.Errorf("PostToConnection: %s %q, want %s containing %q", ae.ErrorCode(), ae.ErrorMessage(), tc.code, tc.msg)
			}
			if tc.code == "GoneException" {
				var gone *types.GoneException
				if !errors.As(err, &gone) {
					t.Errorf("not decoded as *types.GoneException: %T", err)
				}
			}
		})
	}
}
