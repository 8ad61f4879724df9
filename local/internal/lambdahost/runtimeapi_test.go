package lambdahost

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// apiWith returns a Runtime API whose runtime has taken one invocation (id "req-1") via /next.
func apiWith(t *testing.T) *runtimeAPI {
	t.Helper()
	a := newRuntimeAPI()
	a.next <- newInvocationWithID("req-1", []byte(`{"k":1}`))
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/2018-06-01/runtime/invocation/next", nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Lambda-Runtime-Aws-Request-Id") != "req-1" || rec.Body.String() != `{"k":1}` {
		t.Fatalf("/next = %d %v %q", rec.Code, rec.Header(), rec.Body)
	}
	return a
}

func newInvocationWithID(id string, payload []byte) *invocation {
	inv := newInvocation("arn:aws:lambda:us-east-1:123456789012:function:f", payload, time.Second)
	inv.id = id
	return inv
}

func TestRuntimeAPIRequests(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		headers    map[string]string
		wantStatus int
		wantBody   string // JSON compared by meaning, or exact text when not JSON
		wantAllow  string
		wantResult string // the invocation's outcome afterwards: "payload:..." or "error:type:message"
	}{
		{name: "response", method: "POST", path: "/2018-06-01/runtime/invocation/req-1/response", body: `{"ok":true}`,
			wantStatus: 202, wantBody: `{"status":"OK"}`, wantResult: `payload:{"ok":true}`},
		{name: "response not JSON passes through", method: "POST", path: "/2018-06-01/runtime/invocation/req-1/response", body: "\x00garbage",
			wantStatus: 202, wantBody: `{"status":"OK"}`, wantResult: "payload:\x00garbage"},
		{name: "error with body", method: "POST", path: "/2018-06-01/runtime/invocation/req-1/error",
			body:       `{"errorMessage":"boom","errorType":"MyError","stackTrace":[]}`,
			wantStatus: 202, wantBody: `{"status":"OK"}`, wantResult: "error:MyError:boom"},
		{name: "error type from header when body is not an error object", method: "POST", path: "/2018-06-01/runtime/invocation/req-1/error",
			body: "plain text", headers: map[string]string{"Lambda-Runtime-Function-Error-Type": "Runtime.Custom"},
			wantStatus: 202, wantBody: `{"status":"OK"}`, wantResult: "error:Runtime.Custom:plain text"},
		{name: "error without type", method: "POST", path: "/2018-06-01/runtime/invocation/req-1/error",
			wantStatus: 202, wantBody: `{"status":"OK"}`, wantResult: "error:Unhandled:"},
		{name: "wrong request id", method: "POST", path: "/2018-06-01/runtime/invocation/req-2/response", body: `{}`,
			wantStatus: 400, wantBody: `{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}`},
		{name: "wrong method on response", method: "GET", path: "/2018-06-01/runtime/invocation/req-1/response",
			wantStatus: 405, wantAllow: "POST"},
		{name: "wrong method on next", method: "POST", path: "/2018-06-01/runtime/invocation/next",
			wantStatus: 405, wantAllow: "GET"},
		{name: "next before answering", method: "GET", path: "/2018-06-01/runtime/invocation/next",
			wantStatus: 403, wantBody: `{"errorType":"InvalidStateTransition","errorMessage":"State transition from RuntimeInvocationResponseState to RuntimeReadyState failed for runtime. Error: State transition is not allowed"}`},
		{name: "init error after init", method: "POST", path: "/2018-06-01/runtime/init/error", body: `{}`,
			wantStatus: 403, wantBody: `{"errorType":"InvalidStateTransition","errorMessage":"State transition from RuntimeReadyState to RuntimeInitErrorState failed for runtime. Error: State transition is not allowed"}`},
		{name: "unknown action", method: "POST", path: "/2018-06-01/runtime/invocation/req-1/other", wantStatus: 404, wantBody: "404 page not found\n"},
		{name: "no id", method: "POST", path: "/2018-06-01/runtime/invocation//response", wantStatus: 404, wantBody: "404 page not found\n"},
		{name: "other version", method: "GET", path: "/2020-01-01/runtime/invocation/next", wantStatus: 404, wantBody: "404 page not found\n"},
		{name: "root", method: "GET", path: "/", wantStatus: 404, wantBody: "404 page not found\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := apiWith(t)
			inv := a.current.Load()
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			a.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %q)", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantAllow != "" && rec.Header().Get("Allow") != tt.wantAllow {
				t.Errorf("Allow = %q, want %q", rec.Header().Get("Allow"), tt.wantAllow)
			}
			if tt.wantBody != "" && !sameJSONOrText(rec.Body.String(), tt.wantBody) {
				t.Errorf("body = %q, want %q", rec.Body, tt.wantBody)
			}
			var got string
			select {
			case r := <-inv.done:
				if r.FunctionError != nil {
					got = "error:" + r.FunctionError.Type + ":" + r.FunctionError.Message
					if !json.Valid(r.FunctionError.Payload) {
						t.Errorf("error payload %q is not JSON", r.FunctionError.Payload)
					}
				} else {
					got = "payload:" + string(r.Payload)
				}
			default:
			}
			if got != tt.wantResult {
				t.Errorf("invocation outcome = %q, want %q", got, tt.wantResult)
			}
		})
	}
}

