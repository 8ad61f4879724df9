package wsapi

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// upgrader accepts any origin, as API Gateway does (a $connect integration or authorizer is
// where an API checks Origin), and leaves subprotocol choice to $connect. It reads through the
// hijacked connection's reader and borrows write buffers from a pool only while writing, so an
// idle connection holds one 4 KB buffer.
var upgrader = websocket.Upgrader{
	WriteBufferPool: &sync.Pool{},
	CheckOrigin:     func(*http.Request) bool { return true },
}

// connect handles an upgrade request: $connect first, then the handshake.
func (s *Server) connect(w http.ResponseWriter, r *http.Request, t Target) {
	if !websocket.IsWebSocketUpgrade(r) {
		// A plain HTTP request to a WebSocket endpoint.
		w.Header().Set("Upgrade", "websocket")
		writeJSON(w, http.StatusUpgradeRequired, messageBody("Upgrade Required"))
		return
	}
	now := s.now()
	c := &conn{
		s: s, id: newID(), stage: t.Stage, domainName: t.DomainName, connectedAt: now,
		sourceIP: sourceIP(r), userAgent: r.UserAgent(), header: r.Header.Clone(), query: r.URL.Query(),
		outbox: make(chan []byte, outboxSize), done: make(chan struct{}),
	}
	c.lastActive.Store(now.UnixNano())
	a := c.newAccess()
	c.connectAccess = a
	if a != nil {
		a.ev = c.newEvent(eventConnect, "$connect", newID(), now)
	}
	if !s.throttles.Allow(t.Stage, "$connect", now) {
		s.log.Info("$connect throttled by the stage's throttling settings", "stage", t.Stage.Name)
		a.fail("Too Many Requests")
		a.log(c, http.StatusTooManyRequests)
		writeJSON(w, http.StatusTooManyRequests, messageBody("Too Many Requests"))
		return
	}

	res := s.runConnect(r.Context(), c, r)
	c.connectAccess = nil
	a.log(c, res.status)
	if res.status < 200 || res.status > 299 {
		for k, v := range res.header {
			w.Header()[k] = v
		}
		writeJSON(w, res.status, res.body)
		return
	}
	respHeader := http.Header{}
	if p := res.protocol; p != "" {
		respHeader.Set("Sec-WebSocket-Protocol", p)
	}
	opened := s.beginOpening(c.id)
	defer opened()
	ws, err := upgrader.Upgrade(guardFrames(w), r, respHeader)
	if err != nil {
		// Upgrade has answered the client already.
		s.log.Info("WebSocket handshake failed", "connectionId", c.id, "err", err)
		return
	}
	c.ws = ws
	if !s.register(c) {
		ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(closeGoingAway, "Going away"), time.Now().Add(time.Second))
		ws.Close()
		return
	}
	s.log.Debug("WebSocket connected", "connectionId", c.id, "stage", t.Stage.Name)
	c.wrote.Add(1)
	go c.writer()
	c.startTimers()
	go c.reader()
}

// reader reads messages until the connection ends, then finishes it.
func (c *conn) reader() {
	defer c.finish()
	ws := c.ws
	ws.SetReadLimit(MaxMessage)
	ws.SetPingHandler(func(data string) error {
		c.touch()
		err := ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		if errors.Is(err, websocket.ErrCloseSent) {
			return nil
		}
		return err
	})
	for {
		kind, msg, err := ws.ReadMessage()
		if err != nil {
			c.readFailed(err)
			return
		}
		c.touch()
		if kind == websocket.BinaryMessage {
			// "Currently binary payloads are not supported. If a binary frame is received, the
			// connection is closed with code 1003."
			c.s.log.Info("binary frame received: closing with 1003 as API Gateway does", "connectionId", c.id)
			c.shutdown(closeUnsupported, "Binary frames are not supported")
			continue // read until the client's close frame or the grace period
		}
		if !utf8.Valid(msg) {
			// RFC 6455, section 8.1: a text message that is not UTF-8 fails the connection
			// with 1007 (gorilla leaves this check to the application).
			c.s.log.Info("text message is not valid UTF-8: closing with 1007", "connectionId", c.id)
			c.shutdown(websocket.CloseInvalidFramePayloadData, "Invalid UTF-8 in text frame")
			continue
		}
		if c.inFlight.Add(1) > maxInFlight {
			// A client sending faster than its integrations answer: refuse rather than pile up
			// goroutines (API Gateway would throttle it at the account limit).
			c.inFlight.Add(-1)
			c.s.log.Info("too many messages in flight on one connection", "connectionId", c.id, "limit", maxInFlight)
			c.send(errorFrame(frameThrottled, c.id, newID()))
			continue
		}
		c.s.wg.Add(1)
		go func() {
			defer c.s.wg.Done()
			defer c.inFlight.Add(-1)
			c.message(msg)
		}()
	}
}

