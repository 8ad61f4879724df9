package lambdahost

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

func TestCopyLines(t *testing.T) {
	long := strings.Repeat("x", maxLine+10)
	tests := []struct {
		name, in string
		want     []string
	}{
		{"lines", "a\nb\n", []string{"[f] a\n", "[f] b\n"}},
		{"partial last line", "a\nb", []string{"[f] a\n", "[f] b\n"}},
		{"empty line kept", "\n", []string{"[f] \n"}},
		{"long line split", long + "\n", []string{"[f] " + long[:maxLine] + "\n", "[f] " + long[maxLine:] + "\n"}},
		{"binary", "\x00\xff\n", []string{"[f] \x00\xff\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			s := newOutputSink(&buf)
			s.copyLines("[f] ", strings.NewReader(tt.in))
			s.close()
			if got := buf.String(); got != strings.Join(tt.want, "") {
				t.Errorf("got %q, want %q", got, strings.Join(tt.want, ""))
			}
		})
	}
}

// blockedWriter never returns until released, like a terminal nobody reads.
type blockedWriter struct {
	release chan struct{}
	mu      sync.Mutex
	buf     bytes.Buffer
}

func (w *blockedWriter) Write(p []byte) (int, error) {
	<-w.release
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func TestSlowOutputDropsInsteadOfBlocking(t *testing.T) {
	w := &blockedWriter{release: make(chan struct{})}
	s := newOutputSink(w)
	// Far more lines than the queue holds: copyLines must still return.
	s.copyLines("[f] ", strings.NewReader(strings.Repeat("line\n", 3*outputQueue)))
	close(w.release)
	s.close()
	if !strings.Contains(w.buf.String(), "lines of handler output dropped") {
		t.Errorf("no note about dropped lines in %d bytes of output", w.buf.Len())
	}
}
