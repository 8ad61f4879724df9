package golambda

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
)

// buildTags are passed to `go build`. lambda.norpc drops aws-lambda-go's net/rpc server, which
// only the retired go1.x runtime used; provided.al2023 speaks the Runtime API.
var buildTags = []string{"lambda.norpc"}

// goArch maps a Lambda architecture to GOARCH. Nil means x86_64, Lambda's own default.
func goArch(a awslambda.Architecture) string {
	if a != nil && a.Name() != nil && *a.Name() == "arm64" {
		return "arm64"
	}
	return "amd64"
}

// buildArgs is the `go build` command line, exported to tests so they can pin every flag that
// makes the output reproducible.
func buildArgs(out string) []string {
	return []string{
		"build",
		"-tags", strings.Join(buildTags, ","),
		"-trimpath",                   // no absolute source paths in the binary
		"-buildvcs=false",             // no commit or dirty flag, which would change without a code change
		"-ldflags", "-s -w -buildid=", // no symbol tables, and an empty build id
		"-o", out,
		".",
	}
}

// buildBootstrap compiles the main package in dir into outDir/bootstrap for linux/goarch.
func buildBootstrap(dir, goarch, outDir string) error {
	out := filepath.Join(outDir, "bootstrap")
	cmd := exec.Command("go", buildArgs(out)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch)
	var output bytes.Buffer
	cmd.Stdout = &output
	cmd.Stderr = &output
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build (GOOS=linux GOARCH=%s) in %s failed: %v\n%s", goarch, dir, err, strings.TrimSpace(output.String()))
	}
	return nil
}
