package reqvalidate

import (
	"testing"
)

// TestMessages checks the wording of every draft 4 keyword's complaint against the messages
// of the Java validator API Gateway uses.
func TestMessages(t *testing.T) {
	tests := []struct {
		name   string
		schema string // the model's schema
		body   string
		want   string // complaints, one a line
	}{
		{"type, several allowed", `{"type": ["string", "null"]}`, `true`,
			`instance type (boolean) does not match any allowed primitive type (allowed: ["null","string"])`},
		{"enum of mixed values", `{"enum": [1, "a", null, {"k": [true]}]}`, `2`,
			`instance value (2) not found in enum (possible values: [1,"a",null,{"k":[true]}])`},
		{"enum prints objects", `{"enum": [1]}`, `{"b": 1, "a": "<x>"}`,
			`instance value ({"a":"<x>","b":1}) not found in enum (possible values: [1])`},
		{"required in schema order", `{"required": ["z", "a", "m"]}`, `{"a": 1}`,
			`object has missing required properties (["z","m"])`},
		{"maximum as written", `{"maximum": 1.50}`, `1.51`,
			`numeric instance is greater than the required maximum (maximum: 1.50, found: 1.51)`},
		{"exclusive maximum, equal", `{"maximum": 10, "exclusiveMaximum": true}`, `10`,
			`numeric instance is not strictly lower than the required maximum 10`},
		{"exclusive maximum, above", `{"maximum": 10, "exclusiveMaximum": true}`, `11`,
			`numeric instance is greater than the required maximum (maximum: 10, found: 11)`},
		{"multipleOf", `{"multipleOf": 2.5}`, `7`,
			`remainder of division is not zero (7 / 2.5)`},
		{"minLength", `{"minLength": 3}`, `"ab"`,
			`string "ab" is too short (length: 2, required minimum: 3)`},
		{"maxLength counts characters", `{"maxLength": 2}`, `"héé"`,
			`string "héé" is too long (length: 3, maximum allowed: 2)`},
		{"minItems", `{"minItems": 2}`, `[1]`,
			`array is too short: must have at least 2 elements but instance has 1 elements`},
		{"maxItems", `{"maxItems": 1}`, `[1, 2]`,
			`array is too long: must have at most 1 elements but instance has 2 elements`},
		{"uniqueItems", `{"uniqueItems": true}`, `[1, 1.0]`,
			`array must not contain duplicate elements`},
		{"additionalItems", `{"items": [{}, {}], "additionalItems": false}`, `[1, 2, 3, 4]`,
			`schema only allows 2 elements in array but instance has 4 elements`},
		{"minProperties", `{"minProperties": 2}`, `{"a": 1}`,
			`object has too few properties (found 1 but schema requires at least 2)`},
		{"maxProperties", `{"maxProperties": 1}`, `{"a": 1, "b": 2}`,
			`object has too many properties (found 2 but schema requires at most 1)`},
		{"property dependencies", `{"dependencies": {"card": ["billing", "name"]}}`, `{"card": 1, "name": "x"}`,
			`property "card" of object has missing property dependencies (schema requires ["billing","name"]; missing: ["billing"])`},
		{"allOf", `{"allOf": [{"type": "string"}, {"maxLength": 1}, {"minLength": 1}]}`, `"abc"`,
			`instance failed to match all required schemas (matched only 2 out of 3)`},
		{"anyOf", `{"anyOf": [{"type": "string"}, {"type": "boolean"}]}`, `1`,
			`instance failed to match at least one required schema among 2`},
		{"oneOf, none", `{"oneOf": [{"type": "string"}, {"type": "boolean"}]}`, `1`,
			`instance failed to match exactly one schema (matched 0 out of 2)`},
		{"oneOf, two", `{"oneOf": [{"type": "integer"}, {"minimum": 0}]}`, `1`,
			`instance failed to match exactly one schema (matched 2 out of 2)`},
		{"not", `{"not": {"type": "string"}}`, `"s"`,
			`instance matched a schema which it should not have`},
		{"email", `{"format": "email"}`, `"nobody"`,
			`string "nobody" is not a valid email address`},
		{"ipv4", `{"format": "ipv4"}`, `"1.2.3"`,
			`string "1.2.3" is not a valid IPv4 address`},
		{"date-time", `{"format": "date-time"}`, `"yesterday"`,
			`string "yesterday" is invalid against requested date format(s) [yyyy-MM-dd'T'HH:mm:ssZ, yyyy-MM-dd'T'HH:mm:ss.[0-9]{1,12}Z]`},
		{"formats beyond draft 4 are ignored", `{"format": "uuid"}`, `"not-a-uuid"`, ``},
		{"formats apply to strings only", `{"format": "email"}`, `5`, ``},
		{"depth first, members by name, items by index",
			`{"properties": {"b": {"items": {"maximum": 0}}, "a": {"type": "string"}}, "required": ["c"]}`,
			`{"b": [1, -1, 2, 0, 3, 0, 0, 0, 0, 0, 10], "a": true}`,
			"object has missing required properties ([\"c\"])\n" +
				`instance type (boolean) does not match any allowed primitive type (allowed: ["string"])` + "\n" +
				"numeric instance is greater than the required maximum (maximum: 0, found: 1)\n" +
				"numeric instance is greater than the required maximum (maximum: 0, found: 2)\n" +
				"numeric instance is greater than the required maximum (maximum: 0, found: 3)\n" +
				"numeric instance is greater than the required maximum (maximum: 0, found: 10)"},
		{"keywords of one place by name", `{"maxLength": 1, "pattern": "^[0-9]+$"}`, `"abc"`,
			"string \"abc\" is too long (length: 3, maximum allowed: 1)\n" +
				`ECMA 262 regex "^[0-9]+$" does not match input string "abc"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := mustCompile(t, modelsAPI(map[string]string{"M": tt.schema}))
			if got := complaints(t, v, "M", tt.body); got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}
