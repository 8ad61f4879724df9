// Command authz is the authorizer example on its own: a CDK app with one stack,
// GatehouseAuthExample, defined by package guarded. The repository's root app
// (examples/httpapi) includes the same stack, so `make run` serves it too; this app is for
// synthesizing the authorizer example alone:
//
//	npx cdk synth --app 'go run ./examples/authz'   # from the repository root
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/examples/authz/guarded"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	guarded.NewStack(app, guarded.StackName)
	app.Synth(nil)
}
