package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The CPU accounting below splits a throughput run's CPU time between the load generator, the
// server and the server's child processes (the handler instances), from /proc. It shows where a
// request's cost lies and what the machine's ceiling for a design is: cores / CPU per request.

// clockTick is USER_HZ, the unit of /proc/PID/stat's times; 100 on every Linux ABI Go supports.
const clockTick = 10 * time.Millisecond

// procCPU returns the user+system time of pid, and of its exited children it has waited for.
func procCPU(pid int) (self, children time.Duration, ppid int, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, 0, false
	}
	// The command name may hold spaces and parentheses; the fields start after the last ')'.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 15 {
		return 0, 0, 0, false
	}
	n := func(i int) time.Duration { v, _ := strconv.ParseInt(f[i], 10, 64); return time.Duration(v) * clockTick }
	ppid, _ = strconv.Atoi(f[1])
	// f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
	return n(11) + n(12), n(13) + n(14), ppid, true
}

// cpuSample is the CPU time used so far by a process and, separately, by its live children.
type cpuSample struct{ self, children time.Duration }

func sampleCPU(pid int) cpuSample {
	self, waited, _, _ := procCPU(pid)
	s := cpuSample{self: self, children: waited}
	entries, _ := filepath.Glob("/proc/[0-9]*")
	for _, e := range entries {
		child, err := strconv.Atoi(filepath.Base(e))
		if err != nil || child == pid {
			continue
		}
		if c, _, ppid, ok := procCPU(child); ok && ppid == pid {
			s.children += c
		}
	}
	return s
}

func (s cpuSample) sub(o cpuSample) cpuSample {
	return cpuSample{self: s.self - o.self, children: s.children - o.children}
}

func (s cpuSample) plus(o cpuSample) cpuSample {
	return cpuSample{self: s.self + o.self, children: s.children + o.children}
}

// perRequest formats a CPU duration spread over n requests in microseconds.
func perRequest(d time.Duration, n int64) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0fµs", float64(d)/float64(n)/float64(time.Microsecond))
}
