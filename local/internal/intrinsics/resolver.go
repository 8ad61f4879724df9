// Package intrinsics evaluates the CloudFormation intrinsic functions that CDK apps emit (Ref,
// Fn::GetAtt, Fn::Join, Fn::Sub, Fn::If with Conditions, ...) against one stack's template, the
// way CloudFormation would at deploy time, but with local, deterministic physical ids.
//
// A Resolver works on one stack; Fn::ImportValue reaches other stacks through a callback, so the
// caller (model.Build) decides how exports are found.
package intrinsics

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

// Local defaults for pseudo parameters, used when neither the stack's environment nor the
// runner's options name an account or region. 123456789012 is the account AWS documentation uses.
const (
	DefaultAccount = "123456789012"
	DefaultRegion  = "us-east-1"
)

// Options configure a Resolver.
type Options struct {
	StackName string
	Account   string // default DefaultAccount
	Region    string // default DefaultRegion
	// Parameters override template parameters' defaults, by parameter name.
	Parameters map[string]string
	// ImportValue returns the value another stack exports under name, for Fn::ImportValue.
	// Nil means no other stack exports anything.
	ImportValue func(name string) (any, error)
}

// Resolver evaluates intrinsic functions for one stack.
type Resolver struct {
	t    *assembly.Template
	opts Options

	conditions map[string]bool
	evaluating map[string]bool // conditions being evaluated, to report cycles instead of recursing forever
	resolving  map[string]bool // resources whose Ref/GetAtt is being computed, likewise
}

// New returns a Resolver for a stack's template.
func New(t *assembly.Template, opts Options) *Resolver {
	if opts.Account == "" {
		opts.Account = DefaultAccount
	}
	if opts.Region == "" {
		opts.Region = DefaultRegion
	}
	return &Resolver{
		t:          t,
		opts:       opts,
		conditions: map[string]bool{},
		evaluating: map[string]bool{},
		resolving:  map[string]bool{},
	}
}

// Account, Region, Partition, StackName and StackID are what the pseudo parameters resolve to.
func (r *Resolver) Account() string   { return r.opts.Account }
func (r *Resolver) Region() string    { return r.opts.Region }
func (r *Resolver) StackName() string { return r.opts.StackName }
func (r *Resolver) Partition() string { return partition(r.opts.Region) }
func (r *Resolver) StackID() string {
	h := LocalID(32, "stack", r.opts.StackName)
	return fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/%s-%s-%s-%s-%s", r.Partition(), r.opts.Region,
		r.opts.Account, r.opts.StackName, h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

// Resolve evaluates every intrinsic function in v. Map entries and list elements that resolve to
// AWS::NoValue are removed; a v that is itself AWS::NoValue resolves to nil.
func (r *Resolver) Resolve(v any) (any, error) {
	out, err := r.resolve(v)
	if err != nil {
		return nil, err
	}
	if out == noValue {
		return nil, nil
	}
	return out, nil
}

// ResolveProperty resolves one property of a resource and says where an error happened:
// `resolving stack "Api": resource "Route1": property RouteKey: Fn::Join: ...`. A missing
// property, or one that resolves to AWS::NoValue, is (nil, nil).
func (r *Resolver) ResolveProperty(res *assembly.Resource, name string) (any, error) {
	v, err := r.Resolve(res.Properties[name])
	if err != nil {
		return nil, &PropertyError{Stack: r.opts.StackName, Resource: res.LogicalID, Property: name, Err: err}
	}
	return v, nil
}

// PropertyError is an error resolving one property of one resource.
type PropertyError struct {
	Stack, Resource, Property string
	Err                       error
}

func (e *PropertyError) Error() string {
	return fmt.Sprintf("resolving stack %q: resource %q: property %s: %v", e.Stack, e.Resource, e.Property, e.Err)
}

func (e *PropertyError) Unwrap() error { return e.Err }

// UnknownAttributeError is Fn::GetAtt of an attribute the resolver has no local value for. The
// template may be fine: callers usually turn it into a warning.
type UnknownAttributeError struct {
	Resource, Type, Attribute string
}

func (e *UnknownAttributeError) Error() string {
	return fmt.Sprintf("Fn::GetAtt: resource %q (%s): attribute %s has no local value", e.Resource, e.Type, e.Attribute)
}

// noValue is what Ref AWS::NoValue evaluates to until the enclosing map or list drops it.
var noValue = &struct{ noValue bool }{true}

func (r *Resolver) resolve(v any) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 1 {
			for k, arg := range v {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					return r.call(k, arg)
				}
			}
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			rv, err := r.resolve(e)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			if rv != noValue {
				out[k] = rv
			}
		}
		return out, nil
	case []any:
		out := make([]any, 0, len(v))
		for i, e := range v {
			rv, err := r.resolve(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			if rv != noValue {
				out = append(out, rv)
			}
		}
		return out, nil
	}
	return v, nil
}

func (r *Resolver) call(fn string, arg any) (any, error) {
	var v any
	var err error
	switch fn {
	case "Ref":
		v, err = r.fnRef(arg)
	case "Fn::GetAtt":
		v, err = r.fnGetAtt(arg)
	case "Fn::Join":
		v, err = r.fnJoin(arg)
	case "Fn::Sub":
		v, err = r.fnSub(arg)
	case "Fn::Select":
		v, err = r.fnSelect(arg)
	case "Fn::Split":
		v, err = r.fnSplit(arg)
	case "Fn::If":
		v, err = r.fnIf(arg)
	case "Fn::FindInMap":
		v, err = r.fnFindInMap(arg)
	case "Fn::Base64":
		v, err = r.fnBase64(arg)
	case "Fn::GetAZs":
		v, err = r.fnGetAZs(arg)
	case "Fn::ImportValue":
		v, err = r.fnImportValue(arg)
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		// Condition functions are also valid as values (they evaluate to a boolean).
		var b bool
		b, err = r.evalCondition(map[string]any{fn: arg})
		v = b
	default:
		return nil, fmt.Errorf("%s: unsupported intrinsic function", fn)
	}
	if err != nil {
		var ua *UnknownAttributeError
		if errors.As(err, &ua) && fn == "Fn::GetAtt" {
			return nil, err // already names the function
		}
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	return v, nil
}
