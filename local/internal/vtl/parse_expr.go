package vtl

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// parseReference parses the reference whose $ is at start (any backslashes before it are
// the caller's). It follows Velocity 1.7's reference grammar: $name, $!name, ${name},
// .property, .method(params), [index], in any sequence after the name.
func (p *parser) parseReference(start int) (*reference, error) {
	r := &reference{off: start}
	i := start + 1
	if p.src[i] == '!' {
		r.quiet = true
		i++
	}
	braced := false
	if p.src[i] == '{' {
		braced = true
		i++
	}
	j := i + 1
	for j < p.end && isIdentChar(p.src[j]) {
		j++
	}
	r.name = p.src[i:j]
	p.pos = j
	for p.pos < p.end {
		c := p.src[p.pos]
		if c == '[' {
			part, err := p.parseIndex()
			if err != nil {
				return nil, err
			}
			r.parts = append(r.parts, part)
			continue
		}
		if c != '.' || p.pos+1 >= p.end || !isLetter(p.src[p.pos+1]) {
			break
		}
		off := p.pos + 1
		k := off + 1
		for k < p.end && isIdentChar(p.src[k]) {
			k++
		}
		name := p.src[off:k]
		p.pos = k
		if k < p.end && p.src[k] == '(' {
			args, err := p.parseArgs(k)
			if err != nil {
				return nil, err
			}
			r.parts = append(r.parts, refPart{kind: partMethod, off: off, name: name, args: args})
			continue
		}
		r.parts = append(r.parts, refPart{kind: partProp, off: off, name: name})
	}
	if braced {
		if p.pos >= p.end || p.src[p.pos] != '}' {
			return nil, p.errAt(p.pos, "${ is not closed with } (found %s)", p.describe(p.pos))
		}
		p.pos++
	}
	r.literal = p.src[start:p.pos]
	return r, nil
}

// parseArgs parses a method's ( params ) with ( at lp.
func (p *parser) parseArgs(lp int) ([]expr, error) {
	if err := p.enter(lp); err != nil {
		return nil, err
	}
	defer p.leave()
	p.pos = lp + 1
	p.skipSpace()
	var args []expr
	if p.pos < p.end && p.src[p.pos] == ')' {
		p.pos++
		return args, nil
	}
	for {
		a, err := p.parseParam()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if p.pos >= p.end {
			return nil, p.errAt(lp, "method call is missing its closing )")
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case ')':
			p.pos++
			return args, nil
		default:
			return nil, p.errAt(p.pos, "unexpected %s in method arguments: Velocity 1.7 takes only literals and references there (compute with #set first)", p.describe(p.pos))
		}
	}
}

// parseIndex parses [index] at p.pos: a string, an integer, a boolean or a reference.
func (p *parser) parseIndex() (refPart, error) {
	off := p.pos
	if err := p.enter(off); err != nil {
		return refPart{}, err
	}
	defer p.leave()
	p.pos++
	p.skipSpace()
	var ix expr
	var err error
	if p.pos >= p.end {
		return refPart{}, p.errAt(off, "[ is not closed with ]")
	}
	switch c := p.src[p.pos]; {
	case c == '"' || c == '\'':
		ix, err = p.parseString()
	case isDigit(c) || c == '-' && p.pos+1 < p.end && isDigit(p.src[p.pos+1]):
		ix, err = p.parseNumber()
		if err == nil {
			if _, ok := ix.(*literalExpr).v.(int64); !ok {
				err = p.errAt(off+1, "an index must be an integer, a string, a boolean or a reference")
			}
		}
	case c == '$' && p.refStart(p.pos):
		var r *reference
		r, err = p.parseReference(p.pos)
		ix = &refExpr{ref: r}
	default:
		if w, ok := p.boolWord(); ok {
			ix = &literalExpr{v: w}
			break
		}
		err = p.errAt(p.pos, "unexpected %s in [ ]: an index must be an integer, a string, a boolean or a reference", p.describe(p.pos))
	}
	if err != nil {
		return refPart{}, err
	}
	p.skipSpace()
	if p.pos >= p.end || p.src[p.pos] != ']' {
		return refPart{}, p.errAt(p.pos, "expected ] to close the index, found %s", p.describe(p.pos))
	}
	p.pos++
	return refPart{kind: partIndex, off: off, index: ix}, nil
}

// boolWord consumes true or false when one stands at p.pos as a whole word.
func (p *parser) boolWord() (bool, bool) {
	if p.word("true") {
		return true, true
	}
	if p.word("false") {
		return false, true
	}
	return false, false
}

