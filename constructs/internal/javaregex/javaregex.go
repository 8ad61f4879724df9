// Package javaregex checks regular expressions that API Gateway compiles as Java patterns
// (java.util.regex.Pattern) against Go's regexp package, which the local runner matches them
// with.
//
// The two syntaxes share most of what selection patterns use ("4\d{2}", ".*Not Found.*",
// "(?s).*error.*"), but Java has constructs RE2 lacks by design (lookaround, backreferences,
// possessive quantifiers, atomic groups) and a few that Go parses with another meaning: "\12" is a
// backreference in Java and an octal escape in Go, "(?U)" selects Unicode classes in Java and
// ungreedy matching in Go, and "[a-z&&[^e]]" is an intersection in Java but a set of literal
// characters in Go. Check names such a construct instead of only quoting Go's parse error, so
// that a user knows the pattern is valid for API Gateway but cannot be served as written.
package javaregex

import (
	"fmt"
	"regexp"
	"strings"
)

// Construct is one Java-only construct found in a pattern.
type Construct struct {
	// Offset is the byte offset in the pattern where the construct starts.
	Offset int
	// Text is the construct as written, e.g. "(?=" or "*+".
	Text string
	// What names it, e.g. "a lookahead".
	What string
}

func (c Construct) String() string {
	return fmt.Sprintf("%s %q at offset %d", c.What, c.Text, c.Offset)
}

