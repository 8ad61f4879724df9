package restapi

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/constructtest"
)

func mustKey(t *testing.T, key string) methodKey {
	t.Helper()
	k, err := parseMethodKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestCheckRequestMapping(t *testing.T) {
	k := mustKey(t, "GET /items/{id}")
	tests := []struct {
		name     string
		m        map[string]string
		want     []string // substrings of the errors, in order
		declared []string // method request parameters the sources need declared
	}{
		{"every source", map[string]string{
			"integration.request.path.itemId":        "method.request.path.id",
			"integration.request.querystring.q":      "method.request.multivaluequerystring.q",
			"integration.request.header.x-tenant":    "method.request.header.x-tenant",
			"integration.request.header.x-all":       "method.request.multivalueheader.x-all",
			"integration.request.header.x-body":      "method.request.body",
			"integration.request.header.x-name":      "method.request.body.petstore.pets[0].name",
			"integration.request.header.x-stage":     "stageVariables.backend",
			"integration.request.header.x-request":   "context.requestId",
			"integration.request.header.x-claim":     "context.authorizer.claims.sub",
			"integration.request.querystring.static": "'gatehouse'",
		}, nil, []string{
			"method.request.header.x-all", "method.request.header.x-tenant",
			"method.request.path.id", "method.request.querystring.q",
		}},
		{"bad destination", map[string]string{"integration.request.body": "'x'"}, []string{
			`integration request parameter "integration.request.body" must be integration.request.path.NAME`,
		}, nil},
		{"bad destination name", map[string]string{"integration.request.header.a b": "'x'"}, []string{
			`name "a b" must match`,
		}, nil},
		{"path parameter not in the path", map[string]string{"integration.request.path.x": "method.request.path.sku"}, []string{
			"method.request.path.sku: the path /items/{id} has no variable {sku}",
		}, nil},
		{"unknown method request location", map[string]string{"integration.request.header.x": "method.request.cookie.a"}, []string{
			"method.request.cookie.a must be method.request.path|querystring",
		}, nil},
		{"bad JSONPath", map[string]string{"integration.request.header.x": "method.request.body.a[["}, []string{
			`JSONPath "$.a[[" does not parse`,
		}, nil},
		{"empty JSONPath", map[string]string{"integration.request.header.x": "method.request.body."}, []string{
			"needs a JSONPath after the body",
		}, nil},
		{"unknown context variable", map[string]string{"integration.request.header.x": "context.requestID"}, []string{
			"context.requestID is not a $context variable of REST APIs",
		}, nil},
		{"bad stage variable", map[string]string{"integration.request.header.x": "stageVariables.a-b"}, []string{
			`stage variable name "a-b"`,
		}, nil},
		{"unquoted static", map[string]string{"integration.request.header.x": "'open"}, []string{
			"static value 'open must be enclosed in single quotes",
		}, nil},
		{"unknown source", map[string]string{"integration.request.header.x": "$request.header.y"}, []string{
			`source "$request.header.y" must be method.request`,
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkRequestMapping(k, tt.m)
			if len(got.errs) != len(tt.want) {
				t.Fatalf("errors = %q, want %d", got.errs, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(got.errs[i], w) || !strings.HasPrefix(got.errs[i], `method "GET /items/{id}": `) {
					t.Errorf("error %d = %q, want it to contain %q", i, got.errs[i], w)
				}
			}
			if !reflect.DeepEqual(got.declared, tt.declared) {
				t.Errorf("declared = %q, want %q", got.declared, tt.declared)
			}
		})
	}
}

func TestCheckMethodRequestParameters(t *testing.T) {
	k := mustKey(t, "GET /items/{id}")
	got := checkMethodRequestParameters(k, map[string]bool{
		"method.request.path.id":            true,
		"method.request.querystring.q":      false,
		"method.request.header.x-tenant":    true,
		"method.request.path.other":         true,
		"method.request.multivalueheader.a": false,
		"method.request.querystring.a b":    false,
	})
	want := []string{
		`request parameter "method.request.multivalueheader.a" must be method.request.path.NAME, method.request.querystring.NAME or method.request.header.NAME`,
		`request parameter "method.request.path.other": the path /items/{id} has no variable {other}`,
		`request parameter "method.request.querystring.a b": name "a b" must match`,
	}
	if len(got) != len(want) {
		t.Fatalf("errors = %q", got)
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("error %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestCheckResponseMapping(t *testing.T) {
	errs, headers := checkResponseMapping("r", map[string]string{
		"method.response.header.Location":  "integration.response.body.redirect.url",
		"method.response.header.X-App":     "integration.response.header.x-app-id",
		"method.response.header.X-Items":   "integration.response.multivalueheader.item",
		"method.response.header.X-Body":    "integration.response.body",
		"method.response.header.X-Stage":   "stageVariables.s",
		"method.response.header.X-Request": "context.requestId",
		"method.response.header.X-Static":  "'yes'",
	})
	if len(errs) != 0 || len(headers) != 7 || headers[0] != "method.response.header.Location" {
		t.Fatalf("errs = %q, headers = %q", errs, headers)
	}
	errs, headers = checkResponseMapping("r", map[string]string{
		"integration.response.header.x": "'x'",
		"method.response.header.A":      "integration.response.status",
		"method.response.header.B":      "method.request.header.b",
	})
	want := []string{
		`r: response parameter "integration.response.header.x" must be method.response.header.NAME`,
		`r: response parameter "method.response.header.A": integration.response.status must be integration.response.header.NAME`,
		`r: response parameter "method.response.header.B": source "method.request.header.b" must be integration.response`,
	}
	if len(errs) != len(want) || len(headers) != 2 {
		t.Fatalf("errs = %q, headers = %q", errs, headers)
	}
	for i := range want {
		if !strings.HasPrefix(errs[i], want[i]) {
			t.Errorf("error %d = %q, want %q", i, errs[i], want[i])
		}
	}
}

func TestCheckGatewayResponseHeaders(t *testing.T) {
	ok := checkGatewayResponseHeaders("g", map[string]string{
		"Access-Control-Allow-Origin": "'*'",
		"x-request-path":              "method.request.path.petId",
		"x-request-query":             "method.request.querystring.q",
		"x-request-header":            "method.request.header.Accept",
		"x-stage":                     "stageVariables.a",
		"x-request-id":                "context.requestId",
	})
	if len(ok) != 0 {
		t.Fatalf("errors for valid headers: %q", ok)
	}
	got := checkGatewayResponseHeaders("g", map[string]string{
		"a b":   "'x'",
		"x-one": "integration.response.header.y",
		"x-two": "method.request.body",
	})
	want := []string{`g: header name "a b"`, `g: header "x-one": value "integration.response.header.y" must be`, `g: header "x-two": method.request.body must be`}
	if len(got) != len(want) {
		t.Fatalf("errors = %q", got)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestCheckMediaType(t *testing.T) {
	for _, ok := range []string{"application/json", "image/png", "*/*", "image/*", "application/vnd.api+json"} {
		if err := checkMediaType(ok); err != nil {
			t.Errorf("checkMediaType(%q) = %v", ok, err)
		}
	}
	for mt, want := range map[string]string{
		"json":                            "is not a media type",
		"":                                "is not a media type",
		"application/":                    "is not a media type",
		"application/json; charset=utf-8": "leave out the parameters",
	} {
		if err := checkMediaType(mt); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("checkMediaType(%q) = %v, want %q", mt, err, want)
		}
	}
}

func TestCanMatchStatus(t *testing.T) {
	for pattern, want := range map[string]bool{
		`4\d{2}`: true, `5\d\d`: true, `404`: true, `2..`: true, `.*`: true,
		`.*not found.*`: false, `4\d`: false, `\d{4}`: false, `600`: false,
	} {
		if got := canMatchStatus(regexp.MustCompile(pattern)); got != want {
			t.Errorf("canMatchStatus(%q) = %v, want %v", pattern, got, want)
		}
	}
}

func TestURLPathVars(t *testing.T) {
	got := urlPathVars("https://${stageVariables.host}/items/{id}/{proxy}?q=${stageVariables.q}")
	if !reflect.DeepEqual(got, []string{"id", "proxy"}) {
		t.Errorf("urlPathVars = %q", got)
	}
}

func TestCheckAccessLogFormat(t *testing.T) {
	for _, f := range []string{`$context.requestId $context.status`, `{"id":"$context.extendedRequestId"}`, `${context.requestId}`} {
		if err := checkAccessLogFormat("s", f); err != nil {
			t.Errorf("checkAccessLogFormat(%q) = %v", f, err)
		}
	}
	for _, f := range []string{`$context.status`, `$context.requestIdx`, `context.requestId`} {
		if err := checkAccessLogFormat("s", f); err == nil {
			t.Errorf("checkAccessLogFormat(%q) = nil", f)
		}
	}
}

func TestCheckQuota(t *testing.T) {
	tests := []struct {
		q    *awsapigateway.QuotaSettings
		want []string
	}{
		{nil, nil},
		{&awsapigateway.QuotaSettings{Limit: jsii.Number(100), Period: awsapigateway.Period_MONTH, Offset: jsii.Number(2)}, nil},
		{&awsapigateway.QuotaSettings{Period: awsapigateway.Period_DAY}, []string{"p: quota limit must be a positive whole number of requests"}},
		{&awsapigateway.QuotaSettings{Limit: jsii.Number(1.5)}, []string{
			"p: quota limit must be a positive whole number of requests",
			"p: quota period is required (DAY, WEEK or MONTH)",
		}},
		{&awsapigateway.QuotaSettings{Limit: jsii.Number(1), Period: "YEAR", Offset: jsii.Number(-1)}, []string{
			`p: quota period "YEAR" must be DAY, WEEK or MONTH`,
			"p: quota offset -1 must be a non-negative whole number",
		}},
	}
	for i, tt := range tests {
		if got := checkQuota("p", tt.q); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d: checkQuota = %q, want %q", i, got, tt.want)
		}
	}
}

func TestCheckCORS(t *testing.T) {
	tests := []struct {
		origins     []string
		credentials bool
		methods     []string
		want        []string
	}{
		{[]string{"http://localhost:5173", "https://shop.example.com"}, true, []string{"GET", "POST"}, nil},
		{[]string{"*"}, false, []string{"ANY"}, nil},
		{nil, false, nil, []string{`CORS: AllowOrigins needs at least one origin, or "*"`}},
		{[]string{"*"}, true, nil, []string{`CORS: AllowCredentials cannot be true when AllowOrigins contains "*"`}},
		{[]string{"*", "http://a.example"}, false, nil, []string{`CORS: AllowOrigins "*" cannot be mixed with other origins`}},
		{[]string{"http://a.example/app", "a.example"}, false, nil, []string{
			`CORS: origin "http://a.example/app" must be "*" or scheme://host[:port] with no path, e.g. http://localhost:3000`,
			`CORS: origin "a.example" must be "*" or scheme://host[:port] with no path, e.g. http://localhost:3000`,
		}},
		{[]string{"*"}, false, []string{"get", "ANY"}, []string{
			`CORS: method "get" must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY (upper case)`,
			"CORS: AllowMethods ANY cannot be mixed with other methods",
		}},
	}
	for i, tt := range tests {
		if got := checkCORS(tt.origins, tt.credentials, tt.methods); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d: checkCORS = %q, want %q", i, got, tt.want)
		}
	}
}

func TestLaterDraftKeywords(t *testing.T) {
	doc := map[string]any{
		"type": "object",
		"properties": map[string]any{
			// A property may be called like a keyword.
			"const": map[string]any{"type": "string"},
			"tags":  map[string]any{"type": "array", "contains": map[string]any{"type": "string"}},
		},
		"items":         []any{map[string]any{"const": 1}},
		"propertyNames": map[string]any{"pattern": "^a"},
		"definitions":   map[string]any{"x": map[string]any{"if": map[string]any{}}},
	}
	if got := laterDraftKeywords(doc); !reflect.DeepEqual(got, []string{"const", "contains", "if", "propertyNames"}) {
		t.Errorf("laterDraftKeywords = %q", got)
	}
}

func TestRewriteRefs(t *testing.T) {
	apiRef := `{"Ref":"ShopApi1234"}`
	join := func(ref any) map[string]any {
		return map[string]any{"Fn::Join": []any{"", []any{modelURLPrefix, ref, "/models/Product"}}}
	}
	doc := map[string]any{
		"items":       map[string]any{"$ref": join(map[string]any{"Ref": "ShopApi1234"})},
		"definitions": map[string]any{"a": map[string]any{"$ref": "#/definitions/b"}},
		"anyOf": []any{
			map[string]any{"$ref": join(map[string]any{"Ref": "OtherApi"})},
			map[string]any{"$ref": "https://example.com/schema.json"},
		},
	}
	names, errs := rewriteRefs(doc, apiRef)
	if !reflect.DeepEqual(names, []string{"Product"}) {
		t.Errorf("names = %q", names)
	}
	if got := doc["items"].(map[string]any)["$ref"]; got != localModelURL("Product") {
		t.Errorf("rewritten $ref = %v", got)
	}
	if len(errs) != 2 || !strings.Contains(errs[0]+errs[1], `"https://apigateway.amazonaws.com/restapis/{token}/models/Product"`) ||
		!strings.Contains(errs[0]+errs[1], `"https://example.com/schema.json"`) {
		t.Errorf("errs = %q", errs)
	}
}

// TestSynthErrors builds one stack with an API per broken rule and checks that synthesis fails
// with each rule on a line of its own, prefixed with that API's construct path.
func TestSynthErrors(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Bad"), nil)
	fn := constructtest.InlineFunction(stack, "Fn")
	mock := func(responses ...*awsapigateway.IntegrationResponse) *Integration {
		if len(responses) == 0 {
			responses = []*awsapigateway.IntegrationResponse{{StatusCode: jsii.String("200")}}
		}
		return &Integration{Type: IntegrationType_MOCK, RequestTemplates: strs("application/json", `{"statusCode": 200}`), Responses: &responses}
	}
	ok := func(key string) *Method {
		return &Method{Key: jsii.String(key), Integration: &Integration{Function: fn}}
	}

	cases := []struct {
		id    string
		props *Props
		after func(*RestApi)
		rule  string
	}{
		{"MethodKey", &Props{Methods: &[]*Method{ok("GET /a/{p+}/b")}}, nil,
			`method key "GET /a/{p+}/b": greedy path variable {p+} must end the path`},
		{"Duplicate", &Props{Methods: &[]*Method{ok("GET /a"), ok("GET /a")}}, nil,
			`method "GET /a": defined twice`},
		{"CorsOptions", &Props{Cors: &awsapigateway.CorsOptions{AllowOrigins: jsii.Strings("*")}, Methods: &[]*Method{ok("OPTIONS /a")}}, nil,
			`method "OPTIONS /a": the API's Cors already answers OPTIONS on every resource`},
		{"Siblings", &Props{Methods: &[]*Method{ok("GET /items/{id}"), ok("GET /items/{name}/tags")}}, nil,
			`method "GET /items/{name}/tags": resource /items already has the variable child {id}, and API Gateway allows one variable path part per parent`},
		{"GreedySibling", &Props{Methods: &[]*Method{ok("ANY /{proxy+}"), ok("GET /{id}")}}, nil,
			`resource / already has the variable child {proxy+}`},
		{"NoIntegration", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a")}}}, nil,
			`method "GET /a": Integration is required`},
		{"FunctionAndUrl", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Function: fn, Url: jsii.String("https://x")}}}}, nil,
			"set one of Integration.Function and Integration.Url, not both"},
		{"MockWithFunction", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Type: IntegrationType_MOCK, Function: fn}}}}, nil,
			"a MOCK integration has no backend"},
		{"TemplatesOnProxy", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Function: fn, RequestTemplates: strs("application/json", "{}")}}}}, nil,
			"RequestTemplates and PassthroughBehavior apply only to non-proxy (AWS, HTTP, MOCK) integrations; AWS_PROXY passes the request through"},
		{"ResponsesOnProxy", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Function: fn, Responses: &[]*awsapigateway.IntegrationResponse{{StatusCode: jsii.String("200")}}}}}}, nil,
			"Responses apply only to non-proxy (AWS, HTTP, MOCK) integrations; AWS_PROXY passes the response through"},
		{"NoResponses", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Type: IntegrationType_MOCK}}}}, nil,
			`a MOCK integration needs at least one integration response (e.g. StatusCode "200"), or every call ends in 500 Internal server error`},
		{"LambdaNoDefault", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{
			Type: IntegrationType_AWS, Function: fn,
			Responses: &[]*awsapigateway.IntegrationResponse{{StatusCode: jsii.String("400"), SelectionPattern: jsii.String("Bad.*")}},
		}}}}, nil, "a Lambda custom integration needs a default integration response (one without SelectionPattern)"},
		{"JavaPattern", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{
			Type: IntegrationType_AWS, Function: fn,
			Responses: &[]*awsapigateway.IntegrationResponse{{StatusCode: jsii.String("200")}, {StatusCode: jsii.String("400"), SelectionPattern: jsii.String(`(?!ok).*`)}},
		}}}}, nil, `integration response 400: selection pattern "(?!ok).*" uses a negative lookahead "(?!" at offset 0, a Java regular expression feature`},
		{"StatusPattern", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"),
			Integration: mock(&awsapigateway.IntegrationResponse{StatusCode: jsii.String("200")}, &awsapigateway.IntegrationResponse{StatusCode: jsii.String("500"), SelectionPattern: jsii.String(".*error.*")}),
		}}}, nil, `integration response 500: selection pattern ".*error.*" matches no HTTP status code, which is what a MOCK integration's responses are selected by`},
		{"TwoDefaults", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"),
			Integration: mock(&awsapigateway.IntegrationResponse{StatusCode: jsii.String("200")}, &awsapigateway.IntegrationResponse{StatusCode: jsii.String("201")}),
		}}}, nil, "2 integration responses have no SelectionPattern; one default response is allowed"},
		{"SameStatus", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"),
			Integration: mock(&awsapigateway.IntegrationResponse{StatusCode: jsii.String("200")}, &awsapigateway.IntegrationResponse{StatusCode: jsii.String("200"), SelectionPattern: jsii.String("2..")}),
		}}}, nil, "integration response 200: defined twice"},
		{"UrlPlaceholder", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Url: jsii.String("https://example.com/{sku}")}}}}, nil,
			`Url placeholder {sku} needs RequestParameters["integration.request.path.sku"], and the path /a has no variable {sku} to fill it from`},
		{"BadUrl", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Url: jsii.String("/relative")}}}}, nil,
			`method "GET /a": HTTP integration URL "/relative" must be an absolute http:// or https:// URL`},
		{"Timeout", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Function: fn, Timeout: awscdk.Duration_Seconds(jsii.Number(30))}}}}, nil,
			`method "GET /a": integration timeout 30s must be between 50ms and 29s`},
		{"ValidateBody", &Props{Methods: &[]*Method{{Key: jsii.String("POST /a"), Integration: &Integration{Function: fn}, Validate: Validation_BODY}}}, nil,
			"Validate BODY needs RequestModels to validate the body against"},
		{"ValidateParams", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Function: fn}, Validate: Validation_PARAMETERS,
			RequestParameters: bools("method.request.querystring.q", false)}}}, nil,
			"Validate PARAMETERS needs at least one required request parameter"},
		{"UnknownModel", &Props{Methods: &[]*Method{{Key: jsii.String("POST /a"), Integration: &Integration{Function: fn}, RequestModels: strs("application/json", "Nope")}}}, nil,
			`RequestModels: model "Nope" for application/json is not defined`},
		{"UndeclaredHeader", &Props{Methods: &[]*Method{{
			Key: jsii.String("GET /a"),
			Integration: mock(&awsapigateway.IntegrationResponse{StatusCode: jsii.String("200"),
				ResponseParameters: strs("method.response.header.X-Id", "context.requestId")}),
			MethodResponses: &[]*MethodResponse{{StatusCode: jsii.String("200")}},
		}}}, nil, "integration response 200 sets method.response.header.X-Id, which method response 200 does not declare in its ResponseParameters"},
		{"StageName", &Props{DefaultStage: &StageOptions{Name: jsii.String("$default")}}, nil,
			`stage name "$default": REST APIs have no $default stage`},
		{"StageTwice", &Props{Stages: &[]*StageOptions{{Name: jsii.String("prod")}}}, nil,
			`stage "prod": defined twice`},
		{"AccessLog", &Props{DefaultStage: &StageOptions{AccessLogFormat: awsapigateway.AccessLogFormat_Custom(jsii.String("$context.status"))}}, nil,
			`stage "prod": access log format must include $context.requestId or $context.extendedRequestId`},
		{"MethodThrottle", &Props{DefaultStage: &StageOptions{MethodThrottle: &map[string]*awsapigateway.ThrottleSettings{"GET /nope": throttle(1, 1)}},
			Methods: &[]*Method{ok("GET /a")}}, nil,
			`stage "prod": MethodThrottle names method "GET /nope", which this API does not have`},
		{"ModelName", &Props{Models: &[]*Model{{Name: jsii.String("Error"), Schema: &awsapigateway.JsonSchema{}}}}, nil,
			`model "Error": every REST API has the built-in models Empty and Error`},
		{"ModelDraft", &Props{Models: &[]*Model{{Name: jsii.String("M"), Schema: &awsapigateway.JsonSchema{Schema: awsapigateway.JsonSchemaVersion_DRAFT7}}}}, nil,
			`model "M": $schema DRAFT7: API Gateway validates with JSON Schema draft 4`},
		{"ModelKeyword", &Props{Models: &[]*Model{{Name: jsii.String("M"), Schema: &awsapigateway.JsonSchema{
			Type: awsapigateway.JsonSchemaType_OBJECT, PropertyNames: func() **awsapigateway.JsonSchema {
				s := &awsapigateway.JsonSchema{MinLength: jsii.Number(2)}
				return &s
			}(),
		}}}}, nil, `model "M": keyword "propertyNames" is not part of JSON Schema draft 4`},
		{"ModelPattern", &Props{Models: &[]*Model{{Name: jsii.String("M"), Schema: &awsapigateway.JsonSchema{
			Type: awsapigateway.JsonSchemaType_STRING, Pattern: jsii.String("(unclosed"),
		}}}}, nil, `model "M": schema does not compile as JSON Schema draft 4`},
		{"ModelOrder", &Props{}, func(a *RestApi) {
			a.AddModel(&Model{Name: jsii.String("List"), Schema: &awsapigateway.JsonSchema{Items: &awsapigateway.JsonSchema{Ref: a.ModelURL("Later")}}})
		}, `model "List": $ref names model "Later", which is not added before it`},
		{"GatewayResponse", &Props{GatewayResponses: &[]*awsapigateway.GatewayResponseOptions{{
			Type: awsapigateway.ResponseType_DEFAULT_4XX(), StatusCode: jsii.String("4xx"), ResponseHeaders: strs("x-a", "integration.response.header.a"),
		}}}, nil, `gateway response DEFAULT_4XX: status code "4xx" must be 100 to 599`},
		{"GatewayResponseType", &Props{GatewayResponses: &[]*awsapigateway.GatewayResponseOptions{{Type: awsapigateway.ResponseType_Of(jsii.String("TEAPOT"))}}}, nil,
			"gateway response TEAPOT: not a gateway response type"},
		{"ApiKeyValue", &Props{ApiKeys: &[]*ApiKey{{Name: jsii.String("k"), Value: jsii.String("short")}}}, nil,
			`API key "k": value is 5 characters; API Gateway wants 20 to 128`},
		{"ApiKeySameValue", &Props{ApiKeys: &[]*ApiKey{
			{Name: jsii.String("a"), Value: jsii.String("0123456789abcdefghij")}, {Name: jsii.String("b"), Value: jsii.String("0123456789abcdefghij")},
		}}, nil, `API key "b": has the value of API key "a"`},
		{"PlanStage", &Props{UsagePlans: &[]*UsagePlan{{Name: jsii.String("p"), Stages: jsii.Strings("nope")}}}, nil,
			`usage plan "p": names stage "nope", which this API does not have`},
		{"PlanKey", &Props{UsagePlans: &[]*UsagePlan{{Name: jsii.String("p"), ApiKeys: jsii.Strings("nope")}}}, nil,
			`usage plan "p": names API key "nope", which this API does not have`},
		{"PlanMethod", &Props{UsagePlans: &[]*UsagePlan{{Name: jsii.String("p"), MethodThrottle: &map[string]*awsapigateway.ThrottleSettings{"GET /nope": throttle(1, 1)}}}}, nil,
			`usage plan "p": MethodThrottle names method "GET /nope", which this API does not have`},
		{"PlanQuota", &Props{UsagePlans: &[]*UsagePlan{{Name: jsii.String("p"), Quota: &awsapigateway.QuotaSettings{Limit: jsii.Number(10)}}}}, nil,
			`usage plan "p": quota period is required`},
		{"KeyTwoPlans", &Props{
			ApiKeys:    &[]*ApiKey{{Name: jsii.String("k")}},
			UsagePlans: &[]*UsagePlan{{Name: jsii.String("a"), ApiKeys: jsii.Strings("k")}, {Name: jsii.String("b"), ApiKeys: jsii.Strings("k")}},
		}, nil, `usage plan "b": API key "k" is already in usage plan "a" for stage "prod", and a key can be in one plan per stage`},
		{"Cors", &Props{Cors: &awsapigateway.CorsOptions{AllowOrigins: jsii.Strings("*"), AllowCredentials: jsii.Bool(true)}}, nil,
			`CORS: AllowCredentials cannot be true when AllowOrigins contains "*"`},
		{"Binary", &Props{BinaryMediaTypes: jsii.Strings("png")}, nil,
			`binary media type "png" is not a media type`},
		// Authorizers: each case's authorizer "a" is used by method GET /a unless the case is
		// about that.
		{"AuthType", authed(fn, &Authorizer{Function: fn}), nil,
			`authorizer "a": Type is required: TOKEN, REQUEST, COGNITO, IAM`},
		{"AuthName", &Props{Authorizers: &map[string]*Authorizer{"a/b": {Type: AuthorizerType_IAM}}}, nil,
			`authorizer name "a/b" must not contain "/"`},
		{"AuthNoPools", authed(fn, &Authorizer{Type: AuthorizerType_COGNITO}), nil,
			`authorizer "a": a COGNITO authorizer needs UserPools`},
		{"AuthField", authed(fn, &Authorizer{Type: AuthorizerType_REQUEST, Function: fn, ValidationExpression: jsii.String("^x")}), nil,
			`authorizer "a": ValidationExpression does not apply to a REQUEST authorizer (only TOKEN, COGNITO)`},
		{"AuthIamTTL", authed(fn, &Authorizer{Type: AuthorizerType_IAM, ResultsCacheTtl: awscdk.Duration_Seconds(jsii.Number(60))}), nil,
			`authorizer "a": ResultsCacheTtl does not apply to an IAM authorizer`},
		{"AuthTokenQuery", authed(fn, &Authorizer{Type: AuthorizerType_TOKEN, Function: fn, IdentitySource: jsii.Strings("method.request.querystring.token")}), nil,
			`identity source "method.request.querystring.token": a TOKEN authorizer reads only from header`},
		{"AuthSource", authed(fn, &Authorizer{Type: AuthorizerType_REQUEST, Function: fn, IdentitySource: jsii.Strings("$request.header.Auth")}), nil,
			`identity source "$request.header.Auth" must be one of method.request.header.NAME`},
		{"AuthTTL", authed(fn, &Authorizer{Type: AuthorizerType_TOKEN, Function: fn, ResultsCacheTtl: awscdk.Duration_Hours(jsii.Number(2))}), nil,
			`authorizer "a": ResultsCacheTtl 7200s must be whole seconds from 0 (caching off) to 3600`},
		{"AuthNoSource", authed(fn, &Authorizer{Type: AuthorizerType_REQUEST, Function: fn, IdentitySource: &[]*string{}}), nil,
			`authorizer "a": caching (ResultsCacheTtl 300s) needs at least one identity source`},
		{"AuthValidation", authed(fn, &Authorizer{Type: AuthorizerType_TOKEN, Function: fn, ValidationExpression: jsii.String(`(?<=Bearer )\S+`)}), nil,
			`authorizer "a": ValidationExpression "(?<=Bearer )\\S+" uses a lookbehind`},
		{"MethodAuthUnknown", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Function: fn}, Authorizer: jsii.String("nope")}}}, nil,
			`method "GET /a": Authorizer "nope" is not declared: the API has no Authorizers`},
		{"ScopesToken", &Props{
			Authorizers: &map[string]*Authorizer{"a": {Type: AuthorizerType_TOKEN, Function: fn}},
			Methods:     &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Function: fn}, Authorizer: jsii.String("a"), AuthorizationScopes: jsii.Strings("read")}},
		}, nil, `method "GET /a": AuthorizationScopes apply only to COGNITO authorizers; authorizer "a" (TOKEN) checks no scopes`},
		{"ScopesNone", &Props{Methods: &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Function: fn}, AuthorizationScopes: jsii.Strings("read")}}}, nil,
			`method "GET /a": AuthorizationScopes need a COGNITO authorizer; the method has none`},
		{"DefaultUnknown", &Props{DefaultAuthorizer: jsii.String("x")}, nil,
			`DefaultAuthorizer: Authorizer "x" is not declared`},
		{"DefaultScopes", &Props{
			Authorizers:       &map[string]*Authorizer{"a": {Type: AuthorizerType_IAM}},
			DefaultAuthorizer: jsii.String("a"), DefaultAuthorizationScopes: jsii.Strings("read"),
		}, nil, `DefaultAuthorizationScopes: AuthorizationScopes apply only to COGNITO authorizers`},
		{"AuthUnused", &Props{Authorizers: &map[string]*Authorizer{"a": {Type: AuthorizerType_IAM}}}, nil,
			`authorizer "a": no method uses it`},
		{"ApiKeyFromAuthorizer", &Props{
			ApiKeySource: awsapigateway.ApiKeySourceType_AUTHORIZER,
			Authorizers:  &map[string]*Authorizer{"a": {Type: AuthorizerType_IAM}},
			Methods:      &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Function: fn}, Authorizer: jsii.String("a"), ApiKeyRequired: jsii.Bool(true)}},
		}, nil, `method "GET /a": ApiKeyRequired with ApiKeySource AUTHORIZER needs a TOKEN or REQUEST authorizer on the method`},
	}
	for _, c := range cases {
		props := c.props
		if props.Methods == nil {
			// API Gateway refuses to deploy an API without methods; every case has one.
			props.Methods = &[]*Method{ok("GET /ok")}
		}
		api := New(stack, jsii.String(c.id), props)
		if c.after != nil {
			c.after(api)
		}
	}
	msg := constructtest.SynthError(app)
	if msg == "" {
		t.Fatal("synthesis succeeded")
	}
	for _, c := range cases {
		if !constructtest.HasErrorLine(msg, "Bad/"+c.id, c.rule) {
			t.Errorf("%s: no error line for [Bad/%s] with %q", c.id, c.id, c.rule)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("synth error:\n%s", msg)
	}
}