// word consumes w at p.pos if it is a whole word there.
func (p *parser) word(w string) bool {
	if !strings.HasPrefix(p.src[p.pos:p.end], w) {
		return false
	}
	if e := p.pos + len(w); e < p.end && isWordChar(p.src[e]) {
		return false
	}
	p.pos += len(w)
	return true
}

// parseParam parses what Velocity 1.7 allows as a method argument, list item, map key or
// value and #foreach source: a literal, a reference, a list, a map or a range, without
// operators. Surrounding whitespace is skipped.
func (p *parser) parseParam() (expr, error) {
	p.skipSpace()
	if p.pos >= p.end {
		return nil, p.errAt(p.pos, "unexpected end of input, expected a value")
	}
	var e expr
	var err error
	switch c := p.src[p.pos]; {
	case c == '"' || c == '\'':
		e, err = p.parseString()
	case isDigit(c) || c == '.' || c == '-':
		e, err = p.parseNumber()
	case c == '[':
		e, err = p.parseList()
	case c == '{':
		e, err = p.parseMap()
	case c == '$' && p.refStart(p.pos):
		var r *reference
		r, err = p.parseReference(p.pos)
		e = &refExpr{ref: r}
	default:
		if b, ok := p.boolWord(); ok {
			e = &literalExpr{v: b}
			break
		}
		if p.word("null") {
			return nil, p.errAt(p.pos-4, "Velocity 1.7 has no null literal; a reference that is not set, such as $null, is null")
		}
		return nil, p.errAt(p.pos, "unexpected %s, expected a literal or a reference", p.describe(p.pos))
	}
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	return e, nil
}

// parseString parses a single- or double-quoted literal at p.pos. A doubled quote stands
// for one quote; backslashes are kept as written (only \uXXXX is decoded, in double
// quotes), which is why "\\'" reaches String.replaceAll as a regex matching \'.
// Double-quoted text containing $ or # is a template of its own.
func (p *parser) parseString() (expr, error) {
	off := p.pos
	q := p.src[off]
	i := off + 1
	doubled := false
	for {
		j := strings.IndexByte(p.src[i:p.end], q)
		if j < 0 {
			return nil, p.errAt(off, "string literal is not closed")
		}
		i += j
		if i+1 < p.end && p.src[i+1] == q {
			doubled = true
			i += 2
			continue
		}
		break
	}
	content := p.src[off+1 : i]
	closeAt := i
	p.pos = i + 1
	if q == '\'' {
		if doubled {
			content = strings.ReplaceAll(content, "''", "'")
		}
		return &literalExpr{v: content}, nil
	}
	if !strings.ContainsAny(content, "$#") {
		if doubled {
			content = strings.ReplaceAll(content, `""`, `"`)
		}
		return &literalExpr{v: unescapeUnicode(content)}, nil
	}
	if err := p.enter(off); err != nil {
		return nil, err
	}
	defer p.leave()
	sub := &parser{name: p.name, src: p.src, pos: off + 1, end: closeAt, depth: p.depth}
	nodes, t, err := sub.parseBlock(true)
	if err != nil {
		return nil, err
	}
	switch t.kind {
	case termEnd:
		return nil, p.errAt(t.off, "#end has no #if, #foreach or #define to close")
	case termElse:
		return nil, p.errAt(t.off, "#else has no #if")
	case termElseIf:
		return nil, p.errAt(t.off, "#elseif has no #if")
	}
	for i, n := range nodes {
		if tn, ok := n.(*textNode); ok {
			s := tn.text
			if doubled {
				s = strings.ReplaceAll(s, `""`, `"`)
			}
			nodes[i] = &textNode{text: unescapeUnicode(s)}
		}
	}
	return &interpExpr{off: off, nodes: nodes}, nil
}

// unescapeUnicode decodes \uXXXX, the one escape Velocity 1.7 applies to double-quoted
// strings.
func unescapeUnicode(s string) string {
	if !strings.Contains(s, `\u`) {
		return s
	}
	var b strings.Builder
	var units []uint16
	flush := func() {
		if len(units) > 0 {
			b.WriteString(utf16ToString(units))
			units = units[:0]
		}
	}
	for i := 0; i < len(s); {
		if s[i] == '\\' && i+6 <= len(s) && s[i+1] == 'u' {
			if v, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				units = append(units, uint16(v))
				i += 6
				continue
			}
		}
		flush()
		_, size := utf8.DecodeRuneInString(s[i:])
		b.WriteString(s[i : i+size])
		i += size
	}
	flush()
	return b.String()
}

