package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// The WebSocket figures of issue 3, side by side with a bare gorilla/websocket server:
//   - sequential echo round trips on one connection, through a Lambda route with a route response;
//   - connect + close cycles, with $connect and $disconnect Lambdas;
//   - the runner's memory with 1,000 idle connections open.

// serveBareWS is the baseline: a gorilla/websocket server that echoes every message.
func serveBareWS() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Println(ln.Addr().String())
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			kind, msg, err := ws.ReadMessage()
			if err != nil {
				return
			}
			if err := ws.WriteMessage(kind, msg); err != nil {
				return
			}
		}
	}))
}

// echoRun sends msg and waits for the echo, n times or for d, on one connection.
func echoRun(url string, msg []byte, d time.Duration) (float64, error) {
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		return 0, fmt.Errorf("dial %s: %w", url, err)
	}
	defer ws.Close()
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		if err := ws.WriteMessage(websocket.TextMessage, msg); err != nil {
			return 0, err
		}
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, got, err := ws.ReadMessage()
		if err != nil {
			return 0, err
		}
		if string(got) != string(msg) {
			return 0, fmt.Errorf("echo %q, want %q", got, msg)
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// cycleRun opens and closes connections one after another for d: the handshake (and $connect),
// a close frame from the client, and the server's close frame back.
func cycleRun(url string, d time.Duration) (float64, error) {
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		ws, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			return 0, fmt.Errorf("dial %s: %w", url, err)
		}
		ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				var ce *websocket.CloseError
				if !errors.As(err, &ce) {
					ws.Close()
					return 0, fmt.Errorf("waiting for the close frame: %w", err)
				}
				break
			}
		}
		ws.Close()
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// holdIdle opens n connections and keeps them open; close them with the returned func.
func holdIdle(url string, n int) (func(), error) {
	conns := make([]*websocket.Conn, 0, n)
	closeAll := func() {
		for _, c := range conns {
			c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
			c.Close()
		}
	}
	for i := 0; i < n; i++ {
		ws, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("connection %d: %w", i+1, err)
		}
		conns = append(conns, ws)
	}
	return closeAll, nil
}

// runWS measures the WebSocket figures against the running gatehouse gh and a bare server.
func runWS(gh *proc, bin, assembly, query string, dur time.Duration) error {
	out, err := exec.Command(bin, "routes", "--assembly", assembly, "--json").Output()
	if err != nil {
		return fmt.Errorf("gatehouse routes: %w", err)
	}
	api, err := findWebSocketAPI(out)
	if err != nil {
		return err
	}
	ghURL := "ws://" + gh.addr + "/" + api.ID + "/" + api.Stage
	if query != "" {
		ghURL += "?" + query
	}

	exe, _ := os.Executable()
	bare := exec.Command(exe, "-bare-ws")
	stdout, _ := bare.StdoutPipe()
	if err := bare.Start(); err != nil {
		return err
	}
	addr := make([]byte, 64)
	k, err := stdout.Read(addr)
	if err != nil {
		return fmt.Errorf("bare WebSocket server: %w", err)
	}
	bp := &proc{cmd: bare, addr: strings.TrimSpace(string(addr[:k]))}
	defer bp.stop()
	bareURL := "ws://" + bp.addr + "/"

	msg := []byte(`{"action":"echo-bench","text":"hello"}`)
	// Warm both: instances started, code paged in.
	echoRun(bareURL, msg, 300*time.Millisecond)
	if _, err := echoRun(ghURL, msg, 500*time.Millisecond); err != nil {
		return fmt.Errorf("WebSocket echo through gatehouse: %w", err)
	}
	cycleRun(ghURL, 300*time.Millisecond)

	self := os.Getpid()
	be, err := echoRun(bareURL, msg, dur)
	if err != nil {
		return err
	}
	c0, g0 := sampleCPU(self), sampleCPU(gh.cmd.Process.Pid)
	ge, err := echoRun(ghURL, msg, dur)
	if err != nil {
		return err
	}
	echoCPU := cpuRow("echo round trip", sampleCPU(self).sub(c0), sampleCPU(gh.cmd.Process.Pid).sub(g0), int64(ge*dur.Seconds()))
	fmt.Printf("| WebSocket echo round trips/s, 1 connection, sequential | %.0f | %.0f | %.0f%% | ≥ 25%% |\n", be, ge, 100*ge/be)
	bc, err := cycleRun(bareURL, dur)
	if err != nil {
		return err
	}
	c0, g0 = sampleCPU(self), sampleCPU(gh.cmd.Process.Pid)
	gc, err := cycleRun(ghURL, dur)
	if err != nil {
		return err
	}
	time.Sleep(200 * time.Millisecond) // the last $disconnect invocations
	cycleCPU := cpuRow("connect + close cycle", sampleCPU(self).sub(c0), sampleCPU(gh.cmd.Process.Pid).sub(g0), int64(gc*dur.Seconds()))
	fmt.Printf("| WebSocket connect + close cycles/s ($connect and $disconnect Lambdas) | %.0f | %.0f | %.0f%% | ≥ 50%% |\n", bc, gc, 100*gc/bc)
	fmt.Println(echoCPU)
	fmt.Println(cycleCPU)

	closeAll, err := holdIdle(ghURL, 1000)
	if err != nil {
		return fmt.Errorf("holding 1,000 connections: %w", err)
	}
	time.Sleep(500 * time.Millisecond) // let $connect handlers' buffers settle
	rss := rssMB(gh.cmd.Process.Pid)
	closeAll()
	fmt.Printf("| runner RSS with 1,000 idle WebSocket connections | | %.1f MB | | < 80 MB |\n", rss)
	return nil
}

type wsAPI struct {
	ID, Stage string
}

// wsAPIName is the example's chat, whose $connect takes -ws-query's token: the assembly has
// other WebSocket APIs (the authorizer example's) that refuse it.
const wsAPIName = "gatehouse-chat"

func findWebSocketAPI(routesJSON []byte) (wsAPI, error) {
	var apis []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Protocol string `json:"protocol"`
		Stages   []struct {
			Name string `json:"name"`
		} `json:"stages"`
	}
	if err := json.Unmarshal(routesJSON, &apis); err != nil {
		return wsAPI{}, fmt.Errorf("gatehouse routes --json: %w", err)
	}
	for _, a := range apis {
		if a.Protocol == "WEBSOCKET" && a.Name == wsAPIName && len(a.Stages) > 0 {
			return wsAPI{ID: a.ID, Stage: a.Stages[0].Name}, nil
		}
	}
	return wsAPI{}, fmt.Errorf("the assembly has no WebSocket API named %s with a stage", wsAPIName)
}

// cpuRow splits the CPU time of a gatehouse run between the client, the runner and its handler
// processes, per operation.
func cpuRow(what string, client, runner cpuSample, n int64) string {
	return fmt.Sprintf("| CPU per %s: client / runner / handler processes | | %s / %s / %s | | |", what,
		perRequest(client.self, n), perRequest(runner.self, n), perRequest(runner.children, n))
}
