package restapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatehouse-dev/gatehouse/local/internal/eventfixture"
	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

func TestProxyEventKeysMatchFixture(t *testing.T) {
	inv := &fakeInvoker{}
	s, _ := newTestServer(t, testAPI(res("/{proxy+}", proxyMethod("POST"))), inv)
	w := do(s, "POST", "/hello/world?name=me", `{"a": 1}`, "Content-Type", "application/json")
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	// The fixture has a custom authorizer and a client certificate (mutual TLS), which a
	// request without them does not; the guide's example has principalOrgId.
	eventfixture.DiffKeys(t, eventfixture.KeyPaths(t, inv.last(t)), eventfixture.KeyPaths(t, eventfixture.Read(t, "apigw-request.json")),
		[]string{"requestContext.authorizer", "requestContext.identity.clientCert"},
		[]string{"isBase64Encoded", "requestContext.identity.principalOrgId"})
}

func TestProxyEvent(t *testing.T) {
	inv := &fakeInvoker{}
	api := testAPI(res("/items/{id}", proxyMethod("GET")), res("/upload", proxyMethod("PUT")))
	api.BinaryMediaTypes = []string{"image/png"}
	s, _ := newTestServer(t, api, inv)

	r := httptest.NewRequest("GET", "http://abcdef1234.execute-api.localhost/items/a%20b?x=1&x=2&y=%2B", nil)
	r.Header.Add("X-Multi", "one")
	r.Header.Add("X-Multi", "two")
	r.Header.Set("User-Agent", "test-agent")
	r.Header.Set("Expect", "100-continue") // dropped on the way to Lambda
	r.RemoteAddr = "192.0.2.7:5555"
	if w := serve(s, r); w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(inv.last(t), &ev); err != nil {
		t.Fatal(err)
	}
	rc := ev.RequestContext
	checks := []struct {
		name      string
		got, want any
	}{
		{"resource", ev.Resource, "/items/{id}"},
		{"path (without the stage)", ev.Path, "/items/a%20b"},
		{"httpMethod", ev.HTTPMethod, "GET"},
		{"pathParameters (decoded)", ev.PathParameters, map[string]string{"id": "a b"}},
		{"stageVariables", ev.StageVariables, map[string]string{"env": "production"}},
		{"queryStringParameters (last value)", ev.QueryStringParameters, map[string]string{"x": "2", "y": "+"}},
		{"multiValueQueryStringParameters", ev.MultiValueQueryStringParameters, map[string][]string{"x": {"1", "2"}, "y": {"+"}}},
		{"headers (last value)", ev.Headers["X-Multi"], "two"},
		{"multiValueHeaders", ev.MultiValueHeaders["X-Multi"], []string{"one", "two"}},
		{"Host", ev.Headers["Host"], "abcdef1234.execute-api.localhost"},
		{"X-Forwarded-For", ev.Headers["X-Forwarded-For"], "192.0.2.7"},
		{"Expect dropped", ev.Headers["Expect"], ""},
		{"body null", ev.Body, ""},
		{"requestContext.path (with the stage)", rc.Path, "/prod/items/a%20b"},
		{"requestContext.resourcePath", rc.ResourcePath, "/items/{id}"},
		{"requestContext.resourceId", rc.ResourceID, resourceID("abcdef1234", "/items/{id}")},
		{"requestContext.stage", rc.Stage, "prod"},
		{"requestContext.apiId", rc.APIID, "abcdef1234"},
		{"requestContext.accountId", rc.AccountID, "123456789012"},
		{"requestContext.domainName", rc.DomainName, "abcdef1234.execute-api.localhost"},
		{"requestContext.domainPrefix", rc.DomainPrefix, "abcdef1234"},
		{"requestContext.protocol", rc.Protocol, "HTTP/1.1"},
		{"requestContext.requestTime", rc.RequestTime, "21/Apr/2020:15:08:21 +0000"},
		{"requestContext.requestTimeEpoch", rc.RequestTimeEpoch, int64(1587481701067)},
		{"requestContext.identity.sourceIp", rc.Identity.SourceIP, "192.0.2.7"},
		{"requestContext.identity.userAgent", rc.Identity.UserAgent, "test-agent"},
		{"requestContext.identity.apiKey", rc.Identity.APIKey, ""},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
	if len(rc.RequestID) != 36 || rc.ExtendedRequestID == "" {
		t.Errorf("requestId %q (want a UUID), extendedRequestId %q", rc.RequestID, rc.ExtendedRequestID)
	}
	// JSON null, not "", for what does not apply.
	var raw map[string]any
	_ = json.Unmarshal(inv.last(t), &raw)
	if raw["body"] != nil || raw["requestContext"].(map[string]any)["identity"].(map[string]any)["apiKey"] != nil {
		t.Errorf("body and identity.apiKey should be null: %s", inv.last(t))
	}

	t.Run("binary body is base64", func(t *testing.T) {
		png := "\x89PNG\r\n\x1a\n\x00\xff"
		do(s, "PUT", "/upload", png, "Content-Type", "image/png")
		var ev events.APIGatewayProxyRequest
		_ = json.Unmarshal(inv.last(t), &ev)
		if !ev.IsBase64Encoded || ev.Body != base64.StdEncoding.EncodeToString([]byte(png)) {
			t.Errorf("body %q base64 %v", ev.Body, ev.IsBase64Encoded)
		}
	})
	t.Run("text body is text", func(t *testing.T) {
		do(s, "PUT", "/upload", `{"a":1}`, "Content-Type", "application/json; charset=utf-8")
		var ev events.APIGatewayProxyRequest
		_ = json.Unmarshal(inv.last(t), &ev)
		if ev.IsBase64Encoded || ev.Body != `{"a":1}` {
			t.Errorf("body %q base64 %v", ev.Body, ev.IsBase64Encoded)
		}
	})
}

func TestProxyResponses(t *testing.T) {
	tests := []struct {
		name       string
		respond    func(context.Context, []byte) (*lambdahost.Result, error)
		accept     string
		wantStatus int
		wantBody   string
		wantHeader map[string]string // "" means absent
		wantLog    string
	}{
		{"plain", answer(`{"statusCode":201,"headers":{"X-A":"1"},"body":"made"}`), "", 201, "made",
			map[string]string{"X-A": "1", "Content-Type": "application/json"}, ""},
		{"string status code", answer(`{"statusCode":"404","body":"gone"}`), "", 404, "gone", nil, ""},
		{"numbers as header values", answer(`{"statusCode":200,"headers":{"X-N":3,"X-B":true}}`), "", 200, "",
			map[string]string{"X-N": "3", "X-B": "true"}, ""},
		{"multiValueHeaders win over headers", answer(`{"statusCode":200,"headers":{"X-M":"h"},"multiValueHeaders":{"x-m":["a","b"],"Set-Cookie":["c=1","d=2"]}}`), "", 200, "",
			map[string]string{"X-M": "a", "Set-Cookie": "c=1"}, ""},
		{"content type kept", answer(`{"statusCode":200,"headers":{"content-type":"text/plain"},"body":"hi"}`), "", 200, "hi",
			map[string]string{"Content-Type": "text/plain"}, ""},
		{"remapped headers", answer(`{"statusCode":200,"headers":{"Server":"mine","WWW-Authenticate":"Basic","Date":"yesterday"}}`), "", 200, "",
			map[string]string{"Server": "", "X-Amzn-Remapped-Server": "mine", "X-Amzn-Remapped-Www-Authenticate": "Basic", "X-Amzn-Remapped-Date": "yesterday"}, ""},
		{"base64 body without binary types stays text", answer(`{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`), "", 200, "aGk=", nil, ""},
		{"no statusCode", answer(`{"body":"x"}`), "", 502, `{"message": "Internal server error"}`, nil, "Malformed Lambda proxy response"},
		{"not an object", answer(`"hello"`), "", 502, `{"message": "Internal server error"}`, nil, "Malformed Lambda proxy response"},
		{"body not a string", answer(`{"statusCode":200,"body":{"a":1}}`), "", 502, `{"message": "Internal server error"}`, nil, "Malformed Lambda proxy response"},
		{"status out of range", answer(`{"statusCode":42}`), "", 502, `{"message": "Internal server error"}`, nil, "Malformed Lambda proxy response"},
		{"header object", answer(`{"statusCode":200,"headers":{"a":{}}}`), "", 502, `{"message": "Internal server error"}`, nil, "Malformed Lambda proxy response"},
		{"not JSON", answer(`{"statusCode":200`), "", 502, `{"message": "Internal server error"}`, nil, "Malformed Lambda proxy response"},
		{"function error", functionError("boom"), "", 502, `{"message": "Internal server error"}`,
			map[string]string{"X-Amzn-Errortype": "InternalServerErrorException"}, "boom"},
		{"throttled function", func(context.Context, []byte) (*lambdahost.Result, error) { return nil, lambdahost.ErrThrottled }, "", 500,
			`{"message":"Internal server error"}`, nil, "concurrency limit"},
		{"timeout", func(ctx context.Context, _ []byte) (*lambdahost.Result, error) { <-ctx.Done(); return nil, ctx.Err() }, "", 504,
			`{"message": "Endpoint request timed out"}`, nil, "timed out"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			api := testAPI(res("/x", proxyMethod("GET")))
			api.Resources[0].Methods[0].Integration.Timeout = 50e6 // 50 ms
			s, logs := newTestServer(t, api, &fakeInvoker{respond: tc.respond})
			w := do(s, "GET", "/x", "")
			if w.Code != tc.wantStatus || w.Body.String() != tc.wantBody {
				t.Errorf("got %d %q, want %d %q", w.Code, w.Body, tc.wantStatus, tc.wantBody)
			}
			for k, v := range tc.wantHeader {
				if got := w.Header().Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if w.Header().Get("X-Amzn-Requestid") == "" {
				t.Error("no x-amzn-RequestId")
			}
			if tc.wantLog != "" && !strings.Contains(logs.String(), tc.wantLog) {
				t.Errorf("log lacks %q:\n%s", tc.wantLog, logs)
			}
		})
	}
}

func TestProxyBinaryResponse(t *testing.T) {
	png := []byte{0x89, 'P', 'N', 'G', 0, 0xff}
	payload := `{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"` + base64.StdEncoding.EncodeToString(png) + `","isBase64Encoded":true}`
	jsonPayload := `{"statusCode":200,"body":"` + base64.StdEncoding.EncodeToString([]byte(`{"a":1}`)) + `","isBase64Encoded":true}`
	for _, tc := range []struct {
		name    string
		types   []string
		payload string
		accept  string
		want    []byte
	}{
		{"content type is binary", []string{"image/png"}, payload, "", png},
		{"wildcard", []string{"image/*"}, payload, "", png},
		{"no binary types: the base64 text", nil, payload, "", []byte(base64.StdEncoding.EncodeToString(png))},
		{"first accept type is binary", []string{"application/octet-stream"}, jsonPayload, "application/octet-stream, */*", []byte(`{"a":1}`)},
		{"a later accept type does not count", []string{"application/octet-stream"}, jsonPayload, "text/html, application/octet-stream",
			[]byte(base64.StdEncoding.EncodeToString([]byte(`{"a":1}`)))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := testAPI(res("/img", proxyMethod("GET")))
			api.BinaryMediaTypes = tc.types
			s, _ := newTestServer(t, api, &fakeInvoker{respond: answer(tc.payload)})
			var hdr []string
			if tc.accept != "" {
				hdr = []string{"Accept", tc.accept}
			}
			w := do(s, "GET", "/img", "", hdr...)
			if w.Code != 200 || string(w.Body.Bytes()) != string(tc.want) {
				t.Errorf("got %d %q, want %q", w.Code, w.Body.Bytes(), tc.want)
			}
		})
	}
	t.Run("bad base64 is a configuration error", func(t *testing.T) {
		api := testAPI(res("/img", proxyMethod("GET")))
		api.BinaryMediaTypes = []string{"*/*"}
		s, _ := newTestServer(t, api, &fakeInvoker{respond: answer(`{"statusCode":200,"body":"!!!","isBase64Encoded":true}`)})
		if w := do(s, "GET", "/img", ""); w.Code != http.StatusInternalServerError {
			t.Errorf("status %d, want 500", w.Code)
		}
	})
}

