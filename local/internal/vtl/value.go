package vtl

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Object is a value supplied by the host whose properties and methods a template can use,
// such as API Gateway's $input and $util.
type Object interface {
	// Property returns the value of $obj.name, and false when there is no such property
	// (the reference then renders as written, as Velocity does for null).
	Property(name string) (any, bool)
	// Call runs $obj.method(args...). It returns an error wrapping ErrUnknownMethod when
	// the object has no such method: the call then evaluates to null, as in Velocity.
	// Any other error stops the template. args belongs to the engine and is reused after
	// the call: keep its values, never the slice.
	Call(method string, args []any) (any, error)
}

// Setter is implemented by an Object whose properties #set can assign
// (#set($obj.name = value)). An error stops the template.
type Setter interface {
	SetProperty(name string, value any) error
}

// ErrUnknownMethod is what Object.Call wraps when it has no method of that name or arity.
var ErrUnknownMethod = errors.New("no such method")

// Map is an insertion-ordered map with string keys. Map literals, ParseJSON and the
// methods that build maps produce it; #foreach and keySet() follow its order. A host may
// also pass a plain map[string]any: that one is iterated in sorted key order, so output
// stays deterministic.
//
// Keys and values are kept in two slices, searched in order while the map is small: most
// template maps ($context, overrides, JSON objects) have a few to a few dozen keys, and a
// Go map would cost more to make, fill and copy than the search costs. A map that grows past
// indexFrom keys gets an index by key as well. The zero Map is empty and ready to use.
type Map struct {
	keys  []string
	vals  []any
	index map[string]int // position of each key; nil while len(keys) <= indexFrom
}

// indexFrom is the size beyond which a Map indexes its keys. Up to it, a linear search of
// the keys (string comparison looks at lengths first) costs about what hashing the key does.
const indexFrom = 32

// NewMap returns an empty Map.
func NewMap() *Map { return &Map{} }

// NewMapSize returns an empty Map with room for n entries.
func NewMapSize(n int) *Map { return &Map{keys: make([]string, 0, n), vals: make([]any, 0, n)} }

