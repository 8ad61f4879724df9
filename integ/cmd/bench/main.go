// Command bench measures issue 2's figures side by side in one run: warm HTTP API requests
// through `gatehouse start` to a Go handler against a bare net/http server returning the same
// body, latency added at one connection, start-to-first-200, and the runner's memory.
//
//	make bench    (synthesizes the example first), or
//	go run ./integ/cmd/bench -assembly cdk.out -gatehouse bin/gatehouse
//
// Every server runs as its own process, and the load generator is the same for all of them.
package main

import (
	"bufio"
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
	only := flag.String("only", "", "run only the \"http\" or the \"ws\" figures")
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
	if err := run(*assembly, *gatehouse, *route, *wsQuery, *only, *dur); err != nil {
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
func startOnFreePort(bin, assembly string, path func(port int) string) (*proc, time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	return startGatehouse(bin, assembly, port, path)
}

// startGatehouse starts the runner and returns once target answers 200, with the time that took.
func startGatehouse(bin, assembly string, port int, path func(port int) string) (*proc, time.Duration, error) {
	t0 := time.Now()
	cmd := exec.Command(bin, "start", "--assembly", assembly, "--port", strconv.Itoa(port))
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

func run(assembly, bin, route, wsQuery, only string, dur time.Duration) error {
	// Find the API's id the way a user would: gatehouse routes --json.
	out, err := exec.Command(bin, "routes", "--assembly", assembly, "--json").Output()
	if err != nil {
		return fmt.Errorf("gatehouse routes: %w", err)
	}
	var apis []struct {
		ID       string   `json:"id"`
		Protocol string   `json:"protocol"`
		Routes   []string `json:"routes"`
	}
	if err := json.Unmarshal(out, &apis); err != nil {
		return fmt.Errorf("gatehouse routes --json: %w", err)
	}
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

	if only == "ws" {
		gh, _, err := startOnFreePort(bin, assembly, pathFor)
		if err != nil {
			return err
		}
		defer gh.stop()
		fmt.Printf("| figure | bare | gatehouse | ratio | target |\n|---|---|---|---|---|\n")
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
	resp, err := http.Get(ghURL)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	exe, _ := os.Executable()
	bare := exec.Command(exe, "-bare-server", base64.StdEncoding.EncodeToString(body), "-bare-type", resp.Header.Get("Content-Type"))
	stdout, _ := bare.StdoutPipe()
	if err := bare.Start(); err != nil {
		return err
	}
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return fmt.Errorf("bare server: %w", err)
	}
	bp := &proc{cmd: bare, addr: strings.TrimSpace(addr)}
	defer bp.stop()
	bareURL := "http://" + bp.addr + route

	// Warm both (instances started, connections pooled), then measure side by side.
	runLoad(bareURL, 64, time.Second, false)
	runLoad(ghURL, 64, time.Second, false)

	fmt.Printf("# gatehouse bench: GET %s, %s per run, %d cores\n\n", route, dur, numCPU())
	fmt.Printf("| figure | bare net/http | gatehouse | ratio | target |\n|---|---|---|---|---|\n")
	self := os.Getpid()
	var cpuRows []string
	for _, conns := range []int{8, 64} {
		c0, s0 := sampleCPU(self), sampleCPU(bp.cmd.Process.Pid)
		b, err := runLoad(bareURL, conns, dur, false)
		if err != nil {
			return err
		}
		c1, g1 := sampleCPU(self), sampleCPU(gh.cmd.Process.Pid)
		g, err := runLoad(ghURL, conns, dur, false)
		if err != nil {
			return err
		}
		c2, g2 := sampleCPU(self), sampleCPU(gh.cmd.Process.Pid)
		fmt.Printf("| req/s at %d connections | %.0f | %.0f (%d errors) | %.0f%% | ≥ 25%% |\n", conns, b.RPS(), g.RPS(), g.Errors, 100*g.RPS()/b.RPS())
		if conns == 8 {
			// The bare server's CPU is sampled over its own run only: c1 is taken as it ends.
			bs, cl, gl, gs := sampleCPU(bp.cmd.Process.Pid).sub(s0), c1.sub(c0), c2.sub(c1), g2.sub(g1)
			cpuRows = append(cpuRows,
				fmt.Sprintf("| CPU per request at 8 connections: load generator | %s | %s | | |", perRequest(cl.self, int64(b.Requests)), perRequest(gl.self, int64(g.Requests))),
				fmt.Sprintf("| CPU per request at 8 connections: server process | %s | %s | | |", perRequest(bs.self, int64(b.Requests)), perRequest(gs.self, int64(g.Requests))),
				fmt.Sprintf("| CPU per request at 8 connections: handler processes | | %s | | |", perRequest(gs.children, int64(g.Requests))))
		}
	}
	for _, row := range cpuRows {
		fmt.Println(row)
	}
	rss := rssMB(gh.cmd.Process.Pid)

	b, err := runLoad(bareURL, 1, dur/2, true)
	if err != nil {
		return err
	}
	g, err := runLoad(ghURL, 1, dur/2, true)
	if err != nil {
		return err
	}
	fmt.Printf("| p50 latency at 1 connection | %s | %s | +%s added | < 150µs added |\n",
		us(b.Percentile(0.5)), us(g.Percentile(0.5)), us(g.Percentile(0.5)-b.Percentile(0.5)))
	fmt.Printf("| p99 latency at 1 connection | %s | %s | | |\n", us(b.Percentile(0.99)), us(g.Percentile(0.99)))
	fmt.Printf("| start to first 200 (median of 5, cold handler) | | %s | | < 150ms |\n", starts[len(starts)/2].Round(100*time.Microsecond))
	fmt.Printf("| runner RSS after the 64-connection run | | %.1f MB | | < 100 MB |\n", rss)
	if only == "http" {
		return nil
	}
	return runWS(gh, bin, assembly, wsQuery, dur)
}

func us(d time.Duration) string { return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond)) }

func numCPU() int { return runtime.NumCPU() }
