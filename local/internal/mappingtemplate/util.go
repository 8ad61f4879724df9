package mappingtemplate

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gatehouse-dev/gatehouse/local/internal/vtl"
)

// util is $util. Each function takes one argument; a value that is not a string is used
// through its text, and null gives null (the reference then prints as written).
type util struct{}

func (util) String() string { return "$util" }

func (util) Property(string) (any, bool) { return nil, false }

func (util) Call(method string, args []any) (any, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("%w: $util.%s with %d arguments", vtl.ErrUnknownMethod, method, len(args))
	}
	if args[0] == nil {
		switch method {
		case "escapeJavaScript", "parseJson", "urlEncode", "urlDecode", "base64Encode", "base64Decode":
			return nil, nil
		}
	}
	s, err := vtl.String(args[0])
	if err != nil {
		return nil, err
	}
	switch method {
	case "escapeJavaScript":
		e := escapeJavaScript(s)
		if _, ok := args[0].(string); ok && len(e) == len(s) {
			return args[0], nil // nothing to escape: the value as given, without boxing a copy
		}
		return e, nil
	case "parseJson":
		v, err := vtl.ParseJSON([]byte(s))
		if err != nil {
			return nil, fmt.Errorf("$util.parseJson: %w", err)
		}
		return v, nil
	case "urlEncode":
		return urlEncode(s), nil
	case "urlDecode":
		return urlDecode(s)
	case "base64Encode":
		return base64.StdEncoding.EncodeToString([]byte(s)), nil
	case "base64Decode":
		return base64Decode(s)
	}
	return nil, fmt.Errorf("%w: $util.%s", vtl.ErrUnknownMethod, method)
}

// escapeJavaScript escapes as Apache Commons Lang 2's StringEscapeUtils.escapeJavaScript,
// whose behaviour the guide describes: quotes (single ones too, as \'), backslash and
// slash get a backslash; \b \f \n \r \t their escapes; other control characters and
// everything above U+007F \uXXXX escapes of their UTF-16 units, in upper case.
func escapeJavaScript(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		c := s[i]
		clean = c >= 0x20 && c <= 0x7e && c != '\'' && c != '"' && c != '\\' && c != '/'
	}
	if clean {
		return s // most values need no escape: no copy
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	const hex = "0123456789ABCDEF"
	unit := func(u uint16) {
		b.WriteString(`\u`)
		b.WriteByte(hex[u>>12])
		b.WriteByte(hex[u>>8&0xf])
		b.WriteByte(hex[u>>4&0xf])
		b.WriteByte(hex[u&0xf])
	}
	for _, r := range s {
		switch {
		case r == '\'' || r == '"' || r == '\\' || r == '/':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			unit(uint16(r))
		case r <= 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			hi, lo := utf16.EncodeRune(r)
			unit(uint16(hi))
			unit(uint16(lo))
		default:
			unit(uint16(r))
		}
	}
	return b.String()
}

// urlEncode is Java's URLEncoder.encode(s, "UTF-8") (application/x-www-form-urlencoded):
// letters, digits and . - * _ stay, a space becomes +, every other byte %XX.
func urlEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '*', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
	}
	return b.String()
}

// urlDecode is Java's URLDecoder.decode(s, "UTF-8"): + is a space, %XX a byte; a
// malformed escape is an error, bytes that are not UTF-8 become U+FFFD.
func urlDecode(s string) (string, error) {
	if !strings.ContainsAny(s, "+%") {
		return s, nil
	}
	buf := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			buf = append(buf, ' ')
		case '%':
			if i+2 >= len(s) {
				return "", fmt.Errorf("$util.urlDecode: incomplete trailing escape (%%) in %q", s)
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return "", fmt.Errorf("$util.urlDecode: illegal hex characters in escape (%%) %q", s[i:i+3])
			}
			buf = append(buf, hi<<4|lo)
			i += 2
		default:
			buf = append(buf, c)
		}
	}
	if !utf8.Valid(buf) {
		return string([]rune(string(buf))), nil
	}
	return string(buf), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// base64Decode decodes standard base64 (padding optional) and reads the bytes as UTF-8,
// the guide's default character set.
func base64Decode(s string) (string, error) {
	trimmed := strings.TrimRight(s, "=")
	b, err := base64.RawStdEncoding.DecodeString(trimmed)
	if err != nil {
		return "", fmt.Errorf("$util.base64Decode: %q is not base64: %v", s, err)
	}
	if !utf8.Valid(b) {
		return string([]rune(string(b))), nil
	}
	return string(b), nil
}
