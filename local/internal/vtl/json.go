package vtl

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// ParseJSON decodes JSON into template values: objects become *Map (keys in document
// order; a repeated key keeps its first position and its last value), arrays *List,
// integers that fit int64 become int64, other numbers float64. Lists decoded here print
// as JSON text, as API Gateway prints the arrays $input.path returns.
func ParseJSON(data []byte) (any, error) {
	// One string for the whole document: keys, strings without escapes and number texts
	// are slices of it rather than allocations of their own. Cut at ASCII quotes, a slice of
	// valid UTF-8 is valid UTF-8 too.
	d := &jsonDecoder{data: data, text: string(data), valid: utf8.Valid(data),
		keys: make([]string, 0, 16), vals: make([]any, 0, 16), items: make([]any, 0, 8),
		slab: min(max(len(data)/16, 8), 256)}
	d.space()
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.space()
	if d.pos < len(d.data) {
		return nil, d.errorf("unexpected %s after the JSON value", d.describe())
	}
	return v, nil
}

type jsonDecoder struct {
	data  []byte
	text  string // data as a string
	valid bool   // data is valid UTF-8
	pos   int

	// The members of the objects and the items of the arrays being decoded, innermost last:
	// a Map or List is made once its end is reached, at its final size.
	keys  []string
	vals  []any
	items []any

	// The finished maps and lists, and their keys and values, are cut from slabs of slab
	// entries (sized by the document) rather than allocated one by one. Each gets a slice
	// whose capacity ends where its entries do, so growing one never writes into another.
	slab    int
	maps    []Map
	lists   []List
	keySlab []string
	valSlab []any
}

// newMap makes the finished object of keys and vals.
func (d *jsonDecoder) newMap(keys []string, vals []any) *Map {
	if len(d.maps) == 0 {
		d.maps = make([]Map, max(d.slab/8, 2))
	}
	m := &d.maps[0]
	d.maps = d.maps[1:]
	if len(keys) > len(d.keySlab) {
		d.keySlab = make([]string, max(d.slab, len(keys)))
	}
	m.keys = d.keySlab[:len(keys):len(keys)]
	d.keySlab = d.keySlab[len(keys):]
	copy(m.keys, keys)
	m.vals = d.values(vals)
	m.reindex()
	return m
}

// newList makes the finished array of items.
func (d *jsonDecoder) newList(items []any) *List {
	if len(d.lists) == 0 {
		d.lists = make([]List, max(d.slab/16, 2))
	}
	l := &d.lists[0]
	d.lists = d.lists[1:]
	l.items, l.json = d.values(items), true
	return l
}

func (d *jsonDecoder) values(vals []any) []any {
	if len(vals) > len(d.valSlab) {
		d.valSlab = make([]any, max(d.slab, len(vals)))
	}
	out := d.valSlab[:len(vals):len(vals)]
	d.valSlab = d.valSlab[len(vals):]
	copy(out, vals)
	return out
}

func (d *jsonDecoder) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at offset %d: %s", d.pos, fmt.Sprintf(format, args...))
}

