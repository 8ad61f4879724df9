package restapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// echoBackend answers with what it received, as JSON, and the status the X-Status request
// header asks for.
func echoBackend(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		status := 200
		if s := r.Header.Get("X-Status"); s != "" {
			_ = json.Unmarshal([]byte(s), &status)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Backend", "echo")
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.Header().Set("Server", "backend/1.0")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"method": r.Method, "path": r.URL.EscapedPath(), "query": r.URL.RawQuery, "body": string(body),
			"headers": r.Header, "item": map[string]any{"id": 7, "name": "seven"},
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHTTPIntegration(t *testing.T) {
	backend := echoBackend(t)
	m := &model.Method{HTTPMethod: "POST",
		RequestParameters: map[string]bool{"method.request.path.id": true, "method.request.querystring.q": false, "method.request.header.X-In": false},
		Integration: &model.Integration{Type: model.IntegrationHTTP, Method: "PUT",
			URI: backend.URL + "/things/{thing}?fixed=1",
			RequestParameters: map[string]string{
				"integration.request.path.thing":         "method.request.path.id",
				"integration.request.querystring.search": "method.request.querystring.q",
				"integration.request.querystring.all":    "method.request.multivaluequerystring.q",
				"integration.request.header.X-Out":       "method.request.header.X-In",
				"integration.request.header.X-Static":    "'static value'",
				"integration.request.header.X-Stage":     "stageVariables.env",
				"integration.request.header.X-Request":   "context.requestId",
				"integration.request.header.X-Name":      "method.request.body.pet.name",
				"integration.request.header.X-Status":    "method.request.header.X-Want",
			},
			RequestTemplates: map[string]string{"application/json": `#set($context.requestOverride.header.X-Override = "over")
{"templated": $input.json('$.pet')}`},
			IntegrationResponses: []*model.IntegrationResponse{
				{StatusCode: "200", SelectionPattern: `2\d{2}`, ResponseParameters: map[string]string{
					"method.response.header.X-Backend": "integration.response.header.X-Backend",
					"method.response.header.X-Multi":   "integration.response.multivalueheader.X-Multi",
					"method.response.header.X-Item":    "integration.response.body.item.name",
					"method.response.header.X-Json":    "integration.response.body.item",
				}},
				{StatusCode: "404", SelectionPattern: `4\d{2}`, ResponseTemplates: map[string]string{"application/json": `{"missing": true}`}},
			}}}
	s, logs := newTestServer(t, testAPI(res("/pets/{id}", m)), nil)

	w := do(s, "POST", "/pets/a%20b?q=1&q=2", `{"pet":{"name":"rex"}}`, "X-In", "inbound", "X-Dropped", "never")
	if w.Code != 200 {
		t.Fatalf("status %d: %s\n%s", w.Code, w.Body, logs)
	}
	var got struct {
		Method, Path, Query, Body string
		Headers                   http.Header
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	checks := map[string][2]string{
		"method":    {got.Method, "PUT"},
		"path":      {got.Path, "/things/a%20b"},
		"query":     {got.Query, "all=1&all=2&fixed=1&search=2"},
		"body":      {got.Body, `{"templated": {"name":"rex"}}`},
		"X-Out":     {got.Headers.Get("X-Out"), "inbound"},
		"X-Static":  {got.Headers.Get("X-Static"), "static value"},
		"X-Stage":   {got.Headers.Get("X-Stage"), "production"},
		"X-Request": {got.Headers.Get("X-Request"), w.Header().Get("X-Amzn-Requestid")},
		"X-Name":    {got.Headers.Get("X-Name"), "rex"},
		"override":  {got.Headers.Get("X-Override"), "over"},
		"unmapped":  {got.Headers.Get("X-Dropped"), ""},
		"type":      {got.Headers.Get("Content-Type"), "application/json"},
		// Response headers: only the mapped ones.
		"X-Backend":      {w.Header().Get("X-Backend"), "echo"},
		"X-Multi":        {strings.Join(w.Header().Values("X-Multi"), ","), "a,b"},
		"X-Item":         {w.Header().Get("X-Item"), "seven"},
		"X-Json":         {w.Header().Get("X-Json"), `{"id":7,"name":"seven"}`},
		"Server dropped": {w.Header().Get("Server"), ""},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}

	// The backend's status selects the integration response.
	w = do(s, "POST", "/pets/1", `{}`, "X-Want", "404")
	if w.Code != 404 || w.Body.String() != `{"missing": true}` {
		t.Errorf("404: got %d %s", w.Code, w.Body)
	}
	// No pattern matches 500 and there is no default response.
	w = do(s, "POST", "/pets/1", `{}`, "X-Want", "500")
	if w.Code != 500 {
		t.Errorf("500: got %d %s", w.Code, w.Body)
	}
}

func TestHTTPProxy(t *testing.T) {
	backend := echoBackend(t)
	m := &model.Method{HTTPMethod: "ANY", Integration: &model.Integration{Type: model.IntegrationHTTPProxy, Method: "ANY",
		URI:               backend.URL + "/base/{proxy}",
		RequestParameters: map[string]string{"integration.request.path.proxy": "method.request.path.proxy", "integration.request.header.X-Added": "'1'"}}}
	s, _ := newTestServer(t, testAPI(res("/api/{proxy+}", m)), nil)
	w := do(s, "PATCH", "/api/a/b%20c?x=1&x=2", "payload", "X-Client", "yes", "Content-Type", "text/plain")
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var got struct {
		Method, Path, Query, Body string
		Headers                   http.Header
	}
	_ = json.Unmarshal(w.Body.Bytes(), &got)
	for name, c := range map[string][2]string{
		"method":    {got.Method, "PATCH"},
		"path":      {got.Path, "/base/a/b%20c"},
		"query":     {got.Query, "x=1&x=2"},
		"body":      {got.Body, "payload"},
		"client":    {got.Headers.Get("X-Client"), "yes"},
		"added":     {got.Headers.Get("X-Added"), "1"},
		"forwarded": {got.Headers.Get("X-Forwarded-For"), "192.0.2.1"},
		// Response headers pass, but for the remapped and dropped.
		"X-Backend": {w.Header().Get("X-Backend"), "echo"},
		"remapped":  {w.Header().Get("X-Amzn-Remapped-Server"), "backend/1.0"},
	} {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	// A backend status passes through untouched.
	if w := do(s, "GET", "/api/x", "", "X-Status", "418"); w.Code != 418 {
		t.Errorf("status %d, want 418", w.Code)
	}
}

func TestHTTPBackendDown(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	m := &model.Method{HTTPMethod: "GET", Integration: &model.Integration{Type: model.IntegrationHTTPProxy, URI: url + "/x"}}
	s, logs := newTestServer(t, testAPI(res("/x", m)), nil)
	if w := do(s, "GET", "/x", ""); w.Code != 500 || w.Body.String() != `{"message":"Internal server error"}` {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
	if !strings.Contains(logs.String(), "calling GET") {
		t.Errorf("log: %s", logs)
	}
}

func TestHTTPBinaryResponse(t *testing.T) {
	png := []byte{0x89, 'P', 'N', 'G', 0, 0xff}
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(png)
	}))
	defer backend.Close()
	m := &model.Method{HTTPMethod: "GET", Integration: &model.Integration{Type: model.IntegrationHTTP, Method: "GET", URI: backend.URL,
		IntegrationResponses: []*model.IntegrationResponse{{StatusCode: "200",
			ResponseParameters: map[string]string{"method.response.header.Content-Type": "integration.response.header.Content-Type"},
			// The guide's S3 example wraps the base64 text in JSON for text clients.
			ResponseTemplates: map[string]string{"application/json": `{"image": "$input.body"}`}}}}}
	api := testAPI(res("/img", m))
	api.BinaryMediaTypes = []string{"image/png"}
	s, _ := newTestServer(t, api, nil)

	// A binary Accept type: the bytes as they are, no template.
	w := do(s, "GET", "/img", "", "Accept", "image/png")
	if w.Code != 200 || w.Body.String() != string(png) || w.Header().Get("Content-Type") != "image/png" {
		t.Errorf("binary: %d %q %q", w.Code, w.Body.Bytes(), w.Header().Get("Content-Type"))
	}
	// A text Accept type: base64-encoded, then the template.
	w = do(s, "GET", "/img", "", "Accept", "application/json")
	if w.Code != 200 || w.Body.String() != `{"image": "iVBORwD/"}` {
		t.Errorf("text: %d %q", w.Code, w.Body.Bytes())
	}
}
