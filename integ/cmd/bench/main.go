// Command bench measures the issues' figures side by side in one run. Issue 2: warm HTTP API
// requests through `gatehouse start` to a Go handler against a bare net/http server returning
// the same body, latency added at one connection, start-to-first-200, and the runner's memory.
// Issue 3: WebSocket echoes, connects and memory (ws.go). Issue 4: a REST API's Lambda proxy and
// MOCK methods against bare servers returning the same bodies (rest.go). Issue 5: one handler
// behind an open route, a cached Lambda authorizer and a JWT authorizer (auth.go).
//
//	make bench    (synthesizes the example first), or
//	go run ./integ/cmd/bench -assembly cdk.out -gatehouse bin/gatehouse
//
// Every server runs as its own process, and the load generator is the same for all of them.
package main

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	bareBody := flag.String("bare-server", "", "internal: serve this base64 body as a bare net/http server")
	bareType := flag.String("bare-type", "application/json", "internal: content type of the bare server's body")
	assembly := flag.String("assembly", "cdk.out", "cloud assembly to serve")
	gatehouse := flag.String("gatehouse", "bin/gatehouse", "gatehouse binary")
	route := flag.String("path", "/hello", "route of the $default stage to load")
	dur := flag.Duration("duration", 5*time.Second, "length of each throughput run")
	loadOnly := flag.String("load", "", "only load this URL (with -conns and -duration) and print req/s")
	bareWS := flag.Bool("bare-ws", false, "internal: serve a bare gorilla/websocket echo server")
	only := flag.String("only", "", "run only the \"http\", the \"rest\", the \"ws\" or the \"auth\" figures")
	var rr restRoutes
	flag.StringVar(&rr.api, "rest-api", "gatehouse-catalogue", "name of the REST API to load (its first stage)")
	flag.StringVar(&rr.proxy, "rest-proxy", "/products/1", "path of the REST API's Lambda proxy method to load")
	flag.StringVar(&rr.proxyKey, "rest-proxy-method", "GET /products/{id}", "that method, as gatehouse routes lists it")
	flag.StringVar(&rr.mock, "rest-mock", "/health", "path of the REST API's MOCK method to load")
	flag.StringVar(&rr.mockKey, "rest-mock-method", "GET /health", "that method, as gatehouse routes lists it")
	wsQuery := flag.String("ws-query", "token=gatehouse-demo-token", "query string for the WebSocket API's $connect (the example checks a token)")
	conns := flag.Int("conns", 8, "connections for -load")
	flag.Parse()

	if *loadOnly != "" {
		r, err := runLoad(*loadOnly, *conns, *dur, true)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		fmt.Printf("%.0f req/s, %d errors, p50 %s, p99 %s\n", r.RPS(), r.Errors, us(r.Percentile(0.5)), us(r.Percentile(0.99)))
		return
	}
	if *bareWS {
		serveBareWS()
		return
	}
	if *bareBody != "" {
		serveBare(*bareBody, *bareType)
		return
	}
	rr.readiness = rr.mock
	if err := run(*assembly, *gatehouse, *route, *wsQuery, *only, rr, *dur); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// serveBare is the baseline: the same body from a bare net/http server.
func serveBare(b64, ctype string) {
	body, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		panic(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Println(ln.Addr().String())
	http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Write(body)
	}))
}

type proc struct {
	cmd  *exec.Cmd
	addr string
}

func (p *proc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startOnFreePort is startGatehouse on a port the OS picks.
func startOnFreePort(bin, assembly string, path func(port int) string, args ...string) (*proc, time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	return startGatehouse(bin, assembly, port, path, args...)
}

// startGatehouse starts the runner, with args added to its command line, and returns once
// target answers 200, with the time that took.
func startGatehouse(bin, assembly string, port int, path func(port int) string, args ...string) (*proc, time.Duration, error) {
	t0 := time.Now()
	// Load tests are what stage throttles exist to refuse: the catalogue's v1 stage allows 1000
	// requests a second. The header of the output says the bench turns them off.
	cmd := exec.Command(bin, append([]string{"start", "--assembly", assembly, "--port", strconv.Itoa(port), "--no-throttle"}, args...)...)
	cmd.Stdout = io.Discard
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	p := &proc{cmd: cmd, addr: fmt.Sprintf("127.0.0.1:%d", port)}
	url := "http://" + p.addr + path(port)
	client := &http.Client{Timeout: 5 * time.Second}
	for time.Since(t0) < 60*time.Second {
		resp, err := client.Get(url)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p, time.Since(t0), nil
			}
			p.stop()
			return nil, 0, fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
		}
		time.Sleep(500 * time.Microsecond)
	}
	p.stop()
	return nil, 0, fmt.Errorf("GET %s: no 200 within 60s", url)
}

func rssMB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return -1
}