func TestProxyIdentityAPIKey(t *testing.T) {
	inv := &fakeInvoker{}
	api := testAPI(res("/k", proxyMethod("GET")))
	api.Resources[0].Methods[0].APIKeyRequired = true
	key := &model.APIKey{ID: "key1", Value: "0123456789abcdefghij", Enabled: true, Stages: []model.APIStage{{APIID: api.ID, Stage: "prod"}}}
	s, _ := newTestServer(t, api, inv, func(o *Options) { o.APIKeys = []*model.APIKey{key} })
	if w := do(s, "GET", "/k", "", "x-api-key", key.Value); w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var ev events.APIGatewayProxyRequest
	_ = json.Unmarshal(inv.last(t), &ev)
	if ev.RequestContext.Identity.APIKey != key.Value || ev.RequestContext.Identity.APIKeyID != "key1" {
		t.Errorf("identity %+v", ev.RequestContext.Identity)
	}
}

func TestStageVariableFunction(t *testing.T) {
	m := proxyMethod("GET")
	m.Integration.Function = "" // the model cannot resolve it: it depends on the stage
	m.Integration.URI = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}/invocations"
	api := testAPI(res("/x", m))
	api.Stages[0].Variables["fn"] = "prod-handler"
	inv := &fakeInvoker{}
	s, logs := newTestServer(t, api, inv)
	if w := do(s, "GET", "/x", ""); w.Code != 200 {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	api.Stages[0].Variables["fn"] = "prod-handler:live" // an alias: the function is the same
	if w := do(s, "GET", "/x", ""); w.Code != 200 {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	if len(inv.names) != 2 || inv.names[0] != "prod-handler" || inv.names[1] != "prod-handler" {
		t.Errorf("invoked %q", inv.names)
	}
	delete(api.Stages[0].Variables, "fn")
	if w := do(s, "GET", "/x", ""); w.Code != 500 {
		t.Errorf("without the variable: %d", w.Code)
	}
	// The text handler quotes the error, escaping the quotes around the stage's name.
	if want := `prod\": a stage variable it uses is not set there`; !strings.Contains(logs.String(), want) {
		t.Errorf("log does not say %q:\n%s", want, logs)
	}
}

// TestParseProxyResponse covers both of parseProxyResponse's decodes: the typed one most
// responses take, and the general one that says what is wrong with the rest.
func TestParseProxyResponse(t *testing.T) {
	for _, tc := range []struct {
		payload string
		status  int
		header  string // the header map, printed
		body    string
		base64  bool
		errMsg  string
	}{
		{payload: `{"statusCode":200,"headers":{"A":"x"},"multiValueHeaders":null,"body":"{\"id\":1}"}`,
			status: 200, header: "map[A:[x]]", body: `{"id":1}`},
		{payload: `{"statusCode":"201","headers":{"N":1.50,"B":true,"E":"a\"b\u00e9","Nil":null},"body":null}`,
			status: 201, header: `map[B:[true] E:[a"bé] N:[1.50] Nil:[]]`},
		{payload: "{\"statusCode\":200,\"headers\":{\"Bad\":\"\xff\"}}", status: 200, header: "map[Bad:[\uFFFD]]"},
		{payload: `{"statusCode":200,"headers":{"a":"1"},"multiValueHeaders":{"A":["2","3"]},"isBase64Encoded":true,"body":"aGk="}`,
			status: 200, header: "map[A:[2 3]]", body: "aGk=", base64: true},
		{payload: `{"StatusCode":204}`, status: 204, header: "map[]"}, // encoding/json matches names in any case
		{payload: `{"statusCode":200,"body":{"a":1}}`, errMsg: "body is not a string"},
		{payload: `{"statusCode":200,"isBase64Encoded":"true"}`, errMsg: `isBase64Encoded "true" is not a boolean`},
		{payload: `{"statusCode":200,"headers":{"A":{}}}`, errMsg: `headers "A": value {} is not a string`},
		{payload: `{"statusCode":200,"headers":{"":"x"}}`, errMsg: "headers has an empty header name"},
		{payload: `{"statusCode":700}`, errMsg: "statusCode 700 is not an HTTP status code"},
		{payload: `{"body":"x"}`, errMsg: "the response has no statusCode"},
		{payload: `{"statusCode":200,}`, errMsg: "the response does not decode"},
		{payload: `[1]`, errMsg: "the response is not a JSON object"},
	} {
		pr, err := parseProxyResponse([]byte(tc.payload))
		if tc.errMsg != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errMsg) {
				t.Errorf("%s: error %v, want one containing %q", tc.payload, err, tc.errMsg)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.payload, err)
			continue
		}
		if got := fmt.Sprint(pr.header); pr.status != tc.status || got != tc.header || pr.body != tc.body || pr.base64 != tc.base64 {
			t.Errorf("%s:\n got %d %s %q %v\nwant %d %s %q %v", tc.payload, pr.status, got, pr.body, pr.base64, tc.status, tc.header, tc.body, tc.base64)
		}
	}
}
