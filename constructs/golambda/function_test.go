package golambda

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
)

const echoEntry = "../../lambdas/echo"

func TestNewFunctionTemplate(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Fn"), nil)
	NewFunction(stack, jsii.String("Echo"), &FunctionProps{
		Entry: jsii.String(echoEntry),
		FunctionOptions: awslambda.FunctionOptions{
			Architecture:                 awslambda.Architecture_ARM_64(),
			Environment:                  &map[string]*string{"MODE": jsii.String("test")},
			Timeout:                      awscdk.Duration_Seconds(jsii.Number(7)),
			MemorySize:                   jsii.Number(256),
			ReservedConcurrentExecutions: jsii.Number(3),
			FunctionName:                 jsii.String("echo-fn"),
			Description:                  jsii.String("echoes"),
		},
	})
	NewFunction(stack, jsii.String("Default"), &FunctionProps{Entry: jsii.String(echoEntry)})

	tpl := assertions.Template_FromStack(stack, nil)
	tpl.ResourceCountIs(jsii.String("AWS::Lambda::Function"), jsii.Number(2))
	tpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), &map[string]any{
		"Runtime":                      "provided.al2023",
		"Handler":                      "bootstrap",
		"Architectures":                []any{"arm64"},
		"Environment":                  map[string]any{"Variables": map[string]any{"MODE": "test"}},
		"Timeout":                      7,
		"MemorySize":                   256,
		"ReservedConcurrentExecutions": 3,
		"FunctionName":                 "echo-fn",
		"Description":                  "echoes",
	})
	// No Architecture: the template says nothing, so Lambda (and the runner) use x86_64.
	tpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), &map[string]any{
		"FunctionName":  assertions.Match_Absent(),
		"Architectures": assertions.Match_Absent(),
		"Runtime":       "provided.al2023",
	})
}

// assetKey synthesizes a fresh app holding one function and returns its Code.S3Key, which is
// the asset's content hash.
func assetKey(t *testing.T, arch awslambda.Architecture) string {
	t.Helper()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Repro"), nil)
	NewFunction(stack, jsii.String("Echo"), &FunctionProps{
		Entry:           jsii.String(echoEntry),
		FunctionOptions: awslambda.FunctionOptions{Architecture: arch},
	})
	tpl := assertions.Template_FromStack(stack, nil)
	fns := *tpl.FindResources(jsii.String("AWS::Lambda::Function"), nil)
	for _, r := range fns {
		key := (*r)["Properties"].(map[string]any)["Code"].(map[string]any)["S3Key"]
		return fmt.Sprint(key)
	}
	t.Fatal("no AWS::Lambda::Function in the template")
	return ""
}

func TestAssetIsReproducible(t *testing.T) {
	first := assetKey(t, awslambda.Architecture_X86_64())
	second := assetKey(t, awslambda.Architecture_X86_64())
	if first != second {
		t.Errorf("same source built twice gave asset keys %s and %s", first, second)
	}
	// The check must be able to fail: another architecture is another binary.
	if arm := assetKey(t, awslambda.Architecture_ARM_64()); arm == first {
		t.Errorf("arm64 and x86_64 builds share asset key %s", arm)
	}
}

func TestBuildIsByteIdentical(t *testing.T) {
	dir, err := filepath.Abs(echoEntry)
	if err != nil {
		t.Fatal(err)
	}
	a, b := t.TempDir(), t.TempDir()
	for _, out := range []string{a, b} {
		if err := buildBootstrap(dir, "amd64", out); err != nil {
			t.Fatal(err)
		}
	}
	x, _ := os.ReadFile(filepath.Join(a, "bootstrap"))
	y, _ := os.ReadFile(filepath.Join(b, "bootstrap"))
	if len(x) == 0 || string(x) != string(y) {
		t.Errorf("two builds differ (%d and %d bytes)", len(x), len(y))
	}
}

// synthError synthesizes app and returns the error it fails with, or "".
func synthError(app awscdk.App) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	app.Synth(nil)
	return ""
}

func TestBadEntriesFailSynthWithPath(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Bad"), nil)
	NewFunction(stack, jsii.String("Missing"), &FunctionProps{Entry: jsii.String("testdata/nope")})
	NewFunction(stack, jsii.String("NotMain"), &FunctionProps{Entry: jsii.String("testdata/notmain")})
	NewFunction(stack, jsii.String("Broken"), &FunctionProps{Entry: jsii.String("testdata/broken")})
	NewFunction(stack, jsii.String("NoEntry"), nil)

	msg := synthError(app)
	for _, want := range []string{
		"[Bad/Missing] building Go Lambda function: Entry \"testdata/nope\": must be an existing directory",
		"[Bad/NotMain] building Go Lambda function: Entry \"testdata/notmain\": must be a main package",
		"[Bad/Broken] building Go Lambda function: go build (GOOS=linux GOARCH=amd64)",
		"undefinedOnPurpose",
		"[Bad/NoEntry] building Go Lambda function: Entry is required",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("synth error lacks %q; got:\n%s", want, msg)
		}
	}
}
