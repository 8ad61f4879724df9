package restapi

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// validatedAPI has a POST /pets that validates parameters and body against a model.
func validatedAPI() *model.API {
	post := proxyMethod("POST")
	post.RequestParameters = map[string]bool{"method.request.querystring.type": true}
	post.RequestModels = map[string]string{"application/json": "Pet"}
	post.RequestValidator = "all"
	api := testAPI(res("/pets", post), res("/big", proxyMethod("PUT")))
	api.SchemaModels = map[string]*model.SchemaModel{"Pet": {Name: "Pet", ContentType: "application/json",
		Schema: `{"$schema":"http://json-schema.org/draft-04/schema#","type":"object","required":["name"],"properties":{"name":{"type":"string"}}}`}}
	api.RequestValidators = map[string]*model.RequestValidator{"all": {Name: "all", ValidateRequestBody: true, ValidateRequestParameters: true}}
	return api
}

func TestErrorAnswers(t *testing.T) {
	s, logs := newTestServer(t, validatedAPI(), &fakeInvoker{})
	for _, tc := range []struct {
		name      string
		method    string
		target    string
		body      string
		header    []string
		status    int
		body_     string
		errorType string
		log       string
	}{
		{"no resource", "GET", "/nothing/here", "", nil, 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"no method on the resource", "DELETE", "/pets", "", nil, 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException", ""},
		{"missing required parameter", "POST", "/pets", `{"name":"rex"}`, nil, 400, `{"message":"Missing required request parameters: [type]"}`, "BadRequestException", "request validation failed"},
		{"body against the model", "POST", "/pets?type=dog", `{"age":3}`, nil, 400, `{"message":"Invalid request body"}`, "BadRequestException", "Request body does not match model schema"},
		{"valid", "POST", "/pets?type=dog", `{"name":"rex"}`, nil, 200, "ok", "", ""},
		{"header values over 10240 bytes", "GET", "/pets", "", []string{"X-Big", strings.Repeat("x", 10241)}, 431, `{"message":"Request Header Fields Too Large"}`, "", "10240"},
		{"too large", "PUT", "/big", strings.Repeat("x", maxPayload+1), nil, 413, `{"message":"HTTP content length exceeded 10485760 bytes."}`, "", "payload quota"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := do(s, tc.method, tc.target, tc.body, tc.header...)
			if w.Code != tc.status || w.Body.String() != tc.body_ {
				t.Errorf("got %d %s, want %d %s", w.Code, w.Body, tc.status, tc.body_)
			}
			if got := w.Header().Get("X-Amzn-Errortype"); got != tc.errorType {
				t.Errorf("x-amzn-ErrorType = %q, want %q", got, tc.errorType)
			}
			if w.Header().Get("X-Amzn-Requestid") == "" || w.Header().Get("X-Amz-Apigw-Id") == "" {
				t.Error("no request id headers")
			}
			if tc.status >= 400 && w.Header().Get("Content-Type") != "application/json" {
				t.Errorf("content type %q", w.Header().Get("Content-Type"))
			}
			if tc.log != "" && !strings.Contains(logs.String(), tc.log) {
				t.Errorf("log lacks %q", tc.log)
			}
		})
	}
}

func TestGatewayResponsesApply(t *testing.T) {
	api := validatedAPI()
	api.Stages[0].Variables["a"] = "stage-a"
	api.GatewayResponses = []*model.GatewayResponse{
		// The guide's "Set up a gateway response" example.
		{ResponseType: "MISSING_AUTHENTICATION_TOKEN", StatusCode: "404",
			ResponseParameters: map[string]string{
				"gatewayresponse.header.Access-Control-Allow-Origin": "'a.b.c'",
				"gatewayresponse.header.x-request-query":             "method.request.querystring.q",
			},
			ResponseTemplates: map[string]string{"application/json": `{"message":$context.error.messageString, "type": "$context.error.responseType", "stage": "$context.stage", "a": "$stageVariables.a"}`}},
		{ResponseType: "DEFAULT_4XX", ResponseParameters: map[string]string{"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}},
		{ResponseType: "BAD_REQUEST_BODY", ResponseTemplates: map[string]string{"application/json": `{"why": "$context.error.validationErrorString"}`}},
	}
	s, _ := newTestServer(t, api, &fakeInvoker{})

	w := do(s, "GET", "/nope?q=1", "")
	if w.Code != 404 || w.Body.String() != `{"message":"Missing Authentication Token", "type": "MISSING_AUTHENTICATION_TOKEN", "stage": "prod", "a": "stage-a"}` {
		t.Errorf("MAT: %d %s", w.Code, w.Body)
	}
	if w.Header().Get("Access-Control-Allow-Origin") != "a.b.c" || w.Header().Get("X-Request-Query") != "1" {
		t.Errorf("MAT headers %v", w.Header())
	}
	// DEFAULT_4XX's headers reach a 400 without a response of its own.
	w = do(s, "POST", "/pets", `{}`)
	if w.Code != 400 || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("400: %d %v", w.Code, w.Header())
	}
	w = do(s, "POST", "/pets?type=x", `{}`)
	if w.Code != 400 || !strings.Contains(w.Body.String(), `object has missing required properties`) {
		t.Errorf("BAD_REQUEST_BODY: %d %s", w.Code, w.Body)
	}
}

func TestPanicIsA500(t *testing.T) {
	inv := &fakeInvoker{respond: func(context.Context, []byte) (*lambdahost.Result, error) { panic("handler bug") }}
	s, logs := newTestServer(t, testAPI(res("/x", proxyMethod("GET"))), inv)
	w := do(s, "GET", "/x", "")
	if w.Code != 500 || w.Body.String() != `{"message":"Internal server error"}` {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
	if !strings.Contains(logs.String(), "handler bug") {
		t.Errorf("log: %s", logs)
	}
}

func TestHeadHasNoBody(t *testing.T) {
	s, _ := newTestServer(t, testAPI(res("/x", mockMethod("HEAD", 200, `{"a":1}`))), nil)
	r := httptest.NewRequest("HEAD", "http://h/x", nil)
	w := serve(s, r)
	if w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") != "7" {
		t.Errorf("got %d %q length %q", w.Code, w.Body, w.Header().Get("Content-Length"))
	}
	if w := serve(s, httptest.NewRequest("GET", "http://h/x", nil)); w.Code != 403 {
		t.Errorf("GET on a HEAD-only resource: %d, want 403", w.Code)
	}
}
