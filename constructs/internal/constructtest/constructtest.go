// Package constructtest is the scaffolding the construct packages' tests share: a stand-in
// Lambda function, and synthesizing an app that is meant to fail with the error lines it fails
// with.
package constructtest

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
)

// InlineFunction is a stand-in Lambda for tests about an API rather than about building Go: an
// inline Node.js handler synthesizes without a Go toolchain or a bundling step.
func InlineFunction(stack awscdk.Stack, id string) awslambda.Function {
	return awslambda.NewFunction(stack, jsii.String(id), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_NODEJS_22_X(),
		Handler: jsii.String("index.handler"),
		Code:    awslambda.Code_FromInline(jsii.String("exports.handler = async () => ({})")),
	})
}

// SynthError synthesizes app and returns the error it fails with, or "" if it succeeds. The
// CDK reports failed validations by panicking through jsii, with every message on its own
// line, each prefixed with its construct path.
func SynthError(app awscdk.App) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	app.Synth(nil)
	return ""
}

// HasErrorLine reports whether one line of a synth error names both the construct path, as the
// CDK prefixes it ("[Stack/Api] "), and the rule: the two on different lines would mean the
// rule was reported for some other construct.
func HasErrorLine(msg, path, rule string) bool {
	for _, line := range strings.Split(msg, "\n") {
		if strings.Contains(line, "["+path+"] ") && strings.Contains(line, rule) {
			return true
		}
	}
	return false
}
