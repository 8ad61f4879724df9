package authorizer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/gatehouse-dev/gatehouse/local/internal/iamauth"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

var reader = &Principal{
	AccessKeyID: "AKIAREADER0000000000", Secret: "reader-secret",
	ARN: "arn:aws:sts::123456789012:assumed-role/Reader/gatehouse", AccountID: "123456789012", UserID: "AROAREADER:gatehouse",
	Statements: []*model.Statement{
		{Effect: "Allow", Actions: []string{"execute-api:Invoke"}, Resources: []string{"arn:aws:execute-api:us-east-1:123456789012:abc/*/GET/*"}},
		{Effect: "Deny", Actions: []string{"execute-api:*"}, Resources: []string{"arn:aws:execute-api:us-east-1:123456789012:abc/*/GET/secret"}},
	},
}

func iamSet(t *testing.T, p model.Protocol) *Set {
	t.Helper()
	s, err := New(&model.API{ID: "abc", LogicalID: "Api", Protocol: p}, Options{
		Account: "123456789012", Region: "us-east-1", Now: func() time.Time { return testNow },
		Principals: func(id string) (*Principal, bool) {
			if id == reader.AccessKeyID {
				return reader, true
			}
			return nil, false
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// signed is a request to path signed with creds at testNow (unsigned when creds is zero).
func signed(t *testing.T, method, path string, creds aws.Credentials) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, "http://127.0.0.1:3000"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.RequestURI = path
	if creds.AccessKeyID != "" {
		sum := sha256.Sum256(nil)
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "execute-api", "us-east-1", testNow); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func TestIAM(t *testing.T) {
	good := aws.Credentials{AccessKeyID: reader.AccessKeyID, SecretAccessKey: reader.Secret}
	cases := []struct {
		name    string
		method  string
		path    string
		creds   aws.Credentials
		status  int
		message string // part of the body
		rtype   string
	}{
		{"allowed", "GET", "/prod/pets", good, 0, "", ""},
		{"not allowed: implicit deny", "POST", "/prod/pets", good, 403,
			"User: arn:aws:sts::123456789012:assumed-role/Reader/gatehouse is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:abc/prod/POST/pets because no identity-based policy allows the execute-api:Invoke action",
			TypeAccessDenied},
		{"explicit deny", "GET", "/prod/secret", good, 403, "with an explicit deny in an identity-based policy", TypeAccessDenied},
		{"unsigned", "GET", "/prod/pets", aws.Credentials{}, 403, `"Missing Authentication Token"`, TypeMissingAuthenticationToken},
		{"a key the runner did not issue", "GET", "/prod/pets", aws.Credentials{AccessKeyID: "AKIAOTHER", SecretAccessKey: "x"}, 403, iamauth.MsgInvalidToken, TypeInvalidSignature},
		{"wrong secret", "GET", "/prod/pets", aws.Credentials{AccessKeyID: reader.AccessKeyID, SecretAccessKey: "guess"}, 403, "The request signature we calculated does not match", TypeInvalidSignature},
	}
	s := iamSet(t, model.ProtocolREST)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hr := signed(t, tc.method, tc.path, tc.creds)
			r := &Request{Protocol: model.ProtocolREST, Method: tc.method, Path: strings.TrimPrefix(tc.path, "/prod"), Stage: "prod", HTTP: hr}
			d := s.Authorize(context.Background(), model.AuthorizationIAM, "", nil, r)
			if tc.status == 0 {
				if d.Refusal != nil {
					t.Fatalf("refused: %+v", d.Refusal)
				}
				if d.IAM == nil || d.IAM.UserARN != reader.ARN || d.IAM.AccessKey != reader.AccessKeyID {
					t.Fatalf("identity %+v", d.IAM)
				}
				return
			}
			if d.Refusal == nil || d.Refusal.Status != tc.status || d.Refusal.ResponseType != tc.rtype || !strings.Contains(string(d.Refusal.Body), tc.message) {
				t.Fatalf("got %+v (body %s)", d.Refusal, d.Refusal.Body)
			}
		})
	}
}

// TestIAMIdentityInEvents: the HTTP 2.0 authorizer object decodes into aws-lambda-go's IAM
// description, as apigw-v2-request-iam.json does.
func TestIAMIdentityInEvents(t *testing.T) {
	s := iamSet(t, model.ProtocolHTTP)
	hr := signed(t, "GET", "/pets", aws.Credentials{AccessKeyID: reader.AccessKeyID, SecretAccessKey: reader.Secret})
	d := s.Authorize(context.Background(), model.AuthorizationIAM, "", nil, &Request{Protocol: model.ProtocolHTTP, Method: "GET", Path: "/pets", Stage: "$default", HTTP: hr})
	if d.Refusal != nil {
		t.Fatalf("%+v", d.Refusal)
	}
	b, _ := json.Marshal(d.HTTPV2())
	var desc events.APIGatewayV2HTTPRequestContextAuthorizerDescription
	if err := json.Unmarshal(b, &desc); err != nil {
		t.Fatal(err)
	}
	want := events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{
		AccessKey: reader.AccessKeyID, AccountID: "123456789012", CallerID: "AROAREADER:gatehouse",
		UserARN: reader.ARN, UserID: "AROAREADER:gatehouse",
	}
	if desc.IAM == nil || !reflect.DeepEqual(*desc.IAM, want) {
		t.Errorf("%s", b)
	}
	// The fixture's keys, no more, no fewer.
	var fx, ours map[string]any
	_ = json.Unmarshal(fixture(t, "apigw-v2-request-iam.json"), &fx)
	_ = json.Unmarshal(b, &ours)
	fxIAM := fx["requestContext"].(map[string]any)["authorizer"].(map[string]any)["iam"].(map[string]any)
	for k := range fxIAM {
		if _, ok := ours["iam"].(map[string]any)[k]; !ok {
			t.Errorf("missing key %s", k)
		}
	}
	if v, _ := d.ContextVar("identity.userArn"); v != reader.ARN {
		t.Errorf("$context.identity.userArn = %q", v)
	}
}
