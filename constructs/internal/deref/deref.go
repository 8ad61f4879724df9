// Package deref turns the pointer-typed values of jsii props into plain Go values, so that the
// rules checking them read as ordinary Go and need no nil checks of their own.
package deref

// String is *s, or "" for nil: an unset optional string breaks the same rules as an empty one.
func String(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// StringMap copies m with its values dereferenced by String; nil stays nil.
func StringMap(m *map[string]*string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(*m))
	for k, v := range *m {
		out[k] = String(v)
	}
	return out
}

// Slice is *s, or nil for a nil pointer, so that an unset props list ranges over nothing.
func Slice[T any](s *[]T) []T {
	if s == nil {
		return nil
	}
	return *s
}

// Strings is *s with each element dereferenced by String, or nil for a nil pointer: a nil
// element reads as "", which the rules refuse as an empty value.
func Strings(s *[]*string) []string {
	if s == nil {
		return nil
	}
	out := make([]string, len(*s))
	for i, v := range *s {
		out[i] = String(v)
	}
	return out
}