// Check returns nil when p is a Go regular expression that means what it means in Java. Otherwise
// the error names the first Java-only construct p uses or, if it uses none, Go's parse error.
func Check(p string) error {
	if found := Scan(p); len(found) > 0 {
		return fmt.Errorf("uses %s, a Java regular expression feature that Go's RE2 syntax does not have (or reads differently); rewrite it without, e.g. as an alternation or a character class", found[0])
	}
	if _, err := regexp.Compile(p); err != nil {
		return fmt.Errorf("is not a valid regular expression: %v", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	return nil
}

// javaOnlyEscapes are escapes Java has and Go refuses, by the letter after the backslash.
var javaOnlyEscapes = map[byte]string{
	'Z': `the end-of-input anchor before a final line terminator`,
	'G': `the end-of-previous-match anchor`,
	'R': `the linebreak matcher`,
	'X': `the grapheme cluster matcher`,
	'h': `the horizontal whitespace class`,
	'H': `the non-horizontal-whitespace class`,
	'V': `the non-vertical-whitespace class`,
	'e': `the escape character escape`,
	'c': `a control character escape`,
	'u': `a UTF-16 code unit escape (write \x{...} in Go)`,
	'N': `a named character escape`,
	'k': `a named backreference`,
}

// goFlags are the inline flags Go knows. Java also has d, u, x and c; its U means
// UNICODE_CHARACTER_CLASS, where Go's means ungreedy.
const goFlags = "ims"

// Scan returns every Java-only construct of p in order. It reads p as Java would, skipping
// escaped characters and quoted spans (\Q...\E), and treats character classes apart, so that a
// "+" inside "[+*]" is not taken for a quantifier.
func Scan(p string) []Construct {
	var found []Construct
	add := func(at int, text, what string) {
		found = append(found, Construct{Offset: at, Text: text, What: what})
	}
	classDepth := 0
	classStart := -1 // offset of the outermost "[" of the class being read
	// quantStart is the offset of the quantifier just read, -1 after anything else: a "+"
	// right after a quantifier makes it possessive, a "?" lazy.
	quantStart := -1
	for i := 0; i < len(p); i++ {
		c := p[i]
		prevQuant := quantStart
		quantStart = -1
		switch {
		case c == '\\':
			if i+1 >= len(p) {
				return found // a trailing backslash: Go's parser reports it
			}
			e := p[i+1]
			switch {
			case e == 'Q':
				end := strings.Index(p[i+2:], `\E`)
				if classDepth > 0 {
					add(i, `\Q`, `a quoted span inside a character class`)
				}
				if end < 0 {
					return found
				}
				i += 2 + end + 1
				continue
			case classDepth == 0 && e >= '1' && e <= '9':
				add(i, p[i:i+2], "a backreference")
			case e == 'p' || e == 'P':
				if name, n := propertyName(p[i+2:]); n > 0 {
					if _, err := regexp.Compile(`\p{` + name + `}`); err != nil {
						add(i, p[i:i+2+n], "a Java character property")
					}
					i += 1 + n
					continue
				}
			default:
				if what, ok := javaOnlyEscapes[e]; ok {
					add(i, p[i:i+2], what)
				}
			}
			i++
		case classDepth > 0:
			switch {
			case c == '[' && strings.HasPrefix(p[i:], "[:"):
				// A POSIX class in Go; Java reads "[:" as literal characters. Go refuses
				// unknown names itself.
				if end := strings.Index(p[i:], ":]"); end > 0 {
					i += end + 1
				}
			case c == '[':
				if classDepth == 1 {
					add(i, "[", "a nested character class (a union)")
				}
				classDepth++
			case c == ']' && i > classStart+1 && !(i == classStart+2 && p[classStart+1] == '^'):
				classDepth--
			case c == '&' && strings.HasPrefix(p[i:], "&&"):
				add(i, "&&", "a character class intersection")
				i++
			}
		case c == '[':
			classDepth, classStart = 1, i
		case c == '(' && strings.HasPrefix(p[i:], "(?"):
			rest := p[i+2:]
			switch {
			case strings.HasPrefix(rest, "="):
				add(i, "(?=", "a lookahead")
			case strings.HasPrefix(rest, "!"):
				add(i, "(?!", "a negative lookahead")
			case strings.HasPrefix(rest, "<="):
				add(i, "(?<=", "a lookbehind")
			case strings.HasPrefix(rest, "<!"):
				add(i, "(?<!", "a negative lookbehind")
			case strings.HasPrefix(rest, ">"):
				add(i, "(?>", "an atomic group")
			case strings.HasPrefix(rest, "#"):
				add(i, "(?#", "a comment group")
			case strings.HasPrefix(rest, "P<"):
				add(i, "(?P<", "a Python-style named group, which Java refuses (write (?<name>...))")
			default:
				for j := 0; j < len(rest) && rest[j] != ')' && rest[j] != ':' && rest[j] != '<'; j++ {
					f := rest[j]
					if f == '-' || strings.IndexByte(goFlags, f) >= 0 {
						continue
					}
					what := "an inline flag Go does not have"
					if f == 'U' {
						what = "the inline flag U, which means Unicode character classes in Java but ungreedy matching in Go"
					}
					add(i, "(?"+rest[:j+1], what)
					break
				}
			}
			i++ // past "?", so that it is not read as a quantifier
		case c == '*' || c == '+' || c == '?':
			if prevQuant >= 0 {
				// A modifier of the quantifier before: "+" possessive, "?" lazy (both
				// languages); anything else is a nested repetition Go's parser reports.
				if c == '+' {
					add(prevQuant, p[prevQuant:i+1], "a possessive quantifier")
				}
				continue
			}
			quantStart = i
		case c == '{':
			if end := repetitionEnd(p[i:]); end > 0 {
				quantStart = i
				i += end
			}
		}
	}
	return found
}

// propertyName reads the name after "\p" or "\P": one letter, or a name in braces. n is how
// many bytes it took, 0 when there is none.
func propertyName(s string) (name string, n int) {
	if s == "" {
		return "", 0
	}
	if s[0] != '{' {
		return s[:1], 1
	}
	end := strings.IndexByte(s, '}')
	if end < 0 {
		return "", 0
	}
	return s[1:end], end + 1
}

// repetitionEnd returns the offset of the "}" closing a counted repetition that starts s
// ("{2}", "{2,}", "{2,5}"), or 0 when s does not start one.
func repetitionEnd(s string) int {
	j := 1
	digits := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
		digits++
	}
	if digits == 0 || j >= len(s) {
		return 0
	}
	if s[j] == ',' {
		j++
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
	}
	if j < len(s) && s[j] == '}' {
		return j
	}
	return 0
}