// parseNumber parses an integer or floating-point literal at p.pos. As in Velocity 1.7 a
// minus sign directly before a digit belongs to the number, so "5-1" is two numbers and
// a syntax error, while "5 - 1" is a subtraction.
func (p *parser) parseNumber() (expr, error) {
	off := p.pos
	i := off
	if i < p.end && p.src[i] == '-' {
		i++
	}
	digits := i
	for i < p.end && isDigit(p.src[i]) {
		i++
	}
	intDigits := i - digits
	isFloat := false
	if i < p.end && p.src[i] == '.' && !(i+1 < p.end && p.src[i+1] == '.') {
		// "1." and ".5" are floats; "1..3" is a range.
		j := i + 1
		for j < p.end && isDigit(p.src[j]) {
			j++
		}
		if intDigits > 0 || j > i+1 {
			isFloat = true
			i = j
		}
	}
	if intDigits == 0 && !isFloat {
		return nil, p.errAt(off, "unexpected %s, expected a value", p.describe(off))
	}
	if i < p.end && (p.src[i] == 'e' || p.src[i] == 'E') {
		j := i + 1
		if j < p.end && (p.src[j] == '+' || p.src[j] == '-') {
			j++
		}
		if j < p.end && isDigit(p.src[j]) {
			for j < p.end && isDigit(p.src[j]) {
				j++
			}
			isFloat = true
			i = j
		}
	}
	text := p.src[off:i]
	p.pos = i
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, p.errAt(off, "number %s is out of range", text)
		}
		return &literalExpr{v: f}, nil
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return nil, p.errAt(off, "integer %s does not fit in 64 bits", text)
	}
	return &literalExpr{v: n}, nil
}

// parseList parses [a, b] or the range [from..to] at p.pos.
func (p *parser) parseList() (expr, error) {
	off := p.pos
	if err := p.enter(off); err != nil {
		return nil, err
	}
	defer p.leave()
	p.pos++
	if p.pos < p.end && p.src[p.pos] == ']' {
		p.pos++
		return &listExpr{}, nil
	}
	first, err := p.parseParam()
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(p.src[p.pos:p.end], "..") {
		if !rangeEnd(first) {
			return nil, p.errAt(off, "a range's ends must be integers or references")
		}
		p.pos += 2
		p.skipSpace()
		to, err := p.parseParam()
		if err != nil {
			return nil, err
		}
		if !rangeEnd(to) {
			return nil, p.errAt(off, "a range's ends must be integers or references")
		}
		if p.pos >= p.end || p.src[p.pos] != ']' {
			return nil, p.errAt(p.pos, "expected ] to close the range, found %s", p.describe(p.pos))
		}
		p.pos++
		return &rangeExpr{off: off, from: first, to: to}, nil
	}
	items := []expr{first}
	for {
		if p.pos >= p.end {
			return nil, p.errAt(off, "[ is not closed with ]")
		}
		switch p.src[p.pos] {
		case ']':
			p.pos++
			return &listExpr{items: items}, nil
		case ',':
			p.pos++
			it, err := p.parseParam()
			if err != nil {
				return nil, err
			}
			items = append(items, it)
		default:
			return nil, p.errAt(p.pos, "unexpected %s in a list: Velocity 1.7 takes only literals and references there", p.describe(p.pos))
		}
	}
}

func rangeEnd(e expr) bool {
	switch x := e.(type) {
	case *refExpr:
		return true
	case *literalExpr:
		_, ok := x.v.(int64)
		return ok
	}
	return false
}

// parseMap parses {key: value, ...} at p.pos.
func (p *parser) parseMap() (expr, error) {
	off := p.pos
	if err := p.enter(off); err != nil {
		return nil, err
	}
	defer p.leave()
	p.pos++
	p.skipSpace()
	m := &mapExpr{}
	if p.pos < p.end && p.src[p.pos] == '}' {
		p.pos++
		return m, nil
	}
	for {
		k, err := p.parseParam()
		if err != nil {
			return nil, err
		}
		if p.pos >= p.end || p.src[p.pos] != ':' {
			return nil, p.errAt(p.pos, "expected : after a map key, found %s", p.describe(p.pos))
		}
		p.pos++
		v, err := p.parseParam()
		if err != nil {
			return nil, err
		}
		m.keys = append(m.keys, k)
		m.vals = append(m.vals, v)
		if p.pos >= p.end {
			return nil, p.errAt(off, "{ is not closed with }")
		}
		switch p.src[p.pos] {
		case '}':
			p.pos++
			return m, nil
		case ',':
			p.pos++
		default:
			return nil, p.errAt(p.pos, "unexpected %s in a map: Velocity 1.7 takes only literals and references there", p.describe(p.pos))
		}
	}
}

