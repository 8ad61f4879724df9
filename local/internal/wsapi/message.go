package wsapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/selexpr"
)

// errorFrame is the frame API Gateway sends when it cannot deliver a message, spaced exactly as
// API Gateway spaces it.
func errorFrame(msg, connectionID, requestID string) []byte {
	return []byte(`{"message": "` + msg + `", "connectionId":"` + connectionID + `", "requestId":"` + requestID + `"}`)
}

// Error frame messages.
const (
	frameForbidden = "Forbidden"             // no route matches and there is no $default
	frameInternal  = "Internal server error" // the integration failed
	frameThrottled = "Too Many Requests"     // the stage's or route's throttling refused it
)

// message routes one client message and, for a two-way route, sends the answer back.
func (c *conn) message(msg []byte) {
	s := c.s
	now := s.now()
	requestID, messageID := newID(), newID()
	body := selexpr.NewBody(msg)
	key := s.selector.routeKey(body)
	route := s.routes[key]
	a := c.newAccess()
	refuse := func(status int, message string) {
		if a != nil {
			a.ev = c.newEvent(eventMessage, key, requestID, now)
			a.ev.RequestContext.MessageID = messageID
			a.fail(message)
			a.log(c, status)
		}
		c.send(errorFrame(message, c.id, requestID))
	}
	if route == nil {
		s.log.Info("no route matches the message and the API has no $default route", "connectionId", c.id, "requestId", requestID)
		refuse(http.StatusForbidden, frameForbidden)
		return
	}
	if !s.throttles.Allow(c.stage, route.Key, now) {
		s.log.Info("message throttled by the stage's throttling settings", "connectionId", c.id, "route", route.Key)
		refuse(http.StatusTooManyRequests, frameThrottled)
		return
	}
	if route.APIKeyRequired && c.key == nil {
		s.log.Info("route requires an API key and the connection has no valid one", "connectionId", c.id, "route", route.Key)
		refuse(http.StatusForbidden, frameForbidden)
		return
	}
	ev := c.newEvent(eventMessage, route.Key, requestID, now)
	ev.RequestContext.MessageID = messageID
	text := string(msg)
	ev.Body = &text
	if a != nil {
		a.ev = ev
	}
	out := a.invoke(s.ctx, c, route, ev, body)
	if out.err != nil {
		s.log.Error("WebSocket integration failed", "connectionId", c.id, "route", route.Key, "requestId", requestID, "err", out.err)
		a.fail(frameInternal)
		a.log(c, http.StatusInternalServerError)
		c.send(errorFrame(frameInternal, c.id, requestID))
		return
	}
	a.log(c, http.StatusOK)
	if twoWay(route) && out.body != nil {
		c.send(out.body)
	}
}

// twoWay reports whether a route sends its integration's answer back: it has a route response
// (API Gateway supports only the $default key).
func twoWay(r *model.Route) bool {
	for _, rr := range r.RouteResponses {
		if rr.Key == "$default" {
			return true
		}
	}
	return false
}

// connectResult is how $connect ended.
type connectResult struct {
	status   int
	header   http.Header
	body     []byte
	protocol string // the subprotocol $connect chose
}

// runConnect runs the $connect route (when there is one) for an upgrade request. A failure
// answers 500; a non-2xx status from the integration refuses the connection with that status.
func (s *Server) runConnect(ctx context.Context, c *conn, r *http.Request) connectResult {
	route := s.routes["$connect"]
	c.apiKey = s.selector.apiKeyOf(r, nil)
	if route == nil {
		c.key = s.keyFor(c.apiKey, c.stage)
		return connectResult{status: http.StatusOK}
	}
	requestID := newID()
	ev := c.newEvent(eventConnect, "$connect", requestID, c.connectedAt)
	if a := c.connectAccess; a != nil {
		a.ev = ev
	}
	ev.Headers, ev.MultiValueHeaders = connectHeaders(r, c.domainName)
	ev.QueryStringParameters, ev.MultiValueQueryStringParameters = queryParams(c.query)
	// The authorizer runs first: an API key can come from its answer (an API key selection
	// expression of $context.authorizer.usageIdentifierKey).
	if refused := s.authorizeConnect(ctx, c, r, route, ev); refused != nil {
		return *refused
	}
	if g := c.grant; g != nil {
		ev.RequestContext.Authorizer = g.authorizer
		g.identity(&ev.RequestContext.Identity)
		c.apiKey = s.selector.apiKeyOf(r, g.vars)
		ev.RequestContext.Identity.APIKey = c.apiKey
	}
	c.key = s.keyFor(c.apiKey, c.stage)
	if route.APIKeyRequired && c.key == nil {
		s.log.Info("$connect requires an API key and the request has no valid one", "stage", c.stage.Name)
		return connectResult{status: http.StatusForbidden, body: messageBody("Forbidden")}
	}
	out := c.connectAccess.invoke(ctx, c, route, ev, nil)
	if out.err != nil {
		c.connectAccess.fail("Internal server error")
		s.log.Error("$connect integration failed: refusing the connection", "requestId", requestID, "err", out.err)
		return connectResult{status: http.StatusInternalServerError, body: messageBody("Internal server error")}
	}
	if out.status < 200 || out.status > 299 {
		s.log.Info("$connect refused the connection", "requestId", requestID, "status", out.status)
		body := out.body
		if body == nil {
			body = messageBody(http.StatusText(out.status))
		}
		return connectResult{status: out.status, body: body}
	}
	res := connectResult{status: out.status}
	if p := out.header.Get("Sec-WebSocket-Protocol"); p != "" {
		// The handshake may only agree on a protocol the client offered.
		if offered(r, p) {
			res.protocol = p
		} else {
			s.log.Warn("$connect chose a subprotocol the client did not offer; leaving it out", "protocol", p)
		}
	}
	return res
}

func offered(r *http.Request, protocol string) bool {
	for _, v := range r.Header.Values("Sec-WebSocket-Protocol") {
		for _, p := range strings.Split(v, ",") {
			if strings.TrimSpace(p) == protocol {
				return true
			}
		}
	}
	return false
}

// disconnect runs $disconnect, best-effort, as API Gateway does.
func (c *conn) disconnect(code int, reason string) {
	route := c.s.routes["$disconnect"]
	a := c.newAccess()
	requestID := newID()
	ev := c.newEvent(eventDisconnect, "$disconnect", requestID, c.s.now())
	if a != nil {
		a.ev = ev
	}
	if route == nil {
		// No integration to run; API Gateway still logs the DISCONNECT event.
		a.log(c, http.StatusOK)
		return
	}
	ev.Headers, ev.MultiValueHeaders = c.disconnectHeaders()
	ev.RequestContext.DisconnectStatusCode = code
	ev.RequestContext.DisconnectReason = &reason
	if out := a.invoke(context.Background(), c, route, ev, nil); out.err != nil {
		c.s.log.Error("$disconnect integration failed", "connectionId", c.id, "requestId", requestID, "err", out.err)
		a.fail(frameInternal)
		a.log(c, http.StatusInternalServerError)
		return
	}
	a.log(c, http.StatusOK)
}

// keyFor finds the enabled API key with this value that is valid for this API's stage.
func (s *Server) keyFor(value string, stage *model.Stage) *model.APIKey {
	if value == "" {
		return nil
	}
	for _, k := range s.opts.APIKeys {
		if k.Value != value || !k.Enabled {
			continue
		}
		for _, st := range k.Stages {
			if st.APIID == s.api.ID && st.Stage == stage.Name {
				return k
			}
		}
	}
	return nil
}
