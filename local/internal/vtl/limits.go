package vtl

import (
	"errors"
	"fmt"
)

// Limits bound what one execution may do, so a template cannot hang or exhaust the
// runner. Zero fields take the DefaultLimits value.
type Limits struct {
	// MaxLoopIterations is how many times one #foreach runs its body; the loop then stops
	// without an error, as Velocity's directive.foreach.maxloops does. API Gateway's quota
	// is 1000 iterations per loop.
	MaxLoopIterations int
	// MaxIterations caps the iterations of all loops of one execution together (nested
	// loops multiply); passing it is an error.
	MaxIterations int
	// MaxRange caps the size of a range literal [a..b].
	MaxRange int
	// MaxOutputBytes caps the output, and any one string a template builds. API Gateway's
	// payload limit is 10 MB.
	MaxOutputBytes int
	// MaxAllocBytes caps the bytes of all strings an execution builds (interpolations,
	// concatenations, method results), so loops cannot pile up copies.
	MaxAllocBytes int
	// MaxSteps caps evaluation steps (nodes, expressions and method calls).
	MaxSteps int
	// MaxDepth caps #define blocks rendering each other and nested string interpolation.
	MaxDepth int
}

// DefaultLimits returns the limits Execute uses.
func DefaultLimits() Limits {
	return Limits{
		MaxLoopIterations: 1000,
		MaxIterations:     1_000_000,
		MaxRange:          1_000_000,
		MaxOutputBytes:    10 << 20,
		MaxAllocBytes:     64 << 20,
		MaxSteps:          10_000_000,
		MaxDepth:          64,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxLoopIterations <= 0 {
		l.MaxLoopIterations = d.MaxLoopIterations
	}
	if l.MaxIterations <= 0 {
		l.MaxIterations = d.MaxIterations
	}
	if l.MaxRange <= 0 {
		l.MaxRange = d.MaxRange
	}
	if l.MaxOutputBytes <= 0 {
		l.MaxOutputBytes = d.MaxOutputBytes
	}
	if l.MaxAllocBytes <= 0 {
		l.MaxAllocBytes = d.MaxAllocBytes
	}
	if l.MaxSteps <= 0 {
		l.MaxSteps = d.MaxSteps
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	return l
}

// ErrLimit is wrapped by the errors of executions that pass a Limits bound.
var ErrLimit = errors.New("template limit exceeded")

func limitErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrLimit, fmt.Sprintf(format, args...))
}

// maxValueDepth bounds how deeply nested a value may be when printed, compared or turned
// into JSON (a list that contains itself would otherwise recurse forever).
const maxValueDepth = 512

// ExecError is an error raised while executing a template, at the line and column of the
// reference or directive that raised it. Unwrap gives the cause (ErrLimit for limits, or
// whatever a host Object returned).
type ExecError struct {
	Name      string
	Line, Col int
	Err       error
}

func (e *ExecError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %v", e.Name, e.Line, e.Col, e.Err)
}

func (e *ExecError) Unwrap() error { return e.Err }
