package authorizer

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/iamauth"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// FuzzParseAnswer feeds arbitrary function responses to the parser: it must never panic, and
// what it accepts must be a complete answer (every statement with a valid effect, an action
// and a resource; REST contexts of primitives only).
func FuzzParseAnswer(f *testing.F) {
	f.Add([]byte(policy("Allow", "*")), false, true)
	f.Add([]byte(`{"principalId":"u","policyDocument":{"Statement":{"Action":"execute-api:Invoke","Effect":"Deny","NotResource":["a","b"]}},"usageIdentifierKey":"k"}`), false, true)
	f.Add([]byte(`{"isAuthorized":true,"context":{"a":{"b":[1,2,null]}}}`), true, false)
	f.Add([]byte(`{"isAuthorized":1}`), true, false)
	f.Add([]byte(`{"policyDocument":{"Statement":[null,{}]}}`), false, true)
	f.Add([]byte(`{"policyDocument":{"Statement":"x"}} {}`), false, false)
	f.Add([]byte(`null`), false, false)
	f.Add([]byte(`{"context":{"n":1e999}}`), true, true)

	f.Fuzz(func(t *testing.T, payload []byte, simple, primitive bool) {
		a, err := parseAnswer(payload, responseRules{simple: simple, primitiveContext: primitive})
		if err != nil {
			if a != nil {
				t.Fatalf("an answer with an error")
			}
			return
		}
		if a.simple != simple {
			t.Fatalf("simple %v for rules %v", a.simple, simple)
		}
		if !simple && a.statements == nil {
			t.Fatalf("a policy answer without statements: %s", payload)
		}
		for _, st := range a.statements {
			if st.Effect != "Allow" && st.Effect != "Deny" {
				t.Fatalf("effect %q accepted", st.Effect)
			}
			if len(st.Actions)+len(st.NotActions) == 0 || len(st.Resources)+len(st.NotResources) == 0 {
				t.Fatalf("incomplete statement accepted: %+v", st)
			}
		}
		if primitive {
			for k, v := range a.context {
				switch v.(type) {
				case map[string]any, []any:
					t.Fatalf("context %q holds %T", k, v)
				}
				_ = Stringify(v)
			}
		}
	})
}

// FuzzPolicyDecision evaluates arbitrary policies against arbitrary requests through a cached
// answer, as Authorize does: never a panic, and a Deny of everything always wins.
func FuzzPolicyDecision(f *testing.F) {
	f.Add(`{"principalId":"u","policyDocument":{"Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"arn:aws:execute-api:us-east-1:123456789012:abc/*/GET/*"}]}}`, "GET", "/pets/1", "prod")
	f.Add(`{"policyDocument":{"Statement":[{"Action":"*","Effect":"Allow","Resource":"arn:aws:execute-api:*:*:*/??od/*"}]}}`, "POST", "/a/b/c", "prod")
	f.Add(`{"policyDocument":{"Statement":[{"NotAction":"s3:*","Effect":"Allow","NotResource":"x"}]}}`, "DELETE", "/", "$default")
	f.Add(`{"policyDocument":{"Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"*******************a"}]}}`, "GET", "/ü/%20", "s")

	f.Fuzz(func(t *testing.T, payload, method, path, stage string) {
		ans, err := parseAnswer([]byte(payload), responseRules{primitiveContext: true})
		if err != nil {
			return
		}
		s := newTestSet(t, restAPI(tokenAuthorizer(0)), nil, nil)
		c := s.auths["Tok"]
		r := &Request{Protocol: model.ProtocolREST, Method: method, Path: path, Stage: stage}
		d := s.decide(c, r, ans)
		if d.Refusal != nil && (d.Refusal.Status != 403 || len(d.Refusal.Body) == 0) {
			t.Fatalf("refusal %+v", d.Refusal)
		}
		// The same policy with a Deny of everything appended never allows.
		withDeny := *ans
		withDeny.statements = append(append([]*model.Statement(nil), ans.statements...), &model.Statement{Effect: "Deny", Actions: []string{"*"}, Resources: []string{"*"}})
		if d := s.decide(c, r, &withDeny); d.Refusal == nil || d.Refusal.Message != MsgExplicitDeny {
			t.Fatalf("a Deny of everything did not deny: %+v", d.Refusal)
		}
		// And the decision agrees with iamauth's evaluation of the ARN.
		allowed := iamauth.Evaluate(ans.statements, iamauth.ActionInvoke, s.methodARN(r)) == iamauth.Allow
		if allowed != (d.Refusal == nil) {
			t.Fatalf("decision %v, evaluation %v", d.Refusal == nil, allowed)
		}
	})
}

// FuzzAuthorize runs whole requests with arbitrary identity values and function answers
// through a caching REQUEST authorizer: never a panic, every refusal complete, never allowed
// without an allowing answer.
func FuzzAuthorize(f *testing.F) {
	f.Add("tok", "q=1", `{"isAuthorized":true}`, true)
	f.Add("", "", `{"isAuthorized":true}`, true)
	f.Add("t", "q=%zz&q", policy("Allow", "*"), false)
	f.Add("t\x00", "q=a+b", `{"principalId":1}`, false)

	f.Fuzz(func(t *testing.T, header, query, answer string, simple bool) {
		a := &model.Authorizer{LogicalID: "L", Type: model.AuthorizerRequest, Function: "fn", PayloadFormatVersion: "2.0",
			EnableSimpleResponses: simple, ResultTTL: 60e9, IdentitySource: []string{"$request.header.Authorization", "$request.querystring.q"}}
		inv := &fakeInvoker{respond: answering(answer)}
		s := newTestSet(t, &model.API{ID: "abc", Protocol: model.ProtocolHTTP, Authorizers: map[string]*model.Authorizer{"L": a}}, inv, &clock{now: testNow})
		r := httpRequest("GET", "/x", header)
		r.RawQuery = query
		for range 2 { // the second one from the cache, when the first was cacheable
			d := s.Authorize(context.Background(), model.AuthorizationCustom, "L", nil, r)
			if d.Refusal != nil {
				if d.Refusal.Status < 400 || len(d.Refusal.Body) == 0 || d.Refusal.Reason == "" || !json.Valid(d.Refusal.Body) {
					t.Fatalf("incomplete refusal %+v", d.Refusal)
				}
				continue
			}
			ans, err := parseAnswer([]byte(answer), responseRules{simple: simple})
			if err != nil || (simple && !ans.authorized) {
				t.Fatalf("allowed on answer %q (%v)", answer, err)
			}
			if _, err := json.Marshal(d.HTTPV2()); err != nil {
				t.Fatalf("the event's authorizer object does not encode: %v", err)
			}
		}
	})
}
