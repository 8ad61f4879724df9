package golambda

import (
	"fmt"
	"os"
	"reflect"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/validation"
)

// FunctionProps configures a Go Lambda function.
//
// Every awslambda.FunctionOptions field (Environment, Timeout, MemorySize,
// ReservedConcurrentExecutions, FunctionName, Description, Role, Architecture, ...) passes
// through unchanged to awslambda.NewFunction; Code, Handler and Runtime are set by this
// construct and are therefore not part of the props.
type FunctionProps struct {
	awslambda.FunctionOptions

	// Entry is the directory of the Go main package to build, absolute or relative to the
	// working directory of the CDK app (the directory `cdk synth` runs in).
	Entry *string
}

// NewFunction builds props.Entry with `go build` and returns a provided.al2023 Lambda function
// whose code asset is the resulting `bootstrap`.
//
// Build and Entry errors fail synthesis with this construct's path (see the package doc);
// the returned function is still usable so that the rest of the app can be constructed.
func NewFunction(scope constructs.Construct, id *string, props *FunctionProps) awslambda.Function {
	if props == nil {
		props = &FunctionProps{}
	}
	goarch := goArch(props.Architecture)

	// A fresh directory per function: the asset is exactly one file, so nothing stale from an
	// earlier build or another function can leak into its hash.
	staging, stagingErr := os.MkdirTemp("", "gatehouse-golambda-")
	var buildErr error
	if stagingErr != nil {
		buildErr = fmt.Errorf("creating a staging directory: %w", stagingErr)
		staging = os.TempDir() // only so that Code_FromAsset has a directory; synth fails anyway
	} else {
		entry := ""
		if props.Entry != nil {
			entry = *props.Entry
		}
		dir, err := resolveEntry(entry, goarch)
		if err == nil {
			err = buildBootstrap(dir, goarch, staging)
		}
		buildErr = err
	}

	fp := functionProps(&props.FunctionOptions)
	fp.Code = awslambda.Code_FromAsset(jsii.String(staging), nil)
	fp.Handler = jsii.String("bootstrap")
	fp.Runtime = awslambda.Runtime_PROVIDED_AL2023()

	fn := awslambda.NewFunction(scope, id, fp)
	if buildErr != nil {
		validation.Attach(fn).Addf("building Go Lambda function: %v", buildErr)
	}
	return fn
}

// functionProps copies every FunctionOptions field into a FunctionProps by name. Reflection,
// rather than a hand-written copy, keeps the pass-through complete when aws-cdk-go adds options.
func functionProps(opts *awslambda.FunctionOptions) *awslambda.FunctionProps {
	out := &awslambda.FunctionProps{}
	src := reflect.ValueOf(opts).Elem()
	dst := reflect.ValueOf(out).Elem()
	for i := 0; i < src.NumField(); i++ {
		name := src.Type().Field(i).Name
		f := dst.FieldByName(name)
		if !f.IsValid() || !f.CanSet() || f.Type() != src.Field(i).Type() {
			// FunctionProps is FunctionOptions plus Code/Handler/Runtime in every aws-cdk-go
			// release; a mismatch means the library changed shape under us.
			panic(fmt.Sprintf("golambda: awslambda.FunctionProps has no field %s of type %s", name, src.Field(i).Type()))
		}
		f.Set(src.Field(i))
	}
	return out
}
