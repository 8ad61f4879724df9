package vtl

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// The Java methods templates call on strings, lists, maps, numbers and booleans. Velocity
// resolves a call by the argument types, so a call whose arguments do not fit (a number
// where a String is needed) is a missing method: null, printed as written. Failures that
// would throw in Java (an index out of range) stop the template.

// call runs $recv.name(args). It returns errNoMethod when there is no such method.
func (s *state) call(recv any, name string, args []any) (any, error) {
	switch x := recv.(type) {
	case string:
		return s.stringMethod(x, name, args)
	case *List:
		return s.listMethod(x, x.items, true, name, args)
	case []any:
		return s.listMethod(x, x, false, name, args)
	case *Map, map[string]any:
		return s.mapMethod(x, name, args)
	case int64, float64:
		return s.numberMethod(x, name, args)
	case bool:
		return s.boolMethod(x, name, args)
	case *loopScope:
		return loopMethod(x, name, args)
	case *entry:
		return s.entryMethod(x, name, args)
	case *blockRef:
		if name == "toString" && len(args) == 0 {
			return s.str(x)
		}
		return nil, errNoMethod
	case Object:
		// args are the call's own (every caller makes them fresh): #define blocks are
		// rendered for the host in place.
		for i, a := range args {
			var err error
			if args[i], err = s.forHost(a); err != nil {
				return nil, err
			}
		}
		v, err := x.Call(name, args)
		if errors.Is(err, ErrUnknownMethod) {
			return nil, errNoMethod
		}
		if err != nil {
			return nil, err
		}
		return normalize(v), nil
	}
	return nil, errNoMethod
}

func argString(args []any, i int) (string, bool) {
	s, ok := args[i].(string)
	return s, ok
}

func argInt(args []any, i int) (int, bool) {
	n, ok := args[i].(int64)
	if !ok || n > math.MaxInt32 || n < math.MinInt32 {
		return 0, false
	}
	return int(n), true
}

func outOfBounds(what string, i, n int) error {
	return fmt.Errorf("%s: index %d is out of bounds for length %d", what, i, n)
}

// common are the Object methods every value has.
func (s *state) common(recv any, name string, args []any) (any, error) {
	switch {
	case name == "toString" && len(args) == 0:
		return s.str(recv)
	case name == "equals" && len(args) == 1:
		return javaEquals(recv, args[0], 0), nil
	}
	return nil, errNoMethod
}

