package restapi

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// lambdaCustomMethod is the guide's "Handle Lambda errors" setup: a default 200 response, a 400
// for "Malformed.*" errors and a 500 for any other error ("(\n|.)+").
func lambdaCustomMethod() *model.Method {
	return &model.Method{LogicalID: "Greet", HTTPMethod: "POST",
		MethodResponses: []*model.MethodResponse{{StatusCode: "200"}, {StatusCode: "400"}, {StatusCode: "500"}},
		Integration: &model.Integration{Type: model.IntegrationAWS, Function: "fn", Method: "POST",
			RequestTemplates: map[string]string{
				"application/json": `{"name": $input.json('$.name'), "q": "$input.params('q')", "stage": "$context.stage", "env": "$stageVariables.env"}`,
			},
			PassthroughBehavior: "WHEN_NO_TEMPLATES",
			RequestParameters:   map[string]string{"integration.request.header.X-Amz-Invocation-Type": "method.request.header.x-mode"},
			IntegrationResponses: []*model.IntegrationResponse{
				{StatusCode: "200", ResponseParameters: map[string]string{
					"method.response.header.X-Greeting": "integration.response.body.greeting",
					"method.response.header.X-Static":   "'yes'",
					"method.response.header.X-Stage":    "context.stage",
				}, ResponseTemplates: map[string]string{
					"application/json": `{"message": $input.json('$.greeting'), "id": "$input.params('id')"}`,
					"application/xml":  `<message>$input.path('$.greeting')</message>`,
				}},
				{StatusCode: "400", SelectionPattern: "Malformed.*", ResponseTemplates: map[string]string{
					"application/json": `{"error": "$input.path('$.errorMessage')"}`,
				}},
				{StatusCode: "500", SelectionPattern: `(\n|.)+`},
			}}}
}

func TestLambdaCustom(t *testing.T) {
	tests := []struct {
		name       string
		respond    func(context.Context, []byte) (*lambdahost.Result, error)
		body       string
		header     []string
		wantStatus int
		wantBody   string
		wantHeader map[string]string
		wantEvent  string // the function's payload; "" to skip
	}{
		{"success: default response, template by default Accept", answer(`{"greeting":"hello jane"}`), `{"name":"jane"}`, nil,
			200, `{"message": "hello jane", "id": ""}`,
			map[string]string{"X-Greeting": "hello jane", "X-Static": "yes", "X-Stage": "prod", "Content-Type": "application/json"},
			`{"name": "jane", "q": "7", "stage": "prod", "env": "production"}`},
		{"Accept picks the xml template", answer(`{"greeting":"hi"}`), `{"name":"x"}`, []string{"Accept", "application/xml"},
			200, `<message>hi</message>`, map[string]string{"Content-Type": "application/xml"}, ""},
		{"an Accept without a template gets application/json's", answer(`{"greeting":"hi"}`), `{}`, []string{"Accept", "text/html"},
			200, `{"message": "hi", "id": ""}`, nil, `{"name": , "q": "7", "stage": "prod", "env": "production"}`},
		{"error matched by Malformed.*", functionError("Malformed input ..."), `{}`, nil,
			400, `{"error": "Malformed input ..."}`, nil, ""},
		{"other errors by (\\n|.)+, passed through untransformed", functionError("kaput\nline two"), `{}`, nil,
			500, `{"errorMessage":"kaput\nline two","errorType":"Error","stackTrace":[]}`, nil, ""},
		{"Content-Type without a template: WHEN_NO_TEMPLATES refuses", answer(`{}`), `<x/>`, []string{"Content-Type", "application/xml"},
			415, `{"message":"Unsupported Media Type"}`, nil, ""},
		{"body that is not JSON for $input.json", answer(`{}`), `{nope`, nil,
			400, "", map[string]string{"X-Amzn-Errortype": "BadRequestException"}, ""},
		{"asynchronous invocation", answer(`{"greeting":"never seen"}`), `{"name":"a"}`, []string{"x-mode", "Event"},
			200, `{"message": , "id": ""}`, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv := &fakeInvoker{respond: tc.respond}
			s, logs := newTestServer(t, testAPI(res("/greet", lambdaCustomMethod())), inv)
			w := do(s, "POST", "/greet?q=7", tc.body, tc.header...)
			if w.Code != tc.wantStatus || (tc.wantBody != "" && w.Body.String() != tc.wantBody) {
				t.Fatalf("got %d %q, want %d %q\nlog: %s", w.Code, w.Body, tc.wantStatus, tc.wantBody, logs)
			}
			for k, v := range tc.wantHeader {
				if got := w.Header().Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if tc.wantEvent != "" {
				if got := string(inv.last(t)); got != tc.wantEvent {
					t.Errorf("function got %s, want %s", got, tc.wantEvent)
				}
			}
		})
	}
}

