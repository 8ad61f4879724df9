package vtl

import (
	"fmt"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// maxNesting bounds how deeply directives, expressions and string interpolations nest, so
// a hostile template cannot exhaust the stack while parsing.
const maxNesting = 100

// ParseError is a template syntax error at a line and column (both from 1; the column
// counts characters).
type ParseError struct {
	Name      string
	Line, Col int
	Msg       string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Line, e.Col, e.Msg)
}

// Template is a parsed template. It is immutable: Execute may run concurrently.
type Template struct {
	name  string
	src   string
	nodes []node
	// readOnly: see ReadOnly.
	readOnly bool
	// outSize is the size of the last execution's output (at most maxOutSizeHint).
	outSize atomic.Int32
}

// Name is the name given to Parse.
func (t *Template) Name() string { return t.name }

// Parse parses a Velocity template.
func Parse(name, src string) (*Template, error) {
	p := &parser{name: name, src: src, end: len(src)}
	nodes, t, err := p.parseBlock(false)
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
	return &Template{name: name, src: src, nodes: nodes, readOnly: nodesReadOnly(nodes)}, nil
}

type parser struct {
	name  string
	src   string
	pos   int
	end   int // parsing stops here: the closing quote of an interpolated string
	depth int
}

// lineCol turns a byte offset into a 1-based line and character column.
func lineCol(src string, off int) (int, int) {
	if off > len(src) {
		off = len(src)
	}
	line := 1 + strings.Count(src[:off], "\n")
	start := strings.LastIndexByte(src[:off], '\n') + 1
	return line, 1 + utf8.RuneCountInString(src[start:off])
}