func (s *state) stringMethod(str, name string, args []any) (any, error) {
	switch len(args) {
	case 0:
		switch name {
		case "length":
			return int64(newJstr(str).length()), nil
		case "isEmpty":
			return str == "", nil
		case "trim":
			return javaTrim(str), nil
		case "toLowerCase":
			return strings.ToLower(str), nil
		case "toUpperCase":
			return strings.ToUpper(str), nil
		case "toString", "intern":
			return str, nil
		case "hashCode":
			return javaHashCode(str), nil
		case "getBytes":
			b := []byte(str)
			items := make([]any, len(b))
			for i, c := range b {
				items[i] = int64(int8(c))
			}
			return &List{items: items}, nil
		case "toCharArray":
			j := newJstr(str)
			items := make([]any, j.length())
			for i := range items {
				items[i] = j.sub(i, i+1)
			}
			return &List{items: items}, nil
		}
	case 1:
		if a, ok := argString(args, 0); ok {
			switch name {
			case "contains":
				return strings.Contains(str, a), nil
			case "startsWith":
				return strings.HasPrefix(str, a), nil
			case "endsWith":
				return strings.HasSuffix(str, a), nil
			case "indexOf":
				return int64(javaIndexOf(newJstr(str), a, 0)), nil
			case "lastIndexOf":
				j := newJstr(str)
				return int64(javaLastIndexOf(j, a, j.length())), nil
			case "equalsIgnoreCase":
				return strings.EqualFold(str, a), nil
			case "concat":
				if err := s.alloc(len(str) + len(a)); err != nil {
					return nil, err
				}
				return str + a, nil
			case "compareTo":
				return javaCompare(str, a), nil
			case "compareToIgnoreCase":
				return javaCompare(strings.ToLower(strings.ToUpper(str)), strings.ToLower(strings.ToUpper(a))), nil
			case "matches":
				return javaMatches(str, a)
			case "split":
				parts, err := javaSplit(str, a, 0)
				if err != nil {
					return nil, err
				}
				return &List{items: parts}, nil
			}
		}
		if i, ok := argInt(args, 0); ok {
			j := newJstr(str)
			switch name {
			case "charAt":
				if i < 0 || i >= j.length() {
					return nil, outOfBounds("charAt", i, j.length())
				}
				return j.sub(i, i+1), nil
			case "substring":
				if i < 0 || i > j.length() {
					return nil, outOfBounds("substring", i, j.length())
				}
				return j.sub(i, j.length()), nil
			case "indexOf":
				return int64(javaIndexOf(j, string(rune(i)), 0)), nil
			case "lastIndexOf":
				return int64(javaLastIndexOf(j, string(rune(i)), j.length())), nil
			}
		}
	case 2:
		a, aStr := argString(args, 0)
		b, bStr := argString(args, 1)
		if aStr && bStr {
			switch name {
			case "replace":
				n := strings.Count(str, a)
				if n > 0 {
					if err := s.alloc(len(str) + n*(len(b)-len(a))); err != nil {
						return nil, err
					}
				}
				return strings.ReplaceAll(str, a, b), nil
			case "replaceAll":
				return s.javaReplace(str, a, b, true)
			case "replaceFirst":
				return s.javaReplace(str, a, b, false)
			}
		}
		if aStr {
			if n, ok := argInt(args, 1); ok {
				j := newJstr(str)
				switch name {
				case "indexOf":
					return int64(javaIndexOf(j, a, n)), nil
				case "lastIndexOf":
					return int64(javaLastIndexOf(j, a, n)), nil
				case "startsWith":
					if n < 0 || n > j.length() {
						return false, nil
					}
					return strings.HasPrefix(str[j.byteOff(n):], a), nil
				case "split":
					parts, err := javaSplit(str, a, n)
					if err != nil {
						return nil, err
					}
					return &List{items: parts}, nil
				}
			}
		}
		from, ok1 := argInt(args, 0)
		to, ok2 := argInt(args, 1)
		if ok1 && ok2 && (name == "substring" || name == "subSequence") {
			j := newJstr(str)
			if from < 0 || to > j.length() || from > to {
				return nil, fmt.Errorf("%s(%d, %d): out of bounds for length %d", name, from, to, j.length())
			}
			return j.sub(from, to), nil
		}
	}
	return s.common(str, name, args)
}

