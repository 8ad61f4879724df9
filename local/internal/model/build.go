package model

import (
	"errors"
	"fmt"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/intrinsics"
)

// BuildOptions are the runner's settings that shape the model.
type BuildOptions struct {
	// Account and Region replace the local defaults (123456789012, us-east-1) for
	// environment-agnostic stacks. A stack whose environment names an account or region keeps
	// it: its template may already have that account inlined in ARNs.
	Account string
	Region  string
	// Parameters override template parameter defaults, by name, in every stack.
	Parameters map[string]string
}

// Build translates a loaded cloud assembly into the model the servers serve: every intrinsic
// resolved, every API with its stages, routes and integrations, every Lambda function with the
// directory of its code. Resources that cannot be served faithfully become Warnings; templates
// that CloudFormation itself would reject (dangling references, routes to integrations that do
// not exist, wrongly typed properties) are errors naming the stack, resource and property.
func Build(a *assembly.Assembly, opts BuildOptions) (*Model, error) {
	b := &builder{
		a:         a,
		opts:      opts,
		m:         &Model{APIs: []*API{}, Functions: []*Function{}},
		exports:   map[string]export{},
		importing: map[string]bool{},
		apis:      map[string]*apiState{},
		functions: map[string]*Function{},
		iam:       newIAMState(),
		keys:      newAPIKeyState(),
		rest:      newRestIndex(),
		domains:   newDomainIndex(),
	}
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("building model: %w", err)
	}
	return b.m, nil
}

type builder struct {
	a    *assembly.Assembly
	opts BuildOptions
	m    *Model

	stacks    []*stackState
	exports   map[string]export // export name -> where it is declared
	importing map[string]bool   // exports being resolved, to catch cycles across stacks
	apis      map[string]*apiState
	functions map[string]*Function // by physical name
	iam       iamState
	keys      apiKeyState
	rest      restIndex
	domains   domainIndex
	// stageAuthorizers are the Lambda authorizers whose function depends on the stage; they
	// are checked once every stage is known.
	stageAuthorizers []*authorizerCheck
}

type stackState struct {
	s *assembly.Stack
	r *intrinsics.Resolver
	// resources that exist (their Condition, if any, is true), in template order
	resources []*assembly.Resource
}

type export struct {
	st  *stackState
	out *assembly.Output
}

// apiState is an API under construction: what routes look their integration and authorizer up in.
type apiState struct {
	api          *API
	st           *stackState
	integrations map[string]*Integration // by local integration id (what Target names)
	routes       map[string]*Route       // by local route id (what RouteId names)
	authorizers  map[string]string       // local authorizer id -> logical id
	rest         *restState              // REST APIs only
}

