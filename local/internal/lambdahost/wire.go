package lambdahost

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"syscall"
)

// The Runtime API's HTTP/1.1, served straight off the connection. A warm invocation is two
// loopback exchanges with the runtime, and net/http spends more on them than on our own work:
// a goroutine and a context per request, read deadlines set and cleared, a background read to
// notice disconnects. Only runtime clients talk to this server, one request at a time per
// connection, so one goroutine per connection that reads a request, handles it and writes the
// answer in one write is enough.

const (
	// wireBufSize is the read buffer per connection; a request line and usual headers fit.
	wireBufSize = 8 << 10
	// maxHeaderBytes matches net/http's default (1 MB plus its slack): aws-lambda-go sends
	// X-Ray error causes of up to 1 MB as a header.
	maxHeaderBytes = 1<<20 + 4096
)

// errBadRequest ends a connection after a 400: we cannot tell where the next request starts.
var errBadRequest = errors.New("malformed request")

// wireServer serves one instance's Runtime API on a listener.
type wireServer struct {
	api *runtimeAPI

	mu     sync.Mutex
	conns  map[*wireConn]struct{}
	closed bool
}

func newWireServer(api *runtimeAPI) *wireServer {
	return &wireServer{api: api, conns: map[*wireConn]struct{}{}}
}

