package wsapi

import (
	"errors"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// Close codes API Gateway uses (RFC 6455, section 7.4.1).
const (
	closeNormal         = websocket.CloseNormalClosure   // 1000
	closeGoingAway      = websocket.CloseGoingAway       // 1001: idle timeout, maximum duration
	closeUnsupported    = websocket.CloseUnsupportedData // 1003: a binary frame
	closeAbnormal       = websocket.CloseAbnormalClosure // 1006: the client vanished
	closeMessageTooBig  = websocket.CloseMessageTooBig   // 1009: over the message or frame quota
	writeTimeout        = 10 * time.Second               // a client that reads nothing for this long is dropped
	closeHandshakeGrace = 2 * time.Second                // how long to wait for the client's close frame
	outboxSize          = 256                            // messages queued per connection before pushes are refused
	maxInFlight         = 1024                           // client messages being handled per connection
)

// conn is one client connection.
type conn struct {
	s           *Server
	id          string
	stage       *model.Stage
	ws          *websocket.Conn
	domainName  string
	connectedAt time.Time
	lastActive  atomic.Int64 // unix nanoseconds of the last frame in either direction
	sourceIP    string
	userAgent   string
	header      http.Header // of the upgrade request, for $disconnect
	query       url.Values
	apiKey      string        // the API key the $connect request presented
	key         *model.APIKey // that key, when it is valid for this stage
	grant       *grant        // what the $connect authorizer decided; nil when none ran
	// connectAccess is the CONNECT event's access record while $connect runs; nil when the
	// stage logs no access.
	connectAccess *eventAccess

	inFlight atomic.Int32   // client messages being handled
	outbox   chan []byte    // text messages for the writer
	wmu      sync.Mutex     // serializes data frames
	pending  atomic.Int32   // messages queued for the writer and not yet written
	done     chan struct{}  // closed when the connection is finished
	once     sync.Once      // guards the end of the connection
	closer   sync.Once      // guards sending our close frame
	wrote    sync.WaitGroup // the writer goroutine

	timerMu sync.Mutex
	timer   *time.Timer // the idle and maximum duration check

	// Why the connection ended, for $disconnect; set before done is closed.
	mu          sync.Mutex
	closeCode   int
	closeReason string
}

var errGone = errors.New("the connection is gone")

// send writes a text message to the client, in the caller's goroutine when nothing is queued
// and no other write is under way (the common case, which saves waking the writer goroutine),
// else through the writer's queue. Either way writes are serialized under wmu, and a message
// never overtakes one queued before it. send fails only when the connection is gone or its
// client has stopped reading (the queue is full).
func (c *conn) send(msg []byte) error {
	select {
	case <-c.done:
		return errGone
	default:
	}
	if c.pending.Load() == 0 && c.wmu.TryLock() {
		if c.pending.Load() == 0 {
			err := c.write(msg)
			c.wmu.Unlock()
			return err
		}
		c.wmu.Unlock()
	}
	c.pending.Add(1)
	select {
	case c.outbox <- msg:
		return nil
	case <-c.done:
		c.pending.Add(-1)
		return errGone
	default:
		c.pending.Add(-1)
		return errors.New("the client is not reading: its outgoing queue is full")
	}
}

// write sends one frame; the caller holds wmu. A failed write closes the socket, which ends the
// reader and so the connection.
func (c *conn) write(msg []byte) error {
	c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
	if err := c.ws.WriteMessage(websocket.TextMessage, msg); err != nil {
		c.s.log.Info("WebSocket write failed; closing the connection", "connectionId", c.id, "err", err)
		c.ws.Close()
		return errGone
	}
	c.touch()
	return nil
}

// writer writes what send queued, in order.
func (c *conn) writer() {
	defer c.wrote.Done()
	for {
		select {
		case msg := <-c.outbox:
			c.wmu.Lock()
			err := c.write(msg)
			c.wmu.Unlock()
			c.pending.Add(-1)
			if err != nil {
				return
			}
		case <-c.done:
			return
		}
	}
}

func (c *conn) touch() { c.lastActive.Store(c.s.now().UnixNano()) }

// shutdown ends the connection from the server's side: a close frame with code and reason,
// then, once the client answers (or a grace period passes), the socket is closed and the reader
// runs $disconnect with this code.
func (c *conn) shutdown(code int, reason string) {
	c.setClose(code, reason)
	c.closer.Do(func() {
		msg := websocket.FormatCloseMessage(code, reason)
		c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		// The reader is blocked in a read; bound how long it waits for the client's close.
		c.ws.SetReadDeadline(time.Now().Add(closeHandshakeGrace))
	})
}

// setClose records why the connection ends; the first reason wins.
func (c *conn) setClose(code int, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closeCode == 0 {
		c.closeCode, c.closeReason = code, reason
	}
}

func (c *conn) closeStatus() (int, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closeCode, c.closeReason
}

// startTimers arms the check that ends the connection when it has been idle for IdleTimeout or
// open for MaxDuration. A timer rather than a goroutine: a thousand idle connections should cost
// memory for their buffers, not for stacks.
func (c *conn) startTimers() {
	c.timerMu.Lock()
	defer c.timerMu.Unlock()
	c.timer = time.AfterFunc(c.untilLimit(), c.checkLimits)
}

// untilLimit is how long until the idle timeout or the maximum duration, whichever is first.
func (c *conn) untilLimit() time.Duration {
	next := time.Unix(0, c.lastActive.Load()).Add(c.s.opts.IdleTimeout)
	if deadline := c.connectedAt.Add(c.s.opts.MaxDuration); deadline.Before(next) {
		next = deadline
	}
	return next.Sub(c.s.now())
}

func (c *conn) checkLimits() {
	select {
	case <-c.done:
		return
	default:
	}
	if wait := c.untilLimit(); wait > 0 {
		// There was activity since the timer was set: wait for the new limit.
		c.timerMu.Lock()
		c.timer.Reset(wait)
		c.timerMu.Unlock()
		return
	}
	if !c.s.now().Before(c.connectedAt.Add(c.s.opts.MaxDuration)) {
		c.s.log.Info("WebSocket connection reached its maximum duration", "connectionId", c.id, "maxDuration", c.s.opts.MaxDuration)
	} else {
		c.s.log.Info("WebSocket connection idle too long", "connectionId", c.id, "idleTimeout", c.s.opts.IdleTimeout)
	}
	c.shutdown(closeGoingAway, "Going away")
}

// finish runs once, when the reader has stopped: it forgets the connection, stops the writer,
// closes the socket and runs $disconnect.
func (c *conn) finish() {
	c.once.Do(func() {
		c.s.unregister(c)
		close(c.done)
		c.ws.Close()
		c.wrote.Wait()
		c.timerMu.Lock()
		if c.timer != nil {
			c.timer.Stop()
		}
		c.timerMu.Unlock()
		code, reason := c.closeStatus()
		c.disconnect(code, reason)
		c.s.wg.Done()
	})
}
