package local

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/restapi"
)

// throttledRunner serves an HTTP API and a REST API whose every limit is zero requests a second,
// which API Gateway answers with 429 from the first request: the HTTP API's stage throttling,
// the REST stage's method throttling, and a usage plan's throttling on a keyed method whose plan
// also has a quota of one request a day.
func throttledRunner(t *testing.T, opts Options) (*Runner, *bytes.Buffer) {
	t.Helper()
	zero := func() *model.Throttle { return &model.Throttle{RateLimit: 0, BurstLimit: 0} }
	mock := &model.Integration{Type: model.IntegrationMock,
		RequestTemplates:     map[string]string{"application/json": `{"statusCode": 200}`},
		IntegrationResponses: []*model.IntegrationResponse{{StatusCode: "200", ResponseTemplates: map[string]string{"application/json": `{"ok": true}`}}}}
	const key = "key-0123456789abcdefghij"
	prod := []model.APIStage{{APIID: "rest", Stage: "prod"}}
	m := &model.Model{Account: "123456789012", Region: "us-east-1",
		APIs: []*model.API{
			{Stack: "S", LogicalID: "Http", ID: "http", Protocol: model.ProtocolHTTP,
				Stages: []*model.Stage{{Name: "$default", DefaultRouteThrottle: zero()}},
				Routes: []*model.Route{{LogicalID: "R", Key: "GET /hello", Method: "GET", Path: "/hello",
					Integration: &model.Integration{Type: model.IntegrationAWSProxy, Function: "fn", PayloadFormatVersion: "2.0"}}}},
			{Stack: "S", LogicalID: "Rest", ID: "rest", Protocol: model.ProtocolREST,
				Stages: []*model.Stage{{Name: "prod", MethodThrottle: map[string]*model.Throttle{"/*/*": zero()}}},
				Resources: []*model.Resource{
					{Path: "/", Methods: []*model.Method{{HTTPMethod: "GET", Integration: mock}}},
					{Path: "/keyed", Methods: []*model.Method{{HTTPMethod: "GET", APIKeyRequired: true, Integration: mock}}},
				}},
		},
		APIKeys:    []*model.APIKey{{ID: "k", Value: key, Enabled: true, Stages: prod}},
		UsagePlans: []*model.UsagePlan{{LogicalID: "P", Stages: prod, Throttle: zero(), Quota: &model.Quota{Limit: 1, Period: "DAY"}, Keys: []string{key}}},
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	applyNoThrottle(m, opts, log)
	r := &Runner{log: log, model: m, apis: map[string]*apiEntry{}, base: "127.0.0.1:3000", done: make(chan struct{})}
	usage := restapi.NewUsage()
	for _, api := range m.APIs {
		e, err := newAPIEntryWithUsage(api, recordingInvoker{}, http.DefaultClient, m, log, opts, r.authorizeManagement, usage)
		if err != nil {
			t.Fatal(err)
		}
		r.apis[api.ID] = e
	}
	return r, &logs
}

func TestNoThrottle(t *testing.T) {
	for _, tc := range []struct {
		name       string
		noThrottle bool
		// statuses of GET /http/hello, GET /rest/prod/, and two GET /rest/prod/keyed with the key
		want []int
	}{
		{"limits apply", false, []int{429, 429, 429, 429}},
		// The keyed method's second request is over the plan's quota of one: quotas stay.
		{"--no-throttle", true, []int{200, 200, 200, 429}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, logs := throttledRunner(t, Options{NoThrottle: tc.noThrottle})
			var got []int
			for _, path := range []string{"/http/hello", "/rest/prod/", "/rest/prod/keyed", "/rest/prod/keyed"} {
				req := httptest.NewRequest("GET", "http://127.0.0.1:3000"+path, nil)
				req.Header.Set("X-Api-Key", "key-0123456789abcdefghij")
				rec := httptest.NewRecorder()
				r.ServeHTTP(rec, req)
				got = append(got, rec.Code)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("statuses = %v, want %v", got, tc.want)
				}
			}
			said := strings.Contains(logs.String(), "throttling is off")
			if said != tc.noThrottle {
				t.Errorf("log says throttling is off: %v, want %v; log:\n%s", said, tc.noThrottle, logs)
			}
		})
	}
}