// find returns the position of key, or -1.
func (m *Map) find(key string) int {
	if m.index != nil {
		if i, ok := m.index[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range m.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// reindex builds the index when the map is big enough to need one.
func (m *Map) reindex() {
	if len(m.keys) <= indexFrom {
		m.index = nil
		return
	}
	m.index = make(map[string]int, len(m.keys))
	for i, k := range m.keys {
		m.index[k] = i
	}
}

// Get returns the value for key.
func (m *Map) Get(key string) (any, bool) {
	if i := m.find(key); i >= 0 {
		return m.vals[i], true
	}
	return nil, false
}

// Put sets key to v, keeping the key's position if it was already there, and returns the
// previous value.
func (m *Map) Put(key string, v any) (prev any, had bool) {
	if i := m.find(key); i >= 0 {
		prev = m.vals[i]
		m.vals[i] = v
		return prev, true
	}
	m.keys = append(m.keys, key)
	m.vals = append(m.vals, v)
	switch {
	case m.index != nil:
		m.index[key] = len(m.keys) - 1
	case len(m.keys) > indexFrom:
		m.reindex()
	}
	return nil, false
}

// Remove deletes key and returns the value it had.
func (m *Map) Remove(key string) (any, bool) {
	i := m.find(key)
	if i < 0 {
		return nil, false
	}
	prev := m.vals[i]
	m.keys = slices.Delete(m.keys, i, i+1)
	m.vals = slices.Delete(m.vals, i, i+1)
	if m.index != nil {
		m.reindex()
	}
	return prev, true
}

// Len is the number of entries.
func (m *Map) Len() int { return len(m.keys) }

// Copy returns a shallow copy: the same keys in the same order, the same values (maps and
// lists in it are shared, unlike Clone's), with room for a few more keys.
func (m *Map) Copy() *Map {
	const room = 4
	c := &Map{keys: make([]string, len(m.keys), len(m.keys)+room), vals: make([]any, len(m.vals), len(m.vals)+room)}
	copy(c.keys, m.keys)
	copy(c.vals, m.vals)
	c.reindex()
	return c
}

// Keys returns the keys in insertion order (a copy).
func (m *Map) Keys() []string { return append([]string(nil), m.keys...) }

// ValueForKey, SetValueForKey and RemoveValueForKey make a Map a JSONPath-addressable
// collection (github.com/ohler55/ojg/jp's Keyed), so JSONPath runs on parsed bodies
// without converting them.
func (m *Map) ValueForKey(key string) (any, bool) { return m.Get(key) }

// SetValueForKey is Put without a result.
func (m *Map) SetValueForKey(key string, v any) { m.Put(key, v) }

// RemoveValueForKey is Remove without a result.
func (m *Map) RemoveValueForKey(key string) { m.Remove(key) }

// List is a growable list. List literals, ranges and the methods that build lists produce
// it, and so does ParseJSON. A host may pass a plain []any instead: add() and remove() on
// that fail the way they do on Java's fixed-size lists, because the slice cannot grow in
// place.
type List struct {
	items []any
	// json marks a list decoded from JSON: API Gateway prints such a list as JSON text,
	// not as Java's [a, b].
	json bool
}

// NewList returns a List holding items.
func NewList(items ...any) *List { return &List{items: items} }

// NewJSONList returns a List that prints as JSON text, like the arrays ParseJSON returns
// (API Gateway prints the lists $input.path gives that way).
func NewJSONList(items ...any) *List { return &List{items: items, json: true} }

// Len is the number of items.
func (l *List) Len() int { return len(l.items) }

// Index returns item i; it panics when i is out of range, like a slice.
func (l *List) Index(i int) any { return l.items[i] }

// Append adds items at the end.
func (l *List) Append(items ...any) { l.items = append(l.items, items...) }

// Items returns the backing slice; callers must not modify it.
func (l *List) Items() []any { return l.items }

// ValueAtIndex, SetValueAtIndex and Size make a List a JSONPath-addressable collection
// (github.com/ohler55/ojg/jp's Indexed).
func (l *List) ValueAtIndex(i int) any {
	if i < 0 || i >= len(l.items) {
		return nil
	}
	return l.items[i]
}

// SetValueAtIndex sets item i when it exists.
func (l *List) SetValueAtIndex(i int, v any) {
	if i >= 0 && i < len(l.items) {
		l.items[i] = v
	}
}

// Size is Len, under the name jp uses.
func (l *List) Size() int { return len(l.items) }

// Clone returns a deep copy of the maps and lists in v (keeping a List's JSON printing
// and turning a host's map[string]any and []any into *Map and *List); other values are
// shared. A host uses it to hand a template data it may change without changing the
// original.
func Clone(v any) any { return clone(v, 0) }

func clone(v any, depth int) any {
	if depth > maxValueDepth {
		return nil
	}
	switch x := normalize(v).(type) {
	case *Map:
		m := &Map{keys: append([]string(nil), x.keys...), vals: make([]any, len(x.vals))}
		for i, val := range x.vals {
			m.vals[i] = clone(val, depth+1)
		}
		m.reindex()
		return m
	case map[string]any:
		keys := mapKeys(x)
		m := &Map{keys: keys, vals: make([]any, len(keys))}
		for i, k := range keys {
			m.vals[i] = clone(x[k], depth+1)
		}
		m.reindex()
		return m
	case *List:
		l := &List{items: make([]any, len(x.items)), json: x.json}
		for i, it := range x.items {
			l.items[i] = clone(it, depth+1)
		}
		return l
	case []any:
		l := &List{items: make([]any, len(x))}
		for i, it := range x {
			l.items[i] = clone(it, depth+1)
		}
		return l
	default:
		return x
	}
}

// entry is what entrySet() yields: Java's Map.Entry, printed key=value.
type entry struct {
	key string
	val any
}

// normalize turns host values into the engine's value model: integers become int64,
// floats float64, []string and map[string]string become their any-valued forms (copies:
// a template cannot change the host's originals through them).
func normalize(v any) any {
	switch x := v.(type) {
	case nil, bool, string, int64, float64, *Map, *List, []any, map[string]any:
		return v
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint:
		if uint64(x) > math.MaxInt64 {
			return float64(x)
		}
		return int64(x)
	case uint64:
		if x > math.MaxInt64 {
			return float64(x)
		}
		return int64(x)
	case float32:
		return float64(x)
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	case map[string]string:
		out := make(map[string]any, len(x))
		for k, s := range x {
			out[k] = s
		}
		return out
	}
	return v
}

func isNumber(v any) bool {
	switch v.(type) {
	case int64, float64:
		return true
	}
	return false
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

func isMap(v any) bool {
	switch v.(type) {
	case *Map, map[string]any:
		return true
	}
	return false
}

func isList(v any) bool {
	switch v.(type) {
	case *List, []any:
		return true
	}
	return false
}

// listItems returns the items of either list form.
func listItems(v any) []any {
	switch x := v.(type) {
	case *List:
		return x.items
	case []any:
		return x
	}
	return nil
}

// mapKeys returns the keys of either map form in iteration order.
func mapKeys(v any) []string {
	switch x := v.(type) {
	case *Map:
		return x.keys
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return keys
	}
	return nil
}

func mapGet(v any, key string) (any, bool) {
	switch x := v.(type) {
	case *Map:
		val, ok := x.Get(key)
		return normalize(val), ok
	case map[string]any:
		val, ok := x[key]
		return normalize(val), ok
	}
	return nil, false
}

func mapPut(v any, key string, val any) (any, bool) {
	switch x := v.(type) {
	case *Map:
		return x.Put(key, val)
	case map[string]any:
		prev, had := x[key]
		x[key] = val
		return normalize(prev), had
	}
	return nil, false
}

func mapRemove(v any, key string) (any, bool) {
	switch x := v.(type) {
	case *Map:
		return x.Remove(key)
	case map[string]any:
		prev, had := x[key]
		delete(x, key)
		return normalize(prev), had
	}
	return nil, false
}

func mapLen(v any) int {
	switch x := v.(type) {
	case *Map:
		return x.Len()
	case map[string]any:
		return len(x)
	}
	return 0
}

// typeName names a value's Java-ish type for error messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "String"
	case int64:
		return "Integer"
	case float64:
		return "Double"
	case bool:
		return "Boolean"
	case *Map, map[string]any:
		return "Map"
	case *List, []any:
		return "List"
	case *entry:
		return "Map.Entry"
	case *loopScope:
		return "ForeachScope"
	case *blockRef:
		return "Block"
	}
	return fmt.Sprintf("%T", v)
}