// readFailed records why reading stopped, for $disconnect.
func (c *conn) readFailed(err error) {
	var ce *websocket.CloseError
	switch {
	case errors.As(err, &ce):
		// The client's close frame (gorilla has answered it): its code and reason.
		c.setClose(ce.Code, ce.Text)
	case errors.Is(err, websocket.ErrReadLimit), errors.Is(err, errFrameTooLarge):
		c.s.log.Info("message or frame over API Gateway's quota: closing with 1009", "connectionId", c.id,
			"maxMessage", MaxMessage, "maxFrame", MaxFrame)
		c.shutdown(closeMessageTooBig, "Message too big")
	default:
		// No close frame: the client vanished, or our close handshake timed out.
		c.setClose(closeAbnormal, "")
	}
}

func sourceIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// errFrameTooLarge is returned by the frame guard for a frame over MaxFrame.
var errFrameTooLarge = errors.New("websocket frame over 32 KB")

// guardFrames wraps w so that the connection gorilla hijacks checks every client frame's
// length against MaxFrame before gorilla reads it: gorilla limits whole messages but cannot
// see frames, and API Gateway limits both.
func guardFrames(w http.ResponseWriter) http.ResponseWriter {
	h, ok := w.(http.Hijacker)
	if !ok {
		return w
	}
	return &hijackGuard{ResponseWriter: w, h: h}
}

type hijackGuard struct {
	http.ResponseWriter
	h http.Hijacker
}

func (g *hijackGuard) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	nc, brw, err := g.h.Hijack()
	if err != nil {
		return nil, nil, err
	}
	if brw.Reader.Buffered() > 0 {
		// The client sent frames before the handshake; gorilla refuses that itself.
		return nc, brw, nil
	}
	fc := &frameConn{Conn: nc}
	return fc, bufio.NewReadWriter(bufio.NewReader(fc), brw.Writer), nil
}

// frameConn follows the WebSocket framing of the bytes it reads (RFC 6455, section 5.2)
// without changing them, and fails the read that starts a frame longer than MaxFrame.
type frameConn struct {
	net.Conn
	hdr     [14]byte
	have    int    // header bytes collected
	payload uint64 // payload bytes left in the current frame
}

func (f *frameConn) Read(p []byte) (int, error) {
	n, err := f.Conn.Read(p)
	for i := 0; i < n; {
		if f.payload > 0 {
			skip := uint64(n - i)
			if skip > f.payload {
				skip = f.payload
			}
			f.payload -= skip
			i += int(skip)
			continue
		}
		f.hdr[f.have] = p[i]
		f.have++
		i++
		if f.have < 2 {
			continue
		}
		need := 2
		switch f.hdr[1] & 0x7f {
		case 126:
			need += 2
		case 127:
			need += 8
		}
		if f.hdr[1]&0x80 != 0 {
			need += 4 // mask key
		}
		if f.have < need {
			continue
		}
		var length uint64
		switch l := f.hdr[1] & 0x7f; l {
		case 126:
			length = uint64(f.hdr[2])<<8 | uint64(f.hdr[3])
		case 127:
			for _, b := range f.hdr[2:10] {
				length = length<<8 | uint64(b)
			}
		default:
			length = uint64(l)
		}
		if length > MaxFrame {
			return 0, errFrameTooLarge
		}
		f.payload = length
		f.have = 0
	}
	return n, err
}
