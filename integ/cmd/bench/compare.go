package main

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
)

// startBare starts a bare net/http server (this program with -bare-server, its own process)
// that answers every request with the body and Content-Type ghURL answers now, so the two
// servers send the same bytes.
func startBare(ghURL string) (*proc, error) {
	resp, err := http.Get(ghURL)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d: %s", ghURL, resp.StatusCode, body)
	}
	exe, _ := os.Executable()
	bare := exec.Command(exe, "-bare-server", base64.StdEncoding.EncodeToString(body), "-bare-type", resp.Header.Get("Content-Type"))
	stdout, _ := bare.StdoutPipe()
	if err := bare.Start(); err != nil {
		return nil, err
	}
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		bare.Process.Kill()
		bare.Wait()
		return nil, fmt.Errorf("bare server: %w", err)
	}
	return &proc{cmd: bare, addr: strings.TrimSpace(addr)}, nil
}

// throughput loads the bare server bareURL and then gatehouse's ghURL for dur each, at 8 and
// then at 64 connections, and prints a row for each connection count: "{what}req/s at N
// connections" against target. It returns the rows of the 8-connection runs' CPU split, for the
// caller to print where they fit its table.
func throughput(what, target string, gh, bp *proc, bareURL, ghURL string, dur time.Duration) ([]string, error) {
	// Warm both (instances started, connections pooled), then measure side by side.
	runLoad(bareURL, 64, time.Second, false)
	runLoad(ghURL, 64, time.Second, false)

	self := os.Getpid()
	var cpuRows []string
	for _, conns := range []int{8, 64} {
		c0, s0 := sampleCPU(self), sampleCPU(bp.cmd.Process.Pid)
		b, err := runLoad(bareURL, conns, dur, false)
		if err != nil {
			return nil, err
		}
		c1, g1 := sampleCPU(self), sampleCPU(gh.cmd.Process.Pid)
		g, err := runLoad(ghURL, conns, dur, false)
		if err != nil {
			return nil, err
		}
		c2, g2 := sampleCPU(self), sampleCPU(gh.cmd.Process.Pid)
		fmt.Printf("| %sreq/s at %d connections | %.0f | %.0f (%d errors) | %.0f%% | %s |\n", what, conns, b.RPS(), g.RPS(), g.Errors, 100*g.RPS()/b.RPS(), target)
		if conns == 8 {
			// The bare server's CPU is sampled over its own run only: c1 is taken as it ends.
			bs, cl, gl, gs := sampleCPU(bp.cmd.Process.Pid).sub(s0), c1.sub(c0), c2.sub(c1), g2.sub(g1)
			cpuRows = append(cpuRows,
				fmt.Sprintf("| %sCPU per request at 8 connections: load generator | %s | %s | | |", what, perRequest(cl.self, int64(b.Requests)), perRequest(gl.self, int64(g.Requests))),
				fmt.Sprintf("| %sCPU per request at 8 connections: server process | %s | %s | | |", what, perRequest(bs.self, int64(b.Requests)), perRequest(gs.self, int64(g.Requests))),
				fmt.Sprintf("| %sCPU per request at 8 connections: handler processes | | %s | | |", what, perRequest(gs.children, int64(g.Requests))))
		}
	}
	return cpuRows, nil
}

// latency measures one connection's sequential requests to each server for d, and prints the
// p50 row (the latency gatehouse adds, against target) and the p99 row.
func latency(what, target, bareURL, ghURL string, d time.Duration) error {
	b, err := runLoad(bareURL, 1, d, true)
	if err != nil {
		return err
	}
	g, err := runLoad(ghURL, 1, d, true)
	if err != nil {
		return err
	}
	fmt.Printf("| %sp50 latency at 1 connection | %s | %s | +%s added | %s |\n", what,
		us(b.Percentile(0.5)), us(g.Percentile(0.5)), us(g.Percentile(0.5)-b.Percentile(0.5)), target)
	fmt.Printf("| %sp99 latency at 1 connection | %s | %s | | |\n", what, us(b.Percentile(0.99)), us(g.Percentile(0.99)))
	return nil
}