func TestCheckValidation(t *testing.T) {
	k := mustKey(t, "POST /a")
	required := map[string]bool{"method.request.header.x": true}
	optional := map[string]bool{"method.request.header.x": false}
	tests := []struct {
		v         Validation
		hasModels bool
		params    map[string]bool
		want      []string // substrings of the errors, in order
	}{
		{"", false, nil, nil},
		{Validation_BODY, true, nil, nil},
		{Validation_PARAMETERS, false, required, nil},
		{Validation_BODY_AND_PARAMETERS, true, required, nil},
		{Validation_BODY, false, required, []string{"Validate BODY needs RequestModels"}},
		{Validation_PARAMETERS, true, optional, []string{"Validate PARAMETERS needs at least one required request parameter"}},
		{Validation_BODY_AND_PARAMETERS, false, nil, []string{"needs RequestModels (or use PARAMETERS)", "needs at least one required request parameter (or use BODY)"}},
		{"ALL", true, required, []string{`Validate "ALL" must be BODY, PARAMETERS or BODY_AND_PARAMETERS`}},
	}
	for _, tt := range tests {
		got := checkValidation(k, tt.v, tt.hasModels, tt.params)
		if len(got) != len(tt.want) {
			t.Errorf("checkValidation(%q) = %q, want %d errors", tt.v, got, len(tt.want))
			continue
		}
		for i := range got {
			if !strings.Contains(got[i], tt.want[i]) {
				t.Errorf("checkValidation(%q) error %d = %q, want %q", tt.v, i, got[i], tt.want[i])
			}
		}
	}
}

// authed is an API with the one authorizer "a" and a method, GET /a, that uses it.
func authed(fn awslambda.IFunction, a *Authorizer) *Props {
	return &Props{
		Authorizers: &map[string]*Authorizer{"a": a},
		Methods:     &[]*Method{{Key: jsii.String("GET /a"), Integration: &Integration{Function: fn}, Authorizer: jsii.String("a")}},
	}
}