func (d *jsonDecoder) describe() string {
	if d.pos >= len(d.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(d.data[d.pos:])
	return fmt.Sprintf("character %q", r)
}

func (d *jsonDecoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *jsonDecoder) value(depth int) (any, error) {
	if depth > maxValueDepth {
		return nil, d.errorf("nested deeper than %d levels", maxValueDepth)
	}
	if d.pos >= len(d.data) {
		return nil, d.errorf("unexpected end of input")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		d.pos++
		d.space()
		if d.pos < len(d.data) && d.data[d.pos] == '}' {
			d.pos++
			return NewMap(), nil
		}
		base := len(d.keys) // members above base are this object's; a failed parse leaves them
		for {
			d.space()
			if d.pos >= len(d.data) || d.data[d.pos] != '"' {
				return nil, d.errorf("unexpected %s, expected a string key", d.describe())
			}
			k, err := d.str()
			if err != nil {
				return nil, err
			}
			d.space()
			if d.pos >= len(d.data) || d.data[d.pos] != ':' {
				return nil, d.errorf("unexpected %s, expected :", d.describe())
			}
			d.pos++
			d.space()
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			d.member(base, k, v)
			d.space()
			if d.pos >= len(d.data) {
				return nil, d.errorf("unexpected end of input in an object")
			}
			if d.data[d.pos] == ',' {
				d.pos++
				continue
			}
			if d.data[d.pos] == '}' {
				d.pos++
				m := d.newMap(d.keys[base:], d.vals[base:])
				d.popMembers(base)
				return m, nil
			}
			return nil, d.errorf("unexpected %s, expected , or }", d.describe())
		}
	case c == '[':
		d.pos++
		d.space()
		if d.pos < len(d.data) && d.data[d.pos] == ']' {
			d.pos++
			return &List{json: true}, nil
		}
		base := len(d.items)
		for {
			d.space()
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			d.items = append(d.items, v)
			d.space()
			if d.pos >= len(d.data) {
				return nil, d.errorf("unexpected end of input in an array")
			}
			if d.data[d.pos] == ',' {
				d.pos++
				continue
			}
			if d.data[d.pos] == ']' {
				d.pos++
				l := d.newList(d.items[base:])
				d.popItems(base)
				return l, nil
			}
			return nil, d.errorf("unexpected %s, expected , or ]", d.describe())
		}
	case c == '"':
		return d.str()
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	}
	for _, lit := range []struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if len(d.data)-d.pos >= len(lit.text) && string(d.data[d.pos:d.pos+len(lit.text)]) == lit.text {
			d.pos += len(lit.text)
			return lit.v, nil
		}
	}
	return nil, d.errorf("unexpected %s, expected a JSON value", d.describe())
}

// member adds k: v to the object whose members start at base. A repeated key keeps its first
// position and takes the last value, as Map.Put does.
func (d *jsonDecoder) member(base int, k string, v any) {
	for i := base; i < len(d.keys); i++ {
		if d.keys[i] == k {
			d.vals[i] = v
			return
		}
	}
	d.keys = append(d.keys, k)
	d.vals = append(d.vals, v)
}

// popMembers and popItems drop a finished object's members and array's items, clearing the
// values so the stacks do not keep them alive.
func (d *jsonDecoder) popMembers(base int) {
	clear(d.vals[base:])
	d.keys, d.vals = d.keys[:base], d.vals[:base]
}

func (d *jsonDecoder) popItems(base int) {
	clear(d.items[base:])
	d.items = d.items[:base]
}

func (d *jsonDecoder) number() (any, error) {
	start := d.pos
	if d.data[d.pos] == '-' {
		d.pos++
	}
	digits := func() int {
		n := 0
		for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
			d.pos++
			n++
		}
		return n
	}
	intStart := d.pos
	if n := digits(); n == 0 || (n > 1 && d.data[intStart] == '0') {
		d.pos = intStart
		return nil, d.errorf("malformed number")
	}
	isFloat := false
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if digits() == 0 {
			return nil, d.errorf("malformed number: a digit must follow the point")
		}
		isFloat = true
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if digits() == 0 {
			return nil, d.errorf("malformed number: a digit must follow the exponent")
		}
		isFloat = true
	}
	text := d.text[start:d.pos]
	if !isFloat {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return n, nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !math.IsInf(f, 0) {
		return nil, d.errorf("malformed number %s", text)
	}
	return f, nil
}

