package assembly

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
)

// Template is one CloudFormation template, decoded but not resolved: property values keep their
// intrinsic functions ({"Ref": ...}, {"Fn::Join": ...}) for package intrinsics to evaluate.
//
// Values are what encoding/json produces with UseNumber: map[string]any, []any, string,
// json.Number, bool and nil. Numbers stay json.Number so that "10.5" and 10.5 round-trip exactly.
type Template struct {
	Parameters map[string]*Parameter
	Mappings   map[string]any
	Conditions map[string]any
	Resources  map[string]*Resource
	Outputs    map[string]*Output

	// ResourceOrder lists the logical ids in the order the template file declares them: the model
	// keeps routes "in template order", and a Go map would lose it.
	ResourceOrder []string
	// OutputOrder does the same for Outputs.
	OutputOrder []string
}

// Parameter is one entry of the template's Parameters section.
type Parameter struct {
	Type    string
	Default any // nil when the parameter has no Default
}

// Resource is one entry of the template's Resources section.
type Resource struct {
	LogicalID  string
	Type       string
	Properties map[string]any // never nil
	Metadata   map[string]any // nil when absent
	Condition  string         // name of the condition that gates the resource, "" for none
}

// Output is one entry of the template's Outputs section.
type Output struct {
	LogicalID  string
	Value      any
	ExportName any // the unresolved Export.Name, nil when the output is not exported
	Condition  string
}

// ParseTemplate decodes a template. Errors say where the JSON is broken ("invalid JSON at line
// 3: ...") or which section or resource has the wrong shape; callers prefix the file name.
func ParseTemplate(data []byte) (*Template, error) {
	var raw struct {
		Parameters map[string]json.RawMessage
		Mappings   json.RawMessage
		Conditions json.RawMessage
		Resources  json.RawMessage
		Outputs    json.RawMessage
	}
	if err := decodeStrict(data, &raw); err != nil {
		return nil, jsonError(data, err)
	}
	t := &Template{
		Parameters: map[string]*Parameter{},
		Resources:  map[string]*Resource{},
		Outputs:    map[string]*Output{},
	}
	for name, msg := range raw.Parameters {
		var p struct {
			Type    string
			Default any
		}
		if err := decodeValue(msg, &p); err != nil {
			return nil, fmt.Errorf("parameter %q: %w", name, err)
		}
		t.Parameters[name] = &Parameter{Type: p.Type, Default: p.Default}
	}
	var err error
	if t.Mappings, err = decodeSection(raw.Mappings); err != nil {
		return nil, fmt.Errorf("Mappings: %w", err)
	}
	if t.Conditions, err = decodeSection(raw.Conditions); err != nil {
		return nil, fmt.Errorf("Conditions: %w", err)
	}

	if t.ResourceOrder, err = objectKeys(raw.Resources); err != nil {
		return nil, fmt.Errorf("Resources: %w", err)
	}
	resources := map[string]json.RawMessage{}
	if len(raw.Resources) > 0 {
		if err := json.Unmarshal(raw.Resources, &resources); err != nil {
			return nil, fmt.Errorf("Resources: %w", err)
		}
	}
	for _, id := range t.ResourceOrder {
		r, err := parseResource(id, resources[id])
		if err != nil {
			return nil, fmt.Errorf("resource %q: %w", id, err)
		}
		t.Resources[id] = r
	}

	if t.OutputOrder, err = objectKeys(raw.Outputs); err != nil {
		return nil, fmt.Errorf("Outputs: %w", err)
	}
	outputs := map[string]json.RawMessage{}
	if len(raw.Outputs) > 0 {
		if err := json.Unmarshal(raw.Outputs, &outputs); err != nil {
			return nil, fmt.Errorf("Outputs: %w", err)
		}
	}
	for _, id := range t.OutputOrder {
		var o struct {
			Value     any
			Export    *struct{ Name any }
			Condition string
		}
		if err := decodeValue(outputs[id], &o); err != nil {
			return nil, fmt.Errorf("output %q: %w", id, err)
		}
		out := &Output{LogicalID: id, Value: o.Value, Condition: o.Condition}
		if o.Export != nil {
			out.ExportName = o.Export.Name
		}
		t.Outputs[id] = out
	}
	return t, nil
}

func parseResource(id string, msg json.RawMessage) (*Resource, error) {
	var r struct {
		Type       *string
		Properties map[string]any
		Metadata   map[string]any
		Condition  *string
	}
	if err := decodeValue(msg, &r); err != nil {
		return nil, err
	}
	if r.Type == nil || *r.Type == "" {
		return nil, errors.New("Type is missing")
	}
	res := &Resource{LogicalID: id, Type: *r.Type, Properties: r.Properties, Metadata: r.Metadata}
	if res.Properties == nil {
		res.Properties = map[string]any{}
	}
	if r.Condition != nil {
		res.Condition = *r.Condition
	}
	return res, nil
}

// decodeStrict decodes data into v, keeping numbers as json.Number, and rejects trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return trailingDataError{offset: dec.InputOffset()}
	}
	return nil
}

func decodeValue(msg json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return fmt.Errorf("%s must be %s, not a JSON %s", te.Field, jsonKind(te.Type), te.Value)
		}
		return err
	}
	return nil
}

func decodeSection(msg json.RawMessage) (map[string]any, error) {
	if len(msg) == 0 || string(msg) == "null" {
		return map[string]any{}, nil
	}
	m := map[string]any{}
	if err := decodeValue(msg, &m); err != nil {
		return nil, errors.New("not a JSON object")
	}
	return m, nil
}

// objectKeys returns the keys of a JSON object in document order (nil for an absent section).
func objectKeys(msg json.RawMessage) ([]string, error) {
	if len(msg) == 0 || string(msg) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(msg))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a JSON object")
	}
	var keys []string
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		if seen[key] {
			// encoding/json would silently keep the last one; CloudFormation rejects the template.
			return nil, fmt.Errorf("%q is declared twice", key)
		}
		seen[key] = true
		keys = append(keys, key)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// jsonError turns a decoding error into one that names the line, which is what a person looking
// at a hand-edited template needs.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("invalid JSON at line %d: %v", lineOf(data, se.Offset), se)
	case errors.As(err, &te):
		return fmt.Errorf("at line %d: %s must be %s, not a JSON %s", lineOf(data, te.Offset), te.Field, jsonKind(te.Type), te.Value)
	case errors.As(err, new(trailingDataError)):
		off := err.(trailingDataError).offset
		return fmt.Errorf("invalid JSON at line %d: data after the top-level value", lineOf(data, off))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("invalid JSON at line %d: unexpected end of input", lineOf(data, int64(len(data))))
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	if offset < 0 {
		offset = 0
	}
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}

type trailingDataError struct{ offset int64 }

func (e trailingDataError) Error() string { return "data after the top-level value" }

// jsonKind names a Go type the way the JSON it decodes from looks, for error messages.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "a number"
}