// parseExpr parses a full expression (#if, #elseif, #set's right side) with Velocity's
// precedence: || and, && and, == != eq ne, < <= > >= lt le gt ge, + -, * / %, ! not.
func (p *parser) parseExpr() (expr, error) {
	if err := p.enter(p.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	return p.parseOr()
}

func (p *parser) parseOr() (expr, error) {
	l, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		off := p.pos
		if !p.op("||") && !p.word("or") {
			return l, nil
		}
		r, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{off: off, op: opOr, l: l, r: r}
	}
}

func (p *parser) parseAnd() (expr, error) {
	l, err := p.parseEq()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		off := p.pos
		if !p.op("&&") && !p.word("and") {
			return l, nil
		}
		r, err := p.parseEq()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{off: off, op: opAnd, l: l, r: r}
	}
}

func (p *parser) parseEq() (expr, error) {
	l, err := p.parseRel()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		off := p.pos
		var op opKind
		switch {
		case p.op("==") || p.word("eq"):
			op = opEq
		case p.op("!=") || p.word("ne"):
			op = opNe
		default:
			return l, nil
		}
		r, err := p.parseRel()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{off: off, op: op, l: l, r: r}
	}
}

func (p *parser) parseRel() (expr, error) {
	l, err := p.parseAdd()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		off := p.pos
		var op opKind
		switch {
		case p.op("<=") || p.word("le"):
			op = opLe
		case p.op(">=") || p.word("ge"):
			op = opGe
		case p.op("<") || p.word("lt"):
			op = opLt
		case p.op(">") || p.word("gt"):
			op = opGt
		default:
			return l, nil
		}
		r, err := p.parseAdd()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{off: off, op: op, l: l, r: r}
	}
}

func (p *parser) parseAdd() (expr, error) {
	l, err := p.parseMul()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		off := p.pos
		var op opKind
		switch {
		case p.op("+"):
			op = opAdd
		case p.pos < p.end && p.src[p.pos] == '-' && !p.negativeNumber():
			p.pos++
			op = opSub
		default:
			return l, nil
		}
		r, err := p.parseMul()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{off: off, op: op, l: l, r: r}
	}
}

func (p *parser) parseMul() (expr, error) {
	l, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		off := p.pos
		var op opKind
		switch {
		case p.op("*"):
			op = opMul
		case p.op("/"):
			op = opDiv
		case p.op("%"):
			op = opMod
		default:
			return l, nil
		}
		r, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{off: off, op: op, l: l, r: r}
	}
}

func (p *parser) parseUnary() (expr, error) {
	p.skipSpace()
	bang := p.pos < p.end && p.src[p.pos] == '!' && !(p.pos+1 < p.end && p.src[p.pos+1] == '=')
	if bang {
		p.pos++
	}
	if bang || p.word("not") {
		if err := p.enter(p.pos); err != nil {
			return nil, err
		}
		defer p.leave()
		x, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return &notExpr{x: x}, nil
	}
	return p.parsePrimary()
}

func (p *parser) parsePrimary() (expr, error) {
	p.skipSpace()
	if p.pos >= p.end {
		return nil, p.errAt(p.pos, "unexpected end of input, expected a value")
	}
	c := p.src[p.pos]
	switch {
	case c == '(':
		off := p.pos
		p.pos++
		x, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= p.end || p.src[p.pos] != ')' {
			return nil, p.errAt(off, "( is not closed with )")
		}
		p.pos++
		return &groupExpr{x: x}, nil
	case c == '-' && !p.negativeNumber():
		return nil, p.errAt(p.pos, "Velocity 1.7 has no unary minus; write a negative number as -1, or subtract: 0 - $x")
	case c == '=':
		return nil, p.errAt(p.pos, "unexpected =; compare with ==")
	}
	return p.parseParam()
}

// negativeNumber reports whether the - at p.pos starts a number literal (-1, -.5).
func (p *parser) negativeNumber() bool {
	i := p.pos + 1
	if i < p.end && p.src[i] == '.' {
		i++
	}
	return i < p.end && isDigit(p.src[i])
}

// op consumes the operator s at p.pos.
func (p *parser) op(s string) bool {
	if !strings.HasPrefix(p.src[p.pos:p.end], s) {
		return false
	}
	p.pos += len(s) // callers try "<=" before "<" and so on

	return true
}
