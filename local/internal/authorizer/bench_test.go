package authorizer

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/issuer"
)

// The figures compare a route behind a cached Lambda authorizer, and behind a JWT
// authorizer, with the same route unprotected; these measure the authorizer's own share of a
// request in-process (make bench measures the whole request end to end).

// BenchmarkCachedLambda is a Lambda REQUEST authorizer's decision from the cache: identity
// sources read, the cache hit, the IAM policy evaluated against the request's ARN.
func BenchmarkCachedLambda(b *testing.B) {
	a := &model.Authorizer{LogicalID: "L", Type: model.AuthorizerRequest, Function: "fn", PayloadFormatVersion: "2.0",
		ResultTTL: time.Hour, IdentitySource: []string{"$request.header.Authorization"}}
	inv := &fakeInvoker{respond: answering(policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:abc/*/GET/*"))}
	s := newTestSet(b, &model.API{ID: "abc", Protocol: model.ProtocolHTTP, Authorizers: map[string]*model.Authorizer{"L": a}}, inv, nil)
	r := httpRequest("GET", "/items/1", "Bearer secret-token")
	ctx := context.Background()
	if d := s.Authorize(ctx, model.AuthorizationCustom, "L", nil, r); d.Refusal != nil {
		b.Fatal(d.Refusal.Reason)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if d := s.Authorize(ctx, model.AuthorizationCustom, "L", nil, r); d.Refusal != nil || !d.Cached {
			b.Fatal("not a cached allow")
		}
	}
	if inv.count() != 1 {
		b.Fatalf("invoked %d times", inv.count())
	}
}

// BenchmarkCachedLambdaSimple is the same with a simple response (no policy to evaluate).
func BenchmarkCachedLambdaSimple(b *testing.B) {
	a := &model.Authorizer{LogicalID: "L", Type: model.AuthorizerRequest, Function: "fn", PayloadFormatVersion: "2.0",
		EnableSimpleResponses: true, ResultTTL: time.Hour, IdentitySource: []string{"$request.header.Authorization"}}
	inv := &fakeInvoker{respond: answering(`{"isAuthorized":true,"context":{"user":"alice"}}`)}
	s := newTestSet(b, &model.API{ID: "abc", Protocol: model.ProtocolHTTP, Authorizers: map[string]*model.Authorizer{"L": a}}, inv, nil)
	r := httpRequest("GET", "/items/1", "Bearer secret-token")
	ctx := context.Background()
	s.Authorize(ctx, model.AuthorizationCustom, "L", nil, r)
	b.ReportAllocs()
	for b.Loop() {
		if d := s.Authorize(ctx, model.AuthorizationCustom, "L", nil, r); d.Refusal != nil {
			b.Fatal(d.Refusal.Reason)
		}
	}
}

// BenchmarkJWT is a JWT authorizer's decision for one RS256 token sent again and again, as a
// client does within the token's life (jwtverify remembers a verified signature).
func BenchmarkJWT(b *testing.B) {
	s, token, _ := jwtBench(b, 1)
	r := httpRequest("GET", "/items/1", "Bearer "+token[0])
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if d := s.Authorize(ctx, model.AuthorizationJWT, "Jwt", []string{"read"}, r); d.Refusal != nil {
			b.Fatal(d.Refusal.Reason)
		}
	}
}

// BenchmarkJWTColdSignature is a JWT authorizer's decision for a token whose signature has
// not been checked before: the full RS256 verification every time. (The issuer's keys are
// added again every n tokens, which makes the store forget the signatures it checked.)
func BenchmarkJWTColdSignature(b *testing.B) {
	const n = 512
	s, tokens, iss := jwtBench(b, n)
	keys, jwks := s.opts.JWKS, iss.JWKS()
	ctx := context.Background()
	reqs := make([]*Request, n)
	for i, t := range tokens {
		reqs[i] = httpRequest("GET", "/items/1", "Bearer "+t)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%n == 0 {
			b.StopTimer()
			if err := keys.Add(testIssuer, jwks); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		if d := s.Authorize(ctx, model.AuthorizationJWT, "Jwt", []string{"read"}, reqs[i%n]); d.Refusal != nil {
			b.Fatal(d.Refusal.Reason)
		}
		i++
	}
}

func jwtBench(b *testing.B, n int) (*Set, []string, *issuer.Issuer) {
	b.Helper()
	iss, err := issuer.New(testIssuer)
	if err != nil {
		b.Fatal(err)
	}
	s, _ := jwtSet(b, iss)
	tokens := make([]string, n)
	for i := range tokens {
		tok, err := iss.Mint(issuer.Claims{Subject: "alice", Audience: []string{"app"}, Scopes: []string{"read"}, ExpiresIn: time.Hour})
		if err != nil {
			b.Fatal(err)
		}
		tokens[i] = tok
	}
	return s, tokens, iss
}
