package vtl

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// Execute renders the template with ctx as its variables, under DefaultLimits. ctx is
// only read: #set($x = ...) writes to the execution's own variables. Values inside ctx
// (maps, lists, host objects) can still be changed by the template through their methods
// (put, add, #set($map.key = ...)), which is how a host reads back what a template
// assigned; pass fresh values per execution if that is not wanted.
//
// The output is buffered and written to w only when the template succeeds; on error
// nothing is written.
func (t *Template) Execute(w io.Writer, ctx map[string]any) error {
	return t.ExecuteLimits(w, ctx, DefaultLimits())
}

// ExecuteLimits is Execute with explicit limits.
func (t *Template) ExecuteLimits(w io.Writer, ctx map[string]any, lim Limits) error {
	lim = lim.withDefaults()
	s := &state{
		t:    t,
		lim:  lim,
		root: ctx,
		// The last output's size is a good guess at this one's: the buffer rarely grows.
		main: outBuf{b: make([]byte, 0, t.outSize.Load()), max: lim.MaxOutputBytes},
	}
	s.out = &s.main
	err := s.execNodes(t.nodes)
	switch err.(type) {
	case nil, breakSignal, stopSignal:
		// #break outside a loop and #stop end the template; what was rendered stands.
	default:
		return err
	}
	t.outSize.Store(int32(min(len(s.out.b), maxOutSizeHint)))
	if _, err := w.Write(s.out.b); err != nil {
		return fmt.Errorf("writing the output of template %s: %w", t.name, err)
	}
	return nil
}

// state is one execution: everything mutable lives here, never in the Template.
type state struct {
	t     *Template
	lim   Limits
	root  map[string]any
	vars  map[string]any // set by #set, #foreach and #define (see setVar); removedVar hides a root value
	args  []any          // the arguments of the method calls under way, innermost last
	out   *outBuf        // where output goes: main, or a #define block's text being rendered
	main  outBuf
	loops []*loopScope

	steps      int
	iterations int
	allocated  int
	depth      int
	lastOff    int // offset of the last reference or directive, for limit errors
}

type removedVar struct{}

// maxOutSizeHint caps the output buffer a template starts with, whatever its last output was.
const maxOutSizeHint = 64 << 10

// popArgs drops the arguments above base, clearing them so the stack keeps nothing alive.
func (s *state) popArgs(base int) {
	clear(s.args[base:])
	s.args = s.args[:base]
}

// setVar sets a variable of the execution, making the map on first use: many templates set
// none.
func (s *state) setVar(name string, v any) {
	if s.vars == nil {
		s.vars = map[string]any{}
	}
	s.vars[name] = v
}

type outBuf struct {
	b   []byte
	max int
}

// breakSignal and stopSignal carry #break and #stop up to the loop, block or template
// they end. They are never wrapped.
type breakSignal struct{ foreachOnly bool }

func (breakSignal) Error() string { return "#break outside of a loop" }

type stopSignal struct{}

func (stopSignal) Error() string { return "#stop" }

// errNoMethod is what call returns when a value has no such method: the reference is then
// null, as in Velocity.
var errNoMethod = errors.New("no such method")

func isSignal(err error) bool {
	switch err.(type) {
	case breakSignal, stopSignal:
		return true
	}
	return false
}

// errAt gives err the position of the reference or directive at off, unless it already
// has one.
func (s *state) errAt(off int, err error) error {
	if err == nil || isSignal(err) {
		return err
	}
	var ee *ExecError
	if errors.As(err, &ee) {
		return err
	}
	line, col := lineCol(s.t.src, off)
	return &ExecError{Name: s.t.name, Line: line, Col: col, Err: err}
}

func (s *state) step() error {
	s.steps++
	if s.steps > s.lim.MaxSteps {
		return s.errAt(s.lastOff, limitErr("more than %d evaluation steps", s.lim.MaxSteps))
	}
	return nil
}

// work charges an operation that walks n items (contains, keySet, a range) to the step
// budget, so a template cannot spend unbounded time in one step.
func (s *state) work(n int) error {
	s.steps += n / 8
	if s.steps > s.lim.MaxSteps {
		return limitErr("more than %d evaluation steps", s.lim.MaxSteps)
	}
	return nil
}