// serve accepts connections until ln is closed.
func (s *wireServer) serve(ln net.Listener) {
	for {
		nc, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		c := newWireConn(s.api, nc)
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			nc.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		go func() {
			c.serve()
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// close ends every connection; with the listener closed by the caller, the server is gone.
func (s *wireServer) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for c := range s.conns {
		c.nc.Close()
	}
}

// wireConn is one runtime connection.
type wireConn struct {
	api *runtimeAPI
	nc  net.Conn
	br  *bufio.Reader
	out []byte // reused for every answer, so each is one write without an allocation

	quit     chan struct{} // closed when a waiting /next is abandoned (see supersede)
	quitOnce sync.Once
}

func newWireConn(api *runtimeAPI, nc net.Conn) *wireConn {
	return &wireConn{api: api, nc: nc, br: bufio.NewReaderSize(nc, wireBufSize), quit: make(chan struct{})}
}

// wireRequest is what the server reads of a request's head.
type wireRequest struct {
	method, target string
	close          bool  // Connection: close, or HTTP/1.0
	contentLength  int64 // -1 when absent
	chunked        bool
	expectContinue bool
	errorType      string
}

func (c *wireConn) serve() {
	defer c.nc.Close()
	for {
		req, status := c.readHead()
		if status != 0 {
			if status > 0 {
				c.writeAnswer(answer{status: status}, true)
			}
			return
		}
		path, ok := requestPath(req.target)
		if !ok {
			c.writeAnswer(answer{status: http.StatusBadRequest}, true)
			return
		}
		bodyDone := req.contentLength <= 0 && !req.chunked
		r := &rtRequest{
			method:    req.method,
			path:      path,
			errorType: req.errorType,
			cancel:    c.quit,
			readBody: func() ([]byte, bool, error) {
				bodyDone = true
				return c.readBody(req)
			},
		}
		if req.method == http.MethodGet && path == runtimeAPIPrefix+"invocation/next" {
			c.api.waiting(c)
		}
		ans := c.api.handle(r)
		if ans.status == 0 {
			return // the runtime or the instance is gone
		}
		if !bodyDone {
			// An answer that needed no body (a wrong id, say): skip it to reach the next request.
			if _, _, err := c.readBody(req); err != nil {
				return
			}
		}
		if !c.writeAnswer(ans, req.close) || req.close {
			return
		}
	}
}

// readHead reads a request line and headers. status is 0 on success, the HTTP status to answer
// before closing for a bad request, or -1 when the connection just ended.
func (c *wireConn) readHead() (req wireRequest, status int) {
	req.contentLength = -1
	total := 0
	line, err := c.readLine(&total)
	if err != nil {
		return req, lineErrStatus(err)
	}
	method, rest, ok1 := bytes.Cut(line, []byte{' '})
	target, proto, ok2 := bytes.Cut(rest, []byte{' '})
	if !ok1 || !ok2 || len(method) == 0 || len(target) == 0 || !validToken(method) {
		return req, http.StatusBadRequest
	}
	switch string(proto) {
	case "HTTP/1.1":
	case "HTTP/1.0":
		req.close = true
	default:
		return req, http.StatusBadRequest
	}
	req.method, req.target = string(method), string(target)
	for {
		line, err := c.readLine(&total)
		if err != nil {
			return req, lineErrStatus(err)
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte{':'})
		if !ok || len(name) == 0 || !validToken(name) {
			return req, http.StatusBadRequest
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			n, err := strconv.ParseInt(string(value), 10, 64)
			if err != nil || n < 0 || (req.contentLength >= 0 && req.contentLength != n) {
				return req, http.StatusBadRequest
			}
			req.contentLength = n
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			if !bytes.EqualFold(value, []byte("chunked")) || req.chunked {
				return req, http.StatusNotImplemented // as net/http answers other codings
			}
			req.chunked = true
		case bytes.EqualFold(name, []byte("Connection")):
			if bytes.EqualFold(value, []byte("close")) {
				req.close = true
			}
		case bytes.EqualFold(name, []byte("Expect")):
			if !bytes.EqualFold(value, []byte("100-continue")) {
				return req, http.StatusExpectationFailed
			}
			req.expectContinue = true
		case bytes.EqualFold(name, []byte("Lambda-Runtime-Function-Error-Type")):
			if req.errorType == "" {
				req.errorType = string(value)
			}
		}
	}
	if req.chunked && req.contentLength >= 0 {
		// Both framings at once is how requests get smuggled; refuse rather than pick one.
		return req, http.StatusBadRequest
	}
	return req, 0
}

var errHeaderTooLarge = errors.New("request header too large")

// readLine returns one CRLF- (or LF-) terminated line without its ending, counting its bytes
// against maxHeaderBytes. The slice is valid until the next read.
func (c *wireConn) readLine(total *int) ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		// A long header (an X-Ray cause, say): collect it beyond the buffer.
		long := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			if *total+len(long) > maxHeaderBytes {
				return nil, errHeaderTooLarge
			}
			line, err = c.br.ReadSlice('\n')
			long = append(long, line...)
		}
		line = long
	}
	if err != nil {
		return nil, err
	}
	*total += len(line)
	if *total > maxHeaderBytes {
		return nil, errHeaderTooLarge
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

func lineErrStatus(err error) int {
	if err == errHeaderTooLarge {
		return http.StatusRequestHeaderFieldsTooLarge
	}
	return -1 // EOF or a broken connection: nobody to answer
}

// validToken reports whether b is an HTTP token (a method or header name).
func validToken(b []byte) bool {
	for _, ch := range b {
		if ch <= ' ' || ch >= 0x7f || bytes.IndexByte([]byte(`"(),/:;<=>?@[\]{}`), ch) >= 0 {
			return false
		}
	}
	return true
}

// requestPath returns the decoded path of a request target, as net/http's URL.Path has it.
// Runtimes send plain paths, which need no parsing.
func requestPath(target string) (string, bool) {
	plain := target[0] == '/'
	for i := 0; plain && i < len(target); i++ {
		switch ch := target[i]; {
		case ch == '%' || ch == '?' || ch == '#' || ch <= ' ' || ch >= 0x7f:
			plain = false
		}
	}
	if plain {
		return target, true
	}
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return "", false
	}
	return u.Path, true
}

// readBody reads the request body up to the response limit, as readBody does for net/http.
// The returned slice is the caller's: it becomes the invocation's result.
func (c *wireConn) readBody(req wireRequest) (body []byte, tooLarge bool, err error) {
	if req.expectContinue && (req.chunked || req.contentLength > 0) {
		req.expectContinue = false
		if _, err := c.nc.Write([]byte("HTTP/1.1 100 Continue\r\n\r\n")); err != nil {
			return nil, false, err
		}
	}
	if !req.chunked {
		n := max(req.contentLength, 0)
		if n > MaxResponsePayload {
			_, err = c.br.Discard(int(n))
			return nil, true, err
		}
		body = make([]byte, n)
		_, err = io.ReadFull(c.br, body)
		return body, false, err
	}
	// Chunked (aws-lambda-go posts this way, with trailers it declares but rarely fills).
	total := 0
	for {
		line, err := c.readLine(&total)
		if err != nil {
			return nil, false, err
		}
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i] // chunk extensions carry nothing for us
		}
		size, err := strconv.ParseUint(string(bytes.TrimSpace(line)), 16, 62)
		if err != nil {
			return nil, false, errBadRequest
		}
		if size == 0 {
			break
		}
		if tooLarge || len(body)+int(size) > MaxResponsePayload {
			tooLarge, body = true, nil
			if _, err = c.br.Discard(int(size)); err != nil {
				return nil, false, err
			}
		} else {
			body = append(body, make([]byte, size)...)
			if _, err = io.ReadFull(c.br, body[len(body)-int(size):]); err != nil {
				return nil, false, err
			}
		}
		if line, err = c.readLine(&total); err != nil || len(line) != 0 {
			return nil, false, errBadRequest
		}
	}
	// Trailers, up to the empty line. net/http would keep them in Request.Trailer; the Runtime
	// API reads the error type from the header only, so they are skipped.
	total = 0
	for {
		line, err := c.readLine(&total)
		if err != nil {
			return nil, false, err
		}
		if len(line) == 0 {
			break
		}
	}
	if body == nil && !tooLarge {
		body = []byte{}
	}
	return body, tooLarge, nil
}

