package integ

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local"
)

// tsappKey is the API key value integ/tsapp/app.js gives its usage plan.
const tsappKey = "gatehouse-tsapp-demo-key-0001"

// TestTypeScriptApp synthesizes integ/tsapp, a REST API written with aws-cdk-lib alone, with the
// pinned CDK CLI, checks that the runner reads it, and drives it over HTTP.
func TestTypeScriptApp(t *testing.T) {
	if _, err := os.Stat(filepath.Join(repoRoot, "node_modules", "aws-cdk-lib")); err != nil {
		t.Fatal("aws-cdk-lib is not installed: run `make deps` (or `make test`) first; package.json pins it")
	}
	tmp := t.TempDir()
	assembly := synthTSApp(t, tmp)

	// The model, without serving anything.
	apis, warnings, err := local.Describe(local.Options{Assembly: assembly})
	if err != nil {
		t.Fatalf("reading the JavaScript app's assembly: %v", err)
	}
	if len(apis) != 1 {
		t.Fatalf("apis = %+v, want the one REST API", apis)
	}
	api := apis[0]
	if api.Name != "gatehouse-tsapp" || api.Protocol != "REST" || api.Stack != "GatehouseTsApp" {
		t.Errorf("api = %+v", api)
	}
	if len(api.Stages) != 1 || api.Stages[0].Name != "v1" {
		t.Errorf("stages = %+v, want v1", api.Stages)
	}
	wantRoutes := []string{"ANY /", "POST /greetings", "GET /hello", "GET /hello/{name}", "GET /ping", "GET /private", "ANY /{proxy+}"}
	routes := slices.Clone(api.Routes)
	slices.Sort(routes)
	slices.Sort(wantRoutes)
	if !slices.Equal(routes, wantRoutes) {
		t.Errorf("routes = %q, want %q", api.Routes, wantRoutes)
	}
	if len(api.APIKeys) != 1 || api.APIKeys[0].Value != tsappKey || !slices.Equal(api.APIKeys[0].Stages, []string{"v1"}) {
		t.Errorf("API keys = %+v, want %s on v1", api.APIKeys, tsappKey)
	}
	// Everything aws-cdk-lib wrote is something the runner serves faithfully.
	if len(warnings) != 0 {
		t.Errorf("warnings for the JavaScript app: %q", warnings)
	}

	// Served.
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := local.Start(ctx, local.Options{
		Assembly: assembly,
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Output:   &logs,
	})
	if err != nil {
		t.Fatalf("starting the runner on the JavaScript app: %v", err)
	}
	defer r.Close()
	served, ok := r.APIByName("gatehouse-tsapp")
	if !ok {
		t.Fatalf("the runner serves no API named gatehouse-tsapp: %+v", r.APIs())
	}
	v1, _ := served.Stage("v1")

	tests := []struct {
		name   string
		method string
		path   string
		header map[string]string
		body   string
		status int
		// want are substrings of the response body.
		want []string
	}{
		{"mock", "GET", "/ping", nil, "", 200, []string{`"pong": true`, `"stage": "v1"`}},
		{"proxy with stage variable", "GET", "/hello", nil, "", 200, []string{`"message":"hello from JavaScript, world!"`, `"resource":"/hello"`, `"stage":"v1"`}},
		{"path and multi-value query", "GET", "/hello/ann?x=1&x=2", nil, "", 200, []string{`"message":"hello from JavaScript, ann!"`, `"pathParameters":{"name":"ann"}`, `"x":["1","2"]`}},
		{"greedy proxy", "GET", "/some/deep/path", nil, "", 200, []string{`"resource":"/{proxy+}"`, `"pathParameters":{"proxy":"some/deep/path"}`}},
		{"root ANY", "DELETE", "/", nil, "", 200, []string{`"resource":"/"`, `"method":"DELETE"`}},
		{"valid body", "POST", "/greetings", map[string]string{"Content-Type": "application/json"}, `{"name":"ann"}`, 201, []string{`"created": true`}},
		{"invalid body", "POST", "/greetings", map[string]string{"Content-Type": "application/json"}, `{"name":""}`, 400, []string{`"message":"Invalid request body"`}},
		{"no API key", "GET", "/private", nil, "", 403, []string{`"message":"Forbidden"`}},
		{"API key", "GET", "/private", map[string]string{"x-api-key": tsappKey}, "", 200, []string{`"resource":"/private"`, `"apiKeyId":"`}},
		{"no such method", "POST", "/ping", nil, "", 403, []string{`"message":"Missing Authentication Token"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := restDo(t, tt.method, v1.URL+tt.path, tt.header, tt.body)
			if got.status != tt.status {
				t.Fatalf("%s %s = %d %s, want %d", tt.method, tt.path, got.status, got.body, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(got.body, w) {
					t.Errorf("%s %s body = %s, want it to contain %s", tt.method, tt.path, got.body, w)
				}
			}
		})
	}
}

// synthTSApp builds lambdas/resthello into an asset directory and synthesizes integ/tsapp with
// it, offline, into dir/cdk.out.
func synthTSApp(t *testing.T, dir string) string {
	t.Helper()
	asset := filepath.Join(dir, "asset")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-o", filepath.Join(asset, "bootstrap"), "./lambdas/resthello")
	build.Dir = repoRoot
	build.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+runtime.GOARCH, "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building lambdas/resthello: %v\n%s", err, out)
	}
	arch := "x86_64"
	if runtime.GOARCH == "arm64" {
		arch = "arm64"
	}
	out := filepath.Join(dir, "cdk.out")
	synth := exec.Command("npx", "--no-install", "cdk", "synth", "--no-notices", "-q", "-o", out)
	synth.Dir = filepath.Join(repoRoot, "integ", "tsapp")
	synth.Env = append(offlineEnv(), "GATEHOUSE_TSAPP_ASSET="+asset, "GATEHOUSE_TSAPP_ARCH="+arch)
	var buf bytes.Buffer
	synth.Stdout, synth.Stderr = &buf, &buf
	if err := synth.Run(); err != nil {
		t.Fatalf("cdk synth of integ/tsapp: %v\n%s", err, buf.String())
	}
	return out
}
