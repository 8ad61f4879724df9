package domain

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/jsii-runtime-go"
)

const testCertArn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1234-5678-9abc-def012345678"

// TestMultiLevelLimit: a domain takes 200 multi-level mappings and refuses the 201st. The
// mappings before are stand-ins, since making 200 real ones is slow and beside the point.
func TestMultiLevelLimit(t *testing.T) {
	for _, tt := range []struct {
		before int
		key    string
		want   string // a part of the error, "" for none
	}{
		{199, "orders/v200", ""},
		{200, "orders/v201", "the domain has 200 multi-level mappings already"},
		{200, "orders", ""}, // single-level mappings do not count
	} {
		stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Limit"), nil)
		api := awsapigatewayv2.NewHttpApi(stack, jsii.String("Api"), nil)
		d := New(stack, jsii.String("Domain"), &Props{Name: jsii.String("api.example.com"), CertificateArn: jsii.String(testCertArn)})
		for i := range tt.before {
			d.Mappings = append(d.Mappings, &Mapping{Kind: Kind_HTTP, Key: fmt.Sprintf("orders/v%d", i), Api: "Limit/Other"})
		}
		m := d.MapHttpStage(api.DefaultStage(), tt.key)
		msgs := d.errs.Messages()
		switch {
		case tt.want == "" && (m == nil || len(msgs) > 0):
			t.Errorf("after %d, %q: mapping %v, errors %q; want it made", tt.before, tt.key, m, msgs)
		case tt.want != "" && (m != nil || len(msgs) != 1 || !strings.Contains(msgs[0], tt.want)):
			t.Errorf("after %d, %q: mapping %v, errors %q; want one with %q", tt.before, tt.key, m, msgs, tt.want)
		}
	}
}

// TestTokenName: a name known only at deployment (a parameter) skips the name rules, and URLs
// carry the token for CloudFormation to fill in.
func TestTokenName(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Token"), nil)
	name := awscdk.NewCfnParameter(stack, jsii.String("DomainName"), nil).ValueAsString()
	api := awsapigatewayv2.NewHttpApi(stack, jsii.String("Api"), nil)
	d := New(stack, jsii.String("Domain"), &Props{Name: name, CertificateArn: jsii.String(testCertArn)})
	m := d.MapHttpStage(api.DefaultStage(), "orders")
	if msgs := d.errs.Messages(); len(msgs) > 0 || m == nil {
		t.Fatalf("mapping %v, errors %q; want it made", m, msgs)
	}
	if !unresolved(*m.Url) || !strings.HasPrefix(*m.Url, "https://") || !strings.HasSuffix(*m.Url, "/orders") {
		t.Errorf("Url = %q, want https://{token}/orders", *m.Url)
	}
}

// TestMutualTlsWebSocketWarns: the guide documents mutual TLS for REST and HTTP APIs only, so
// a WebSocket API behind a mutual TLS domain is mapped with a warning.
func TestMutualTlsWebSocketWarns(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Warn"), nil)
	api := awsapigatewayv2.NewWebSocketApi(stack, jsii.String("Chat"), nil)
	stage := awsapigatewayv2.NewWebSocketStage(stack, jsii.String("Dev"), &awsapigatewayv2.WebSocketStageProps{WebSocketApi: api, StageName: jsii.String("dev")})
	d := New(stack, jsii.String("Domain"), &Props{
		Name: jsii.String("chat.example.com"), CertificateArn: jsii.String(testCertArn),
		MutualTls: &MutualTls{TruststoreUri: jsii.String("s3://trust-bucket/ca.pem")},
	})
	if m := d.MapWebSocketStage(stage, "chat"); m == nil {
		t.Fatalf("mapping not made: %q", d.errs.Messages())
	}
	assertions.Annotations_FromStack(stack).HasWarning(jsii.String("/Warn/Domain"),
		assertions.Match_StringLikeRegexp(jsii.String("mutual TLS is documented for REST and HTTP APIs only")))
}