func (p *parser) errAt(off int, format string, args ...any) error {
	line, col := lineCol(p.src, off)
	return &ParseError{Name: p.name, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) enter(off int) error {
	p.depth++
	if p.depth > maxNesting {
		return p.errAt(off, "nesting deeper than %d levels", maxNesting)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

type termKind uint8

const (
	termEOF termKind = iota
	termEnd
	termElse
	termElseIf
)

// term is what ended a block: the end of input, #end, #else or #elseif (with its
// condition).
type term struct {
	kind termKind
	off  int
	cond expr
}

// Directive names Velocity 1.7 recognises, for escaping (\#if) and for the clear errors
// on the ones this engine leaves out.
var (
	// controlDirectives halve a run of backslashes before them (\\#if renders \ and runs
	// the #if); #set is not one of them in Velocity 1.7.
	controlDirectives = map[string]bool{
		"if": true, "else": true, "elseif": true, "end": true, "stop": true,
		"foreach": true, "define": true, "break": true,
		"include": true, "parse": true, "macro": true, "evaluate": true, "literal": true,
	}
	unsupportedDirectives = map[string]bool{
		"include": true, "parse": true, "macro": true, "evaluate": true, "literal": true,
	}
)

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// isIdentStart and isIdentChar are Velocity 1.7's reference identifier characters: a
// letter or underscore, then letters, digits, underscores and hyphens ($partition-key is
// one name).
func isIdentStart(c byte) bool { return isLetter(c) || c == '_' }
func isIdentChar(c byte) bool  { return isLetter(c) || isDigit(c) || c == '_' || c == '-' }

// isWordChar is a directive-name character (WORD in Velocity's grammar).
func isWordChar(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' || c == '@' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// directiveWord reads the directive name after the # at off: #word or #{word}. It
// returns the name and the length of the whole token including #, or "" when there is
// none.
func (p *parser) directiveWord(off int) (string, int) {
	i := off + 1
	if i >= p.end {
		return "", 0
	}
	if p.src[i] == '{' {
		j := i + 1
		if j >= p.end || !(isLetter(p.src[j]) || p.src[j] == '_') {
			return "", 0
		}
		for j < p.end && isWordChar(p.src[j]) {
			j++
		}
		if j >= p.end || p.src[j] != '}' {
			return "", 0
		}
		return p.src[i+1 : j], j + 1 - off
	}
	c := p.src[i]
	if !(isLetter(c) || c == '_' || c == '@') {
		return "", 0
	}
	j := i + 1
	for j < p.end && isWordChar(p.src[j]) {
		j++
	}
	return p.src[i:j], j - off
}

// leftParen finds the ( that may follow a directive name after whitespace (newlines
// included, as in Velocity), or -1.
func (p *parser) leftParen(off int) int {
	for off < p.end && isSpace(p.src[off]) {
		off++
	}
	if off < p.end && p.src[off] == '(' {
		return off
	}
	return -1
}

// eatLineEnd skips the spaces, tabs and single newline that follow a directive's closing
// parenthesis, #else or #end: Velocity 1.7 does not print them. Without a newline nothing
// is skipped.
func (p *parser) eatLineEnd(off int) int {
	i := off
	for i < p.end && (p.src[i] == ' ' || p.src[i] == '\t') {
		i++
	}
	if i < p.end && p.src[i] == '\n' {
		return i + 1
	}
	if i < p.end && p.src[i] == '\r' {
		if i+1 < p.end && p.src[i+1] == '\n' {
			return i + 2
		}
		return i + 1
	}
	return off
}

// refStart reports whether a reference starts at the $ at off: $name, $!name, ${name} or
// $!{name}.
func (p *parser) refStart(off int) bool {
	i := off + 1
	if i < p.end && p.src[i] == '!' {
		i++
	}
	if i < p.end && p.src[i] == '{' {
		i++
	}
	return i < p.end && isIdentStart(p.src[i])
}

// textRun collects literal text. Velocity lexes text as maximal runs between tokens;
// #set swallows a run that is nothing but spaces and tabs, so the run since the last
// token is tracked.
type textRun struct {
	nodes *[]node
	buf   []byte
}

func (r *textRun) add(s string) { r.buf = append(r.buf, s...) }

func (r *textRun) flush() {
	if len(r.buf) > 0 {
		*r.nodes = append(*r.nodes, &textNode{text: string(r.buf)})
		r.buf = r.buf[:0]
	}
}

func (r *textRun) onlyBlanks() bool {
	for _, c := range r.buf {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// parseBlock parses statements until the end of input or a #end, #else or #elseif, which
// it consumes and reports. inString is set inside an interpolated string literal, where a
// lone $ or # at the end is text.
func (p *parser) parseBlock(inString bool) ([]node, term, error) {
	var nodes []node
	run := &textRun{nodes: &nodes}
	for p.pos < p.end {
		c := p.src[p.pos]
		switch c {
		case '$':
			if p.refStart(p.pos) {
				run.flush()
				r, err := p.parseReference(p.pos)
				if err != nil {
					return nil, term{}, err
				}
				nodes = append(nodes, &refNode{ref: r})
				p.hashesAfterProperty(r, run)
				continue
			}
			if err := p.literalDollar(run, inString); err != nil {
				return nil, term{}, err
			}
		case '\\':
			if err := p.backslashes(run, &nodes); err != nil {
				return nil, term{}, err
			}
		case '#':
			t, done, err := p.hash(run, &nodes, inString)
			if err != nil {
				return nil, term{}, err
			}
			if done {
				run.flush()
				return mergeText(nodes), t, nil
			}
		default:
			j := p.pos + 1
			for j < p.end && p.src[j] != '$' && p.src[j] != '#' && p.src[j] != '\\' {
				j++
			}
			run.add(p.src[p.pos:j])
			p.pos = j
		}
	}
	run.flush()
	return mergeText(nodes), term{kind: termEOF, off: p.pos}, nil
}

// hashesAfterProperty handles a quirk of Velocity 1.7's lexer: a ## right after a
// property ($m.k##x) is text, not a comment; after a plain name or a method call it is a
// comment.
func (p *parser) hashesAfterProperty(r *reference, run *textRun) {
	n := len(r.parts)
	if n > 0 && r.parts[n-1].kind == partProp && r.literal[len(r.literal)-1] != '}' &&
		strings.HasPrefix(p.src[p.pos:p.end], "##") {
		run.add("##")
		p.pos += 2
	}
}

// mergeText joins adjacent text nodes, which comments and flushes leave apart.
func mergeText(nodes []node) []node {
	out := nodes[:0]
	for _, n := range nodes {
		if t, ok := n.(*textNode); ok && len(out) > 0 {
			if prev, ok := out[len(out)-1].(*textNode); ok {
				out[len(out)-1] = &textNode{text: prev.text + t.text}
				continue
			}
		}
		out = append(out, n)
	}
	return out
}

// literalDollar handles a $ that does not start a reference, the way Velocity 1.7's lexer
// does: "$!" before a non-name drops the "!", and a template may not end in "$".
func (p *parser) literalDollar(run *textRun, inString bool) error {
	if next, ok := p.swallowedDollar(p.pos); ok {
		p.pos = next
		return nil
	}
	if end, ok := p.hiddenDirective(p.pos); ok {
		// "$#foreach" is not the #foreach directive to Velocity's lexer, just text.
		run.add(p.src[p.pos:end])
		p.pos = end
		return nil
	}
	i := p.pos + 1
	if i >= p.end {
		if inString {
			run.add("$")
			p.pos = i
			return nil
		}
		return p.errAt(p.pos, "the template ends with a lone $")
	}
	if p.src[i] != '!' {
		run.add("$")
		p.pos = i
		return nil
	}
	j := i + 1
	switch {
	case j >= p.end:
		if inString {
			run.add("$!")
			p.pos = j
			return nil
		}
		return p.errAt(p.pos, "the template ends with a lone $!")
	case p.src[j] == '$':
		run.add("$!")
		p.pos = j
	case p.src[j] == '{':
		run.add("$!{")
		p.pos = j + 1
	default:
		run.add("$")
		p.pos = j
	}
	return nil
}

// swallowedDollar reports whether the $ (or $!) at off goes unprinted because a control
// directive or a #* comment follows it directly: Velocity 1.7's lexer folds it into that
// token ("x$#if(true)y#end" renders "xy"). It returns where the directive starts.
func (p *parser) swallowedDollar(off int) (int, bool) {
	i := off + 1
	if i < p.end && p.src[i] == '!' {
		i++
	}
	if i+1 >= p.end || p.src[i] != '#' {
		return 0, false
	}
	if p.src[i+1] == '*' {
		return i, true
	}
	switch word, _ := p.directiveWord(i); word {
	case "if", "elseif", "else", "end", "set", "stop":
		return i, true
	}
	return 0, false
}

// hiddenDirective reports a $ directly before #foreach, #define or #break, which the lexer
// folds into a name that is no directive; it returns where that name ends.
func (p *parser) hiddenDirective(off int) (int, bool) {
	i := off + 1
	if i < p.end && p.src[i] == '!' {
		i++
	}
	if i >= p.end || p.src[i] != '#' {
		return 0, false
	}
	switch word, wlen := p.directiveWord(i); word {
	case "foreach", "define", "break":
		return i + wlen, true
	}
	return 0, false
}

// backslashes handles a run of backslashes: before a reference they are its escapes, and
// before a directive name Velocity's escaping rules apply; elsewhere they are text.
func (p *parser) backslashes(run *textRun, nodes *[]node) error {
	start := p.pos
	n := 0
	for p.pos+n < p.end && p.src[p.pos+n] == '\\' {
		n++
	}
	after := start + n
	run.flush()
	if after < p.end && p.src[after] == '$' && p.refStart(after) {
		r, err := p.parseReference(after)
		if err != nil {
			return err
		}
		*nodes = append(*nodes, &refNode{ref: r, escapes: n})
		p.hashesAfterProperty(r, run)
		return nil
	}
	if after < p.end && p.src[after] == '$' {
		if next, ok := p.swallowedDollar(after); ok {
			p.pos = next // the backslashes go with the $
			return nil
		}
	}
	if after < p.end && p.src[after] == '#' {
		word, wlen := p.directiveWord(after)
		if word != "" {
			recognized := controlDirectives[word] || word == "set"
			switch {
			case recognized && n%2 == 1:
				// \#if: half the backslashes before it, then the directive as text.
				run.add(strings.Repeat(`\`, n/2) + p.src[after:after+wlen])
				p.pos = after + wlen
			case !recognized && n%2 == 1:
				run.add(p.src[start : after+wlen])
				p.pos = after + wlen
			case controlDirectives[word]:
				// \\#if: one backslash per pair, then the directive runs.
				run.add(strings.Repeat(`\`, n/2))
				p.pos = after
			default:
				run.add(p.src[start:after])
				p.pos = after
			}
			run.flush()
			return nil
		}
	}
	run.add(p.src[start:after])
	p.pos = after
	run.flush()
	return nil
}

// hash handles #: comments, text blocks, directives, block terminators (done is then
// true) and a # that is just text.
func (p *parser) hash(run *textRun, nodes *[]node, inString bool) (term, bool, error) {
	off := p.pos
	if off+1 >= p.end {
		if inString {
			run.add("#")
			p.pos++
			return term{}, false, nil
		}
		return term{}, false, p.errAt(off, "the template ends with a lone #")
	}
	switch next := p.src[off+1]; {
	case next == '#':
		// ## comment: up to and including the end of the line.
		run.flush()
		i := strings.IndexAny(p.src[off:p.end], "\r\n")
		if i < 0 {
			p.pos = p.end
		} else {
			i += off
			if p.src[i] == '\r' && i+1 < p.end && p.src[i+1] == '\n' {
				i++
			}
			p.pos = i + 1
		}
		return term{}, false, nil
	case next == '*':
		run.flush()
		i := strings.Index(p.src[off+2:p.end], "*#")
		if i < 0 {
			return term{}, false, p.errAt(off, "#* comment is not closed with *#")
		}
		p.pos = off + 2 + i + 2
		return term{}, false, nil
	case next == '[' && off+2 < p.end && p.src[off+2] == '[':
		run.flush()
		i := strings.Index(p.src[off+3:p.end], "]]#")
		if i < 0 {
			return term{}, false, p.errAt(off, "#[[ text block is not closed with ]]#")
		}
		run.add(p.src[off+3 : off+3+i])
		run.flush()
		p.pos = off + 3 + i + 3
		return term{}, false, nil
	}

	word, wlen := p.directiveWord(off)
	if word == "" {
		run.add("#")
		p.pos++
		return term{}, false, nil
	}
	after := off + wlen
	switch word {
	case "set":
		return term{}, false, p.setDirective(run, nodes, off, after)
	case "if":
		run.flush()
		n, err := p.ifDirective(off, after)
		if err != nil {
			return term{}, false, err
		}
		*nodes = append(*nodes, n)
		return term{}, false, nil
	case "elseif":
		cond, err := p.condition(off, after, "#elseif")
		if err != nil {
			return term{}, false, err
		}
		return term{kind: termElseIf, off: off, cond: cond}, true, nil
	case "else":
		p.pos = p.eatLineEnd(after)
		return term{kind: termElse, off: off}, true, nil
	case "end":
		p.pos = p.eatLineEnd(after)
		return term{kind: termEnd, off: off}, true, nil
	case "foreach":
		run.flush()
		n, err := p.foreachDirective(off, after)
		if err != nil {
			return term{}, false, err
		}
		*nodes = append(*nodes, n)
		return term{}, false, nil
	case "define":
		run.flush()
		n, err := p.defineDirective(off, after)
		if err != nil {
			return term{}, false, err
		}
		*nodes = append(*nodes, n)
		return term{}, false, nil
	case "break":
		run.flush()
		n, err := p.breakDirective(off, after)
		if err != nil {
			return term{}, false, err
		}
		*nodes = append(*nodes, n)
		return term{}, false, nil
	case "stop":
		run.flush()
		*nodes = append(*nodes, &stopNode{off: off})
		p.pos = after
		return term{}, false, nil
	}
	if unsupportedDirectives[word] || strings.HasPrefix(word, "@") {
		if p.leftParen(after) >= 0 {
			if word[0] == '@' {
				return term{}, false, p.errAt(off, "#%s: block macro calls are not supported (API Gateway templates have no macro library)", word)
			}
			return term{}, false, p.errAt(off, "#%s is not supported: API Gateway mapping templates are a single template without macros or includes", word)
		}
	}
	// Not a directive: Velocity prints it as written, after checking its arguments.
	run.flush()
	end := after
	if lp := p.leftParen(after); lp >= 0 {
		var err error
		if end, err = p.skipDirectiveArgs(lp); err != nil {
			return term{}, false, err
		}
	}
	run.add(p.src[off:end])
	run.flush()
	p.pos = end
	return term{}, false, nil
}

// setDirective parses #set( $ref = expr ). Velocity recognises #set only when spaces
// alone separate it from its parenthesis; otherwise "#set" is text, unless other
// whitespace comes before a parenthesis, which is an error there too.
func (p *parser) setDirective(run *textRun, nodes *[]node, off, after int) error {
	i := after
	for i < p.end && p.src[i] == ' ' {
		i++
	}
	if i >= p.end || p.src[i] != '(' {
		if p.leftParen(after) >= 0 {
			return p.errAt(off, "#set must be followed by ( with only spaces between")
		}
		run.flush()
		run.add(p.src[off:after])
		run.flush()
		p.pos = after
		return nil
	}
	if run.onlyBlanks() {
		run.buf = run.buf[:0]
	}
	run.flush()
	p.pos = i + 1
	p.skipSpace()
	if p.pos >= p.end || p.src[p.pos] != '$' || !p.refStart(p.pos) {
		return p.errAt(p.pos, "#set needs a reference to assign, as in #set($name = value)")
	}
	lhs, err := p.parseReference(p.pos)
	if err != nil {
		return err
	}
	p.skipSpace()
	if p.pos >= p.end || p.src[p.pos] != '=' || (p.pos+1 < p.end && p.src[p.pos+1] == '=') {
		return p.errAt(p.pos, "#set needs = after %s", lhs.literal)
	}
	p.pos++
	rhs, err := p.parseExpr()
	if err != nil {
		return err
	}
	if err := p.closeParen("#set", off); err != nil {
		return err
	}
	*nodes = append(*nodes, &setNode{off: off, lhs: lhs, rhs: rhs})
	return nil
}

// closeParen expects the ) that closes a directive and swallows the line end after it.
func (p *parser) closeParen(what string, off int) error {
	p.skipSpace()
	if p.pos >= p.end || p.src[p.pos] != ')' {
		if p.pos >= p.end {
			return p.errAt(off, "%s is missing its closing )", what)
		}
		return p.errAt(p.pos, "%s: unexpected %s, expected )", what, p.describe(p.pos))
	}
	p.pos = p.eatLineEnd(p.pos + 1)
	return nil
}

// describe names the input at off for an error message.
func (p *parser) describe(off int) string {
	if off >= p.end {
		return "end of input"
	}
	r, _ := utf8.DecodeRuneInString(p.src[off:p.end])
	return fmt.Sprintf("%q", r)
}

// condition parses the ( expression ) after #if or #elseif.
func (p *parser) condition(off, after int, what string) (expr, error) {
	lp := p.leftParen(after)
	if lp < 0 {
		return nil, p.errAt(off, "%s must be followed by a condition in parentheses", what)
	}
	p.pos = lp + 1
	cond, err := p.parseExpr()
	if err != nil {
		return nil, err
	}
	if err := p.closeParen(what, off); err != nil {
		return nil, err
	}
	return cond, nil
}

func (p *parser) ifDirective(off, after int) (node, error) {
	if err := p.enter(off); err != nil {
		return nil, err
	}
	defer p.leave()
	cond, err := p.condition(off, after, "#if")
	if err != nil {
		return nil, err
	}
	n := &ifNode{off: off}
	for {
		body, t, err := p.parseBlock(false)
		if err != nil {
			return nil, err
		}
		n.branches = append(n.branches, ifBranch{cond: cond, body: body})
		switch t.kind {
		case termEnd:
			return n, nil
		case termElseIf:
			cond = t.cond
			continue
		case termElse:
			els, t2, err := p.parseBlock(false)
			if err != nil {
				return nil, err
			}
			switch t2.kind {
			case termEnd:
				if els == nil {
					els = []node{}
				}
				n.els = els
				return n, nil
			case termEOF:
				return nil, p.errAt(off, "#if is missing its #end")
			default:
				return nil, p.errAt(t2.off, "#else must be the last branch of its #if")
			}
		default:
			return nil, p.errAt(off, "#if is missing its #end")
		}
	}
}

// blockBody parses the body of #foreach or #define up to its #end.
func (p *parser) blockBody(off int, what string) ([]node, error) {
	body, t, err := p.parseBlock(false)
	if err != nil {
		return nil, err
	}
	switch t.kind {
	case termEnd:
		return body, nil
	case termElse:
		return nil, p.errAt(t.off, "#else has no #if (Velocity 1.7 has no #else for %s)", what)
	case termElseIf:
		return nil, p.errAt(t.off, "#elseif has no #if")
	}
	return nil, p.errAt(off, "%s is missing its #end", what)
}

func (p *parser) foreachDirective(off, after int) (node, error) {
	if err := p.enter(off); err != nil {
		return nil, err
	}
	defer p.leave()
	lp := p.leftParen(after)
	if lp < 0 {
		return nil, p.errAt(off, "#foreach must be followed by ($item in $list)")
	}
	p.pos = lp + 1
	p.skipSpace()
	if p.pos >= p.end || p.src[p.pos] != '$' || !p.refStart(p.pos) {
		return nil, p.errAt(p.pos, "#foreach needs a loop variable, as in #foreach($item in $list)")
	}
	v, err := p.parseReference(p.pos)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	// Velocity 1.7 accepts any word here; "in" is the one everybody writes.
	w := p.pos
	for p.pos < p.end && isWordChar(p.src[p.pos]) {
		p.pos++
	}
	if w == p.pos {
		return nil, p.errAt(p.pos, "#foreach needs \"in\" after %s", v.literal)
	}
	iter, err := p.parseParam()
	if err != nil {
		return nil, err
	}
	if err := p.closeParen("#foreach", off); err != nil {
		return nil, err
	}
	body, err := p.blockBody(off, "#foreach")
	if err != nil {
		return nil, err
	}
	// Velocity binds the loop to the reference's first name, whatever follows it.
	return &foreachNode{off: off, varName: v.name, iter: iter, body: body}, nil
}

func (p *parser) defineDirective(off, after int) (node, error) {
	if err := p.enter(off); err != nil {
		return nil, err
	}
	defer p.leave()
	lp := p.leftParen(after)
	if lp < 0 {
		return nil, p.errAt(off, "#define must be followed by ($name)")
	}
	p.pos = lp + 1
	p.skipSpace()
	if p.pos >= p.end || p.src[p.pos] != '$' || !p.refStart(p.pos) {
		return nil, p.errAt(p.pos, "#define needs a reference to define, as in #define($block)")
	}
	r, err := p.parseReference(p.pos)
	if err != nil {
		return nil, err
	}
	if len(r.parts) > 0 {
		return nil, p.errAt(r.off, "#define needs a plain name, not %s", r.literal)
	}
	if err := p.closeParen("#define", off); err != nil {
		return nil, err
	}
	body, err := p.blockBody(off, "#define")
	if err != nil {
		return nil, err
	}
	return &defineNode{off: off, name: r.name, body: body}, nil
}

func (p *parser) breakDirective(off, after int) (node, error) {
	lp := p.leftParen(after)
	if lp < 0 {
		p.pos = after
		return &breakNode{off: off}, nil
	}
	p.pos = lp + 1
	p.skipSpace()
	n := &breakNode{off: off}
	if p.pos < p.end && p.src[p.pos] == '$' && p.refStart(p.pos) {
		r, err := p.parseReference(p.pos)
		if err != nil {
			return nil, err
		}
		if r.name != "foreach" || len(r.parts) > 0 {
			return nil, p.errAt(r.off, "#break supports no argument or $foreach, not %s", r.literal)
		}
		n.foreachOnly = true
	}
	if err := p.closeParen("#break", off); err != nil {
		return nil, err
	}
	return n, nil
}

// skipDirectiveArgs checks the arguments of a #word( ... ) that is not a directive, as
// Velocity does before printing it, and returns the offset after its ).
func (p *parser) skipDirectiveArgs(lp int) (int, error) {
	p.pos = lp + 1
	for {
		p.skipSpace()
		if p.pos >= p.end {
			return 0, p.errAt(lp, "( is not closed")
		}
		switch c := p.src[p.pos]; {
		case c == ')':
			return p.pos + 1, nil
		case c == ',':
			p.pos++
			continue
		case isLetter(c) || c == '_':
			for p.pos < p.end && isWordChar(p.src[p.pos]) {
				p.pos++
			}
			continue
		}
		if _, err := p.parseParam(); err != nil {
			return 0, err
		}
	}
}

func (p *parser) skipSpace() {
	for p.pos < p.end && isSpace(p.src[p.pos]) {
		p.pos++
	}
}
