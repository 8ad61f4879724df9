package websocketapi

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
)

// DefaultCallbackEnv is the environment variable GrantCallback sets unless told otherwise.
const DefaultCallbackEnv = "CALLBACK_URL"

// CallbackOptions configures GrantCallback.
type CallbackOptions struct {
	// Stage whose connections the function may manage; default: the default stage.
	Stage *string
	// EnvVar is the environment variable that gets the stage's callback URL; default
	// "CALLBACK_URL".
	EnvVar *string
}

// GrantCallback readies a handler to send to clients: it grants fn execute-api:ManageConnections
// on the stage's @connections (post, get and delete connections) with the L2's
// GrantManagementApiAccess, and puts the stage's callback URL,
// "https://{api-id}.execute-api.{region}.{suffix}/{stage}", in fn's environment. A Go handler
// then makes its apigatewaymanagementapi client with that URL as BaseEndpoint.
//
// It returns nil, and fails synthesis, when the stage or the variable name is wrong.
func (a *WebSocketApi) GrantCallback(fn awslambda.Function, opts *CallbackOptions) awsiam.Grant {
	if opts == nil {
		opts = &CallbackOptions{}
	}
	if fn == nil {
		a.errs.Addf("GrantCallback: a function is required")
		return nil
	}
	stageName := a.defaultStage
	if opts.Stage != nil {
		stageName = *opts.Stage
	}
	env := DefaultCallbackEnv
	if opts.EnvVar != nil {
		env = *opts.EnvVar
	}
	fnPath := *fn.Node().Path()
	ok := true
	if err := checkEnvName(env); err != nil {
		a.errs.Addf("GrantCallback(%s): %v", fnPath, err)
		ok = false
	}
	stage, found := a.Stages[stageName]
	switch {
	case stageName == "":
		a.errs.Addf("GrantCallback(%s): the API has no default stage (NoDefaultStage): name a Stage", fnPath)
		ok = false
	case !found:
		a.errs.Addf("GrantCallback(%s): stage %q is not a stage of this API", fnPath, stageName)
		ok = false
	}
	if !ok {
		return nil
	}
	fn.AddEnvironment(jsii.String(env), stage.CallbackUrl(), nil)
	return stage.GrantManagementApiAccess(fn)
}