func TestLambdaCustomBadRequestMessage(t *testing.T) {
	s, _ := newTestServer(t, testAPI(res("/greet", lambdaCustomMethod())), &fakeInvoker{})
	w := do(s, "POST", "/greet", `{nope`)
	if !strings.HasPrefix(w.Body.String(), `{"message":"Could not parse request body into json: `) {
		t.Errorf("body %s", w.Body)
	}
}

func TestAsyncInvocationRuns(t *testing.T) {
	done := make(chan []byte, 1)
	inv := &fakeInvoker{respond: func(_ context.Context, p []byte) (*lambdahost.Result, error) {
		done <- p
		return &lambdahost.Result{Payload: []byte(`{}`)}, nil
	}}
	s, _ := newTestServer(t, testAPI(res("/greet", lambdaCustomMethod())), inv)
	if w := do(s, "POST", "/greet", `{"name":"a"}`, "x-mode", "Event"); w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	select {
	case p := <-done:
		if !strings.Contains(string(p), `"name": "a"`) {
			t.Errorf("payload %s", p)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the function was never invoked")
	}
}

func TestMock(t *testing.T) {
	scoped := &model.Method{HTTPMethod: "GET",
		MethodResponses: []*model.MethodResponse{{StatusCode: "200"}, {StatusCode: "500"}},
		Integration: &model.Integration{Type: model.IntegrationMock,
			// The guide's "Set up mock integrations" example.
			RequestTemplates: map[string]string{"application/json": `{
   #if( $input.params('scope') == "internal" )
    "statusCode": 200
  #else
    "statusCode": 500
  #end
}`},
			IntegrationResponses: []*model.IntegrationResponse{
				{StatusCode: "200", SelectionPattern: "2\\d{2}", ResponseTemplates: map[string]string{"application/json": `{"statusCode": 200, "message": "Go ahead without me."}`}},
				{StatusCode: "500", SelectionPattern: "5\\d{2}", ResponseTemplates: map[string]string{"application/json": `{"statusCode": 500, "message": "The invoked method is not supported on the API resource."}`}},
			}}}
	noTemplate := &model.Method{HTTPMethod: "GET", Integration: &model.Integration{Type: model.IntegrationMock,
		IntegrationResponses: []*model.IntegrationResponse{{StatusCode: "204", ResponseParameters: map[string]string{"method.response.header.X-Mock": "'1'"}}}}}
	override := &model.Method{HTTPMethod: "POST", Integration: &model.Integration{Type: model.IntegrationMock,
		RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
		IntegrationResponses: []*model.IntegrationResponse{{StatusCode: "200", ResponseTemplates: map[string]string{"application/json": `#set($context.responseOverride.status = 418)
#set($context.responseOverride.header.X-Tea = "earl grey")
{"id": "$input.params('id')", "path": "$context.resourcePath", "requestId": "$context.requestId"}`}}}}}
	noMatch := &model.Method{HTTPMethod: "DELETE", Integration: &model.Integration{Type: model.IntegrationMock,
		RequestTemplates:     map[string]string{"application/json": `{"statusCode": 404}`},
		IntegrationResponses: []*model.IntegrationResponse{{StatusCode: "200", SelectionPattern: "200"}}}}
	undeclared := &model.Method{HTTPMethod: "PUT", MethodResponses: []*model.MethodResponse{{StatusCode: "200"}},
		Integration: &model.Integration{Type: model.IntegrationMock,
			RequestTemplates:     map[string]string{"application/json": `{"statusCode": 200}`},
			IntegrationResponses: []*model.IntegrationResponse{{StatusCode: "201"}}}}
	badTemplate := &model.Method{HTTPMethod: "PATCH", Integration: &model.Integration{Type: model.IntegrationMock,
		RequestTemplates:     map[string]string{"application/json": `#if(`},
		IntegrationResponses: []*model.IntegrationResponse{{StatusCode: "200"}}}}
	// The CDK's CORS preflight method: a template that is not strict JSON, and a 204 default.
	preflight := &model.Method{HTTPMethod: "OPTIONS", MethodResponses: []*model.MethodResponse{{StatusCode: "204"}},
		Integration: &model.Integration{Type: model.IntegrationMock, PassthroughBehavior: "WHEN_NO_MATCH",
			RequestTemplates: map[string]string{"application/json": "{ statusCode: 200 }"},
			IntegrationResponses: []*model.IntegrationResponse{{StatusCode: "204", ResponseParameters: map[string]string{
				"method.response.header.Access-Control-Allow-Origin": "'*'"}}}}}
	api := testAPI(res("/scope", scoped), res("/plain", noTemplate), res("/items/{id}", override, noMatch, undeclared, badTemplate, preflight))
	s, logs := newTestServer(t, api, nil)

	for _, tc := range []struct {
		method, target string
		body           string
		wantStatus     int
		wantBody       string
		wantHeader     map[string]string
	}{
		{"GET", "/scope?scope=internal", "", 200, `{"statusCode": 200, "message": "Go ahead without me."}`, nil},
		{"GET", "/scope?scope=public", "", 500, `{"statusCode": 500, "message": "The invoked method is not supported on the API resource."}`, nil},
		{"GET", "/plain", "", 204, "", map[string]string{"X-Mock": "1"}},
		{"POST", "/items/42", "", 418, "", map[string]string{"X-Tea": "earl grey"}},
		{"DELETE", "/items/42", "", 500, `{"message":"Internal server error"}`, nil},
		{"PUT", "/items/42", "", 500, `{"message":"Internal server error"}`, nil},
		{"PATCH", "/items/42", "", 500, `{"message":"Internal server error"}`, nil},
		{"GET", "/plain", `{"not":"a status"}`, 500, `{"message":"Internal server error"}`, nil},
		{"OPTIONS", "/items/1", "", 204, "", map[string]string{"Access-Control-Allow-Origin": "*"}},
	} {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			w := do(s, tc.method, tc.target, tc.body)
			if w.Code != tc.wantStatus || (tc.wantBody != "" && w.Body.String() != tc.wantBody) {
				t.Fatalf("got %d %q, want %d %q", w.Code, w.Body, tc.wantStatus, tc.wantBody)
			}
			for k, v := range tc.wantHeader {
				if got := w.Header().Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
		})
	}
	// The override test's body names the request.
	w := do(s, "POST", "/items/42", "")
	if !strings.Contains(w.Body.String(), `"id": "42", "path": "/items/{id}", "requestId": "`+w.Header().Get("X-Amzn-Requestid")+`"`) {
		t.Errorf("body %s", w.Body)
	}
	for _, want := range []string{"no match for output mapping", "has no method response", "does not parse", "unable to parse statusCode"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q", want)
		}
	}
}

