package integ

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/examples/domains"
	"github.com/gatehouse-dev/gatehouse/local"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// gatehouseBin builds the CLI once for the package.
func gatehouseBin(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gatehouse-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "gatehouse")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/gatehouse-dev/gatehouse/local/cmd/gatehouse").CombinedOutput()
		if err != nil {
			buildErr = err
			t.Logf("%s", out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building gatehouse: %v", buildErr)
	}
	return binPath
}

func TestCLIRoutesJSON(t *testing.T) {
	out, err := exec.Command(gatehouseBin(t), "routes", "--assembly", assemblyDir, "--port", "4321", "--json").Output()
	if err != nil {
		t.Fatalf("gatehouse routes: %v", err)
	}
	var apis []local.APIInfo
	if err := json.Unmarshal(out, &apis); err != nil {
		t.Fatalf("routes --json is not the documented JSON: %v\n%s", err, out)
	}
	// The HTTP and WebSocket example, the catalogue, the authorizer example's HTTP, REST and
	// two WebSocket APIs, and the custom domain example's two HTTP, one REST and one WebSocket
	// API.
	if len(apis) != 11 {
		t.Fatalf("apis = %+v, want the example's HTTP and WebSocket APIs, the catalogue REST API, the authorizer example's four and the domain example's four", apis)
	}
	a := apis[0]
	for _, x := range apis {
		if x.Name == "gatehouse-example" {
			a = x
		}
	}
	if a.Name != "gatehouse-example" || a.Protocol != "HTTP" || a.Stack != "GatehouseHttpExample" || a.LogicalID == "" {
		t.Errorf("api = %+v", a)
	}
	dev, ok := a.Stage("dev")
	if !ok || dev.URL != "http://127.0.0.1:4321/"+a.ID+"/dev" {
		t.Errorf("dev stage = %+v", dev)
	}
	// The same API id as the in-process runner: ids are stable for a stack and logical id.
	if a.ID != exampleAPI(t).ID {
		t.Errorf("id %s differs from the running runner's %s", a.ID, exampleAPI(t).ID)
	}
	// A stage behind a custom domain lists the domain's URL beside its execute-api ones.
	var orders local.APIInfo
	for _, x := range apis {
		if x.Name == domains.OrdersApiName {
			orders = x
		}
	}
	v2, ok := orders.Stage(domains.OrdersV2Stage)
	if !ok || len(v2.Domains) != 1 || v2.Domains[0].URL != "http://"+domains.ApiDomain+":4321/"+domains.OrdersV2Key {
		t.Errorf("%s stage %s = %+v, want its mapping on %s", domains.OrdersApiName, domains.OrdersV2Stage, v2, domains.ApiDomain)
	}
	// The raw JSON keys are the documented ones.
	for _, key := range []string{`"stack"`, `"logicalId"`, `"name"`, `"protocol"`, `"stages"`, `"url"`, `"routes"`, `"domains"`} {
		if !bytes.Contains(out, []byte(key)) {
			t.Errorf("routes --json lacks %s", key)
		}
	}
}

func TestCLIInvoke(t *testing.T) {
	cmd := exec.Command(gatehouseBin(t), "invoke", "Echo", "--assembly", assemblyDir, "--event", "-")
	cmd.Stdin = strings.NewReader(`{"hello":"world"}`)
	cmd.Dir = repoRoot
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gatehouse invoke: %v", err)
	}
	var resp struct {
		StatusCode int    `json:"statusCode"`
		Body       string `json:"body"`
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("invoke output %q: %v", out, err)
	}
	if resp.StatusCode != 200 || resp.Body != `{"hello":"world"}` {
		t.Errorf("invoke Echo = %+v", resp)
	}
}

func TestCLIStartServesAndStopsCleanly(t *testing.T) {
	cmd := exec.Command(gatehouseBin(t), "start", "--assembly", assemblyDir, "--port", "0")
	cmd.Dir = repoRoot
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	// The printed URLs are the way in: the $default stage of the example's HTTP API (the
	// authorizer example's HTTP API has one too).
	urlRE := regexp.MustCompile(`stage \$default\s+(http://127\.0\.0\.1:\d+/\w+)`)
	sc := bufio.NewScanner(stdout)
	base, inExample := "", false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "HTTP API ") {
			inExample = strings.HasPrefix(line, `HTTP API "gatehouse-example" `)
		}
		if m := urlRE.FindStringSubmatch(line); m != nil && inExample {
			base = m[1]
			break
		}
	}
	if base == "" {
		t.Fatalf("start printed no $default URL; stderr: %s", stderr.String())
	}
	go func() {
		for sc.Scan() {
		}
	}()
	resp, err := http.Get(base + "/hello")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s/hello = %d", base, resp.StatusCode)
	}

	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("gatehouse start after SIGINT: %v; stderr: %s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("gatehouse start did not stop within 10s of SIGINT")
	}
}

func TestCLIBadAssembly(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`{"version": "36.0.0", "artifacts": {`), 0o644)
	tests := []struct {
		name, dir, want string
	}{
		{"missing directory", filepath.Join(dir, "nope"), "nope"},
		{"malformed manifest", dir, "manifest.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := exec.Command(gatehouseBin(t), "start", "--assembly", tc.dir, "--port", "0").CombinedOutput()
			if err == nil {
				t.Fatalf("start on a bad assembly exited 0: %s", out)
			}
			if !strings.Contains(string(out), tc.want) {
				t.Errorf("error %q does not name %q", out, tc.want)
			}
		})
	}
}
