package vtl

// The syntax tree. Nodes are immutable once parsed, which is what lets one Template run
// in many goroutines at once. Offsets (off) are byte offsets into the template source,
// turned into line:column only when an error is reported.

// node is a statement: text, a reference to render, or a directive.
type node interface{}

type textNode struct{ text string }

// refNode renders a reference. escapes counts the backslashes written before its $, which
// Velocity 1.7 interprets depending on whether the reference has a value.
type refNode struct {
	ref     *reference
	escapes int
}

type setNode struct {
	off int
	lhs *reference
	rhs expr
}

type ifBranch struct {
	cond expr
	body []node
}

type ifNode struct {
	off      int
	branches []ifBranch // #if then each #elseif
	els      []node     // #else body; nil without #else
}

type foreachNode struct {
	off     int
	varName string
	iter    expr
	body    []node
}

type defineNode struct {
	off  int
	name string
	body []node
}

// breakNode is #break; foreachOnly is #break($foreach), which skips #define scopes.
type breakNode struct {
	off         int
	foreachOnly bool
}

type stopNode struct{ off int }

// reference is $name followed by properties, method calls and indexes.
type reference struct {
	off     int
	literal string // the source text, printed when the value is null
	quiet   bool   // $!name
	name    string
	parts   []refPart
}

type partKind uint8

const (
	partProp partKind = iota
	partMethod
	partIndex
)

type refPart struct {
	kind  partKind
	off   int
	name  string // property or method name
	args  []expr // method arguments
	index expr   // partIndex
}

// expr is an expression inside a directive, a method argument or a literal.
type expr interface{}

type literalExpr struct{ v any } // string, int64, float64 or bool

// interpExpr is a double-quoted string containing $ or #: rendered like a template.
type interpExpr struct {
	off   int
	nodes []node
}

type refExpr struct{ ref *reference }

type listExpr struct{ items []expr }

type mapExpr struct{ keys, vals []expr }

type rangeExpr struct {
	off      int
	from, to expr
}

type opKind uint8

const (
	opOr opKind = iota
	opAnd
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opAdd
	opSub
	opMul
	opDiv
	opMod
)

var opNames = [...]string{"||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"}

type binaryExpr struct {
	off  int
	op   opKind
	l, r expr
}

type notExpr struct{ x expr }

type groupExpr struct{ x expr }