// listMethod implements java.util.List. growable is false for a host's []any, which
// behaves like Java's fixed-size Arrays.asList.
func (s *state) listMethod(recv any, items []any, growable bool, name string, args []any) (any, error) {
	l, _ := recv.(*List)
	switch name {
	case "contains", "indexOf", "lastIndexOf", "containsAll", "addAll", "subList", "equals", "toString":
		if err := s.work(len(items)); err != nil {
			return nil, err
		}
	}
	fixed := func() (any, error) {
		return nil, fmt.Errorf("%s(): the list was passed in by the host as a fixed-size []any (UnsupportedOperationException)", name)
	}
	switch len(args) {
	case 0:
		switch name {
		case "size", "count": // count() is what the API Gateway guide shows for $input.path(...)
			return int64(len(items)), nil
		case "isEmpty":
			return len(items) == 0, nil
		case "clear":
			if !growable {
				return fixed()
			}
			l.items = nil
			return nil, nil
		case "hashCode":
			return nil, errNoMethod
		}
	case 1:
		a := args[0]
		switch name {
		case "get":
			if i, ok := argInt(args, 0); ok {
				if i < 0 || i >= len(items) {
					return nil, outOfBounds("get", i, len(items))
				}
				return normalize(items[i]), nil
			}
		case "contains":
			return indexOf(items, a) >= 0, nil
		case "indexOf":
			return int64(indexOf(items, a)), nil
		case "lastIndexOf":
			for i := len(items) - 1; i >= 0; i-- {
				if javaEquals(items[i], a, 0) {
					return int64(i), nil
				}
			}
			return int64(-1), nil
		case "add":
			if !growable {
				return fixed()
			}
			if err := s.grow(len(items)); err != nil {
				return nil, err
			}
			l.items = append(l.items, a)
			return true, nil
		case "addAll":
			if !isList(a) {
				return nil, errNoMethod
			}
			if !growable {
				return fixed()
			}
			more := listItems(a)
			if err := s.grow(len(items) + len(more)); err != nil {
				return nil, err
			}
			l.items = append(l.items, more...)
			return len(more) > 0, nil
		case "remove":
			if !growable {
				return fixed()
			}
			// Velocity picks remove(int) for an Integer argument, remove(Object) otherwise.
			if i, ok := argInt(args, 0); ok {
				if i < 0 || i >= len(items) {
					return nil, outOfBounds("remove", i, len(items))
				}
				old := l.items[i]
				l.items = append(l.items[:i:i], l.items[i+1:]...)
				return old, nil
			}
			if i := indexOf(items, a); i >= 0 {
				l.items = append(l.items[:i:i], l.items[i+1:]...)
				return true, nil
			}
			return false, nil
		case "containsAll":
			if !isList(a) {
				return nil, errNoMethod
			}
			for _, it := range listItems(a) {
				if indexOf(items, it) < 0 {
					return false, nil
				}
			}
			return true, nil
		}
	case 2:
		i, ok := argInt(args, 0)
		if !ok {
			break
		}
		switch name {
		case "set":
			if i < 0 || i >= len(items) {
				return nil, outOfBounds("set", i, len(items))
			}
			old := items[i]
			items[i] = args[1]
			return old, nil
		case "add":
			if !growable {
				return fixed()
			}
			if i < 0 || i > len(items) {
				return nil, outOfBounds("add", i, len(items))
			}
			if err := s.grow(len(items)); err != nil {
				return nil, err
			}
			l.items = append(l.items, nil)
			copy(l.items[i+1:], l.items[i:])
			l.items[i] = args[1]
			return nil, nil
		case "subList":
			j, ok := argInt(args, 1)
			if !ok {
				break
			}
			if i < 0 || j > len(items) || i > j {
				return nil, fmt.Errorf("subList(%d, %d): out of bounds for size %d", i, j, len(items))
			}
			return &List{items: append([]any(nil), items[i:j]...)}, nil
		}
	}
	return s.common(recv, name, args)
}

// grow checks that a list may take another item: lists grow only through loops, so the
// iteration cap bounds them too, but add() in a long loop still counts.
func (s *state) grow(n int) error {
	if n >= s.lim.MaxIterations {
		return limitErr("a list grew past %d items", s.lim.MaxIterations)
	}
	return nil
}

func indexOf(items []any, v any) int {
	for i, it := range items {
		if javaEquals(it, v, 0) {
			return i
		}
	}
	return -1
}

