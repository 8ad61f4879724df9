package lambdahost

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// wireListen serves a's Runtime API with the wire server on a loopback port and returns a
// connection to it.
func wireListen(t *testing.T, a *runtimeAPI) net.Conn {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newWireServer(a)
	go srv.serve(ln)
	t.Cleanup(func() { ln.Close(); srv.close() })
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// wireExchange writes raw and reads one response.
func wireExchange(t *testing.T, c net.Conn, br *bufio.Reader, raw string) *http.Response {
	t.Helper()
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(br, nil)
	for err == nil && resp.StatusCode == http.StatusContinue {
		resp, err = http.ReadResponse(br, nil) // the interim answer to Expect: 100-continue
	}
	if err != nil {
		t.Fatalf("reading the answer to %q: %v", raw, err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp
}

func readAll(r io.Reader) string { b, _ := io.ReadAll(r); return string(b) }

// TestWireMatchesNetHTTP runs the Runtime API table over the wire server: the same statuses,
// headers and bodies as through net/http, on one kept-alive connection per case.
func TestWireMatchesNetHTTP(t *testing.T) {
	type want struct {
		status int
		header map[string]string
		body   string
	}
	tests := []struct {
		name string
		raw  string
		want want
	}{
		{"response", "POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n{\"ok\":true}",
			want{202, map[string]string{"Content-Type": "application/json"}, `{"status":"OK"}` + "\n"}},
		{"chunked with trailers, as aws-lambda-go posts", "POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTrailer: Lambda-Runtime-Function-Error-Type\r\n\r\n4\r\n{\"ok\r\n7;ext=1\r\n\":true}\r\n0\r\nLambda-Runtime-Function-Error-Type: x\r\n\r\n",
			want{202, nil, `{"status":"OK"}` + "\n"}},
		{"expect continue", "POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}",
			want{202, nil, `{"status":"OK"}` + "\n"}},
		{"wrong id skips the body", "POST /2018-06-01/runtime/invocation/req-2/response HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
			want{400, nil, `{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}` + "\n"}},
		{"wrong method", "GET /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nHost: x\r\n\r\n",
			want{405, map[string]string{"Allow": "POST"}, ""}},
		{"next before answering", "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n",
			want{403, nil, `{"errorMessage":"State transition from RuntimeInvocationResponseState to RuntimeReadyState failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"}` + "\n"}},
		{"not found", "GET /other HTTP/1.1\r\nHost: x\r\n\r\n",
			want{404, map[string]string{"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"}, "404 page not found\n"}},
		{"escaped path is decoded as net/http does", "POST /2018-06-01/runtime/invocation/%2F/response HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
			want{404, nil, "404 page not found\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := apiWith(t)
			c := wireListen(t, a)
			br := bufio.NewReader(c)
			resp := wireExchange(t, c, br, tt.raw)
			if resp.StatusCode != tt.want.status || readAll(resp.Body) != tt.want.body {
				t.Errorf("got %d %q", resp.StatusCode, readAll(resp.Body))
			}
			for k, v := range tt.want.header {
				if resp.Header.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, resp.Header.Get(k), v)
				}
			}
			// The connection stays in step: a second request on it is answered too.
			resp = wireExchange(t, c, br, "GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
			if resp.StatusCode != 404 {
				t.Errorf("second request on the connection: %d", resp.StatusCode)
			}
		})
	}
}

func TestWireChunkedResult(t *testing.T) {
	a := apiWith(t)
	inv := a.current.Load()
	c := wireListen(t, a)
	wireExchange(t, c, bufio.NewReader(c), "POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
	if r := <-inv.done; string(r.Payload) != "abcde" {
		t.Errorf("payload %q, want abcde", r.Payload)
	}
}

// TestWireNextDelivers runs a whole invocation the way a runtime does: /next, then /response.
func TestWireNextDelivers(t *testing.T) {
	a := newRuntimeAPI()
	inv := newInvocationWithID("req-9", []byte(`{"k":9}`))
	a.next <- inv
	c := wireListen(t, a)
	br := bufio.NewReader(c)
	resp := wireExchange(t, c, br, "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\nUser-Agent: aws-lambda-go\r\n\r\n")
	if resp.StatusCode != 200 || readAll(resp.Body) != `{"k":9}` ||
		resp.Header.Get("Lambda-Runtime-Aws-Request-Id") != "req-9" ||
		resp.Header.Get("Lambda-Runtime-Invoked-Function-Arn") != inv.arn ||
		resp.Header.Get("Lambda-Runtime-Trace-Id") != inv.traceID ||
		resp.Header.Get("Lambda-Runtime-Deadline-Ms") == "" {
		t.Fatalf("/next = %d %v", resp.StatusCode, resp.Header)
	}
	resp = wireExchange(t, c, br, "POST /2018-06-01/runtime/invocation/req-9/error HTTP/1.1\r\nHost: x\r\nLambda-Runtime-Function-Error-Type: Custom\r\nContent-Length: 4\r\n\r\noops")
	if resp.StatusCode != 202 {
		t.Fatalf("/error = %d", resp.StatusCode)
	}
	if r := <-inv.done; r.FunctionError == nil || r.FunctionError.Type != "Custom" || r.FunctionError.Message != "oops" {
		t.Errorf("outcome %+v", r)
	}
}

// TestWireBadRequests: malformed requests get a status and the connection is closed, since
// where the next request would start is unknown.
func TestWireBadRequests(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want int
	}{
		{"no protocol", "GET /\r\n\r\n", 400},
		{"bad protocol", "GET / HTTP/2.0\r\n\r\n", 400},
		{"header without colon", "GET / HTTP/1.1\r\nHost x\r\n\r\n", 400},
		{"bad content length", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
		{"conflicting content lengths", "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},
		{"both framings", "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
		{"unknown coding", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
		{"unknown expectation", "POST / HTTP/1.1\r\nExpect: magic\r\n\r\n", 417},
		{"header too large", "GET / HTTP/1.1\r\nX-Big: " + strings.Repeat("a", maxHeaderBytes) + "\r\n\r\n", 431},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := wireListen(t, apiWith(t))
			br := bufio.NewReader(c)
			go io.WriteString(c, tt.raw) // the server may answer before reading it all
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if _, err := br.ReadByte(); err != io.EOF {
				t.Errorf("connection not closed after a bad request: %v", err)
			}
		})
	}
}

// TestWireLongHeaderAccepted: headers up to net/http's limit pass, as aws-lambda-go's X-Ray
// error cause (up to 1 MB) does.
func TestWireLongHeaderAccepted(t *testing.T) {
	c := wireListen(t, apiWith(t))
	resp := wireExchange(t, c, bufio.NewReader(c), "POST /2018-06-01/runtime/invocation/req-1/error HTTP/1.1\r\nLambda-Runtime-Function-Xray-Error-Cause: "+strings.Repeat("x", 512<<10)+"\r\nContent-Length: 0\r\n\r\n")
	if resp.StatusCode != 202 {
		t.Errorf("status %d", resp.StatusCode)
	}
}

// TestWireAbandonedPoll: a runtime that hangs up during /next and polls again on a new
// connection gets the invocation there, not on the dead connection.
func TestWireAbandonedPoll(t *testing.T) {
	a := newRuntimeAPI()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newWireServer(a)
	go srv.serve(ln)
	defer func() { ln.Close(); srv.close() }()
	next := "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n"
	first, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(first, next)
	<-a.ready // the first poll is being served
	first.Close()
	second, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	br := bufio.NewReader(second)
	io.WriteString(second, next)
	// Wait until the second poll has superseded the first before queueing work.
	for {
		a.waitMu.Lock()
		w := a.waiter
		a.waitMu.Unlock()
		if w != nil && w.nc.RemoteAddr().String() == second.LocalAddr().String() {
			break
		}
		time.Sleep(time.Millisecond)
	}
	a.next <- newInvocationWithID("req-3", []byte(`{}`))
	second.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Lambda-Runtime-Aws-Request-Id") != "req-3" {
		t.Errorf("second poll got %d %v", resp.StatusCode, resp.Header)
	}
}

// wireFakeConn feeds a fixed input and collects the output, for fuzzing without sockets.
type wireFakeConn struct {
	net.Conn
	in  io.Reader
	out bytes.Buffer
}

func (c *wireFakeConn) Read(p []byte) (int, error)  { return c.in.Read(p) }
func (c *wireFakeConn) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c *wireFakeConn) Close() error                { return nil }

// FuzzWire feeds arbitrary bytes to a Runtime API connection: it must not panic or hang, and
// everything it writes must be well-formed HTTP/1.1 responses with statuses the server uses.
func FuzzWire(f *testing.F) {
	for _, s := range []string{
		"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n",
		"POST /2018-06-01/runtime/invocation/req-1/error HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX: y\r\n\r\n",
		"POST /2018-06-01/runtime/init/error HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx",
		"GET /%zz HTTP/1.1\r\n\r\n",
		"PUT * HTTP/1.1\r\nConnection: close\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	allowed := map[int]bool{100: true, 200: true, 202: true, 400: true, 403: true, 404: true, 405: true, 413: true, 417: true, 431: true, 501: true}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 64<<10 {
			return
		}
		a := apiWith(t)
		// Every /next that is not refused needs an invocation, or it would wait forever; a
		// request is at least 16 bytes, which bounds how many there can be.
		a.next = make(chan *invocation, len(in)/16+2)
		for range cap(a.next) {
			a.next <- newInvocationWithID("req-1", []byte("{}"))
		}
		fc := &wireFakeConn{in: bytes.NewReader(in)}
		newWireConn(a, fc).serve()
		br := bufio.NewReader(&fc.out)
		for {
			if _, err := br.Peek(1); err == io.EOF {
				return
			}
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("malformed output %q: %v", fc.out.String(), err)
			}
			io.Copy(io.Discard, resp.Body)
			if !allowed[resp.StatusCode] {
				t.Errorf("status %d", resp.StatusCode)
			}
		}
	})
}