// writeAnswer renders ans as one write: headers and body together, so the runtime reads its
// whole answer in one wakeup. It reports whether the connection is still usable.
func (c *wireConn) writeAnswer(ans answer, closing bool) bool {
	b := c.out[:0]
	b = append(b, "HTTP/1.1 "...)
	b = strconv.AppendInt(b, int64(ans.status), 10)
	b = append(b, ' ')
	b = append(b, http.StatusText(ans.status)...)
	b = append(b, "\r\n"...)
	if inv := ans.inv; inv != nil {
		b = append(b, "Lambda-Runtime-Aws-Request-Id: "...)
		b = append(b, inv.id...)
		b = append(b, "\r\nLambda-Runtime-Deadline-Ms: "...)
		b = strconv.AppendInt(b, inv.deadline.UnixMilli(), 10)
		b = append(b, "\r\nLambda-Runtime-Invoked-Function-Arn: "...)
		b = append(b, inv.arn...)
		b = append(b, "\r\nLambda-Runtime-Trace-Id: "...)
		b = append(b, inv.traceID...)
		b = append(b, "\r\n"...)
	}
	if ans.allow != "" {
		b = append(b, "Allow: "...)
		b = append(b, ans.allow...)
		b = append(b, "\r\n"...)
	}
	if ans.contentType != "" {
		b = append(b, "Content-Type: "...)
		b = append(b, ans.contentType...)
		b = append(b, "\r\n"...)
	}
	if ans.status == http.StatusNotFound {
		b = append(b, "X-Content-Type-Options: nosniff\r\n"...)
	}
	if closing {
		b = append(b, "Connection: close\r\n"...)
	}
	b = append(b, "Content-Length: "...)
	b = strconv.AppendInt(b, int64(len(ans.body)), 10)
	b = append(b, "\r\n\r\n"...)
	var err error
	if len(ans.body) <= 64<<10 {
		// Copying a small body is cheaper than a second syscall.
		b = append(b, ans.body...)
		_, err = c.nc.Write(b)
	} else {
		bufs := net.Buffers{b, ans.body} // writev: still one syscall, without the copy
		_, err = bufs.WriteTo(c.nc)
	}
	if cap(b) <= 256<<10 {
		c.out = b // keep the buffer, unless a large payload grew it
	}
	return err == nil
}

// waiting registers c as the connection waiting on /next. Runtimes poll /next from one
// connection at a time; when a second one starts waiting while the first peer has hung up
// (a runtime that gave up on a poll and reconnected), the first is abandoned, so an invocation
// is never handed to a connection nobody reads. net/http noticed this with a background read
// on every request; peeking only when a second poller shows up costs nothing on the warm path.
func (a *runtimeAPI) waiting(c *wireConn) {
	a.waitMu.Lock()
	prev := a.waiter
	a.waiter = c
	a.waitMu.Unlock()
	if prev != nil && prev != c && prev.peerGone() {
		prev.quitOnce.Do(func() { close(prev.quit) })
	}
}

// peerGone reports whether the runtime has closed its end: a non-blocking peek that sees EOF
// or an error.
func (c *wireConn) peerGone() bool {
	sc, ok := c.nc.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	gone := false
	var buf [1]byte
	err = rc.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		gone = n == 0 && err == nil || err != nil && err != syscall.EAGAIN && err != syscall.EINTR
		return true // never wait for readability
	})
	return gone || err != nil
}
