package lambdahost

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// instance is one execution environment: a runtime process and the Runtime API server it talks to.
type instance struct {
	fn  *function
	api *runtimeAPI
	cmd *exec.Cmd
	srv *wireServer
	ln  net.Listener

	exited  chan struct{} // closed once the process is gone and reaped
	exitErr error         // how it ended; read only after exited is closed

	killOnce sync.Once
	killWhy  atomic.Pointer[string] // why we killed it; nil when it exited on its own
}

func (fn *function) start() (*instance, error) {
	h := fn.h
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("starting the Runtime API server: %w", err)
	}
	inst := &instance{fn: fn, api: newRuntimeAPI(), exited: make(chan struct{})}
	inst.api.onInitErr = func() { inst.kill("it reported an init error") }
	// No read or write timeouts: /next is a long poll that may wait for minutes.
	inst.srv, inst.ln = newWireServer(inst.api), ln

	pr, pw, err := os.Pipe()
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("creating output pipe: %w", err)
	}
	cmd := exec.Command(fn.argv[0], fn.argv[1:]...)
	cmd.Dir = fn.cfg.CodeDir
	cmd.Env = instanceEnv(fn.env, ln.Addr().String(), time.Now())
	// One pipe for both streams keeps their lines in the order the handler wrote them, as
	// CloudWatch shows them.
	cmd.Stdout, cmd.Stderr = pw, pw
	// Its own process group, so a timeout kills whatever the handler started too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	pw.Close()
	if err != nil {
		pr.Close()
		ln.Close()
		return nil, fmt.Errorf("starting %s: %w", fn.argv[0], err)
	}
	inst.cmd = cmd

	// Registering under h.mu orders this against Close: either Close sees the instance and
	// kills it, or we see Close and never add to its WaitGroup.
	h.mu.Lock()
	if h.stopping {
		h.mu.Unlock()
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		go cmd.Wait()
		pr.Close()
		ln.Close()
		return nil, errClosed
	}
	h.wg.Add(1)
	h.copying.Add(1)
	fn.mu.Lock()
	fn.live[inst] = struct{}{}
	fn.mu.Unlock()
	h.mu.Unlock()

	go inst.srv.serve(ln)
	go func() {
		defer h.copying.Done()
		h.out.copyLines("["+fn.cfg.Name+"] ", pr)
		pr.Close()
	}()
	go inst.wait()
	h.log.Debug("function instance started", "function", fn.cfg.Name, "pid", cmd.Process.Pid, "runtimeApi", ln.Addr().String())
	return inst, nil
}

func (inst *instance) wait() {
	defer inst.fn.h.wg.Done()
	err := inst.cmd.Wait()
	// Whatever the runtime left behind in its group goes with it, as the sandbox would.
	syscall.Kill(-inst.cmd.Process.Pid, syscall.SIGKILL)
	inst.exitErr = err
	close(inst.api.gone)
	close(inst.exited)
	inst.ln.Close()
	inst.srv.close()
	inst.fn.forget(inst)
	if why := inst.killWhy.Load(); why != nil {
		inst.fn.h.log.Debug("function instance stopped", "function", inst.fn.cfg.Name, "reason", *why)
		return
	}
	status := "exit status 0"
	if err != nil {
		status = err.Error()
	}
	inst.fn.h.log.Warn("function instance exited", "function", inst.fn.cfg.Name, "status", status)
}

// kill stops the instance's whole process group at once: Lambda does not give a timed-out or
// discarded sandbox a grace period.
func (inst *instance) kill(why string) {
	inst.killOnce.Do(func() {
		if inst.dead() {
			return
		}
		inst.killWhy.Store(&why)
		syscall.Kill(-inst.cmd.Process.Pid, syscall.SIGKILL)
	})
}

func (inst *instance) dead() bool {
	select {
	case <-inst.exited:
		return true
	default:
		return false
	}
}
