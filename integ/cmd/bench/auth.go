package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/lambdas/tokenauth"
	"github.com/gatehouse-dev/gatehouse/local/issuer"
)

// The authorizer figures of issue 5, side by side in one runner: the authorizer example's
// handler (lambdas/authecho) behind
//   (a) an open route,
//   (b) a Lambda authorizer whose answer is cached (payload 2.0, simple responses, TTL 300 s),
//   (c) a JWT authorizer with an RS256 token, its issuer's keys loaded at start (--jwks).
// The same handler behind each, asked with ?brief for the same few bytes of answer (whether an
// authorizer's result reached it) rather than an echo of the claims, so that the difference is
// the authorizer's cost: running it, and the bigger event it makes. The routes are loaded in
// turns, so that a change in the machine's other load falls on all three alike.

// authFlags name the authorizer example's HTTP API and what its authorizers accept. Their
// defaults are examples/authz/guarded's constants, written out so the bench does not link the
// CDK; a wrong one shows as a refused warm-up request.
var authFlags = struct {
	api, secret, issuer, audience, scope *string
}{
	api:      flag.String("auth-api", "gatehouse-authz-http", "name of the authorizer example's HTTP API"),
	secret:   flag.String("auth-secret", "gatehouse-authz-demo-secret-do-not-reuse", "HS256 secret of its Lambda authorizers (guarded.TokenSecret)"),
	issuer:   flag.String("auth-issuer", "https://auth.gatehouse.example", "issuer of its JWT authorizer (guarded.Issuer)"),
	audience: flag.String("auth-audience", "gatehouse-authz", "audience of its JWT authorizer (guarded.Audience)"),
	scope:    flag.String("auth-scope", "gatehouse/read", "scope GET /jwt requires (guarded.ReadScope)"),
}

// authRoute is one figure: a route of the API and the Authorization header it is called with.
type authRoute struct {
	what, key, path, authorization, target string
}

// authRounds is how many turns each route gets: dur is split between them.
const authRounds = 5

// runAuth measures the three routes in one gatehouse started with the JWT issuer's keys.
func runAuth(bin, assembly string, apis []apiInfo, dur time.Duration) error {
	var api apiInfo
	for _, a := range apis {
		if a.Protocol == "HTTP" && a.Name == *authFlags.api {
			api = a
		}
	}
	routes := []authRoute{
		{what: "(a) open route", key: "GET /open", path: "/open?brief"},
		{what: "(b) cached Lambda authorizer", key: "GET /lambda", path: "/lambda?brief", target: "≥ 80%"},
		{what: "(c) JWT authorizer, RS256", key: "GET /jwt", path: "/jwt?brief", target: "≥ 70%"},
	}
	if api.ID == "" {
		return fmt.Errorf("the assembly has no HTTP API named %q (the authorizer example, examples/authz)", *authFlags.api)
	}
	for _, r := range routes {
		if !slices.Contains(api.Routes, r.key) {
			return fmt.Errorf("HTTP API %q has no route %s (it has %s)", api.Name, r.key, strings.Join(api.Routes, ", "))
		}
	}

	hs, err := tokenauth.Sign([]byte(*authFlags.secret), map[string]any{"sub": "bench", "exp": time.Now().Add(time.Hour).Unix()})
	if err != nil {
		return fmt.Errorf("signing the Lambda authorizer's token: %w", err)
	}
	iss, err := issuer.New(*authFlags.issuer)
	if err != nil {
		return err
	}
	jwt, err := iss.Mint(issuer.Claims{Subject: "bench", Audience: []string{*authFlags.audience}, Scopes: []string{*authFlags.scope}})
	if err != nil {
		return fmt.Errorf("minting the JWT: %w", err)
	}
	routes[1].authorization, routes[2].authorization = "Bearer "+hs, "Bearer "+jwt
	dir, err := os.MkdirTemp("", "gatehouse-bench-jwks-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	jwks := filepath.Join(dir, "jwks.json")
	if err := os.WriteFile(jwks, iss.JWKS(), 0o644); err != nil {
		return err
	}

	prefix := "/" + api.ID
	gh, _, err := startOnFreePort(bin, assembly, func(int) string { return prefix + routes[0].path }, "--jwks", *authFlags.issuer+"="+jwks)
	if err != nil {
		return err
	}
	defer gh.stop()
	base := "http://" + gh.addr + prefix
	for _, r := range routes {
		// One request each first: it must be allowed, reach the handler with the authorizer's
		// result (or none), and fill the Lambda authorizer's cache.
		want := fmt.Sprintf(`"authorized":%t`, r.authorization != "")
		if err := getOK(base+r.path, r.authorization, want); err != nil {
			return fmt.Errorf("%s: %w", r.what, err)
		}
		runLoad(base+r.path, 8, time.Second, false, authHeader(r.authorization)...)
	}

	fmt.Printf("\nAuthorizer figures: HTTP API %q, the same handler behind each route; %d turns of %s per route.\n\n", api.Name, authRounds, dur/authRounds)
	fmt.Printf("| figure | req/s at 8 connections | of (a) | target | runner CPU per request | handler CPU per request | p50 at 1 connection |\n|---|---|---|---|---|---|---|\n")
	results := make([]loadResult, len(routes))
	cpu := make([]cpuSample, len(routes))
	for turn := 0; turn < authRounds; turn++ {
		for i, r := range routes {
			c0 := sampleCPU(gh.cmd.Process.Pid)
			res, err := runLoad(base+r.path, 8, dur/authRounds, false, authHeader(r.authorization)...)
			if err != nil {
				return fmt.Errorf("%s: %w", r.what, err)
			}
			results[i].add(res)
			cpu[i] = cpu[i].plus(sampleCPU(gh.cmd.Process.Pid).sub(c0))
		}
	}
	for i, r := range routes {
		lat, err := runLoad(base+r.path, 1, dur/4, true, authHeader(r.authorization)...)
		if err != nil {
			return fmt.Errorf("%s: %w", r.what, err)
		}
		ratio := ""
		if i > 0 {
			ratio = fmt.Sprintf("%.0f%%", 100*results[i].RPS()/results[0].RPS())
		}
		n := int64(results[i].Requests)
		fmt.Printf("| %s `%s` | %.0f (%d errors) | %s | %s | %s | %s | %s |\n", r.what, r.key, results[i].RPS(), results[i].Errors, ratio, r.target,
			perRequest(cpu[i].self, n), perRequest(cpu[i].children, n), us(lat.Percentile(0.5)))
	}
	fmt.Printf("| runner RSS after the runs above | | | | %.1f MB | | |\n", rssMB(gh.cmd.Process.Pid))
	return nil
}

// authHeader is the extra header line of a route's requests, none for the open route.
func authHeader(authorization string) []string {
	if authorization == "" {
		return nil
	}
	return []string{"Authorization: " + authorization}
}

// getOK makes one request and wants a 200 whose body holds want.
func getOK(url, authorization, want string) error {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return err
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
		return fmt.Errorf("GET %s: %d %s, want 200 with %s", url, resp.StatusCode, body, want)
	}
	return nil
}
