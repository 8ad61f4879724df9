package reqvalidate

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// API Gateway validates with a Java JSON schema validator and puts its messages, unchanged, in
// $context.error.validationErrorString and its logs: "[object has missing required properties
// (["name"])]". Users match on these texts in tests and gateway response templates, so the
// library's errors are reworded into them here. Values are printed as compact JSON, numbers as
// they were written.

// located is one message and where it applies, for ordering.
type located struct {
	at      []string // path of the instance in the body
	keyword string
	msg     string
}

// messages rewords a validation error of the instance into API Gateway's messages in the
// validator's order: depth first through the body, object members by name, array items by
// index, and the keywords of one place by name. (The library's order follows Go's map
// iteration.)
func (v *Validators) messages(err error, instance any) []string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []string{err.Error()}
	}
	var all []located
	v.collect(ve, instance, &all)
	slices.SortStableFunc(all, func(a, b located) int {
		if c := comparePaths(a.at, b.at); c != 0 {
			return c
		}
		return strings.Compare(a.keyword, b.keyword)
	})
	out := make([]string, len(all))
	for i, l := range all {
		out[i] = l.msg
	}
	return out
}

// collect flattens the library's grouping (the whole schema, several keywords, a $ref) and
// words each failed keyword. allOf, anyOf and oneOf are one message each, as API Gateway
// reports them, without the failures of their branches.
func (v *Validators) collect(e *jsonschema.ValidationError, instance any, out *[]located) {
	switch e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference:
		for _, c := range e.Causes {
			v.collect(c, instance, out)
		}
		return
	}
	var keyword string
	if p := e.ErrorKind.KeywordPath(); len(p) > 0 {
		keyword = p[0]
	}
	*out = append(*out, located{e.InstanceLocation, keyword, v.word(e, valueAt(instance, e.InstanceLocation))})
}

// word is the message for one failed keyword; inst is the failing part of the body.
func (v *Validators) word(e *jsonschema.ValidationError, inst any) string {
	kw := func(name string) any { return v.keyword(e.SchemaURL, name) }
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		return typeMessage(inst, k.Want)
	case *notInteger:
		return typeMessage(inst, k.allowed)
	case *kind.Enum:
		return fmt.Sprintf("instance value (%s) not found in enum (possible values: %s)", jsonText(inst), jsonText(k.Want))
	case *kind.Required:
		// In the order the schema lists them.
		return fmt.Sprintf("object has missing required properties (%s)", jsonText(k.Missing))
	case *kind.AdditionalProperties:
		extra := slices.Clone(k.Properties)
		slices.Sort(extra)
		return fmt.Sprintf("object instance has properties which are not allowed by the schema: %s", jsonText(extra))
	case *kind.Minimum:
		return tooSmall(numText(kw("minimum"), ratText(k.Want)), inst)
	case *kind.ExclusiveMinimum:
		// Draft 4: "exclusiveMinimum": true makes "minimum" exclusive. Below it is the usual
		// message; only equal to it is the exclusive one.
		limit := numText(kw("minimum"), ratText(k.Want))
		if k.Got.Cmp(k.Want) < 0 {
			return tooSmall(limit, inst)
		}
		return fmt.Sprintf("numeric instance is not strictly greater than the required minimum %s", limit)
	case *kind.Maximum:
		return tooLarge(numText(kw("maximum"), ratText(k.Want)), inst)
	case *kind.ExclusiveMaximum:
		limit := numText(kw("maximum"), ratText(k.Want))
		if k.Got.Cmp(k.Want) > 0 {
			return tooLarge(limit, inst)
		}
		return fmt.Sprintf("numeric instance is not strictly lower than the required maximum %s", limit)
	case *kind.MultipleOf:
		return fmt.Sprintf("remainder of division is not zero (%s / %s)", jsonText(inst), numText(kw("multipleOf"), ratText(k.Want)))
	case *kind.MinLength:
		return fmt.Sprintf("string \"%s\" is too short (length: %d, required minimum: %d)", str(inst), k.Got, k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("string \"%s\" is too long (length: %d, maximum allowed: %d)", str(inst), k.Got, k.Want)
	case *kind.Pattern:
		return fmt.Sprintf("ECMA 262 regex \"%s\" does not match input string \"%s\"", k.Want, k.Got)
	case *kind.MinItems:
		return fmt.Sprintf("array is too short: must have at least %d elements but instance has %d elements", k.Want, k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("array is too long: must have at most %d elements but instance has %d elements", k.Want, k.Got)
	case *kind.UniqueItems:
		return "array must not contain duplicate elements"
	case *kind.AdditionalItems:
		n := 0
		if arr, ok := inst.([]any); ok {
			n = len(arr)
		}
		return fmt.Sprintf("schema only allows %d elements in array but instance has %d elements", n-k.Count, n)
	case *kind.MinProperties:
		return fmt.Sprintf("object has too few properties (found %d but schema requires at least %d)", k.Got, k.Want)
	case *kind.MaxProperties:
		return fmt.Sprintf("object has too many properties (found %d but schema requires at most %d)", k.Got, k.Want)
	case *kind.Dependency:
		var requires any = k.Missing
		if deps, ok := kw("dependencies").(map[string]any); ok && deps[k.Prop] != nil {
			requires = deps[k.Prop]
		}
		return fmt.Sprintf("property \"%s\" of object has missing property dependencies (schema requires %s; missing: %s)", k.Prop, jsonText(requires), jsonText(k.Missing))
	case *kind.AllOf:
		n := count(kw("allOf"), len(e.Causes))
		return fmt.Sprintf("instance failed to match all required schemas (matched only %d out of %d)", n-len(e.Causes), n)
	case *kind.AnyOf:
		return fmt.Sprintf("instance failed to match at least one required schema among %d", count(kw("anyOf"), len(e.Causes)))
	case *kind.OneOf:
		// The library stops counting at the second match.
		return fmt.Sprintf("instance failed to match exactly one schema (matched %d out of %d)", len(k.Subschemas), count(kw("oneOf"), len(e.Causes)))
	case *kind.Not:
		return "instance matched a schema which it should not have"
	case *kind.Format:
		return formatMessage(k.Want, inst)
	}
	return e.ErrorKind.LocalizedString(message.NewPrinter(language.English))
}

// typeMessage words a type mismatch. The validator lists the allowed types in alphabetical
// order, and allows integers wherever it allows numbers.
func typeMessage(inst any, want []string) string {
	allowed := slices.Clone(want)
	if slices.Contains(allowed, "number") {
		allowed = append(allowed, "integer")
	}
	slices.Sort(allowed)
	return fmt.Sprintf("instance type (%s) does not match any allowed primitive type (allowed: %s)", typeName(inst), jsonText(slices.Compact(allowed)))
}

func tooSmall(limit string, inst any) string {
	return fmt.Sprintf("numeric instance is lower than the required minimum (minimum: %s, found: %s)", limit, jsonText(inst))
}

func tooLarge(limit string, inst any) string {
	return fmt.Sprintf("numeric instance is greater than the required maximum (maximum: %s, found: %s)", limit, jsonText(inst))
}

// str is a string instance as the validator quotes it: raw, between double quotes.
func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return jsonText(v)
}

