// Package integ synthesizes the example apps with the real CDK CLI, serves them with the runner,
// and drives them with real clients. It needs the pinned CDK CLI: `make test` (or `make deps`)
// installs it.
package integ

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local"
)

var (
	// assemblyDir is the example app's cloud assembly, synthesized once for the package.
	assemblyDir string
	// runner serves it for every test.
	runner *local.Runner
	// handlerLogs collects what handlers printed, for tests that assert on it.
	handlerLogs syncBuffer
	// repoRoot is the module root, where cdk.json is.
	repoRoot string
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "integ:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	wd, err := os.Getwd()
	if err != nil {
		return 0, err
	}
	repoRoot = filepath.Dir(wd)
	tmp, err := os.MkdirTemp("", "gatehouse-integ-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	assemblyDir = filepath.Join(tmp, "cdk.out")
	if err := synth(repoRoot, assemblyDir); err != nil {
		return 0, err
	}

	// The keys of every JWT and Cognito issuer the app trusts, as `make run` passes them with
	// --jwks (authz_test.go).
	jwks, err := newIssuers(assemblyDir)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runner, err = local.Start(ctx, local.Options{
		Assembly:   assemblyDir,
		JWKSData:   jwks,
		Logger:     slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Output:     io.MultiWriter(&handlerLogs, os.Stderr),
		SourceDirs: []string{repoRoot},
		// HTTPS and WSS too, for the custom domain tests (domains_test.go), from a CA of the
		// test's own.
		TLS:   true,
		CADir: filepath.Join(tmp, "ca"),
	})
	if err != nil {
		return 0, fmt.Errorf("starting the runner on %s: %w", assemblyDir, err)
	}
	defer runner.Close()
	return m.Run(), nil
}

// synth runs the pinned CDK CLI on the root cdk.json, offline-safe: a region, no telemetry, no
// version check, no notices and no AWS credentials.
func synth(root, out string) error {
	if _, err := os.Stat(filepath.Join(root, "node_modules", ".bin", "cdk")); err != nil {
		return fmt.Errorf("the pinned CDK CLI is not installed: run `make deps` (or `make test`) first")
	}
	cmd := exec.Command("npx", "--no-install", "cdk", "synth", "--no-notices", "-q", "-o", out)
	cmd.Dir = root
	cmd.Env = offlineEnv()
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	began := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("cdk synth: %v\n%s", err, buf.String())
	}
	fmt.Fprintf(os.Stderr, "integ: cdk synth took %s\n", time.Since(began).Round(time.Millisecond))
	return nil
}

func offlineEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
			"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI":
			continue
		}
		env = append(env, kv)
	}
	if os.Getenv("AWS_REGION") == "" {
		env = append(env, "AWS_REGION=us-east-1")
	}
	return append(env, "CDK_DISABLE_CLI_TELEMETRY=true", "CDK_DISABLE_VERSION_CHECK=1", "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1")
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of handler output.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