func (d *jsonDecoder) str() (string, error) {
	d.pos++ // opening quote
	start := d.pos
	// Fast path: no escapes and valid UTF-8.
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c == '"' {
			s := d.text[start:d.pos]
			d.pos++
			if d.valid || utf8.ValidString(s) {
				return s, nil
			}
			return string([]rune(s)), nil // invalid bytes become U+FFFD
		}
		if c == '\\' || c < 0x20 {
			break
		}
		d.pos++
	}
	buf := append([]byte(nil), d.data[start:d.pos]...)
	for {
		if d.pos >= len(d.data) {
			return "", d.errorf("string is not closed")
		}
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			if !utf8.Valid(buf) {
				return string([]rune(string(buf))), nil
			}
			return string(buf), nil
		case c < 0x20:
			return "", d.errorf("control character %#x in a string", c)
		case c != '\\':
			buf = append(buf, c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.data) {
			return "", d.errorf("string is not closed")
		}
		e := d.data[d.pos+1]
		d.pos += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return "", d.errorf("malformed \\u escape")
			}
			if utf16.IsSurrogate(r) {
				// A pair \uD83D\uDE00 is one character; a lone surrogate becomes U+FFFD.
				save := d.pos
				if d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
					d.pos += 2
					if r2, ok := d.hex4(); ok {
						if c := utf16.DecodeRune(r, r2); c != utf8.RuneError {
							buf = utf8.AppendRune(buf, c)
							continue
						}
					}
				}
				d.pos = save
				r = utf8.RuneError
			}
			buf = utf8.AppendRune(buf, r)
		default:
			d.pos -= 2
			return "", d.errorf("invalid escape \\%c", e)
		}
	}
}

func (d *jsonDecoder) hex4() (rune, bool) {
	if d.pos+4 > len(d.data) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(d.data[d.pos:d.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	d.pos += 4
	return rune(v), true
}

// JSON encodes a value as compact JSON: maps as objects, lists as arrays, other values
// (host objects, #define blocks) as strings of their text. Floats are written as Java
// writes doubles (10.0, 1.0E-4), as API Gateway's $input.json does.
func JSON(v any) (string, error) {
	b := &jsonBuilder{strBuilder: &strBuilder{max: DefaultLimits().MaxOutputBytes}}
	b.json(normalize(v), 0)
	return string(b.buf), b.err
}

// json is JSON within the execution's limits.
func (s *state) json(v any) (string, error) {
	b := &jsonBuilder{strBuilder: &strBuilder{max: s.lim.MaxOutputBytes, s: s}}
	b.json(v, 0)
	if b.err != nil {
		return "", b.err
	}
	return string(b.buf), s.alloc(len(b.buf))
}

type jsonBuilder struct {
	*strBuilder
}

func (b *jsonBuilder) json(v any, depth int) {
	if b.err != nil {
		return
	}
	if depth > maxValueDepth {
		b.err = limitErr("a value nested deeper than %d levels", maxValueDepth)
		return
	}
	switch x := v.(type) {
	case nil:
		b.add("null")
	case bool:
		b.add(strconv.FormatBool(x))
	case int64:
		b.add(strconv.FormatInt(x, 10))
	case float64:
		b.add(javaDouble(x))
	case string:
		b.quote(x)
	case *Map, map[string]any:
		b.add("{")
		for i, k := range mapKeys(x) {
			if i > 0 {
				b.add(",")
			}
			b.quote(k)
			b.add(":")
			val, _ := mapGet(x, k)
			b.json(val, depth+1)
		}
		b.add("}")
	case *List, []any:
		b.add("[")
		for i, it := range listItems(x) {
			if i > 0 {
				b.add(",")
			}
			b.json(normalize(it), depth+1)
		}
		b.add("]")
	default:
		sb := &strBuilder{max: b.max, s: b.s}
		sb.value(v, depth)
		if sb.err != nil {
			b.err = sb.err
			return
		}
		b.quote(string(sb.buf))
	}
}

const hexDigits = "0123456789abcdef"

func (b *jsonBuilder) quote(s string) {
	b.add(`"`)
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b.add(s[start:i])
		switch c {
		case '"':
			b.add(`\"`)
		case '\\':
			b.add(`\\`)
		case '\n':
			b.add(`\n`)
		case '\r':
			b.add(`\r`)
		case '\t':
			b.add(`\t`)
		case '\b':
			b.add(`\b`)
		case '\f':
			b.add(`\f`)
		default:
			b.add(`\u00` + string(hexDigits[c>>4]) + string(hexDigits[c&0xf]))
		}
		start = i + 1
	}
	b.add(s[start:])
	b.add(`"`)
}
