package wsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/accesslog"
	"github.com/gatehouse-dev/gatehouse/local/internal/datamap"
	"github.com/gatehouse-dev/gatehouse/local/internal/httpapi"
	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/throttle"
)

// Quotas from the guide's "Amazon API Gateway quotas for configuring and running a WebSocket
// API" that the server enforces.
const (
	// MaxMessage is the "Message payload size" quota: a larger message closes the connection
	// with 1009, and a larger @connections POST is refused.
	MaxMessage = 128 << 10
	// MaxFrame is the frame size quota: a larger frame closes the connection with 1009.
	MaxFrame = 32 << 10
	// DefaultIdleTimeout is the "Idle Connection Timeout".
	DefaultIdleTimeout = 10 * time.Minute
	// DefaultMaxDuration is the "Connection duration for WebSocket API".
	DefaultMaxDuration = 2 * time.Hour
	// maxIntegrationTimeout is the integration timeout quota (29 s), also the default.
	maxIntegrationTimeout = 29 * time.Second
)

// Options configure a Server.
type Options struct {
	// Account and Region are what events report as accountId and what ARNs use.
	Account, Region string
	// Logger receives a line for every connection and message API Gateway would fail, saying
	// why. nil: discard.
	Logger *slog.Logger
	// Client sends HTTP and HTTP_PROXY integration requests. nil: a client with no proxy.
	Client *http.Client
	// Now is the clock for request times, idle timeouts and throttling. nil: time.Now.
	Now func() time.Time
	// IdleTimeout and MaxDuration end connections as API Gateway does (0: 10 minutes and 2
	// hours). Tests set them short.
	IdleTimeout, MaxDuration time.Duration
	// Authorize checks a @connections request as IAM would: the caller's signature and its
	// permission for action ("execute-api:ManageConnections") on resource (the execute-api ARN
	// of the call). nil allows it. When Authorize itself is nil every request is refused as
	// unsigned requests are in AWS.
	Authorize func(r *http.Request, body []byte, action, resource string) *Refusal
	// APIKeys are the keys valid for this API's stages, for routes with ApiKeyRequired.
	APIKeys []*model.APIKey
	// Authorizers decide the $connect route's authorization (a Lambda REQUEST authorizer or
	// AWS_IAM): the API's *authorizer.Set. nil: a $connect route that requires authorization
	// refuses every connection (500), never lets one through.
	Authorizers Authorizer
	// AccessLog receives a line per CONNECT, MESSAGE and DISCONNECT event on a stage with an
	// access log format (AccessLogSettings.Format), rendered as API Gateway writes it. nil: no
	// access log, and no per-event cost for one.
	AccessLog httpapi.AccessLogFunc
}

// Refusal is API Gateway's answer to a request it does not let through: the status, the
// exception type it names in X-Amzn-ErrorType, and the JSON body.
type Refusal struct {
	Status int
	Type   string
	Body   []byte
}

// Target is what the router resolved before calling Serve.
type Target struct {
	Stage *model.Stage
	// Path is the request path after the stage, decoded ("/" for the WebSocket endpoint,
	// "/@connections/{id}" for the management API).
	Path string
	// DomainName is requestContext.domainName ({apiId}.execute-api.localhost, or the Host the
	// client used); it is also what a handler builds its callback URL from.
	DomainName string
}

// Server serves one WebSocket API on every stage the router hands it.
type Server struct {
	api       *model.API
	inv       lambdahost.Invoker
	opts      Options
	log       *slog.Logger
	client    *http.Client
	now       func() time.Time
	routes    map[string]*model.Route
	selector  *selector
	mappings  map[*model.Route]*datamap.Mapping // integration request parameters, per route
	throttles throttle.Set
	// accessFormats holds each logging stage's compiled format, by stage name; nil when no
	// stage logs access.
	accessFormats map[string]*accesslog.Format

	// ctx ends in-flight message integrations when the server closes.
	ctx    context.Context
	cancel context.CancelFunc

	mu    sync.Mutex
	conns map[string]*conn // by connection id
	// opening holds connections whose $connect succeeded and whose handshake is being
	// written: a client may call @connections as soon as it sees the 101, before register.
	opening map[string]chan struct{}
	closed  bool
	wg      sync.WaitGroup // one per live connection
}