func TestRuntimeAPISecondAnswer(t *testing.T) {
	a := apiWith(t)
	for i, want := range []int{202, 403} {
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, httptest.NewRequest("POST", "/2018-06-01/runtime/invocation/req-1/response", strings.NewReader("1")))
		if rec.Code != want {
			t.Errorf("answer %d: status %d, want %d (%s)", i+1, rec.Code, want, rec.Body)
		}
	}
}

func TestRuntimeAPIResponseTooLarge(t *testing.T) {
	a := apiWith(t)
	inv := a.current.Load()
	rec := httptest.NewRecorder()
	body := strings.NewReader(strings.Repeat("a", MaxResponsePayload+1))
	a.ServeHTTP(rec, httptest.NewRequest("POST", "/2018-06-01/runtime/invocation/req-1/response", body))
	if rec.Code != http.StatusRequestEntityTooLarge ||
		!sameJSONOrText(rec.Body.String(), `{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}`) {
		t.Errorf("runtime got %d %s", rec.Code, rec.Body)
	}
	if r := <-inv.done; r.FunctionError == nil || r.FunctionError.Type != "Function.ResponseSizeTooLarge" {
		t.Errorf("invocation outcome %+v", r)
	}
}

func TestRuntimeAPIInitError(t *testing.T) {
	a := newRuntimeAPI()
	stopped := make(chan struct{})
	a.onInitErr = func() { close(stopped) }
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/2018-06-01/runtime/init/error", strings.NewReader(`{"errorMessage":"no config","errorType":"InitFailed"}`))
	a.ServeHTTP(rec, req)
	if rec.Code != 202 {
		t.Errorf("status %d", rec.Code)
	}
	<-stopped
	if fe := a.initErr.Load(); fe == nil || fe.Type != "InitFailed" || fe.Message != "no config" {
		t.Errorf("init error %+v", fe)
	}
}

func sameJSONOrText(got, want string) bool {
	var g, w any
	if json.Unmarshal([]byte(got), &g) != nil || json.Unmarshal([]byte(want), &w) != nil {
		return got == want
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return string(gb) == string(wb)
}

// FuzzRuntimeAPI sends arbitrary requests to an instance's Runtime API: it must never panic and
// must answer every request with a status the Runtime API uses.
func FuzzRuntimeAPI(f *testing.F) {
	for _, s := range [][3]string{
		{"GET", "/2018-06-01/runtime/invocation/next", ""},
		{"POST", "/2018-06-01/runtime/invocation/req-1/response", `{}`},
		{"POST", "/2018-06-01/runtime/invocation/req-1/error", `{"errorType":"x"}`},
		{"POST", "/2018-06-01/runtime/init/error", `not json`},
		{"PUT", "/2018-06-01/runtime/invocation/%2F/response", ""},
		{"POST", "/2018-06-01/runtime/invocation/req-1/response/extra", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	allowed := map[int]bool{200: true, 202: true, 400: true, 403: true, 404: true, 405: true, 413: true}
	f.Fuzz(func(t *testing.T, method, path, body string) {
		if !validMethod(method) || !strings.HasPrefix(path, "/") {
			return
		}
		a := apiWith(t)
		a.next <- newInvocationWithID("req-2", []byte("{}")) // so a second /next does not block
		req, err := http.NewRequest(method, "http://127.0.0.1"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, req)
		if !allowed[rec.Code] {
			t.Errorf("%s %s: status %d", method, path, rec.Code)
		}
	})
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, c := range m {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
