package reqvalidate

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// FuzzCheck compiles a fuzzed schema next to the guide's model and checks fuzzed requests
// against both: no panics, and every failure is one of the documented answers.
func FuzzCheck(f *testing.F) {
	f.Add(petStoreModel, `{"id": 2, "name": "Bella", "type": "dog", "price": 4000}`, "application/json", "petType=dog")
	f.Add(`{"type": "number", "minimum": 0, "exclusiveMinimum": true}`, `0`, "", "")
	f.Add(`{"$ref": "https://apigateway.amazonaws.com/restapis/`+testAPIID+`/models/PetStoreModel"}`, `{}`, "", "")
	f.Add(`{"properties": {"a": {"pattern": "^(?=x)x+$"}}, "dependencies": {"a": ["b"]}}`, `{"a": "xx"}`, "text/plain", "petType=")
	f.Add(`{"allOf": [{"oneOf": [{}, {}]}], "not": {"enum": [1e400]}}`, `[1.0, 1e999]`, "Application/JSON; charset=x", "")
	f.Add(`{"items": [{"format": "email"}], "additionalItems": false, "uniqueItems": true}`, `["a", "a"]`, "", "")
	f.Fuzz(func(t *testing.T, schema, body, contentType, query string) {
		api := guideAPI()
		api.SchemaModels["Fuzz"] = &model.SchemaModel{Name: "Fuzz", Schema: schema}
		fuzzed := &model.Method{LogicalID: "Fuzz", HTTPMethod: "POST", RequestValidator: "all",
			RequestParameters: map[string]bool{"method.request.querystring.petType": true, "method.request.header.x-h": false},
			RequestModels:     map[string]string{"application/json": "Fuzz", "$default": "PetStoreModel"}}
		api.Resources[0].Methods = append(api.Resources[0].Methods, fuzzed)
		v, err := Compile(api)
		if v == nil {
			t.Fatalf("no validators (error %v)", err)
		}
		if err != nil && !strings.Contains(err.Error(), `model "Fuzz"`) {
			t.Fatalf("error not about the fuzzed model: %v", err)
		}
		r := &http.Request{Method: "POST", URL: &url.URL{Path: "/validator", RawQuery: query},
			Header: http.Header{"Content-Type": {contentType}}}
		for _, m := range api.Resources[0].Methods {
			fail := v.Check(m, r, []byte(body), map[string]string{})
			if fail == nil {
				continue
			}
			switch {
			case fail.ResponseType == BadRequestParameters && strings.HasPrefix(fail.Message, MsgMissingParameters+": ["):
			case fail.ResponseType == BadRequestBody && fail.Message == MsgInvalidBody &&
				strings.HasPrefix(fail.ValidationErrorString, "[") && strings.HasSuffix(fail.ValidationErrorString, "]"):
			case fail.ResponseType == APIConfigurationError && fail.Message == MsgInternal && err != nil:
			default:
				t.Fatalf("method %s: unexpected failure %+v", m.LogicalID, fail)
			}
		}
	})
}