func (b *builder) build() error {
	for _, s := range b.a.Stacks {
		if err := b.addStack(s); err != nil {
			return err
		}
	}
	b.setModelEnvironment()
	if err := b.indexExports(); err != nil {
		return err
	}
	// Functions and APIs first: integrations name functions, and stages, routes and
	// integrations name APIs, possibly of other stacks through Fn::ImportValue.
	for _, st := range b.stacks {
		for _, res := range st.resources {
			var err error
			switch res.Type {
			case "AWS::Lambda::Function":
				err = b.addFunction(st, res)
			case typeAPI:
				err = b.addAPI(st, res)
			case typeRestAPI:
				err = b.addRestAPI(st, res)
			}
			if err != nil {
				return err
			}
		}
	}
	// Each step sees everything the earlier ones added, in every stack: responses name routes
	// and integrations; REST methods name resources, models, validators and authorizers, and
	// resources must all be known before their paths are; usage plans name stages and methods,
	// usage plan keys name keys and plans, and policies name roles; API mappings name domains,
	// APIs and stages.
	steps := []func() error{
		b.each(b.addIntegration), b.each(b.addIntegrationResponse), b.each(b.addAuthorizer),
		b.each(b.addRoute), b.each(b.addRouteResponse), b.each(b.addStage),
		b.each(b.addRestBody), b.each(b.addRestModel), b.each(b.addRestValidator),
		b.each(b.addRestGatewayResponse), b.each(b.addRestAuthorizer), b.each(b.addRestResource),
		b.linkRestResources, b.each(b.addRestMethod), b.each(b.addRestDeployment), b.each(b.addRestStage),
		b.finishRestAPIs,
		b.each(b.addRole), b.each(b.addPolicy), b.each(b.addRoleManagedPolicies),
		b.each(b.addAPIKey), b.each(b.addUsagePlan), b.each(b.addUsagePlanKey),
		b.each(b.addDomain), b.each(b.addAPIMapping), b.finishDomains,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	b.checkFunctionRoles()
	b.checkStageAuthorizers()
	for _, st := range b.stacks {
		for _, res := range st.resources {
			b.classify(st, res)
		}
	}
	for _, as := range b.orderedAPIs() {
		if len(as.api.Stages) == 0 {
			typ := typeAPI
			if as.api.Protocol == ProtocolREST {
				typ = typeRestAPI
			}
			b.warn(as.st, as.api.LogicalID, typ, "the API has no stage, so nothing serves it (as in AWS, where an API without a deployed stage has no URL)")
		}
	}
	return nil
}

// each runs a pass over every resource of every stack, in template order. A pass reports
// whether the resource was of its type; only errors matter here.
func (b *builder) each(pass func(*stackState, *assembly.Resource) (bool, error)) func() error {
	return func() error {
		for _, st := range b.stacks {
			for _, res := range st.resources {
				if _, err := pass(st, res); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

func (b *builder) addStack(s *assembly.Stack) error {
	account, region := b.opts.Account, b.opts.Region
	if s.Account != "" {
		account = s.Account
	}
	if s.Region != "" {
		region = s.Region
	}
	st := &stackState{s: s}
	st.r = intrinsics.New(s.Template, intrinsics.Options{
		StackName:   s.Name,
		Account:     account,
		Region:      region,
		Parameters:  b.opts.Parameters,
		ImportValue: b.importValue,
	})
	for _, id := range s.Template.ResourceOrder {
		ok, err := st.r.ResourceExists(id)
		if err != nil {
			return fmt.Errorf("stack %q: resource %q: %w", s.Name, id, err)
		}
		if ok {
			st.resources = append(st.resources, s.Template.Resources[id])
		}
	}
	b.stacks = append(b.stacks, st)
	return nil
}

// setModelEnvironment reports the account and region the stacks resolved with: the common one
// when every stack names the same, otherwise the options' or the local default.
func (b *builder) setModelEnvironment() {
	b.m.Account, b.m.Region = intrinsics.DefaultAccount, intrinsics.DefaultRegion
	if b.opts.Account != "" {
		b.m.Account = b.opts.Account
	}
	if b.opts.Region != "" {
		b.m.Region = b.opts.Region
	}
	if len(b.stacks) == 0 {
		return
	}
	acc, reg := b.stacks[0].r.Account(), b.stacks[0].r.Region()
	for _, st := range b.stacks[1:] {
		if st.r.Account() != acc || st.r.Region() != reg {
			return
		}
	}
	b.m.Account, b.m.Region = acc, reg
}

func (b *builder) indexExports() error {
	for _, st := range b.stacks {
		for _, id := range st.s.Template.OutputOrder {
			out := st.s.Template.Outputs[id]
			if out.ExportName == nil {
				continue
			}
			if out.Condition != "" {
				ok, err := st.r.Condition(out.Condition)
				if err != nil {
					return fmt.Errorf("stack %q: output %q: %w", st.s.Name, id, err)
				}
				if !ok {
					continue
				}
			}
			v, err := st.r.Resolve(out.ExportName)
			if err != nil {
				return fmt.Errorf("resolving stack %q: output %q: Export.Name: %w", st.s.Name, id, err)
			}
			name, ok := v.(string)
			if !ok {
				return fmt.Errorf("stack %q: output %q: Export.Name must be a string", st.s.Name, id)
			}
			if prev, dup := b.exports[name]; dup {
				return fmt.Errorf("stack %q: output %q: export name %q is already exported by stack %q", st.s.Name, id, name, prev.st.s.Name)
			}
			b.exports[name] = export{st: st, out: out}
		}
	}
	return nil
}

func (b *builder) importValue(name string) (any, error) {
	e, ok := b.exports[name]
	if !ok {
		return nil, fmt.Errorf("no stack of the assembly exports %q", name)
	}
	if b.importing[name] {
		return nil, fmt.Errorf("export %q depends on itself", name)
	}
	b.importing[name] = true
	defer delete(b.importing, name)
	v, err := e.st.r.Resolve(e.out.Value)
	if err != nil {
		return nil, fmt.Errorf("export %q: stack %q: output %q: %w", name, e.st.s.Name, e.out.LogicalID, err)
	}
	return v, nil
}

func (b *builder) warn(st *stackState, logicalID, typ, msg string) {
	b.m.Warnings = append(b.m.Warnings, Warning{Stack: st.s.Name, LogicalID: logicalID, Type: typ, Message: msg})
}

func (b *builder) orderedAPIs() []*apiState {
	out := make([]*apiState, 0, len(b.m.APIs))
	for _, api := range b.m.APIs {
		out = append(out, b.apis[api.ID])
	}
	return out
}

// apiOf resolves a resource's ApiId to an API of the assembly.
func (b *builder) apiOf(st *stackState, res *assembly.Resource) (*apiState, error) {
	id, err := b.str(st, res, "ApiId", true)
	if err != nil {
		return nil, err
	}
	as, ok := b.apis[id]
	if !ok {
		return nil, propErr(st, res, "ApiId", errors.New("names API "+quote(id)+", which the assembly does not define"))
	}
	if as.rest != nil {
		return nil, propErr(st, res, "ApiId", fmt.Errorf("names REST API %q: AWS::ApiGatewayV2 resources belong to HTTP and WebSocket APIs", as.api.LogicalID))
	}
	return as, nil
}

func quote(s string) string { return fmt.Sprintf("%q", s) }