// apiInfo is what the bench reads of `gatehouse routes --json`.
type apiInfo struct {
	Stack    string   `json:"stack"`
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Protocol string   `json:"protocol"`
	Routes   []string `json:"routes"`
	Stages   []struct {
		Name string `json:"name"`
	} `json:"stages"`
}

// listAPIs finds the assembly's APIs the way a user would: gatehouse routes --json.
func listAPIs(bin, assembly string) ([]apiInfo, error) {
	out, err := exec.Command(bin, "routes", "--assembly", assembly, "--json").Output()
	if err != nil {
		return nil, fmt.Errorf("gatehouse routes: %w", err)
	}
	var apis []apiInfo
	if err := json.Unmarshal(out, &apis); err != nil {
		return nil, fmt.Errorf("gatehouse routes --json: %w", err)
	}
	return apis, nil
}

func run(assembly, bin, route, wsQuery, only string, rr restRoutes, dur time.Duration) error {
	apis, err := listAPIs(bin, assembly)
	if err != nil {
		return err
	}
	fmt.Printf("# gatehouse bench: %s per run, %d cores; gatehouse start --no-throttle (stage, route, method and usage-plan throttles off)\n", dur, numCPU())
	switch only {
	case "http":
		return runHTTP(bin, assembly, apis, route, true, "", dur)
	case "ws":
		return runHTTP(bin, assembly, apis, route, false, wsQuery, dur)
	case "rest":
		return runREST(bin, assembly, apis, rr, dur)
	case "auth":
		return runAuth(bin, assembly, apis, dur)
	case "":
		if err := runHTTP(bin, assembly, apis, route, true, wsQuery, dur); err != nil {
			return err
		}
		if err := runREST(bin, assembly, apis, rr, dur); err != nil {
			return err
		}
		return runAuth(bin, assembly, apis, dur)
	}
	return fmt.Errorf("-only %q: want http, rest, ws or auth", only)
}

// runHTTP measures issue 2's figures on the HTTP API's route when httpFigures is set, then, with
// wsQuery set, issue 3's WebSocket figures on the same runner.
func runHTTP(bin, assembly string, apis []apiInfo, route string, httpFigures bool, wsQuery string, dur time.Duration) error {
	apiID := ""
	for _, a := range apis {
		if a.Protocol == "HTTP" {
			for _, r := range a.Routes {
				if strings.HasSuffix(r, " "+route) {
					apiID = a.ID
				}
			}
		}
	}
	if apiID == "" {
		return fmt.Errorf("no HTTP API in %s has a route for %s", assembly, route)
	}
	pathFor := func(int) string { return "/" + apiID + route }

	if !httpFigures {
		gh, _, err := startOnFreePort(bin, assembly, pathFor)
		if err != nil {
			return err
		}
		defer gh.stop()
		fmt.Printf("\n| figure | bare | gatehouse | ratio | target |\n|---|---|---|---|---|\n")
		return runWS(gh, bin, assembly, wsQuery, dur)
	}

	// Start-to-first-200, cold handler included. The first start warms the OS page cache and any
	// foreign-architecture rebuild cache; the figure is the median of the next five.
	var starts []time.Duration
	for i := 0; i < 6; i++ {
		p, took, err := startOnFreePort(bin, assembly, pathFor)
		if err != nil {
			return err
		}
		p.stop()
		if i > 0 {
			starts = append(starts, took)
		}
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })

	gh, _, err := startOnFreePort(bin, assembly, pathFor)
	if err != nil {
		return err
	}
	defer gh.stop()
	ghURL := "http://" + gh.addr + pathFor(0)
	bp, err := startBare(ghURL)
	if err != nil {
		return err
	}
	defer bp.stop()
	bareURL := "http://" + bp.addr + route

	fmt.Printf("\nHTTP API figures: GET %s on the $default stage.\n\n", route)
	fmt.Printf("| figure | bare net/http | gatehouse | ratio | target |\n|---|---|---|---|---|\n")
	cpuRows, err := throughput("", "≥ 25%", gh, bp, bareURL, ghURL, dur)
	if err != nil {
		return err
	}
	for _, row := range cpuRows {
		fmt.Println(row)
	}
	rss := rssMB(gh.cmd.Process.Pid)
	if err := latency("", "< 150µs added", bareURL, ghURL, dur/2); err != nil {
		return err
	}
	fmt.Printf("| start to first 200 (median of 5, cold handler) | | %s | | < 150ms |\n", starts[len(starts)/2].Round(100*time.Microsecond))
	fmt.Printf("| runner RSS after the 64-connection run | | %.1f MB | | < 100 MB |\n", rss)
	if wsQuery == "" {
		return nil
	}
	return runWS(gh, bin, assembly, wsQuery, dur)
}

func us(d time.Duration) string { return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond)) }

func numCPU() int { return runtime.NumCPU() }
