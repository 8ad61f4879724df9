package reqvalidate

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

const testAPIID = "a1b2c3d4e5"

// petStoreModel is the guide's PetStoreModel from "Set up request validation using the API
// Gateway console".
const petStoreModel = `{
  "type" : "object",
  "required" : [ "name", "price", "type" ],
  "properties" : {
    "id" : { "type" : "integer" },
    "type" : { "type" : "string", "enum" : [ "dog", "cat", "fish" ] },
    "name" : { "type" : "string" },
    "price" : { "type" : "number", "minimum" : 25.0, "maximum" : 500.0 }
  }
}`

// guideAPI is the guide's /validator resource: GET with a required petType query string under
// the params-only validator, POST with PetStoreModel under the body-only validator.
func guideAPI() *model.API {
	return &model.API{
		ID: testAPIID, Protocol: model.ProtocolREST,
		SchemaModels: map[string]*model.SchemaModel{
			"PetStoreModel": {Name: "PetStoreModel", ContentType: "application/json", Schema: petStoreModel},
		},
		RequestValidators: map[string]*model.RequestValidator{
			"params-only": {Name: "params-only", ValidateRequestParameters: true},
			"body-only":   {Name: "body-only", ValidateRequestBody: true},
			"all":         {Name: "all", ValidateRequestBody: true, ValidateRequestParameters: true},
		},
		Resources: []*model.Resource{{Path: "/validator", Methods: []*model.Method{
			getMethod(), postMethod(),
		}}},
	}
}

func getMethod() *model.Method {
	return &model.Method{LogicalID: "Get", HTTPMethod: "GET", RequestValidator: "params-only",
		RequestParameters: map[string]bool{"method.request.querystring.petType": true}}
}

func postMethod() *model.Method {
	return &model.Method{LogicalID: "Post", HTTPMethod: "POST", RequestValidator: "body-only",
		RequestModels: map[string]string{"application/json": "PetStoreModel"}}
}

func mustCompile(t *testing.T, api *model.API) *Validators {
	t.Helper()
	v, err := Compile(api)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return v
}

// request builds a request; headers are "Name: value" lines.
func request(method, target, body string, headers ...string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ":")
		r.Header.Add(name, strings.TrimSpace(value))
	}
	return r
}

