package vtl

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// Java strings are UTF-16: length(), indexOf() and substring() count 16-bit units, so
// "😀".length() is 2. jstr gives a string those indices, converting only strings that are
// not ASCII.

type jstr struct {
	s     string
	units []uint16 // nil when s is ASCII, where byte and unit indices agree
}

func newJstr(s string) jstr {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return jstr{s: s, units: utf16.Encode([]rune(s))}
		}
	}
	return jstr{s: s}
}

func (j jstr) length() int {
	if j.units == nil {
		return len(j.s)
	}
	return len(j.units)
}

func (j jstr) sub(from, to int) string {
	if j.units == nil {
		return j.s[from:to]
	}
	return utf16ToString(j.units[from:to])
}

func (j jstr) unit(i int) uint16 {
	if j.units == nil {
		return uint16(j.s[i])
	}
	return j.units[i]
}

// index converts a byte offset in s into a unit index.
func (j jstr) index(byteOff int) int {
	if j.units == nil || byteOff < 0 {
		return byteOff
	}
	n := 0
	for _, r := range j.s[:byteOff] {
		n += utf16.RuneLen(r)
	}
	return n
}

// byteOff converts a unit index into a byte offset, rounding into the rune it splits.
func (j jstr) byteOff(unit int) int {
	if j.units == nil {
		return unit
	}
	n := 0
	for i, r := range j.s {
		if n >= unit {
			return i
		}
		n += utf16.RuneLen(r)
	}
	return len(j.s)
}

func utf16ToString(u []uint16) string { return string(utf16.Decode(u)) }

// javaIndexOf is String.indexOf(str, from) in units.
func javaIndexOf(s jstr, sub string, from int) int {
	if from < 0 {
		from = 0
	}
	if from > s.length() {
		if sub == "" {
			return s.length()
		}
		return -1
	}
	b := s.byteOff(from)
	i := strings.Index(s.s[b:], sub)
	if i < 0 {
		return -1
	}
	return s.index(b + i)
}

// javaLastIndexOf is String.lastIndexOf(str, from) in units.
func javaLastIndexOf(s jstr, sub string, from int) int {
	if from < 0 {
		return -1
	}
	subLen := newJstr(sub).length()
	if from > s.length()-subLen {
		from = s.length() - subLen
	}
	if from < 0 {
		return -1
	}
	end := s.byteOff(from) + len(sub)
	if end > len(s.s) {
		end = len(s.s)
	}
	i := strings.LastIndex(s.s[:end], sub)
	if i < 0 {
		return -1
	}
	return s.index(i)
}

// javaTrim is String.trim(): it strips characters up to U+0020 from both ends.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// javaCompare is String.compareTo: the difference of the first differing units, or of
// the lengths.
func javaCompare(a, b string) int64 {
	ja, jb := newJstr(a), newJstr(b)
	n := min(ja.length(), jb.length())
	for i := 0; i < n; i++ {
		if x, y := ja.unit(i), jb.unit(i); x != y {
			return int64(x) - int64(y)
		}
	}
	return int64(ja.length() - jb.length())
}

// javaHashCode is String.hashCode.
func javaHashCode(s string) int64 {
	j := newJstr(s)
	var h int32
	for i := 0; i < j.length(); i++ {
		h = 31*h + int32(j.unit(i))
	}
	return int64(h)
}

// Regular expressions: templates use Java's syntax (replaceAll, split, matches). Go's RE2
// accepts the common subset; constructs it lacks (lookaround, backreferences, possessive
// quantifiers) fail with an error naming the pattern rather than matching differently.

var (
	regexCache   sync.Map // pattern -> *regexp.Regexp
	regexEntries int
	regexMu      sync.Mutex
)

const regexCacheMax = 512

func compileJavaRegex(pattern string) (*regexp.Regexp, error) {
	if re, ok := regexCache.Load(pattern); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("regular expression %q: %v (Java regex features that Go's RE2 lacks, such as lookaround and backreferences, are not supported)", pattern, err)
	}
	regexMu.Lock()
	if regexEntries < regexCacheMax {
		regexEntries++
		regexCache.Store(pattern, re)
	}
	regexMu.Unlock()
	return re, nil
}