func formatMessage(format string, inst any) string {
	s := str(inst)
	switch format {
	case "email":
		return fmt.Sprintf("string \"%s\" is not a valid email address", s)
	case "hostname":
		return fmt.Sprintf("string \"%s\" is not a valid hostname", s)
	case "ipv4":
		return fmt.Sprintf("string \"%s\" is not a valid IPv4 address", s)
	case "ipv6":
		return fmt.Sprintf("string \"%s\" is not a valid IPv6 address", s)
	case "uri":
		return fmt.Sprintf("string \"%s\" is not a valid URI", s)
	case "date-time":
		return fmt.Sprintf("string \"%s\" is invalid against requested date format(s) [yyyy-MM-dd'T'HH:mm:ssZ, yyyy-MM-dd'T'HH:mm:ss.[0-9]{1,12}Z]", s)
	case "regex":
		return fmt.Sprintf("string \"%s\" is not a valid ECMA 262 regular expression", s)
	}
	return fmt.Sprintf("string \"%s\" is not a valid %s", s, format)
}

// typeName is the validator's name for a JSON value's type: numbers written without a
// fraction or exponent are integers.
func typeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case json.Number:
		if strings.ContainsAny(string(v), ".eE") {
			return "number"
		}
		return "integer"
	}
	return fmt.Sprintf("%T", v)
}

// keyword is the value of a keyword in the schema at schemaURL (an absolute URL whose fragment
// is a JSON pointer), or nil when the schema is not one of the models' documents.
func (v *Validators) keyword(schemaURL, name string) any {
	base, frag, _ := strings.Cut(schemaURL, "#")
	doc, ok := v.docs[base]
	if !ok {
		return nil
	}
	if p, err := url.PathUnescape(frag); err == nil {
		frag = p
	}
	var path []string
	if frag = strings.TrimPrefix(frag, "/"); frag != "" {
		for _, tok := range strings.Split(frag, "/") {
			path = append(path, strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~"))
		}
	}
	obj, ok := valueAt(doc, path).(map[string]any)
	if !ok {
		return nil
	}
	return obj[name]
}

// valueAt walks a decoded document along a path of object keys and array indexes.
func valueAt(doc any, path []string) any {
	for _, tok := range path {
		switch d := doc.(type) {
		case map[string]any:
			doc = d[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(d) {
				return nil
			}
			doc = d[i]
		default:
			return nil
		}
	}
	return doc
}

// numText is a schema's number as written, or the library's exact value when the schema
// cannot be read back.
func numText(written any, exact string) string {
	if n, ok := written.(json.Number); ok {
		return string(n)
	}
	return exact
}

// count is the length of a keyword's array of schemas, or fallback when it cannot be read.
func count(arr any, fallback int) int {
	if a, ok := arr.([]any); ok {
		return len(a)
	}
	return fallback
}

// jsonText is compact JSON, without the HTML escaping encoding/json does by default.
func jsonText(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// ratText prints an exact number the way a double prints: 25, 0.5.
func ratText(r *big.Rat) string {
	if r == nil {
		return "null"
	}
	if r.IsInt() {
		return r.RatString()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// comparePaths orders instance paths depth first, array indexes as numbers.
func comparePaths(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] == b[i] {
			continue
		}
		x, errX := strconv.Atoi(a[i])
		y, errY := strconv.Atoi(b[i])
		if errX == nil && errY == nil {
			return cmp.Compare(x, y)
		}
		return strings.Compare(a[i], b[i])
	}
	return len(a) - len(b)
}