func TestPassthroughBehaviors(t *testing.T) {
	// The guide's "Integration passthrough behaviors", example 1: one application/json
	// template.
	for _, tc := range []struct {
		behavior    string
		contentType string
		want        string // "template", "passthrough" or "415"
	}{
		{"WHEN_NO_MATCH", "", "template"},
		{"WHEN_NO_MATCH", "application/json", "template"},
		{"WHEN_NO_MATCH", "application/json; charset=UTF-8", "template"},
		{"WHEN_NO_MATCH", "application/xml", "passthrough"},
		{"WHEN_NO_TEMPLATES", "", "template"},
		{"WHEN_NO_TEMPLATES", "application/xml", "415"},
		{"NEVER", "application/json", "template"},
		{"NEVER", "application/xml", "415"},
		{"", "application/xml", "passthrough"},
	} {
		t.Run(tc.behavior+" "+tc.contentType, func(t *testing.T) {
			m := lambdaCustomMethod()
			m.Integration.PassthroughBehavior = tc.behavior
			m.Integration.RequestTemplates = map[string]string{"application/json": "templated"}
			inv := &fakeInvoker{respond: answer(`{}`)}
			s, _ := newTestServer(t, testAPI(res("/p", m)), inv)
			var hdr []string
			if tc.contentType != "" {
				hdr = []string{"Content-Type", tc.contentType}
			}
			w := do(s, "POST", "/p", "<raw/>", hdr...)
			got := "415"
			if w.Code != 415 {
				got = map[string]string{"templated": "template", "<raw/>": "passthrough"}[string(inv.last(t))]
			}
			if got != tc.want {
				t.Errorf("got %s (status %d), want %s", got, w.Code, tc.want)
			}
		})
	}
	t.Run("no templates", func(t *testing.T) {
		for behavior, want := range map[string]int{"WHEN_NO_MATCH": 200, "WHEN_NO_TEMPLATES": 200, "NEVER": 415} {
			m := lambdaCustomMethod()
			m.Integration.PassthroughBehavior = behavior
			m.Integration.RequestTemplates = nil
			s, _ := newTestServer(t, testAPI(res("/p", m)), &fakeInvoker{respond: answer(`{}`)})
			if w := do(s, "POST", "/p", "x", "Content-Type", "text/plain"); w.Code != want {
				t.Errorf("%s: status %d, want %d", behavior, w.Code, want)
			}
		}
	})
}

