// Command restapi is the catalogue REST API example on its own: a CDK app with one stack,
// GatehouseRestExample, defined by package catalogue. The repository's root app
// (examples/httpapi) includes the same stack, so `make run` serves it too; this app is for
// synthesizing the REST example alone:
//
//	npx cdk synth --app 'go run ./examples/restapi'   # from the repository root
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/examples/restapi/catalogue"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	catalogue.NewStack(app, catalogue.StackName)
	app.Synth(nil)
}