func TestCheckGuide(t *testing.T) {
	v := mustCompile(t, guideAPI())
	get, post := getMethod(), postMethod()
	tests := []struct {
		name    string
		method  *model.Method
		target  string // path and query
		body    string
		headers []string
		// want is ResponseType|Message|ValidationErrorString, "" for no failure.
		want string
	}{
		// The guide's GET tests.
		{"petType given", get, "/validator?petType=dog", "", nil, ""},
		{"petType missing", get, "/validator", "", nil,
			"BAD_REQUEST_PARAMETERS|Missing required request parameters: [petType]|Missing required request parameters: [petType]"},
		{"petType blank", get, "/validator?petType=", "", nil,
			"BAD_REQUEST_PARAMETERS|Missing required request parameters: [petType]|Missing required request parameters: [petType]"},
		{"petType spaces", get, "/validator?petType=%20%20", "", nil,
			"BAD_REQUEST_PARAMETERS|Missing required request parameters: [petType]|Missing required request parameters: [petType]"},
		{"petType one of two blank", get, "/validator?petType=&petType=cat", "", nil, ""},
		{"petType is case-sensitive", get, "/validator?pettype=dog", "", nil,
			"BAD_REQUEST_PARAMETERS|Missing required request parameters: [petType]|Missing required request parameters: [petType]"},
		{"params-only ignores the body", get, "/validator?petType=dog", "not json", nil, ""},

		// The guide's POST tests.
		{"Bella at 400", post, "/validator", `{"id": 2, "name": "Bella", "type": "dog", "price": 400}`, nil, ""},
		{"Bella at 4000", post, "/validator", `{"id": 2, "name": "Bella", "type": "dog", "price": 4000}`, nil,
			"BAD_REQUEST_BODY|Invalid request body|[numeric instance is greater than the required maximum (maximum: 500.0, found: 4000)]"},
		{"no name", post, "/validator", `{"type": "dog", "price": 400}`, nil,
			`BAD_REQUEST_BODY|Invalid request body|[object has missing required properties (["name"])]`},
		{"a bird", post, "/validator", `{"name": "Tweety", "type": "bird", "price": 30}`, nil,
			`BAD_REQUEST_BODY|Invalid request body|[instance value ("bird") not found in enum (possible values: ["dog","cat","fish"])]`},
		{"id as a string", post, "/validator", `{"id": "2", "name": "Bella", "type": "dog", "price": 400}`, nil,
			`BAD_REQUEST_BODY|Invalid request body|[instance type (string) does not match any allowed primitive type (allowed: ["integer"])]`},
		{"id with a fraction", post, "/validator", `{"id": 2.5, "name": "Bella", "type": "dog", "price": 400}`, nil,
			`BAD_REQUEST_BODY|Invalid request body|[instance type (number) does not match any allowed primitive type (allowed: ["integer"])]`},
		// Draft 4: an integer is written without a fraction or exponent.
		{"id 2.0 is not an integer", post, "/validator", `{"id": 2.0, "name": "Bella", "type": "dog", "price": 400}`, nil,
			`BAD_REQUEST_BODY|Invalid request body|[instance type (number) does not match any allowed primitive type (allowed: ["integer"])]`},
		{"id 2e0 is not an integer", post, "/validator", `{"id": 2e0, "name": "Bella", "type": "dog", "price": 400}`, nil,
			`BAD_REQUEST_BODY|Invalid request body|[instance type (number) does not match any allowed primitive type (allowed: ["integer"])]`},
		{"price may be an integer", post, "/validator", `{"name": "Bella", "type": "dog", "price": "400"}`, nil,
			`BAD_REQUEST_BODY|Invalid request body|[instance type (string) does not match any allowed primitive type (allowed: ["integer","number"])]`},
		{"price too low", post, "/validator", `{"name": "Bella", "type": "dog", "price": 24.99}`, nil,
			`BAD_REQUEST_BODY|Invalid request body|[numeric instance is lower than the required minimum (minimum: 25.0, found: 24.99)]`},
		{"several faults, in body order", post, "/validator", `{"type": "bird", "price": 4000}`, nil,
			`BAD_REQUEST_BODY|Invalid request body|[object has missing required properties (["name"]), numeric instance is greater than the required maximum (maximum: 500.0, found: 4000), instance value ("bird") not found in enum (possible values: ["dog","cat","fish"])]`},
		{"empty body is {}", post, "/validator", "", nil,
			`BAD_REQUEST_BODY|Invalid request body|[object has missing required properties (["name","price","type"])]`},
		{"an array", post, "/validator", `[]`, nil,
			`BAD_REQUEST_BODY|Invalid request body|[instance type (array) does not match any allowed primitive type (allowed: ["object"])]`},
		{"not JSON", post, "/validator", `{"name":`, nil,
			`BAD_REQUEST_BODY|Invalid request body|[Invalid JSON: unexpected EOF]`},
		{"trailing garbage", post, "/validator", `{} x`, nil,
			`BAD_REQUEST_BODY|Invalid request body|[Invalid JSON: invalid character after top-level value]`},
		{"huge exponent", post, "/validator", `{"name": "a", "type": "dog", "price": 1e999999}`, nil,
			`BAD_REQUEST_BODY|Invalid request body|[numeric instance 1e999999 is out of range]`},
		{"body-only ignores parameters", post, "/validator?x=", `{"name": "Bella", "type": "dog", "price": 400}`, nil, ""},

		// Content types.
		{"charset parameter ignored", post, "/validator", `{}`, []string{"Content-Type: application/json; charset=utf-8"},
			`BAD_REQUEST_BODY|Invalid request body|[object has missing required properties (["name","price","type"])]`},
		{"media type in any case", post, "/validator", `{}`, []string{"Content-Type: Application/JSON"},
			`BAD_REQUEST_BODY|Invalid request body|[object has missing required properties (["name","price","type"])]`},
		{"no model for text/plain", post, "/validator", `not json`, []string{"Content-Type: text/plain"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := request(tt.method.HTTPMethod, tt.target, tt.body, tt.headers...)
			got := ""
			if f := v.Check(tt.method, r, []byte(tt.body), nil); f != nil {
				got = f.ResponseType + "|" + f.Message + "|" + f.ValidationErrorString
			}
			if got != tt.want {
				t.Errorf("Check:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestCheckParameters(t *testing.T) {
	api := guideAPI()
	m := &model.Method{HTTPMethod: "GET", RequestValidator: "all", RequestParameters: map[string]bool{
		"method.request.querystring.q":             true,
		"method.request.header.x-version":          true,
		"method.request.path.id":                   true,
		"method.request.querystring.optional":      false,
		"method.request.multivaluequerystring.tag": true,
	}}
	api.Resources[0].Methods = append(api.Resources[0].Methods, m)
	v := mustCompile(t, api)
	tests := []struct {
		name    string
		target  string
		headers []string
		path    map[string]string
		want    string // Message, "" for none
	}{
		{"all there", "/items/1?q=a&tag=x", []string{"X-Version: 2"}, map[string]string{"id": "1"}, ""},
		{"header in any case", "/items/1?q=a&tag=x", []string{"x-VERSION: 2"}, map[string]string{"id": "1"}, ""},
		{"all missing, in key order", "/items/", nil, nil,
			"Missing required request parameters: [x-version, tag, id, q]"},
		{"blank header", "/items/1?q=a&tag=x", []string{"X-Version:  "}, map[string]string{"id": "1"},
			"Missing required request parameters: [x-version]"},
		{"empty path parameter", "/items/?q=a&tag=x", []string{"X-Version: 2"}, map[string]string{"id": ""},
			"Missing required request parameters: [id]"},
		{"parameters before body", "/items/1", nil, map[string]string{"id": "1"},
			"Missing required request parameters: [x-version, tag, q]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if f := v.Check(m, request("GET", tt.target, "", tt.headers...), []byte("not json"), tt.path); f != nil {
				got = f.Message
				if f.ResponseType != BadRequestParameters || f.ValidationErrorString != f.Message {
					t.Errorf("failure %+v", f)
				}
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckBodyModelSelection(t *testing.T) {
	api := guideAPI()
	api.SchemaModels["Text"] = &model.SchemaModel{Name: "Text", Schema: `{"type": "string"}`}
	withDefault := &model.Method{HTTPMethod: "POST", RequestValidator: "body-only",
		RequestModels: map[string]string{"application/json": "PetStoreModel", "$default": "Text"}}
	noJSON := &model.Method{HTTPMethod: "POST", RequestValidator: "body-only",
		RequestModels: map[string]string{"application/xml": "Text"}}
	api.Resources[0].Methods = append(api.Resources[0].Methods, withDefault, noJSON)
	v := mustCompile(t, api)
	tests := []struct {
		name        string
		m           *model.Method
		contentType string
		body        string
		wantFail    bool
	}{
		{"JSON model for JSON", withDefault, "application/json", `"a string"`, true},
		{"no Content-Type is JSON", withDefault, "", `"a string"`, true},
		{"$default for another type", withDefault, "text/plain", `"a string"`, false},
		{"$default refuses", withDefault, "text/plain", `{"an": "object"}`, true},
		{"no model for JSON, none checked", noJSON, "", `{"an": "object"}`, false},
		{"XML model applies to XML", noJSON, "application/xml", `<a/>`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var headers []string
			if tt.contentType != "" {
				headers = append(headers, "Content-Type: "+tt.contentType)
			}
			f := v.Check(tt.m, request("POST", "/", tt.body, headers...), []byte(tt.body), nil)
			if (f != nil) != tt.wantFail {
				t.Errorf("failure = %v, want failure %v", f, tt.wantFail)
			}
		})
	}
}

func TestCheckWithoutValidator(t *testing.T) {
	api := guideAPI()
	m := postMethod()
	m.RequestValidator = ""
	v := mustCompile(t, api)
	if f := v.Check(m, request("POST", "/", "x"), []byte("x"), nil); f != nil {
		t.Errorf("a method without a validator was checked: %v", f)
	}
}

func TestFailureLogLine(t *testing.T) {
	v := mustCompile(t, guideAPI())
	f := v.Check(postMethod(), request("POST", "/", ""), nil, nil)
	want := `BAD_REQUEST_BODY: Request body does not match model schema for content type application/json: [object has missing required properties (["name","price","type"])]`
	if f == nil || f.Error() != want {
		t.Errorf("log line:\n got %v\nwant %s", f, want)
	}
}
