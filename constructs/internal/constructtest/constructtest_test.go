package constructtest

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/validation"
)

func TestSynthError(t *testing.T) {
	ok := awscdk.NewApp(nil)
	InlineFunction(awscdk.NewStack(ok, jsii.String("Ok"), nil), "Fn")
	if msg := SynthError(ok); msg != "" {
		t.Errorf("SynthError of a valid app = %q, want \"\"", msg)
	}

	bad := awscdk.NewApp(nil)
	stack := awscdk.NewStack(bad, jsii.String("Bad"), nil)
	validation.Attach(constructs.NewConstruct(stack, jsii.String("A"))).Addf("rule one broken")
	validation.Attach(constructs.NewConstruct(stack, jsii.String("B"))).Addf("rule two broken")
	msg := SynthError(bad)
	if !strings.Contains(msg, "rule one broken") || !strings.Contains(msg, "rule two broken") {
		t.Fatalf("SynthError = %q, want both validation messages", msg)
	}
	tests := []struct {
		path, rule string
		want       bool
	}{
		{"Bad/A", "rule one broken", true},
		{"Bad/B", "rule two broken", true},
		{"Bad/A", "rule two broken", false}, // both present, but on different lines
		{"Bad/C", "rule one broken", false},
		{"Bad", "rule one broken", false}, // a path prefix is not the path
	}
	for _, tt := range tests {
		if got := HasErrorLine(msg, tt.path, tt.rule); got != tt.want {
			t.Errorf("HasErrorLine(%q, %q) = %v, want %v in:\n%s", tt.path, tt.rule, got, tt.want, msg)
		}
	}
}

func TestInlineFunction(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Fn"), nil)
	InlineFunction(stack, "Fn")
	assertions.Template_FromStack(stack, nil).HasResourceProperties(jsii.String("AWS::Lambda::Function"), &map[string]any{
		"Handler": "index.handler", "Runtime": "nodejs22.x",
	})
}
