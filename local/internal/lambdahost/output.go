package lambdahost

import (
	"bufio"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

const (
	// outputQueue bounds how many handler lines wait for a slow Output. Past it lines are dropped
	// (and counted) rather than stalling handler processes, so a slow terminal cannot slow
	// invocations down. With maxLine it caps the buffered memory at about 16 MiB.
	outputQueue = 1024
	// maxLine splits very long lines into pieces, each prefixed, so a handler printing megabytes
	// without a newline cannot make the runner buffer it all.
	maxLine = 16 * 1024
)

// outputSink writes handler output to the configured writer from one goroutine, so lines from
// different instances never interleave mid-line.
type outputSink struct {
	w       io.Writer
	lines   chan []byte
	dropped atomic.Int64
	done    chan struct{}

	mu     sync.RWMutex // guards closed against put racing close
	closed bool
}

func newOutputSink(w io.Writer) *outputSink {
	s := &outputSink{w: w, lines: make(chan []byte, outputQueue), done: make(chan struct{})}
	go s.run()
	return s
}

func (s *outputSink) run() {
	defer close(s.done)
	for line := range s.lines {
		if n := s.dropped.Swap(0); n > 0 {
			fmt.Fprintf(s.w, "[gatehouse] %d lines of handler output dropped: output too slow\n", n)
		}
		s.w.Write(line)
	}
}

func (s *outputSink) put(line []byte) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return
	}
	select {
	case s.lines <- line:
	default:
		s.dropped.Add(1)
	}
}

// close flushes what is queued and drops anything written later (a stray grandchild still
// holding the pipe, say).
func (s *outputSink) close() {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.lines)
	}
	s.mu.Unlock()
	<-s.done
}

// copyLines reads a process's output until EOF and queues each line with prefix. A last line
// without a newline gets one.
func (s *outputSink) copyLines(prefix string, r io.Reader) {
	br := bufio.NewReaderSize(r, maxLine)
	for {
		chunk, err := br.ReadSlice('\n')
		if len(chunk) > 0 {
			line := make([]byte, 0, len(prefix)+len(chunk)+1)
			line = append(line, prefix...)
			line = append(line, chunk...)
			if line[len(line)-1] != '\n' {
				line = append(line, '\n')
			}
			s.put(line)
		}
		if err != nil && err != bufio.ErrBufferFull {
			return
		}
	}
}
