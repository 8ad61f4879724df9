package restapi

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// TestContextVarsOrder: eachContextVar names every variable once, in the sorted order
// templateVars relies on to skip sorting, and $context as templates see it lists the same
// variables.
func TestContextVarsOrder(t *testing.T) {
	s, _ := newTestServer(t, testAPI(res("/items/{id}", proxyMethod("GET"))), nil)
	c := &call{s: s, r: httptest.NewRequest("GET", "/items/1", nil), id: "r", extID: "e", start: time.Unix(0, 0),
		t: Target{Stage: &model.Stage{Name: "prod"}, RawPath: "/prod/items/1", DomainName: "abc.execute-api.localhost"}}
	var top []string // top-level names, with each scope where its first variable came
	scoped := map[string][]string{}
	c.eachContextVar(func(scope, name, value string) {
		if scope == "" {
			top = append(top, name)
			return
		}
		if scoped[scope] == nil {
			top = append(top, scope)
		}
		scoped[scope] = append(scoped[scope], name)
	})
	wantIdentity := []string{"accessKey", "accountId", "apiKey", "apiKeyId", "caller", "cognitoAuthenticationProvider",
		"cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId", "sourceIp", "user",
		"userAgent", "userArn"}
	for _, tc := range []struct {
		what      string
		got, want []string
	}{
		{"top level", top, []string{"accountId", "apiId", "authorizer", "domainName", "domainPrefix", "extendedRequestId",
			"httpMethod", "identity", "path", "protocol", "requestId", "requestTime", "requestTimeEpoch", "resourceId",
			"resourcePath", "stage"}},
		{"identity", scoped["identity"], wantIdentity},
		{"authorizer", scoped["authorizer"], []string{"principalId"}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: %v\nwant %v", tc.what, tc.got, tc.want)
		}
	}
	ctx := c.templateVars(nil, &template{allContext: true}).ContextMap
	if got := strings.Join(ctx.Keys(), ","); got != strings.Join(top, ",") {
		t.Errorf("$context keys %s, want %s", got, strings.Join(top, ","))
	}
	for _, tc := range []struct {
		t    *template
		keys string // $context's keys; "-" for no $context at all
	}{
		{&template{}, "-"},
		{&template{context: []string{"identity", "requestOverride", "stage"}}, "identity,stage"},
		{&template{context: []string{"authorizer", "nosuch"}}, "authorizer"},
	} {
		got := "-"
		if m := c.templateVars(nil, tc.t).ContextMap; m != nil {
			got = strings.Join(m.Keys(), ",")
		}
		if got != tc.keys {
			t.Errorf("$context for a template reading %v: %s, want %s", tc.t.context, got, tc.keys)
		}
	}
}