// New checks the API and precompiles its route table. The error names what API Gateway would
// have refused to deploy.
func New(api *model.API, inv lambdahost.Invoker, opts Options) (*Server, error) {
	if api == nil {
		return nil, errors.New("wsapi: no API")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.MaxDuration <= 0 {
		opts.MaxDuration = DefaultMaxDuration
	}
	client := opts.Client
	if client == nil {
		client = &http.Client{Transport: &http.Transport{Proxy: nil}, Timeout: maxIntegrationTimeout}
	}
	s := &Server{
		api: api, inv: inv, opts: opts, log: opts.Logger, client: client, now: opts.Now,
		routes:    map[string]*model.Route{},
		throttles: throttle.NewSet(api),
		conns:     map[string]*conn{},
		opening:   map[string]chan struct{}{},
	}
	s.accessFormats = httpapi.AccessFormats(api.Stages, opts.AccessLog)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	for _, r := range api.Routes {
		if _, dup := s.routes[r.Key]; dup {
			return nil, fmt.Errorf("route %q: the route key %q is used twice", r.LogicalID, r.Key)
		}
		if open := r.AuthorizationType == "" || r.AuthorizationType == model.AuthorizationNone; !open && r.Key != "$connect" {
			// The guide: "You can only use a Lambda authorizer function for the $connect
			// route"; a connection is authorized once. Serving the route open would be a door
			// the template meant to close.
			return nil, fmt.Errorf("route %q: %s authorization on route %q: a WebSocket API authorizes only its $connect route", r.LogicalID, r.AuthorizationType, r.Key)
		}
		s.routes[r.Key] = r
	}
	sel, err := newSelector(api)
	if err != nil {
		return nil, err
	}
	s.selector = sel
	s.mappings = map[*model.Route]*datamap.Mapping{}
	for _, r := range api.Routes {
		in := r.Integration
		if in == nil || len(in.RequestParameters) == 0 {
			continue
		}
		m, err := datamap.Compile(r.Key, in.RequestParameters)
		if err != nil {
			return nil, fmt.Errorf("route %q: integration %q: RequestParameters: %w", r.LogicalID, in.LogicalID, err)
		}
		s.mappings[r] = m
	}
	return s, nil
}

// Serve answers one HTTP request for this API on t.Stage: a WebSocket upgrade at the stage's
// root, or a call of the @connections management API.
func (s *Server) Serve(w http.ResponseWriter, r *http.Request, t Target) {
	if t.Stage == nil {
		writeJSON(w, http.StatusForbidden, messageBody("Forbidden"))
		return
	}
	if id, ok := strings.CutPrefix(t.Path, "/@connections/"); ok {
		s.manage(w, r, t, id)
		return
	}
	if t.Path != "/" && t.Path != "" {
		// API Gateway serves a WebSocket API only at the stage's root.
		writeJSON(w, http.StatusForbidden, messageBody("Forbidden"))
		return
	}
	s.connect(w, r, t)
}

// Close ends every connection as API Gateway ends them on a deployment's removal: a close frame
// 1001 "Going away", then $disconnect. It waits for their $disconnect invocations.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	conns := make([]*conn, 0, len(s.conns))
	for _, c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.shutdown(closeGoingAway, "Going away")
	}
	// Messages still waiting for an integration get no answer: their connections are closing.
	// $disconnect runs on a context of its own.
	s.cancel()
	s.wg.Wait()
}

// Connections is the number of open connections, for tests and the runner's status.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

func (s *Server) register(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c.id] = c
	s.wg.Add(1)
	return true
}

func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns[c.id] == c {
		delete(s.conns, c.id)
	}
}

// lookup finds an open connection, waiting for one whose handshake is in progress.
func (s *Server) lookup(id string) *conn {
	s.mu.Lock()
	c, opening := s.conns[id], s.opening[id]
	s.mu.Unlock()
	if c != nil || opening == nil {
		return c
	}
	select {
	case <-opening:
	case <-time.After(5 * time.Second):
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns[id]
}

// beginOpening marks id as being opened; the returned func ends that, after register or
// failure.
func (s *Server) beginOpening(id string) func() {
	ch := make(chan struct{})
	s.mu.Lock()
	s.opening[id] = ch
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		delete(s.opening, id)
		s.mu.Unlock()
		close(ch)
	}
}

// messageBody is API Gateway's error body for HTTP answers: {"message":"..."}.
func messageBody(msg string) []byte {
	b, _ := json.Marshal(map[string]string{"message": msg})
	return b
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}
