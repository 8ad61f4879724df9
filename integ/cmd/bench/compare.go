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

// throughput loads the bare server bareURL and gatehouse's ghURL for dur each, at 8 and then
// at 64 connections, and prints a row for each connection count: "{what}req/s at N
// connections" against target. The two are loaded in turns, rounds slices of dur/rounds
// each, so that a change in the machine's other load during a run (the VM shares its cores)
// falls on both alike. It returns the rows of the 8-connection runs' CPU split, for the
// caller to print where they fit its table.
func throughput(what, target string, gh, bp *proc, bareURL, ghURL string, dur time.Duration) ([]string, error) {
	const rounds = 3
	// Warm both (instances started, connections pooled), then measure side by side.
	runLoad(bareURL, 64, time.Second, false)
	runLoad(ghURL, 64, time.Second, false)

	self := os.Getpid()
	var cpuRows []string
	for _, conns := range []int{8, 64} {
		var b, g loadResult
		// CPU of the load generator and the bare server during the bare slices; of the load
		// generator, the runner and its handlers during gatehouse's.
		var bareGen, bareSrv, ghGen, ghSrv cpuSample
		for r := 0; r < rounds; r++ {
			c0, s0 := sampleCPU(self), sampleCPU(bp.cmd.Process.Pid)
			br, err := runLoad(bareURL, conns, dur/rounds, false)
			if err != nil {
				return nil, err
			}
			c1, s1, g1 := sampleCPU(self), sampleCPU(bp.cmd.Process.Pid), sampleCPU(gh.cmd.Process.Pid)
			gr, err := runLoad(ghURL, conns, dur/rounds, false)
			if err != nil {
				return nil, err
			}
			c2, g2 := sampleCPU(self), sampleCPU(gh.cmd.Process.Pid)
			b.add(br)
			g.add(gr)
			bareGen, bareSrv = bareGen.plus(c1.sub(c0)), bareSrv.plus(s1.sub(s0))
			ghGen, ghSrv = ghGen.plus(c2.sub(c1)), ghSrv.plus(g2.sub(g1))
		}
		fmt.Printf("| %sreq/s at %d connections | %.0f | %.0f (%d errors) | %.0f%% | %s |\n", what, conns, b.RPS(), g.RPS(), g.Errors, 100*g.RPS()/b.RPS(), target)
		if conns == 8 {
			cpuRows = append(cpuRows,
				fmt.Sprintf("| %sCPU per request at 8 connections: load generator | %s | %s | | |", what, perRequest(bareGen.self, int64(b.Requests)), perRequest(ghGen.self, int64(g.Requests))),
				fmt.Sprintf("| %sCPU per request at 8 connections: server process | %s | %s | | |", what, perRequest(bareSrv.self, int64(b.Requests)), perRequest(ghSrv.self, int64(g.Requests))),
				fmt.Sprintf("| %sCPU per request at 8 connections: handler processes | | %s | | |", what, perRequest(ghSrv.children, int64(g.Requests))))
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