func (s *state) alloc(n int) error {
	if n > s.lim.MaxOutputBytes {
		return limitErr("a string of %d bytes is larger than %d bytes", n, s.lim.MaxOutputBytes)
	}
	s.allocated += n
	if s.allocated > s.lim.MaxAllocBytes {
		return limitErr("strings built by the template exceed %d bytes", s.lim.MaxAllocBytes)
	}
	return nil
}

func (s *state) write(str string) error {
	if len(s.out.b)+len(str) > s.out.max {
		return limitErr("output larger than %d bytes", s.out.max)
	}
	s.out.b = append(s.out.b, str...)
	return nil
}

// writeInt writes an integer without making a string of it first.
func (s *state) writeInt(n int64) error {
	if len(s.out.b)+20 > s.out.max {
		return s.write(strconv.FormatInt(n, 10))
	}
	s.out.b = strconv.AppendInt(s.out.b, n, 10)
	return nil
}

func (s *state) execNodes(nodes []node) error {
	for _, n := range nodes {
		if err := s.step(); err != nil {
			return err
		}
		var err error
		switch n := n.(type) {
		case *textNode:
			err = s.write(n.text)
		case *refNode:
			s.lastOff = n.ref.off
			err = s.renderRef(n)
		case *setNode:
			s.lastOff = n.off
			err = s.errAt(n.off, s.execSet(n))
		case *ifNode:
			s.lastOff = n.off
			err = s.execIf(n)
		case *foreachNode:
			s.lastOff = n.off
			err = s.execForeach(n)
		case *defineNode:
			s.setVar(n.name, &blockRef{name: n.name, body: n.body})
		case *breakNode:
			return breakSignal{foreachOnly: n.foreachOnly}
		case *stopNode:
			return stopSignal{}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// renderRef prints a reference the way Velocity 1.7 does: its value, or its source text
// when null ($!ref prints nothing), with backslash escapes meaning different things for
// set and unset references (\$x prints "$x" when $x is set and "\$x" when it is not).
func (s *state) renderRef(n *refNode) error {
	v, err := s.evalRef(n.ref)
	if err != nil {
		return err
	}
	prefix := strings.Repeat(`\`, n.escapes/2)
	lit := n.ref.literal
	if n.escapes%2 == 1 {
		if v == nil {
			return s.write(prefix + `\` + lit)
		}
		return s.write(prefix + lit)
	}
	if v == nil {
		if n.ref.quiet {
			return s.write(prefix + prefix)
		}
		return s.write(prefix + prefix + lit)
	}
	if err := s.write(prefix); err != nil {
		return err
	}
	switch x := v.(type) {
	case string:
		return s.write(x)
	case int64:
		return s.writeInt(x)
	case *blockRef:
		return s.errAt(n.ref.off, s.renderBlock(x))
	}
	str, err := s.str(v)
	if err != nil {
		return s.errAt(n.ref.off, err)
	}
	return s.write(str)
}

// renderBlock renders a #define body into the current output.
func (s *state) renderBlock(b *blockRef) error {
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > s.lim.MaxDepth {
		return limitErr("#define blocks nested deeper than %d (does $%s render itself?)", s.lim.MaxDepth, b.name)
	}
	err := s.execNodes(b.body)
	if br, ok := err.(breakSignal); ok && !br.foreachOnly {
		return nil
	}
	return err
}

// lookup reads a variable: the loop's own $foreach, $velocityCount and $velocityHasNext,
// then what the template set, then the caller's context.
func (s *state) lookup(name string) any {
	if len(s.loops) > 0 {
		top := s.loops[len(s.loops)-1]
		switch name {
		case "foreach":
			return top
		case "velocityCount":
			return int64(top.index + 1)
		case "velocityHasNext":
			return top.hasNext
		}
	}
	if v, ok := s.vars[name]; ok {
		if _, gone := v.(removedVar); gone {
			return nil
		}
		return v
	}
	if v, ok := s.root[name]; ok {
		return normalize(v)
	}
	return nil
}

func (s *state) evalRef(r *reference) (any, error) {
	return s.evalParts(r, len(r.parts))
}

// evalParts evaluates the reference's name and its first n parts.
func (s *state) evalParts(r *reference, n int) (any, error) {
	v := s.lookup(r.name)
	for i := 0; i < n; i++ {
		if v == nil {
			return nil, nil
		}
		if err := s.step(); err != nil {
			return nil, err
		}
		part := &r.parts[i]
		var err error
		switch part.kind {
		case partProp:
			v, err = s.property(v, part.name)
		case partIndex:
			var ix any
			if ix, err = s.eval(part.index); err == nil {
				v, err = s.index(v, ix)
			}
		case partMethod:
			// Arguments live on the execution's stack of them for the length of the call
			// (methods and hosts take their values, never the slice), not in a slice each.
			base := len(s.args)
			for _, a := range part.args {
				var av any
				if av, err = s.eval(a); err != nil {
					s.popArgs(base)
					return nil, err
				}
				s.args = append(s.args, av)
			}
			v, err = s.call(v, part.name, s.args[base:len(s.args):len(s.args)])
			s.popArgs(base)
			if err == errNoMethod {
				v, err = nil, nil
			}
		}
		if err != nil {
			return nil, s.errAt(part.off, err)
		}
	}
	return v, nil
}

// execSet runs #set. As in Velocity 1.7, a null right side leaves everything unchanged.
func (s *state) execSet(n *setNode) error {
	v, err := s.eval(n.rhs)
	if err != nil || v == nil {
		return err
	}
	lhs := n.lhs
	if len(lhs.parts) == 0 {
		s.setVar(lhs.name, v)
		return nil
	}
	target, err := s.evalParts(lhs, len(lhs.parts)-1)
	if err != nil || target == nil {
		return err
	}
	last := &lhs.parts[len(lhs.parts)-1]
	switch last.kind {
	case partProp:
		return s.errAt(last.off, s.setProperty(target, last.name, v))
	case partIndex:
		ix, err := s.eval(last.index)
		if err != nil {
			return err
		}
		return s.errAt(last.off, s.setIndex(target, ix, v))
	}
	return nil // a method call cannot be assigned; Velocity ignores it
}

func (s *state) setProperty(target any, name string, v any) error {
	switch x := target.(type) {
	case *Map, map[string]any:
		mapPut(x, name, v)
	case Setter:
		hv, err := s.forHost(v)
		if err != nil {
			return err
		}
		return x.SetProperty(name, hv)
	}
	return nil
}

func (s *state) setIndex(target, ix, v any) error {
	switch x := target.(type) {
	case *List, []any:
		i, err := s.listIndex(x, ix)
		if err != nil || i < 0 {
			return err
		}
		listItems(x)[i] = v
	case *Map, map[string]any:
		k, err := s.key(ix)
		if err != nil {
			return err
		}
		mapPut(x, k, v)
	}
	return nil
}

func (s *state) execIf(n *ifNode) error {
	for _, b := range n.branches {
		ok, err := s.truth(b.cond)
		if err != nil {
			return err
		}
		if ok {
			return s.execNodes(b.body)
		}
	}
	if n.els != nil {
		return s.execNodes(n.els)
	}
	return nil
}

// loopScope is $foreach.
type loopScope struct {
	index   int
	hasNext bool
	parent  *loopScope
}

func (s *state) execForeach(n *foreachNode) error {
	src, err := s.eval(n.iter)
	if err != nil {
		return err
	}
	items, total := s.iterItems(src)
	if total == 0 {
		return nil
	}
	prev, hadPrev := s.vars[n.varName]
	scope := &loopScope{}
	if len(s.loops) > 0 {
		scope.parent = s.loops[len(s.loops)-1]
	}
	s.loops = append(s.loops, scope)
	defer func() {
		s.loops = s.loops[:len(s.loops)-1]
		switch {
		case hadPrev:
			s.vars[n.varName] = prev
		default:
			delete(s.vars, n.varName)
		}
	}()
	for i, item := range items {
		if i >= s.lim.MaxLoopIterations {
			break
		}
		s.iterations++
		if s.iterations > s.lim.MaxIterations {
			return s.errAt(n.off, limitErr("loops ran more than %d iterations in all", s.lim.MaxIterations))
		}
		scope.index = i
		scope.hasNext = i+1 < total
		if item == nil {
			s.setVar(n.varName, removedVar{})
		} else {
			s.setVar(n.varName, item)
		}
		if err := s.execNodes(n.body); err != nil {
			if _, ok := err.(breakSignal); ok {
				return nil
			}
			return err
		}
	}
	return nil
}

// iterItems returns what #foreach iterates over (at most one more item than a loop may
// run) and the collection's full size. Lists iterate their items, maps their values;
// anything else is not iterable and the loop body does not run, as in Velocity.
func (s *state) iterItems(v any) ([]any, int) {
	limit := s.lim.MaxLoopIterations
	switch x := v.(type) {
	case *List, []any:
		items := listItems(x)
		n := min(len(items), limit)
		out := make([]any, n)
		for i, it := range items[:n] {
			out[i] = normalize(it)
		}
		return out, len(items)
	case *Map, map[string]any:
		keys := mapKeys(x)
		n := min(len(keys), limit)
		out := make([]any, n)
		for i, k := range keys[:n] {
			out[i], _ = mapGet(x, k)
		}
		return out, len(keys)
	}
	return nil, 0
}

func (s *state) eval(e expr) (any, error) {
	if err := s.step(); err != nil {
		return nil, err
	}
	switch x := e.(type) {
	case *literalExpr:
		return x.v, nil
	case *refExpr:
		return s.evalRef(x.ref)
	case *interpExpr:
		return s.interpolate(x)
	case *groupExpr:
		return s.eval(x.x)
	case *notExpr:
		t, err := s.truth(x.x)
		return !t, err
	case *listExpr:
		l := &List{items: make([]any, len(x.items))}
		for i, it := range x.items {
			v, err := s.eval(it)
			if err != nil {
				return nil, err
			}
			l.items[i] = v
		}
		return l, nil
	case *mapExpr:
		m := NewMapSize(len(x.keys))
		for i := range x.keys {
			k, err := s.eval(x.keys[i])
			if err != nil {
				return nil, err
			}
			ks, err := s.key(k)
			if err != nil {
				return nil, err
			}
			v, err := s.eval(x.vals[i])
			if err != nil {
				return nil, err
			}
			m.Put(ks, v)
		}
		return m, nil
	case *rangeExpr:
		return s.evalRange(x)
	case *binaryExpr:
		return s.binary(x)
	}
	return nil, fmt.Errorf("internal error: unknown expression %T", e)
}

// interpolate renders a double-quoted string that contains references or directives.
func (s *state) interpolate(x *interpExpr) (any, error) {
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > s.lim.MaxDepth {
		return nil, s.errAt(x.off, limitErr("string interpolation nested deeper than %d", s.lim.MaxDepth))
	}
	saved := s.out
	s.out = &outBuf{max: s.lim.MaxOutputBytes}
	err := s.execNodes(x.nodes)
	buf := s.out.b
	s.out = saved
	if err != nil {
		return nil, err
	}
	if err := s.alloc(len(buf)); err != nil {
		return nil, s.errAt(x.off, err)
	}
	return string(buf), nil
}

func (s *state) evalRange(x *rangeExpr) (any, error) {
	from, err := s.eval(x.from)
	if err != nil {
		return nil, err
	}
	to, err := s.eval(x.to)
	if err != nil {
		return nil, err
	}
	if !isNumber(from) || !isNumber(to) {
		return nil, nil // Velocity logs and yields null
	}
	a, b := int64(toFloat(from)), int64(toFloat(to))
	if i, ok := from.(int64); ok {
		a = i
	}
	if i, ok := to.(int64); ok {
		b = i
	}
	step := int64(1)
	if b < a {
		step = -1
	}
	size := (b-a)*step + 1
	if size <= 0 || size > int64(s.lim.MaxRange) {
		return nil, s.errAt(x.off, limitErr("range [%d..%d] has more than %d items", a, b, s.lim.MaxRange))
	}
	if err := s.work(int(size)); err != nil {
		return nil, s.errAt(x.off, err)
	}
	items := make([]any, 0, size)
	for v := a; ; v += step {
		items = append(items, v)
		if v == b {
			break
		}
	}
	return &List{items: items}, nil
}

// truth is how #if, &&, || and ! read an expression in Velocity 1.7: a reference is true
// when it is set and not false; true, false, comparisons and logic are their value; other
// literals (even "x" and 1), interpolated strings and arithmetic are false.
func (s *state) truth(e expr) (bool, error) {
	switch x := e.(type) {
	case *literalExpr:
		b, _ := x.v.(bool)
		return b, nil
	case *refExpr:
		v, err := s.evalRef(x.ref)
		if err != nil || v == nil {
			return false, err
		}
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return true, nil
	case *groupExpr:
		return s.truth(x.x)
	case *notExpr:
		t, err := s.truth(x.x)
		return !t, err
	case *binaryExpr:
		if x.op <= opGe {
			v, err := s.binary(x)
			b, _ := v.(bool)
			return b, err
		}
	}
	return false, nil
}

func (s *state) binary(x *binaryExpr) (any, error) {
	switch x.op {
	case opOr, opAnd:
		l, err := s.truth(x.l)
		if err != nil {
			return nil, err
		}
		if x.op == opOr && l || x.op == opAnd && !l {
			return l, nil
		}
		return s.truth(x.r)
	}
	a, err := s.eval(x.l)
	if err != nil {
		return nil, err
	}
	b, err := s.eval(x.r)
	if err != nil {
		return nil, err
	}
	switch x.op {
	case opEq, opNe:
		eq, err := s.equals(a, b)
		if err != nil {
			return nil, s.errAt(x.off, err)
		}
		return eq == (x.op == opEq), nil
	case opLt, opLe, opGt, opGe:
		if !isNumber(a) || !isNumber(b) {
			return false, nil // Velocity 1.7 compares numbers only
		}
		c := compareNumbers(a, b)
		switch x.op {
		case opLt:
			return c < 0, nil
		case opLe:
			return c <= 0, nil
		case opGt:
			return c > 0, nil
		}
		return c >= 0, nil
	}
	v, err := s.arith(x, a, b)
	return v, s.errAt(x.off, err)
}

// equals is Velocity 1.7's ==: numbers by value, values of one kind with equals(), other
// pairs by their text; null equals only null.
func (s *state) equals(a, b any) (bool, error) {
	if isNumber(a) && isNumber(b) {
		return compareNumbers(a, b) == 0, nil
	}
	if a == nil || b == nil {
		return a == nil && b == nil, nil
	}
	if sameKind(a, b) {
		if err := s.work(mapLen(a) + len(listItems(a))); err != nil {
			return false, err
		}
		return javaEquals(a, b, 0), nil
	}
	sa, err := s.str(a)
	if err != nil {
		return false, err
	}
	sb, err := s.str(b)
	if err != nil {
		return false, err
	}
	return sa == sb, nil
}

func compareNumbers(a, b any) int {
	if x, ok := a.(int64); ok {
		if y, ok := b.(int64); ok {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	}
	x, y := toFloat(a), toFloat(b)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// arith is + - * / %. A string on either side of + concatenates (a null operand then
// contributes its source text, "$missing"); otherwise both sides must be numbers or the
// result is null, and so is division by zero. Integer division truncates.
func (s *state) arith(x *binaryExpr, a, b any) (any, error) {
	_, as := a.(string)
	_, bs := b.(string)
	if x.op == opAdd && (as || bs) {
		sa, err := s.operandText(x.l, a)
		if err != nil {
			return nil, err
		}
		sb, err := s.operandText(x.r, b)
		if err != nil {
			return nil, err
		}
		if err := s.alloc(len(sa) + len(sb)); err != nil {
			return nil, err
		}
		return sa + sb, nil
	}
	if !isNumber(a) || !isNumber(b) {
		return nil, nil
	}
	ai, aInt := a.(int64)
	bi, bInt := b.(int64)
	if aInt && bInt {
		return intArith(x.op, ai, bi)
	}
	af, bf := toFloat(a), toFloat(b)
	switch x.op {
	case opAdd:
		return af + bf, nil
	case opSub:
		return af - bf, nil
	case opMul:
		return af * bf, nil
	case opDiv:
		if bf == 0 {
			return nil, nil
		}
		return af / bf, nil
	}
	if bf == 0 {
		return nil, nil
	}
	return math.Mod(af, bf), nil
}

func (s *state) operandText(e expr, v any) (string, error) {
	if v == nil {
		if r, ok := e.(*refExpr); ok {
			return r.ref.literal, nil
		}
		return "null", nil
	}
	return s.str(v)
}

// intArith is integer arithmetic. Velocity 1.7 widens to BigInteger on overflow; this
// engine stops with an error instead, as no real mapping template computes past 2^63.
func intArith(op opKind, a, b int64) (any, error) {
	overflow := func() (any, error) {
		return nil, fmt.Errorf("integer overflow in %d %s %d", a, opNames[op], b)
	}
	switch op {
	case opAdd:
		r := a + b
		if (a > 0 && b > 0 && r < 0) || (a < 0 && b < 0 && r >= 0) {
			return overflow()
		}
		return r, nil
	case opSub:
		r := a - b
		if (a >= 0 && b < 0 && r < 0) || (a < 0 && b > 0 && r >= 0) {
			return overflow()
		}
		return r, nil
	case opMul:
		if a == 0 || b == 0 {
			return int64(0), nil
		}
		hi, lo := bits.Mul64(absU(a), absU(b))
		neg := (a < 0) != (b < 0)
		if hi != 0 || (!neg && lo > math.MaxInt64) || (neg && lo > 1<<63) {
			return overflow()
		}
		if neg {
			return -int64(lo-1) - 1, nil
		}
		return int64(lo), nil
	case opDiv:
		if b == 0 {
			return nil, nil
		}
		if a == math.MinInt64 && b == -1 {
			return overflow()
		}
		return a / b, nil
	}
	if b == 0 {
		return nil, nil
	}
	if b == -1 {
		return int64(0), nil
	}
	return a % b, nil
}

func absU(v int64) uint64 {
	if v < 0 {
		return uint64(-(v + 1)) + 1
	}
	return uint64(v)
}

// key turns a map key into its string form: this engine's maps have string keys.
func (s *state) key(k any) (string, error) {
	if k == nil {
		return "null", nil
	}
	return s.str(k)
}

func (s *state) property(v any, name string) (any, error) {
	switch x := v.(type) {
	case *Map, map[string]any:
		val, _ := mapGet(x, name)
		return val, nil
	case Object:
		val, ok := x.Property(name)
		if !ok {
			return nil, nil
		}
		return normalize(val), nil
	case *loopScope:
		return x.property(name), nil
	case *entry:
		switch name {
		case "key":
			return x.key, nil
		case "value":
			return x.val, nil
		}
		return nil, nil
	}
	// Java bean properties of built-in types: $list.empty is isEmpty(), $s.bytes getBytes().
	if name == "" {
		return nil, nil
	}
	cap := strings.ToUpper(name[:1]) + name[1:]
	for _, m := range []string{"get" + cap, "is" + cap} {
		r, err := s.call(v, m, nil)
		if err != errNoMethod {
			return r, err
		}
	}
	return nil, nil
}

// index is $v[ix]: lists take integers (negative ones count from the end), maps keys,
// objects get(ix).
func (s *state) index(v, ix any) (any, error) {
	switch x := v.(type) {
	case *List, []any:
		i, err := s.listIndex(x, ix)
		if err != nil || i < 0 {
			return nil, err
		}
		return normalize(listItems(x)[i]), nil
	case *Map, map[string]any:
		k, err := s.key(ix)
		if err != nil {
			return nil, err
		}
		val, _ := mapGet(x, k)
		return val, nil
	case string:
		return nil, nil
	}
	r, err := s.call(v, "get", []any{ix})
	if err == errNoMethod {
		return nil, nil
	}
	return r, err
}

// listIndex checks an index into a list; -1 with no error means the index is not an
// integer, which Velocity treats as a missing get(...) method.
func (s *state) listIndex(list, ix any) (int, error) {
	i, ok := ix.(int64)
	if !ok {
		return -1, nil
	}
	n := int64(len(listItems(list)))
	j := i
	if j < 0 {
		j += n
	}
	if j < 0 || j >= n {
		return -1, fmt.Errorf("index %d is out of bounds for a list of size %d", i, n)
	}
	return int(j), nil
}

// forHost prepares a value for a host Object: #define blocks are rendered to strings,
// since hosts cannot render them.
func (s *state) forHost(v any) (any, error) {
	if b, ok := v.(*blockRef); ok {
		return s.str(b)
	}
	return v, nil
}

func (l *loopScope) property(name string) any {
	switch name {
	case "index":
		return int64(l.index)
	case "count":
		return int64(l.index + 1)
	case "hasNext":
		return l.hasNext
	case "first":
		return l.index == 0
	case "last":
		return !l.hasNext
	case "parent":
		if l.parent == nil {
			return nil
		}
		return l.parent
	case "topmost":
		t := l
		for t.parent != nil {
			t = t.parent
		}
		return t
	}
	return nil
}

// blockRef is the value #define gives its name: rendered wherever it is used.
type blockRef struct {
	name string
	body []node
}
