package javaregex

import (
	"regexp"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		pattern string // a selection pattern as a user writes it
		want    string // substring of the error; "" when the pattern is fine for both
	}{
		// What selection patterns in the guide and in practice look like.
		{``, ""},
		{`4\d{2}`, ""},
		{`5\d\d`, ""},
		{`.*Not Found.*`, ""},
		{`Malformed.*`, ""},
		{`(?s).*\[BadRequest\].*`, ""},
		{`(?i)error:.*`, ""},
		{`(?<status>4\d\d)`, ""}, // named groups are in both
		{`\Q(literal)\E.*`, ""},
		{`[+*?{}]`, ""},      // quantifier characters in a class are literals
		{`a{2,3}?`, ""},      // lazy counted repetition
		{`a+?b*?c??`, ""},    // lazy quantifiers
		{`[^]a]`, ""},        // "]" first in a negated class is a literal
		{`[[:alpha:]]+`, ""}, // POSIX class
		{`\p{Greek}\pL`, ""},
		{`\{\}`, ""},

		// Java only: Go refuses them.
		{`(?=.*\d).*`, `a lookahead "(?=" at offset 0`},
		{`^(?!ok).*`, `a negative lookahead "(?!" at offset 1`},
		{`(?<=x)y`, `a lookbehind "(?<="`},
		{`(?<!x)y`, `a negative lookbehind "(?<!"`},
		{`(?>a|ab)c`, `an atomic group "(?>"`},
		{`(a)\1`, `a backreference "\\1" at offset 3`},
		{`(?<n>a)\k<n>`, `a named backreference`},
		{`a*+b`, `a possessive quantifier "*+" at offset 1`},
		{`a++`, `a possessive quantifier "++"`},
		{`a?+`, `a possessive quantifier "?+"`},
		{`a{2}+`, `a possessive quantifier "{2}+" at offset 1`},
		{`error\Z`, `the end-of-input anchor before a final line terminator "\\Z"`},
		{`\h+`, `horizontal whitespace`},
		{`\R`, `linebreak`},
		{`\u0041`, `UTF-16 code unit escape`},
		{`\cA`, `control character`},
		{`\p{Lower}+`, `a Java character property "\\p{Lower}"`},
		{`\p{IsAlphabetic}`, `Java character property`},
		{`\P{javaLowerCase}`, `Java character property`},
		{`(?x) a b`, `an inline flag Go does not have "(?x"`},
		{`(?#comment)a`, `a comment group`},
		{`(?P<n>a)`, `Python-style named group`},

		// Java only, and Go would parse them with another meaning.
		{`(a)\12`, `a backreference "\\1"`},
		{`(?U)\w+`, `the inline flag U`},
		{`(?iU)x`, `the inline flag U`},
		{`[a-z&&[^aeiou]]`, `a character class intersection "&&" at offset 4`},
		{`[a[b]]`, `a nested character class (a union) "[" at offset 2`},
		{`[\Q]\E]`, `a quoted span inside a character class`},

		// Neither: Go's own complaint.
		{`(unclosed`, "is not a valid regular expression: missing closing )"},
		{`*a`, "is not a valid regular expression: missing argument to repetition operator"},
		{`a**`, "invalid nested repetition operator"},
		{`\`, "trailing backslash"},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			err := Check(tt.pattern)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Check(%q) = %v, want nil", tt.pattern, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Check(%q) = %v, want it to contain %q", tt.pattern, err, tt.want)
			}
		})
	}
}

func TestScanFindsEveryConstruct(t *testing.T) {
	got := Scan(`(?=a)b*+\1`)
	want := []string{"(?=", "*+", `\1`}
	if len(got) != len(want) {
		t.Fatalf("Scan = %v, want %d constructs", got, len(want))
	}
	for i, c := range got {
		if c.Text != want[i] {
			t.Errorf("construct %d = %q, want %q", i, c.Text, want[i])
		}
	}
}

// FuzzCheck: Check never panics, and what it accepts Go compiles.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{``, `4\d{2}`, `(?=x)`, `a{2}+`, `[a&&b]`, `\Q[\E`, `(?iU)`, `\p{L`, `[[:x`, `{`, `a{1,`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		err := Check(p)
		if err == nil {
			if _, cerr := regexp.Compile(p); cerr != nil {
				t.Fatalf("Check(%q) = nil, but Go refuses it: %v", p, cerr)
			}
		}
		for _, c := range Scan(p) {
			if c.Offset < 0 || c.Offset >= len(p) || !strings.HasPrefix(p[c.Offset:], c.Text) {
				t.Fatalf("Scan(%q): construct %+v is not at its offset", p, c)
			}
		}
	})
}
