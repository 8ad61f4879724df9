package gatewayresp

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

func mustNew(t *testing.T, responses ...*model.GatewayResponse) *Set {
	t.Helper()
	s, err := New(responses)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// TestDefaults renders every type of the guide's table, not customized.
func TestDefaults(t *testing.T) {
	s := mustNew(t)
	tests := []struct {
		responseType string
		status       int    // the guide's "Default status code"
		body         string // {"message":...} with the type's usual message
		errorType    string // x-amzn-ErrorType
	}{
		{"ACCESS_DENIED", 403, `{"message":"User is not authorized to access this resource with an explicit deny"}`, "AccessDeniedException"},
		{"API_CONFIGURATION_ERROR", 500, `{"message":"Internal server error"}`, "InternalServerErrorException"},
		{"AUTHORIZER_CONFIGURATION_ERROR", 500, `{"message":null}`, "InternalServerErrorException"},
		{"AUTHORIZER_FAILURE", 500, `{"message":null}`, "InternalServerErrorException"},
		{"BAD_REQUEST_PARAMETERS", 400, `{"message":""}`, "BadRequestException"},
		{"BAD_REQUEST_BODY", 400, `{"message":"Invalid request body"}`, "BadRequestException"},
		{"DEFAULT_4XX", 400, `{"message":""}`, ""},
		{"DEFAULT_5XX", 500, `{"message":""}`, ""},
		{"EXPIRED_TOKEN", 403, `{"message":"The security token included in the request is expired"}`, "ExpiredTokenException"},
		{"INTEGRATION_FAILURE", 504, `{"message":"Internal server error"}`, "InternalServerErrorException"},
		{"INTEGRATION_TIMEOUT", 504, `{"message":"Endpoint request timed out"}`, "InternalServerErrorException"},
		{"INVALID_API_KEY", 403, `{"message":"Forbidden"}`, "ForbiddenException"},
		{"INVALID_SIGNATURE", 403, `{"message":""}`, "InvalidSignatureException"},
		{"MISSING_AUTHENTICATION_TOKEN", 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"},
		{"QUOTA_EXCEEDED", 429, `{"message":"Limit Exceeded"}`, "LimitExceededException"},
		{"REQUEST_TOO_LARGE", 413, `{"message":"HTTP content length exceeded 10485760 bytes."}`, ""},
		{"RESOURCE_NOT_FOUND", 404, `{"message":""}`, "NotFoundException"},
		{"THROTTLED", 429, `{"message":"Too Many Requests"}`, "TooManyRequestsException"},
		{"UNAUTHORIZED", 401, `{"message":"Unauthorized"}`, "UnauthorizedException"},
		{"UNSUPPORTED_MEDIA_TYPE", 415, `{"message":"Unsupported Media Type"}`, "UnsupportedMediaTypeException"},
		{"WAF_FILTERED", 403, `{"message":"Forbidden"}`, "ForbiddenException"},
	}
	if len(tests) != len(Types()) {
		t.Errorf("%d types in the table, %d tested", len(Types()), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.responseType, func(t *testing.T) {
			res := s.Render(tt.responseType, Context{})
			if res.Status != tt.status || string(res.Body) != tt.body ||
				res.Header.Get("Content-Type") != "application/json" || res.Header.Get("x-amzn-ErrorType") != tt.errorType {
				t.Errorf("got %d %v %s\nwant %d %s %s", res.Status, res.Header, res.Body, tt.status, tt.errorType, tt.body)
			}
			wantStatus := tt.status
			if strings.HasPrefix(tt.responseType, "DEFAULT_") {
				wantStatus = 0 // "Null" in the guide
			}
			if typ, ok := Lookup(tt.responseType); !ok || typ.Status != wantStatus {
				t.Errorf("Lookup(%s) = %+v, %v", tt.responseType, typ, ok)
			}
		})
	}
}

// TestFallback: types not customized take DEFAULT_4XX's or DEFAULT_5XX's customization.
func TestFallback(t *testing.T) {
	s := mustNew(t,
		&model.GatewayResponse{ResponseType: "DEFAULT_4XX", StatusCode: "418",
			ResponseParameters: map[string]string{"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
			ResponseTemplates:  map[string]string{"application/json": `{"error":$context.error.messageString,"type":"$context.error.responseType"}`}},
		&model.GatewayResponse{ResponseType: "DEFAULT_5XX",
			ResponseTemplates: map[string]string{"application/json": `{"oops":$context.error.messageString}`}},
		// A customized type keeps its own headers and templates (none here), not DEFAULT_4XX's.
		&model.GatewayResponse{ResponseType: "THROTTLED",
			ResponseParameters: map[string]string{"gatewayresponse.header.Retry-After": "'1'"}},
		&model.GatewayResponse{ResponseType: "INVALID_API_KEY", StatusCode: "456"},
	)
	tests := []struct {
		responseType string
		ctx          Context
		status       int
		cors         string // Access-Control-Allow-Origin
		retryAfter   string
		body         string
	}{
		{"MISSING_AUTHENTICATION_TOKEN", Context{}, 418, "*", "",
			`{"error":"Missing Authentication Token","type":"MISSING_AUTHENTICATION_TOKEN"}`},
		{"UNAUTHORIZED", Context{}, 418, "*", "", `{"error":"Unauthorized","type":"UNAUTHORIZED"}`},
		{"DEFAULT_4XX", Context{Message: "Could not parse request body into json"}, 418, "*", "",
			`{"error":"Could not parse request body into json","type":"DEFAULT_4XX"}`},
		// Customized without a status: the guide's DEFAULT_4XX status applies to all 4XX.
		{"THROTTLED", Context{}, 418, "", "1", `{"message":"Too Many Requests"}`},
		{"INVALID_API_KEY", Context{}, 456, "", "", `{"message":"Forbidden"}`},
		{"INTEGRATION_TIMEOUT", Context{}, 504, "", "", `{"oops":"Endpoint request timed out"}`},
		{"DEFAULT_5XX", Context{Message: "Malformed Lambda proxy response", Status: 502}, 502, "", "",
			`{"oops":"Malformed Lambda proxy response"}`},
		// Not in the guide's table: DEFAULT_4XX or DEFAULT_5XX by the status the runner gives.
		{"SOMETHING_ELSE", Context{Message: "m", Status: 409}, 418, "*", "", `{"error":"m","type":"SOMETHING_ELSE"}`},
		{"SOMETHING_ELSE", Context{Message: "m"}, 500, "", "", `{"oops":"m"}`},
	}
	for _, tt := range tests {
		t.Run(tt.responseType, func(t *testing.T) {
			res := s.Render(tt.responseType, tt.ctx)
			if res.Status != tt.status || string(res.Body) != tt.body ||
				res.Header.Get("Access-Control-Allow-Origin") != tt.cors || res.Header.Get("Retry-After") != tt.retryAfter {
				t.Errorf("got %d %v %s", res.Status, res.Header, res.Body)
			}
		})
	}
}

// TestGuideConsoleExample is the guide's "Set up a gateway response for a REST API using the API
// Gateway console" walkthrough: MISSING_AUTHENTICATION_TOKEN turned into a 404 with request
// values in headers and the body.
func TestGuideConsoleExample(t *testing.T) {
	s := mustNew(t, &model.GatewayResponse{ResponseType: "MISSING_AUTHENTICATION_TOKEN", StatusCode: "404",
		ResponseParameters: map[string]string{
			"gatewayresponse.header.Access-Control-Allow-Origin": "'a.b.c'",
			"gatewayresponse.header.x-request-id":                "method.request.header.x-amzn-RequestId",
			"gatewayresponse.header.x-request-path":              "method.request.path.petId",
			"gatewayresponse.header.x-request-query":             "method.request.querystring.q",
		},
		ResponseTemplates: map[string]string{"application/json": `{
     "message":"$context.error.messageString",
     "type": "$context.error.responseType",
     "statusCode": "'404'",
     "stage": "$context.stage",
     "resourcePath": "$context.resourcePath",
     "stageVariables.a": "$stageVariables.a"
}`},
	})
	res := s.Render(MissingAuthenticationToken, Context{
		Vars:           map[string]string{"stage": "custErr", "resourcePath": "/pets/{petId}"},
		StageVariables: map[string]string{"a": "a"},
		Header:         http.Header{"X-Amzn-Requestid": {"123344566"}},
		Query:          url.Values{"q": {"1"}},
		Path:           map[string]string{"petId": "5"},
	})
	// messageString is already quoted, so the template's own quotes double them: the guide's
	// sample output shows neither, but it is the same substitution the OpenAPI example below
	// writes without the extra quotes.
	wantBody := `{
     "message":""Missing Authentication Token"",
     "type": "MISSING_AUTHENTICATION_TOKEN",
     "statusCode": "'404'",
     "stage": "custErr",
     "resourcePath": "/pets/{petId}",
     "stageVariables.a": "a"
}`
	wantHeaders := map[string]string{
		"Content-Type":                "application/json",
		"X-Amzn-Errortype":            "MissingAuthenticationTokenException",
		"Access-Control-Allow-Origin": "a.b.c",
		"X-Request-Id":                "123344566",
		"X-Request-Path":              "5",
		"X-Request-Query":             "1",
	}
	if res.Status != 404 || string(res.Body) != wantBody {
		t.Errorf("got %d\n%s\nwant 404\n%s", res.Status, res.Body, wantBody)
	}
	for k, v := range wantHeaders {
		if got := res.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if len(res.Header) != len(wantHeaders) {
		t.Errorf("headers %v", res.Header)
	}
}

// TestGuideOpenAPIExample is the guide's x-amazon-apigateway-gateway-responses example, with its
// method.input.params mappings.
func TestGuideOpenAPIExample(t *testing.T) {
	s := mustNew(t, &model.GatewayResponse{ResponseType: "MISSING_AUTHENTICATION_TOKEN", StatusCode: "404",
		ResponseParameters: map[string]string{
			"gatewayresponse.header.x-request-path":              "method.input.params.petId",
			"gatewayresponse.header.x-request-query":             "method.input.params.q",
			"gatewayresponse.header.Access-Control-Allow-Origin": "'a.b.c'",
			"gatewayresponse.header.x-request-header":            "method.input.params.Accept",
		},
		ResponseTemplates: map[string]string{"application/json": "{\n     \"message\": $context.error.messageString,\n     \"type\":  \"$context.error.responseType\",\n     \"stage\":  \"$context.stage\",\n     \"resourcePath\":  \"$context.resourcePath\",\n     \"stageVariables.a\":  \"$stageVariables.a\",\n     \"statusCode\": \"'404'\"\n}"},
	})
	res := s.Render(MissingAuthenticationToken, Context{
		Vars:           map[string]string{"stage": "custErr", "resourcePath": "/pets/{petId}"},
		StageVariables: map[string]string{"a": "a"},
		Header:         http.Header{"Accept": {"*/*"}},
		Query:          url.Values{"q": {"1"}},
		Path:           map[string]string{"petId": "5"},
	})
	want := "{\n     \"message\": \"Missing Authentication Token\",\n     \"type\":  \"MISSING_AUTHENTICATION_TOKEN\",\n     \"stage\":  \"custErr\",\n     \"resourcePath\":  \"/pets/{petId}\",\n     \"stageVariables.a\":  \"a\",\n     \"statusCode\": \"'404'\"\n}"
	if res.Status != 404 || string(res.Body) != want {
		t.Errorf("got %d\n%s\nwant\n%s", res.Status, res.Body, want)
	}
	for k, v := range map[string]string{"x-request-path": "5", "x-request-query": "1", "x-request-header": "*/*", "Access-Control-Allow-Origin": "a.b.c"} {
		if got := res.Header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
}

func TestTemplates(t *testing.T) {
	ctx := Context{
		Message:               `say "hi" <now> & then`,
		ValidationErrorString: `[object has missing required properties (["name"])]`,
		Vars: map[string]string{"requestId": "r-1", "stage": "prod",
			"authorizer.claims.email": "a@example.com", "identity.sourceIp": "192.0.2.1"},
		StageVariables: map[string]string{"env": "test"},
	}
	tests := []struct {
		name, template, want string
	}{
		{"messageString is a JSON string, not HTML-escaped", `{"m":$context.error.messageString}`,
			`{"m":"say \"hi\" <now> & then"}`},
		{"message is raw", `$context.error.message`, `say "hi" <now> & then`},
		{"validation errors", `{"message":$context.error.messageString,"details":"$context.error.validationErrorString"}`,
			`{"message":"say \"hi\" <now> & then","details":"[object has missing required properties (["name"])]"}`},
		{"braces", `${context.requestId}/${stageVariables.env}`, `r-1/test`},
		{"dotted names", `$context.authorizer.claims.email from $context.identity.sourceIp`, `a@example.com from 192.0.2.1`},
		{"no value is empty", `[$context.nothing][$stageVariables.nothing][$context.error.validationErrorStringX]`, `[][][]`},
		{"names end at other characters", `$context.stage-x $context.stage. $context.stage.`, `prod-x prod. prod.`},
		{"stage variables are flat", `$stageVariables.env.x`, `test.x`},
		{"not Velocity: directives are text", `#set($x = 1)#if($context.stage == "prod")yes#end ## not a comment`,
			`#set($x = 1)#if(prod == "prod")yes#end ## not a comment`},
		{"not Velocity: no $util or $input", `$util.escapeJavaScript($context.stage) $input.body`,
			`$util.escapeJavaScript(prod) $input.body`},
		{"dollars kept", `$ $$ $5 $context $context. ${context.stage ${stageVariables}`,
			`$ $$ $5 $context $context. ${context.stage ${stageVariables}`},
		{"no variables", `{"message": 'API-specific errors'}`, `{"message": 'API-specific errors'}`},
		{"empty template", ``, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustNew(t, &model.GatewayResponse{ResponseType: "BAD_REQUEST_BODY",
				ResponseTemplates: map[string]string{"application/json": tt.template}})
			if got := string(s.Render(BadRequestBody, ctx).Body); got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestTemplateSelection(t *testing.T) {
	both := mustNew(t, &model.GatewayResponse{ResponseType: "DEFAULT_4XX", ResponseTemplates: map[string]string{
		"application/json": `json`, "Application/XML": `xml`}})
	xmlOnly := mustNew(t, &model.GatewayResponse{ResponseType: "DEFAULT_4XX", ResponseTemplates: map[string]string{
		"text/plain": `text`, "application/xml": `xml`}})
	tests := []struct {
		name        string
		s           *Set
		accept      string
		contentType string
		body        string
	}{
		{"no Accept is JSON", both, "", "application/json", "json"},
		{"Accept XML", both, "application/xml", "application/xml", "xml"},
		{"first listed that has a template", both, "text/html, application/xml;q=0.9, application/json", "application/xml", "xml"},
		{"wildcard is JSON", both, "*/*", "application/json", "json"},
		{"case and parameters ignored", both, "APPLICATION/XML; charset=utf-8", "application/xml", "xml"},
		{"no JSON template: the first", xmlOnly, "", "application/xml", "xml"},
		{"no JSON template, Accept matches", xmlOnly, "text/plain", "text/plain", "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.accept != "" {
				h.Set("Accept", tt.accept)
			}
			res := tt.s.Render(ResourceNotFound, Context{Header: h})
			if res.Header.Get("Content-Type") != tt.contentType || string(res.Body) != tt.body {
				t.Errorf("got %s %s, want %s %s", res.Header.Get("Content-Type"), res.Body, tt.contentType, tt.body)
			}
		})
	}
}

func TestHeaderMappings(t *testing.T) {
	s := mustNew(t, &model.GatewayResponse{ResponseType: "UNAUTHORIZED", ResponseParameters: map[string]string{
		"gatewayresponse.header.static":       "'v1'",
		"gatewayresponse.header.empty":        "''",
		"gatewayresponse.header.h":            "method.request.header.x-in",
		"gatewayresponse.header.hs":           "method.request.multivalueheader.x-in",
		"gatewayresponse.header.q":            "method.request.querystring.q",
		"gatewayresponse.header.qs":           "method.request.multivaluequerystring.q",
		"gatewayresponse.header.p":            "method.request.path.id",
		"gatewayresponse.header.sv":           "stageVariables.env",
		"gatewayresponse.header.rid":          "context.requestId",
		"gatewayresponse.header.type":         "context.error.responseType",
		"gatewayresponse.header.missing":      "method.request.header.nope",
		"gatewayresponse.header.crlf":         "method.request.querystring.evil",
		"gatewayresponse.header.param-q":      "method.input.params.q",
		"gatewayresponse.header.Content-Type": "'text/plain'",
	}})
	res := s.Render(Unauthorized, Context{
		Vars:           map[string]string{"requestId": "r-1"},
		StageVariables: map[string]string{"env": "test"},
		Header:         http.Header{"X-In": {"a", "b"}},
		Query:          url.Values{"q": {"1", "2"}, "evil": {"x\r\nSet-Cookie: y"}},
		Path:           map[string]string{"id": "7"},
	})
	want := map[string][]string{
		"Static": {"v1"}, "Empty": {""}, "H": {"b"}, "Hs": {"a,b"}, "Q": {"2"}, "Qs": {"1,2"}, "P": {"7"},
		"Sv": {"test"}, "Rid": {"r-1"}, "Type": {"UNAUTHORIZED"}, "Param-Q": {"2"},
		"Content-Type": {"text/plain"}, "X-Amzn-Errortype": {"UnauthorizedException"},
	}
	for k, v := range want {
		if got := res.Header[k]; strings.Join(got, "|") != strings.Join(v, "|") {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if len(res.Header) != len(want) {
		t.Errorf("headers %v, want %v", res.Header, want)
	}
}

func TestContextOverrides(t *testing.T) {
	s := mustNew(t)
	res := s.Render(AccessDenied, Context{
		Message:     "User: anonymous is not authorized",
		ErrorType:   "AccessDeniedException",
		DefaultBody: []byte(`{"Message":"User: anonymous is not authorized"}`),
	})
	if res.Status != 403 || string(res.Body) != `{"Message":"User: anonymous is not authorized"}` {
		t.Errorf("got %d %s", res.Status, res.Body)
	}
	res = s.Render(MissingAuthenticationToken, Context{Message: "Invalid key=value pair", ErrorType: "IncompleteSignatureException"})
	if res.Header.Get("x-amzn-ErrorType") != "IncompleteSignatureException" || string(res.Body) != `{"message":"Invalid key=value pair"}` {
		t.Errorf("got %v %s", res.Header, res.Body)
	}
	res = s.Render("SOMETHING_ELSE", Context{Message: "busy", Status: 409})
	if res.Status != 409 || string(res.Body) != `{"message":"busy"}` || res.Header.Get("x-amzn-ErrorType") != "" {
		t.Errorf("got %d %v %s", res.Status, res.Header, res.Body)
	}
	// A customized template replaces the default body.
	s = mustNew(t, &model.GatewayResponse{ResponseType: "ACCESS_DENIED",
		ResponseTemplates: map[string]string{"application/json": `{"denied":$context.error.messageString}`}})
	res = s.Render(AccessDenied, Context{Message: "no", DefaultBody: []byte(`{"Message":"no"}`)})
	if string(res.Body) != `{"denied":"no"}` {
		t.Errorf("got %s", res.Body)
	}
}

func TestNewErrors(t *testing.T) {
	s, err := New([]*model.GatewayResponse{
		{ResponseType: "NOT_A_TYPE", LogicalID: "Bogus"},
		{ResponseType: "THROTTLED", StatusCode: "4290"},
		{ResponseType: "QUOTA_EXCEEDED", StatusCode: "abc"},
		{ResponseType: "INVALID_API_KEY", ResponseParameters: map[string]string{"method.response.header.x": "'1'"}},
		{ResponseType: "ACCESS_DENIED", ResponseParameters: map[string]string{"gatewayresponse.header.x": "integration.response.body.a"}},
		{ResponseType: "WAF_FILTERED", ResponseParameters: map[string]string{"gatewayresponse.header.bad name": "'1'"}},
		{ResponseType: "EXPIRED_TOKEN", ResponseParameters: map[string]string{"gatewayresponse.header.x": "'a\nb'"}},
		{ResponseType: "UNAUTHORIZED", StatusCode: "499", LogicalID: "First"},
		{ResponseType: "UNAUTHORIZED", StatusCode: "498", LogicalID: "Second"},
	})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`gateway response NOT_A_TYPE (Bogus): unknown response type "NOT_A_TYPE"`,
		`gateway response THROTTLED: status code "4290" is not 100 to 599`,
		`gateway response QUOTA_EXCEEDED: status code "abc" is not 100 to 599`,
		`gateway response INVALID_API_KEY: response parameter "method.response.header.x": gateway responses map only gatewayresponse.header.{name}`,
		`gateway response ACCESS_DENIED: response parameter "gatewayresponse.header.x": cannot map from "integration.response.body.a"`,
		`gateway response WAF_FILTERED: response parameter "gatewayresponse.header.bad name": "bad name" is not a header name`,
		`gateway response EXPIRED_TOKEN: response parameter "gatewayresponse.header.x": 'a` + "\n" + `b' is not a header value`,
		`gateway response UNAUTHORIZED (Second): a second response for UNAUTHORIZED (one per type)`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not contain %q:\n%v", want, err)
		}
	}
	// What was right is applied; what was wrong answers as if not customized.
	if res := s.Render(Unauthorized, Context{}); res.Status != 499 {
		t.Errorf("UNAUTHORIZED: %d", res.Status)
	}
	if res := s.Render(Throttled, Context{}); res.Status != 429 {
		t.Errorf("THROTTLED: %d", res.Status)
	}
}