func TestContentHandling(t *testing.T) {
	bin := []byte{0, 1, 2, 0xff}
	b64 := base64.StdEncoding.EncodeToString(bin)
	tests := []struct {
		name        string
		types       []string
		reqHandling string
		contentType string
		body        []byte
		wantPayload []byte // what the function receives
	}{
		{"text, no binary types", nil, "", "application/json", []byte(`{"a":1}`), []byte(`{"a":1}`)},
		{"text to binary", nil, convertToBinary, "text/plain", []byte(b64), bin},
		{"binary passes through", []string{"application/octet-stream"}, "", "application/octet-stream", bin, bin},
		{"binary to text", []string{"application/octet-stream"}, convertToText, "application/octet-stream", bin, []byte(b64)},
		{"binary stays binary", []string{"application/octet-stream"}, convertToBinary, "application/octet-stream", bin, bin},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := lambdaCustomMethod()
			m.Integration.RequestTemplates = nil
			m.Integration.ContentHandlingStrategy = tc.reqHandling
			m.Integration.IntegrationResponses = []*model.IntegrationResponse{{StatusCode: "200"}}
			api := testAPI(res("/c", m))
			api.BinaryMediaTypes = tc.types
			inv := &fakeInvoker{respond: answer(`{}`)}
			s, _ := newTestServer(t, api, inv)
			if w := do(s, "POST", "/c", string(tc.body), "Content-Type", tc.contentType); w.Code != 200 {
				t.Fatalf("status %d %s", w.Code, w.Body)
			}
			if got := inv.last(t); string(got) != string(tc.wantPayload) {
				t.Errorf("payload %q, want %q", got, tc.wantPayload)
			}
		})
	}
	t.Run("CONVERT_TO_BINARY of text that is not base64 is a 500", func(t *testing.T) {
		m := lambdaCustomMethod()
		m.Integration.RequestTemplates = nil
		m.Integration.ContentHandlingStrategy = convertToBinary
		s, _ := newTestServer(t, testAPI(res("/c", m)), &fakeInvoker{})
		if w := do(s, "POST", "/c", "not base64!", "Content-Type", "text/plain"); w.Code != 500 {
			t.Errorf("status %d", w.Code)
		}
	})
}

