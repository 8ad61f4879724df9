package reqvalidate

import (
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// modelsAPI is an API with the given models (name -> schema) and one POST method per model,
// validated by body.
func modelsAPI(schemas map[string]string) *model.API {
	api := &model.API{ID: testAPIID, Protocol: model.ProtocolREST,
		SchemaModels: map[string]*model.SchemaModel{},
		RequestValidators: map[string]*model.RequestValidator{
			"body": {ValidateRequestBody: true},
		},
		Resources: []*model.Resource{{Path: "/"}},
	}
	for name, schema := range schemas {
		api.SchemaModels[name] = &model.SchemaModel{Name: name, ContentType: "application/json", Schema: schema}
	}
	return api
}

// complaints validates body against a model and joins the complaints, or says why it could not.
func complaints(t *testing.T, v *Validators, modelName, body string) string {
	t.Helper()
	c, err := v.ValidateModel(modelName, []byte(body))
	if err != nil {
		return "error: " + err.Error()
	}
	return strings.Join(c, "\n")
}

// The guide's "Creating more complex models": a model referring to another by its URL.
func TestCrossModelRef(t *testing.T) {
	v := mustCompile(t, modelsAPI(map[string]string{
		"PetStorePrice": `{
  "$schema" : "http://json-schema.org/draft-04/schema#",
  "title" : "PetStorePrice",
  "type": "number",
  "minimum": 25,
  "maximum": 500
}`,
		"PetStoreModelReusableRefAPI": `{
  "$schema" : "http://json-schema.org/draft-04/schema#",
  "title" : "PetStoreModelReusableRefAPI",
  "required" : [ "price", "type" ],
  "type" : "object",
  "properties" : {
    "id" : { "type" : "integer" },
    "type" : { "type" : "string", "enum" : [ "dog", "cat", "fish" ] },
    "price" : { "$ref": "https://apigateway.amazonaws.com/restapis/` + testAPIID + `/models/PetStorePrice" }
  }
}`,
		"PetStoreModelReUsableRef": `{
  "$schema" : "http://json-schema.org/draft-04/schema#",
  "title" : "PetStoreModelReUsableRef",
  "required" : ["price", "type" ],
  "type" : "object",
  "properties" : {
    "price" : { "$ref": "#/definitions/Price" }
  },
  "definitions" : {
    "Price": { "type" : "number", "minimum" : 25.0, "maximum" : 500.0 }
  }
}`,
	}))
	tests := []struct {
		model, body, want string
	}{
		{"PetStoreModelReusableRefAPI", `{"type": "dog", "price": 30}`, ""},
		{"PetStoreModelReusableRefAPI", `{"type": "dog", "price": 10}`,
			"numeric instance is lower than the required minimum (minimum: 25, found: 10)"},
		{"PetStoreModelReusableRefAPI", `{"type": "dog", "price": "10"}`,
			`instance type (string) does not match any allowed primitive type (allowed: ["integer","number"])`},
		{"PetStoreModelReUsableRef", `{"type": "dog", "price": 501}`,
			"numeric instance is greater than the required maximum (maximum: 500.0, found: 501)"},
		{"PetStorePrice", `26`, ""},
	}
	for _, tt := range tests {
		if got := complaints(t, v, tt.model, tt.body); got != tt.want {
			t.Errorf("%s %s:\n got %s\nwant %s", tt.model, tt.body, got, tt.want)
		}
	}
}

// Draft 4 is not draft 6 or later: what each draft means by the same words.
func TestDraft4(t *testing.T) {
	v, err := Compile(modelsAPI(map[string]string{
		// exclusiveMinimum is a boolean modifying minimum.
		"Positive": `{"type": "number", "minimum": 0, "exclusiveMinimum": true}`,
		// A draft 4 "id" sets the base URL that "$ref" resolves against.
		"ByID": `{
  "type": "object",
  "properties": {"n": {"$ref": "http://example.com/small"}},
  "definitions": {"small": {"id": "http://example.com/small", "type": "integer", "maximum": 9}}
}`,
		// A "$id" means nothing in draft 4, so this reference leads nowhere.
		"ByDollarID": `{
  "properties": {"n": {"$ref": "http://example.com/tiny"}},
  "definitions": {"tiny": {"$id": "http://example.com/tiny", "maximum": 1}}
}`,
		// Draft 6's numeric exclusiveMaximum is not draft 4: it does not compile.
		"Draft7": `{"$schema": "http://json-schema.org/draft-07/schema#", "exclusiveMaximum": 5}`,
		// Keywords of later drafts are unknown, so ignored.
		"Const": `{"const": 1, "contains": {"type": "string"}}`,
	}))
	if err == nil {
		t.Fatal("Compile succeeded with ByDollarID and Draft7")
	}
	for _, want := range []string{
		`model "ByDollarID": schema does not compile`,
		`http://example.com/tiny, which is not a model of this API`,
		`model "Draft7": schema does not compile`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if len(v.Warnings) != 1 || !strings.Contains(v.Warnings[0], `model "Draft7" declares $schema http://json-schema.org/draft-07/schema#`) {
		t.Errorf("warnings %q", v.Warnings)
	}
	tests := []struct {
		model, body, want string
	}{
		{"Positive", `1`, ""},
		{"Positive", `0`, "numeric instance is not strictly greater than the required minimum 0"},
		{"Positive", `-1`, "numeric instance is lower than the required minimum (minimum: 0, found: -1)"},
		{"ByID", `{"n": 9}`, ""},
		{"ByID", `{"n": 10}`, "numeric instance is greater than the required maximum (maximum: 9, found: 10)"},
		{"Const", `2`, ""},
		{"Const", `[1]`, ""},
		{"ByDollarID", `{}`, `error: model "ByDollarID": schema does not compile`},
	}
	for _, tt := range tests {
		got := complaints(t, v, tt.model, tt.body)
		if strings.HasPrefix(tt.want, "error: ") {
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("%s %s: got %s, want %s...", tt.model, tt.body, got, tt.want)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("%s %s:\n got %s\nwant %s", tt.model, tt.body, got, tt.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	api := modelsAPI(map[string]string{
		"Good":        `{"type": "object", "required": ["a"]}`,
		"NotJSON":     `{"type": `,
		"BadKeyword":  `{"type": "objet"}`,
		"BadRegex":    `{"pattern": "(unclosed"}`,
		"MissingRef":  `{"$ref": "https://apigateway.amazonaws.com/restapis/` + testAPIID + `/models/Nope"}`,
		"BrokenRef":   `{"$ref": "https://apigateway.amazonaws.com/restapis/` + testAPIID + `/models/NotJSON"}`,
		"OtherAPIRef": `{"$ref": "https://apigateway.amazonaws.com/restapis/zzzzzzzzzz/models/Good"}`,
		"Remote":      `{"$ref": "https://example.com/schema.json"}`,
		"HugeNumber":  `{"maximum": 1e999999}`,
	})
	good := &model.Method{LogicalID: "Good", HTTPMethod: "POST", RequestValidator: "body",
		RequestModels: map[string]string{"application/json": "Good"}}
	bad := &model.Method{LogicalID: "Bad", HTTPMethod: "PUT", RequestValidator: "body",
		RequestModels: map[string]string{"application/json": "BadKeyword"}}
	api.Resources[0].Methods = []*model.Method{good, bad,
		{LogicalID: "NoValidator", HTTPMethod: "GET", RequestValidator: "nope"},
		{LogicalID: "NoModel", HTTPMethod: "PATCH", RequestModels: map[string]string{"text/plain": "Ghost"}},
		{LogicalID: "BadParam", HTTPMethod: "DELETE", RequestParameters: map[string]bool{
			"method.request.cookie.c": true, "querystring.q": true}},
	}
	v, err := Compile(api)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`model "NotJSON": schema is not JSON`,
		`model "BadKeyword": schema does not compile`,
		`model "BadRegex": schema does not compile`,
		`model "MissingRef": schema does not compile`,
		`$ref to model "Nope", which the API does not define`,
		`model "BrokenRef": schema does not compile`,
		`$ref to model "NotJSON", which is broken`,
		`model "OtherAPIRef": schema does not compile`,
		`https://apigateway.amazonaws.com/restapis/zzzzzzzzzz/models/Good, which is not a model of this API`,
		`model "Remote": schema does not compile`,
		`model "HugeNumber": number 1e999999 in its schema is out of range`,
		`method GET / (NoValidator): request validator "nope" is not defined`,
		`method PATCH / (NoModel): request model "Ghost" for text/plain is not defined`,
		`method DELETE / (BadParam): request parameter "method.request.cookie.c": no location "cookie"`,
		`method DELETE / (BadParam): request parameter "querystring.q" is not method.request.`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not contain %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), `"Good"`+": ") {
		t.Errorf("error names the good model: %v", err)
	}

	// The rest of the API is still served.
	if f := v.Check(good, request("POST", "/", `{}`), []byte(`{}`), nil); f == nil || f.ResponseType != BadRequestBody {
		t.Errorf("good model: %v", f)
	}
	f := v.Check(bad, request("PUT", "/", `{}`), []byte(`{}`), nil)
	if f == nil || f.ResponseType != APIConfigurationError || f.Message != "Internal server error" ||
		!strings.Contains(f.Detail, `request model "BadKeyword" for application/json cannot be used`) {
		t.Errorf("broken model: %+v", f)
	}
}

func TestECMARegexp(t *testing.T) {
	v := mustCompile(t, modelsAPI(map[string]string{
		// A password rule needs lookaheads, which Go's regexp lacks.
		"Password": `{"type": "string", "pattern": "^(?=.*[0-9])(?=.*[a-z]).{8,}$"}`,
		// Patterns are not anchored.
		"HasDigit": `{"type": "string", "pattern": "[0-9]"}`,
		"Keys":     `{"type": "object", "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}`,
		// Catastrophic backtracking runs out of time instead of holding the request.
		"Slow": `{"type": "string", "pattern": "^(a+)+$"}`,
	}))
	tests := []struct {
		model, body, want string
	}{
		{"Password", `"abcdefg1"`, ""},
		{"Password", `"abcdefgh"`, `ECMA 262 regex "^(?=.*[0-9])(?=.*[a-z]).{8,}$" does not match input string "abcdefgh"`},
		{"HasDigit", `"abc1def"`, ""},
		{"Keys", `{"x-a": "1"}`, ""},
		{"Keys", `{"x-a": 1, "b": 1, "a": 2}`,
			`object instance has properties which are not allowed by the schema: ["a","b"]` + "\n" +
				`instance type (integer) does not match any allowed primitive type (allowed: ["string"])`},
		{"Slow", `"` + strings.Repeat("a", 40) + `!"`,
			`ECMA 262 regex "^(a+)+$" does not match input string "` + strings.Repeat("a", 40) + `!"`},
	}
	for _, tt := range tests {
		if got := complaints(t, v, tt.model, tt.body); got != tt.want {
			t.Errorf("%s %s:\n got %s\nwant %s", tt.model, tt.body, got, tt.want)
		}
	}
}

func TestValidateModelUnknown(t *testing.T) {
	v := mustCompile(t, modelsAPI(nil))
	if _, err := v.ValidateModel("Ghost", nil); err == nil || err.Error() != `no model "Ghost"` {
		t.Errorf("err = %v", err)
	}
}