func (s *state) mapMethod(m any, name string, args []any) (any, error) {
	switch name {
	case "keySet", "values", "entrySet", "containsValue", "putAll", "clear", "equals", "toString":
		if err := s.work(mapLen(m)); err != nil {
			return nil, err
		}
	}
	switch len(args) {
	case 0:
		switch name {
		case "size":
			return int64(mapLen(m)), nil
		case "isEmpty":
			return mapLen(m) == 0, nil
		case "keySet":
			keys := mapKeys(m)
			items := make([]any, len(keys))
			for i, k := range keys {
				items[i] = k
			}
			return &List{items: items}, nil
		case "values":
			keys := mapKeys(m)
			items := make([]any, len(keys))
			for i, k := range keys {
				items[i], _ = mapGet(m, k)
			}
			return &List{items: items}, nil
		case "entrySet":
			keys := mapKeys(m)
			items := make([]any, len(keys))
			for i, k := range keys {
				v, _ := mapGet(m, k)
				items[i] = &entry{key: k, val: v}
			}
			return &List{items: items}, nil
		case "clear":
			for _, k := range append([]string(nil), mapKeys(m)...) {
				mapRemove(m, k)
			}
			return nil, nil
		}
	case 1:
		switch name {
		case "get", "containsKey", "remove":
			k, err := s.key(args[0])
			if err != nil {
				return nil, err
			}
			switch name {
			case "get":
				v, _ := mapGet(m, k)
				return v, nil
			case "containsKey":
				_, ok := mapGet(m, k)
				return ok, nil
			}
			v, _ := mapRemove(m, k)
			return v, nil
		case "containsValue":
			for _, k := range mapKeys(m) {
				if v, _ := mapGet(m, k); javaEquals(v, args[0], 0) {
					return true, nil
				}
			}
			return false, nil
		case "putAll":
			if !isMap(args[0]) {
				return nil, errNoMethod
			}
			src := args[0]
			for _, k := range append([]string(nil), mapKeys(src)...) {
				v, _ := mapGet(src, k)
				mapPut(m, k, v)
			}
			return nil, nil
		}
	case 2:
		k, err := s.key(args[0])
		if err != nil {
			return nil, err
		}
		switch name {
		case "put":
			if _, had := mapGet(m, k); !had {
				if err := s.grow(mapLen(m)); err != nil {
					return nil, err
				}
			}
			prev, _ := mapPut(m, k, args[1])
			return prev, nil
		case "putIfAbsent":
			if v, ok := mapGet(m, k); ok && v != nil {
				return v, nil
			}
			if err := s.grow(mapLen(m)); err != nil {
				return nil, err
			}
			mapPut(m, k, args[1])
			return nil, nil
		case "getOrDefault":
			if v, ok := mapGet(m, k); ok {
				return v, nil
			}
			return args[1], nil
		}
	}
	return s.common(m, name, args)
}

func (s *state) numberMethod(n any, name string, args []any) (any, error) {
	if len(args) == 0 {
		f := toFloat(n)
		switch name {
		case "intValue":
			if i, ok := n.(int64); ok {
				return int64(int32(i)), nil
			}
			return int64(javaDoubleToInt(f, math.MinInt32, math.MaxInt32)), nil
		case "longValue":
			if i, ok := n.(int64); ok {
				return i, nil
			}
			return javaDoubleToInt(f, math.MinInt64, math.MaxInt64), nil
		case "doubleValue":
			return f, nil
		case "floatValue":
			return float64(float32(f)), nil
		case "isNaN":
			if _, ok := n.(float64); ok {
				return math.IsNaN(f), nil
			}
		case "isInfinite":
			if _, ok := n.(float64); ok {
				return math.IsInf(f, 0), nil
			}
		}
	}
	if len(args) == 1 && name == "compareTo" && isNumber(args[0]) {
		return int64(compareNumbers(n, args[0])), nil
	}
	return s.common(n, name, args)
}

// javaDoubleToInt is Java's narrowing of a double: truncation, saturation, NaN as 0.
func javaDoubleToInt(f float64, lo, hi int64) int64 {
	switch {
	case math.IsNaN(f):
		return 0
	case f <= float64(lo):
		return lo
	case f >= float64(hi):
		return hi
	}
	return int64(f)
}

func (s *state) boolMethod(b bool, name string, args []any) (any, error) {
	if len(args) == 0 && name == "booleanValue" {
		return b, nil
	}
	return s.common(b, name, args)
}

func loopMethod(l *loopScope, name string, args []any) (any, error) {
	if len(args) != 0 {
		return nil, errNoMethod
	}
	switch name {
	case "hasNext", "getHasNext":
		return l.hasNext, nil
	case "getIndex":
		return int64(l.index), nil
	case "getCount":
		return int64(l.index + 1), nil
	case "isFirst", "getFirst":
		return l.index == 0, nil
	case "isLast", "getLast":
		return !l.hasNext, nil
	case "getParent":
		return l.property("parent"), nil
	case "getTopmost":
		return l.property("topmost"), nil
	}
	return nil, errNoMethod
}

func (s *state) entryMethod(e *entry, name string, args []any) (any, error) {
	if len(args) == 0 {
		switch name {
		case "getKey":
			return e.key, nil
		case "getValue":
			return e.val, nil
		}
	}
	return s.common(e, name, args)
}
