package local

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

func authzModel() *model.Model {
	invoke := func(resource string) *model.Statement {
		return &model.Statement{Effect: "Allow", Actions: []string{"execute-api:Invoke"}, Resources: []string{resource}}
	}
	route := &model.Route{LogicalID: "R", Key: "GET /items", Method: "GET", Path: "/items", AuthorizationType: model.AuthorizationIAM,
		Integration: &model.Integration{LogicalID: "I", Type: model.IntegrationAWSProxy, Function: "fn", PayloadFormatVersion: "2.0"}}
	return &model.Model{Account: "123456789012", Region: "us-east-1",
		APIs: []*model.API{{Stack: "S", LogicalID: "Http", ID: "h1", Name: "h", Protocol: model.ProtocolHTTP,
			Stages: []*model.Stage{{Name: model.DefaultStage}}, Routes: []*model.Route{route}}},
		Functions: []*model.Function{
			{Stack: "S", LogicalID: "Caller", Name: "caller", Role: "arn:aws:iam::123456789012:role/S-Reader", RoleLogicalID: "Reader"},
		},
		Roles: []*model.Role{
			{Stack: "S", LogicalID: "Reader", ARN: "arn:aws:iam::123456789012:role/S-Reader", Statements: []*model.Statement{invoke("arn:aws:execute-api:us-east-1:123456789012:h1/*/GET/*")}},
			{Stack: "S", LogicalID: "Writer", ARN: "arn:aws:iam::123456789012:role/S-Writer", Statements: []*model.Statement{invoke("arn:aws:execute-api:us-east-1:123456789012:h1/*/POST/*")}},
			{Stack: "T", LogicalID: "Writer", ARN: "arn:aws:iam::123456789012:role/T-Writer"},
		},
	}
}

func TestRoleCredentials(t *testing.T) {
	m := authzModel()
	a, b := newRoleKeys(m), newRoleKeys(authzModel())
	ca, err := a.credentials("Reader")
	if err != nil {
		t.Fatal(err)
	}
	cb, _ := b.credentials("S-Reader")
	if ca.AccessKeyID != cb.AccessKeyID || ca.SecretAccessKey != cb.SecretAccessKey || ca.SessionToken != cb.SessionToken {
		t.Errorf("credentials differ between runs: %+v %+v", ca, cb)
	}
	if !strings.HasPrefix(ca.AccessKeyID, "ASIA") || len(ca.AccessKeyID) != 20 || ca.SecretAccessKey == "" || ca.SessionToken == "" {
		t.Errorf("credentials %+v", ca)
	}
	for _, name := range []string{"arn:aws:iam::123456789012:role/S-Writer", "S/Writer", "S-Writer"} {
		c, err := a.credentials(name)
		if err != nil || c.AccessKeyID == ca.AccessKeyID {
			t.Errorf("%s: %+v %v", name, c, err)
		}
	}
	if _, err := a.credentials("Writer"); err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("a logical id two stacks share: %v", err)
	}
	if _, err := a.credentials("Nobody"); err == nil || !strings.Contains(err.Error(), "S/Reader, S/Writer, T/Writer") {
		t.Errorf("unknown role: %v", err)
	}
	if p := a.byRole[m.Roles[0]]; p.ARN != "arn:aws:sts::123456789012:assumed-role/S-Reader/gatehouse" || !strings.HasPrefix(p.UserID, "AROA") {
		t.Errorf("principal %+v", p)
	}
}

// TestIAMRoutes: requests signed with issued role credentials, a function's credentials, and
// anything else, through the runner's router to an AWS_IAM route.
func TestIAMRoutes(t *testing.T) {
	m := authzModel()
	log := slog.New(slog.DiscardHandler)
	host, err := lambdahost.New(lambdahost.Config{Functions: m.Functions, Account: m.Account, Region: m.Region, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	r := &Runner{log: log, model: m, host: host, apis: map[string]*apiEntry{}, done: make(chan struct{}), roleKeys: newRoleKeys(m)}
	api := m.APIs[0]
	authz, err := newAuthorizers(api, m, recordingInvoker{}, nil, r.principal, log)
	if err != nil {
		t.Fatal(err)
	}
	e, err := newAPIEntryAuthorized(api, recordingInvoker{}, http.DefaultClient, m, log, Options{}, r.authorizeManagement, nil, authz)
	if err != nil {
		t.Fatal(err)
	}
	r.apis[api.ID] = e
	srv := httptest.NewServer(r)
	defer srv.Close()

	reader, _ := r.Credentials("Reader")
	writer, _ := r.Credentials("S/Writer")
	fnKey, fnSecret, fnToken, _ := host.Credentials("caller")
	for _, tc := range []struct {
		name   string
		creds  aws.Credentials
		status int
		body   string // part of the body
	}{
		{"role allowed", reader, 200, ""},
		{"role without the grant", writer, 403, "assumed-role/S-Writer/gatehouse is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:h1/$default/GET/items"},
		{"a function's own credentials", aws.Credentials{AccessKeyID: fnKey, SecretAccessKey: fnSecret, SessionToken: fnToken}, 200, ""},
		{"keys the runner did not issue", aws.Credentials{AccessKeyID: "AKIADEVELOPER0000001", SecretAccessKey: "x"}, 403, "The security token included in the request is invalid."},
		{"unsigned", aws.Credentials{}, 403, `{"message":"Forbidden"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+"/h1/items", nil)
			if tc.creds.AccessKeyID != "" {
				sum := sha256.Sum256(nil)
				if err := v4.NewSigner().SignHTTP(context.Background(), tc.creds, req, hex.EncodeToString(sum[:]), "execute-api", "us-east-1", time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.body) {
				t.Fatalf("%d %s", resp.StatusCode, b)
			}
			if tc.status == 200 {
				// recordingInvoker echoes the event: the caller is in requestContext.authorizer.iam.
				var ev struct {
					RequestContext struct {
						Authorizer struct {
							IAM struct {
								AccessKey string `json:"accessKey"`
								UserArn   string `json:"userArn"`
							} `json:"iam"`
						} `json:"authorizer"`
					} `json:"requestContext"`
				}
				if err := json.Unmarshal(b, &ev); err != nil || ev.RequestContext.Authorizer.IAM.AccessKey != tc.creds.AccessKeyID {
					t.Errorf("event %s", b)
				}
			}
		})
	}
}
