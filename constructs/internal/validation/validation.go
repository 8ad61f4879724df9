// Package validation collects configuration errors found while a construct is built and reports
// them when the app is synthesized.
//
// Constructs record problems instead of panicking so that one synth reports every broken rule at
// once, and so that the CDK itself prefixes each message with the construct path: an error reads
// "[GatehouseHttpExample/Api] route "GET /a/{p+}/b": ..." without us rebuilding the path by hand.
package validation

import (
	"fmt"
	"sync"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Errors is a list of rule violations attached to one construct node. It implements
// constructs.IValidation, so the CDK calls Validate before synthesis and fails it when the list
// is not empty.
type Errors struct {
	mu   sync.Mutex
	msgs []string
	// checks run at validation time, when every route and stage is known (rules that relate
	// things added in any order, such as route throttling naming an existing route).
	checks []func() []string
}

// Attach creates an Errors list and registers it on scope's node.
func Attach(scope constructs.IConstruct) *Errors {
	e := &Errors{}
	scope.Node().AddValidation(e)
	return e
}

// Addf records one violation.
func (e *Errors) Addf(format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.msgs = append(e.msgs, fmt.Sprintf(format, args...))
}

// Add records violations already formatted, such as those returned by a pure check function.
func (e *Errors) Add(msgs ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.msgs = append(e.msgs, msgs...)
}

// Defer registers a check that runs at validation time.
func (e *Errors) Defer(check func() []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.checks = append(e.checks, check)
}

// Messages returns every recorded violation plus the results of the deferred checks.
func (e *Errors) Messages() []string {
	e.mu.Lock()
	msgs := append([]string(nil), e.msgs...)
	checks := append([]func() []string(nil), e.checks...)
	e.mu.Unlock()
	for _, c := range checks {
		msgs = append(msgs, c()...)
	}
	return msgs
}

// Validate implements constructs.IValidation.
func (e *Errors) Validate() *[]*string {
	msgs := e.Messages()
	out := make([]*string, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, jsii.String(m))
	}
	return &out
}