func TestConvertTable(t *testing.T) {
	// The guide's response table ("API Gateway response content type conversions").
	text, bin := []byte("aGk="), []byte("hi")
	for _, tc := range []struct {
		name         string
		payload      []byte
		binary       bool
		strategy     string
		targetBinary bool
		want         []byte
	}{
		{"text, text accept, undefined", text, false, "", false, text},
		{"text, text accept, to binary", text, false, convertToBinary, false, bin},
		{"text, text accept, to text", text, false, convertToText, false, text},
		{"text, binary accept, undefined", text, false, "", true, bin},
		{"text, binary accept, to binary", text, false, convertToBinary, true, bin},
		{"text, binary accept, to text", text, false, convertToText, true, text},
		{"binary, text accept, undefined", bin, true, "", false, text},
		{"binary, text accept, to binary", bin, true, convertToBinary, false, bin},
		{"binary, text accept, to text", bin, true, convertToText, false, text},
		{"binary, binary accept, undefined", bin, true, "", true, bin},
		{"binary, binary accept, to binary", bin, true, convertToBinary, true, bin},
		{"binary, binary accept, to text", bin, true, convertToText, true, text},
	} {
		got, _, err := convert(tc.payload, tc.binary, tc.strategy, tc.targetBinary)
		if err != nil || string(got) != string(tc.want) {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

// TestMockStatusCode: the requests a MOCK integration reads its status from, through the
// shortcut for plain {"statusCode": NNN} and the decoder for everything else.
func TestMockStatusCode(t *testing.T) {
	for _, tc := range []struct {
		payload  string
		want     string // the selection value; "" with wantErr false: the default response
		shortcut bool   // read without the JSON decoder
		wantErr  bool
	}{
		{`{"statusCode": 200}`, "200", true, false},
		{" {\n  \"statusCode\" :\t503 \n} ", "503", true, false},
		{`{"statusCode":599}`, "599", true, false},
		{`{"statusCode": 600}`, "", false, true},       // not a status code
		{`{"statusCode": 99}`, "", false, true},        //
		{`{"statusCode": "404"}`, "404", false, false}, // a string of digits
		{`{"statusCode": 200.0}`, "200", false, false}, // a whole number
		{`{"statusCode": 200, "x": 1}`, "200", false, false},
		{`{ statusCode: 204 }`, "204", false, false}, // the CDK's CORS preflight, not JSON
		{`{"status": 200}`, "", false, true},
		{``, "", false, false}, // no request: the default response
	} {
		code, ok := plainStatusCode([]byte(tc.payload))
		if ok != tc.shortcut || ok && code != tc.want {
			t.Errorf("plainStatusCode(%q) = %q, %v; want the shortcut %v", tc.payload, code, ok, tc.shortcut)
		}
		res, ierr := mockResult([]byte(tc.payload))
		if (ierr != nil) != tc.wantErr {
			t.Errorf("mockResult(%q) error %v, want an error: %v", tc.payload, ierr, tc.wantErr)
			continue
		}
		if ierr == nil && res.value != tc.want {
			t.Errorf("mockResult(%q) = %q, want %q", tc.payload, res.value, tc.want)
		}
	}
}
