package vtl

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// String returns a value's text the way a template prints it (Java's toString): numbers
// as Java prints them (1.0, 1.0E-4), maps as {a=1, b=x}, lists as [1, x], lists decoded
// from JSON as JSON text. Hosts use it to read values a template produced.
func String(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	b := &strBuilder{max: DefaultLimits().MaxOutputBytes}
	b.value(normalize(v), 0)
	return string(b.buf), b.err
}

// str is String within the execution's limits, rendering #define blocks.
func (s *state) str(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int64:
		str := strconv.FormatInt(x, 10)
		return str, s.alloc(len(str))
	case float64:
		str := javaDouble(x)
		return str, s.alloc(len(str))
	case *blockRef:
		saved := s.out
		s.out = &outBuf{max: s.lim.MaxOutputBytes}
		err := s.renderBlock(x)
		buf := s.out.b
		s.out = saved
		if err != nil {
			return "", err
		}
		return string(buf), s.alloc(len(buf))
	}
	b := &strBuilder{max: s.lim.MaxOutputBytes, s: s}
	b.value(v, 0)
	if b.err != nil {
		return "", b.err
	}
	return string(b.buf), s.alloc(len(b.buf))
}

// strBuilder writes values as Java's toString does, within a size bound.
type strBuilder struct {
	buf []byte
	max int
	s   *state // renders #define blocks; nil outside an execution
	err error
}

func (b *strBuilder) add(s string) {
	if b.err != nil {
		return
	}
	if len(b.buf)+len(s) > b.max {
		b.err = limitErr("text of a value is larger than %d bytes", b.max)
		return
	}
	b.buf = append(b.buf, s...)
}

func (b *strBuilder) value(v any, depth int) {
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
	case string:
		b.add(x)
	case bool:
		b.add(strconv.FormatBool(x))
	case int64:
		b.add(strconv.FormatInt(x, 10))
	case float64:
		b.add(javaDouble(x))
	case *Map, map[string]any:
		b.add("{")
		for i, k := range mapKeys(x) {
			if i > 0 {
				b.add(", ")
			}
			b.add(k)
			b.add("=")
			val, _ := mapGet(x, k)
			if same(val, x) {
				b.add("(this Map)")
				continue
			}
			b.value(val, depth+1)
		}
		b.add("}")
	case *List:
		if x.json {
			jb := &jsonBuilder{strBuilder: b}
			jb.json(x, depth)
			return
		}
		b.list(x, x.items, depth)
	case []any:
		b.list(x, x, depth)
	case *entry:
		b.add(x.key)
		b.add("=")
		b.value(x.val, depth+1)
	case *loopScope:
		b.add("$foreach")
	case *blockRef:
		if b.s == nil {
			return
		}
		text, err := b.s.str(x)
		if err != nil {
			b.err = err
			return
		}
		b.add(text)
	case fmt.Stringer:
		b.add(x.String())
	default:
		b.add(fmt.Sprint(x))
	}
}

func (b *strBuilder) list(self any, items []any, depth int) {
	b.add("[")
	for i, it := range items {
		if i > 0 {
			b.add(", ")
		}
		if same(it, self) {
			b.add("(this Collection)")
			continue
		}
		b.value(normalize(it), depth+1)
	}
	b.add("]")
}

// same reports whether two values are the same map or list (not just equal).
func same(a, b any) bool {
	switch x := a.(type) {
	case *Map:
		y, ok := b.(*Map)
		return ok && x == y
	case *List:
		y, ok := b.(*List)
		return ok && x == y
	}
	return false
}

// javaDouble formats a float64 as Java's Double.toString: at least one digit after the
// point, and scientific notation ("1.0E-4", "1.23456789E7") outside [1e-3, 1e7).
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	abs := math.Abs(f)
	if abs >= 1e-3 && abs < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, 64) // 1.2345678E+07
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// javaEquals is Java's equals() between values of this engine.
func javaEquals(a, b any, depth int) bool {
	if depth > maxValueDepth {
		return false
	}
	a, b = normalize(a), normalize(b)
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || math.IsNaN(x) && math.IsNaN(y))
	case *Map, map[string]any:
		if !isMap(b) || mapLen(a) != mapLen(b) {
			return false
		}
		for _, k := range mapKeys(a) {
			va, _ := mapGet(a, k)
			vb, ok := mapGet(b, k)
			if !ok || !javaEquals(va, vb, depth+1) {
				return false
			}
		}
		return true
	case *List, []any:
		if !isList(b) {
			return false
		}
		xa, xb := listItems(a), listItems(b)
		if len(xa) != len(xb) {
			return false
		}
		for i := range xa {
			if !javaEquals(xa[i], xb[i], depth+1) {
				return false
			}
		}
		return true
	case *entry:
		y, ok := b.(*entry)
		return ok && x.key == y.key && javaEquals(x.val, y.val, depth+1)
	}
	return identical(a, b)
}

// identical compares host values by identity, without panicking on uncomparable types.
func identical(a, b any) (eq bool) {
	defer func() {
		if recover() != nil {
			eq = false
		}
	}()
	return a == b
}

// sameKind is Velocity's "same class" test before equals(): strings with strings, maps
// with maps, and so on.
func sameKind(a, b any) bool {
	switch a.(type) {
	case string:
		_, ok := b.(string)
		return ok
	case bool:
		_, ok := b.(bool)
		return ok
	case *Map, map[string]any:
		return isMap(b)
	case *List, []any:
		return isList(b)
	case *entry:
		_, ok := b.(*entry)
		return ok
	}
	return fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b)
}
