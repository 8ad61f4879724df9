package selexpr

import "encoding/json"

// A scanner over JSON that is already known to be valid (Body checks with validJSON first).
// Route selection runs once per WebSocket message, almost always with a path like
// $request.body.action, so the common case walks the raw bytes to the one value it needs
// instead of decoding the whole message into maps. Every function still bounds-checks, so
// input that is not valid JSON gives a wrong answer, never a panic.

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// skipString returns the index just past the string whose opening quote is at i.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// skipValue returns the index just past the value starting at i.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = skipString(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	default:
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && !isSpace(b[j]) {
			j++
		}
		return j
	}
}

// member finds name in the object at b[i] ('{') and returns its value's bounds. With
// duplicate names the last one wins, as it does for encoding/json and ojg.
func member(b []byte, i int, name string) (start, end int, ok bool) {
	j := i + 1
	for {
		j = skipSpace(b, j)
		if j >= len(b) || b[j] != '"' {
			return start, end, ok
		}
		ks := j
		j = skipString(b, j)
		key := b[ks:j]
		j = skipSpace(b, j)
		if j >= len(b) || b[j] != ':' {
			return start, end, ok
		}
		j = skipSpace(b, j+1)
		vs := j
		j = skipValue(b, j)
		if keyIs(key, name) {
			start, end, ok = vs, j, true
		}
		j = skipSpace(b, j)
		if j >= len(b) || b[j] != ',' {
			return start, end, ok
		}
		j++
	}
}

// keyIs compares a quoted JSON key with name. Keys with escapes are rare; only they are
// decoded (and allocate).
func keyIs(quoted []byte, name string) bool {
	if len(quoted) < 2 {
		return false
	}
	inner := quoted[1 : len(quoted)-1]
	escaped := false
	for _, c := range inner {
		if c == '\\' {
			escaped = true
			break
		}
	}
	if !escaped {
		return string(inner) == name // no allocation: the compiler compares in place
	}
	var s string
	if json.Unmarshal(quoted, &s) != nil {
		return false
	}
	return s == name
}

// element returns the bounds of the n-th element of the array at b[i] ('[').
func element(b []byte, i, n int) (start, end int, ok bool) {
	j := skipSpace(b, i+1)
	if j < len(b) && b[j] == ']' {
		return 0, 0, false
	}
	for k := 0; j < len(b); k++ {
		vs := j
		j = skipValue(b, j)
		if k == n {
			return vs, j, true
		}
		j = skipSpace(b, j)
		if j >= len(b) || b[j] != ',' {
			return 0, 0, false
		}
		j = skipSpace(b, j+1)
	}
	return 0, 0, false
}

// elements calls fn with each element of the array at b[i] ('[').
func elements(b []byte, i int, fn func(raw []byte)) {
	j := skipSpace(b, i+1)
	if j < len(b) && b[j] == ']' {
		return
	}
	for j < len(b) {
		vs := j
		j = skipValue(b, j)
		fn(b[vs:j])
		j = skipSpace(b, j)
		if j >= len(b) || b[j] != ',' {
			return
		}
		j = skipSpace(b, j+1)
	}
}

// walk follows simple steps from the document root and returns the raw value found.
func walk(b []byte, steps []step) ([]byte, bool) {
	i := skipSpace(b, 0)
	end := skipValue(b, i)
	for _, s := range steps {
		if i >= len(b) {
			return nil, false
		}
		var ok bool
		switch {
		case s.index >= 0 && b[i] == '[':
			i, end, ok = element(b, i, s.index)
		case s.index < 0 && b[i] == '{':
			i, end, ok = member(b, i, s.name)
		}
		if !ok {
			return nil, false
		}
	}
	if i >= end || end > len(b) {
		return nil, false
	}
	return b[i:end], true
}