// javaReplacement turns a Java replacement string ($1, ${name}, \$ for a literal $) into
// Go's Expand syntax.
func javaReplacement(repl string, re *regexp.Regexp) (string, error) {
	if !strings.ContainsAny(repl, `$\`) {
		return repl, nil
	}
	var b strings.Builder
	groups := re.NumSubexp()
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		switch c {
		case '\\':
			i++
			if i >= len(repl) {
				return "", fmt.Errorf("replacement %q ends with a lone backslash", repl)
			}
			if repl[i] == '$' {
				b.WriteString("$$")
			} else {
				b.WriteByte(repl[i])
			}
		case '$':
			i++
			if i >= len(repl) {
				return "", fmt.Errorf("replacement %q: illegal group reference", repl)
			}
			if repl[i] == '{' {
				end := strings.IndexByte(repl[i:], '}')
				if end < 0 {
					return "", fmt.Errorf("replacement %q: group name is not closed", repl)
				}
				name := repl[i+1 : i+end]
				if re.SubexpIndex(name) < 0 {
					return "", fmt.Errorf("replacement %q: no group named %q", repl, name)
				}
				b.WriteString("${" + name + "}")
				i += end
				continue
			}
			if !isDigit(repl[i]) {
				return "", fmt.Errorf("replacement %q: illegal group reference", repl)
			}
			// Java takes further digits only while they still name an existing group.
			n := int(repl[i] - '0')
			for i+1 < len(repl) && isDigit(repl[i+1]) {
				m := n*10 + int(repl[i+1]-'0')
				if m > groups {
					break
				}
				n = m
				i++
			}
			if n > groups {
				return "", fmt.Errorf("replacement %q: no group %d", repl, n)
			}
			b.WriteString("${" + strconv.Itoa(n) + "}")
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// javaReplace is replaceAll (all=true) and replaceFirst.
func (s *state) javaReplace(str, pattern, repl string, all bool) (string, error) {
	re, err := compileJavaRegex(pattern)
	if err != nil {
		return "", err
	}
	tmpl, err := javaReplacement(repl, re)
	if err != nil {
		return "", err
	}
	if lit, complete := re.LiteralPrefix(); complete && lit != "" && !strings.Contains(str, lit) {
		// A literal pattern that does not occur, like the guide's .replaceAll("\\'", "'") on
		// most values: nothing to replace, no regular expression to run.
		return str, nil
	}
	limit := 1
	if all {
		limit = -1
	}
	matches := re.FindAllStringSubmatchIndex(str, limit)
	if len(matches) == 0 {
		return str, nil
	}
	// Bound the result before building it: many matches times a long replacement.
	if est := len(str) + len(matches)*(len(tmpl)+1); est > s.lim.MaxOutputBytes {
		if err := s.alloc(est); err != nil {
			return "", err
		}
	}
	var out []byte
	last := 0
	for _, m := range matches {
		out = append(out, str[last:m[0]]...)
		out = re.ExpandString(out, tmpl, str, m)
		last = m[1]
		if len(out) > s.lim.MaxOutputBytes {
			return "", limitErr("replaceAll result larger than %d bytes", s.lim.MaxOutputBytes)
		}
	}
	out = append(out, str[last:]...)
	return string(out), s.alloc(len(out))
}

// javaSplit is String.split(regex, limit), trailing empty strings removed when limit is 0
// and no empty leading string for a zero-width match at the start.
func javaSplit(str, pattern string, limit int) ([]any, error) {
	re, err := compileJavaRegex(pattern)
	if err != nil {
		return nil, err
	}
	var parts []any
	index := 0
	for _, m := range re.FindAllStringIndex(str, -1) {
		if limit > 0 && len(parts) >= limit-1 {
			break
		}
		if index == 0 && m[0] == 0 && m[1] == 0 {
			continue
		}
		parts = append(parts, str[index:m[0]])
		index = m[1]
	}
	if index == 0 && len(parts) == 0 {
		return []any{str}, nil
	}
	parts = append(parts, str[index:])
	if limit == 0 {
		for len(parts) > 0 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1]
		}
	}
	return parts, nil
}

func javaMatches(str, pattern string) (bool, error) {
	re, err := compileJavaRegex(`\A(?:` + pattern + `)\z`)
	if err != nil {
		return false, err
	}
	return re.MatchString(str), nil
}
