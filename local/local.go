// Package local serves the APIs of a synthesized CDK cloud assembly (cdk.out) on localhost, the
// way API Gateway serves them in AWS, running the real Lambda bootstrap binaries through the
// Lambda Runtime API. It is the library behind the `gatehouse` CLI, and it is meant to be started
// from a user's own tests, like httptest.NewServer:
//
//	r, err := local.Start(ctx, local.Options{Assembly: "cdk.out"})
//	if err != nil { t.Fatal(err) }
//	defer r.Close()
//	api, _ := r.API("GatehouseHttpExample", "HttpApi")
//	dev, _ := api.Stage("dev")
//	resp, err := http.Get(dev.URL + "/hello")
//
// # Custom domains
//
// The assembly's custom domain names are served by their names, as API Gateway maps them: the
// Host header picks the domain (a wildcard answers names one label deeper), the longest
// matching API mapping key picks the API and stage and is stripped from the path, and events
// report the domain. Clients reach a domain without DNS through Runner.Client and
// Runner.WebSocketDialer, through {domain}.localhost, or with curl --connect-to (see
// Runner.Domains). With Options.TLS the runner also serves HTTPS and WSS with certificates from
// a local CA it keeps in Options.CADir:
//
//	r, err := local.Start(ctx, local.Options{Assembly: "cdk.out", TLS: true})
//	resp, err := r.Client().Get("https://api.example.com/orders/items")
//	ws, _, err := r.WebSocketDialer().Dial("wss://chat.example.com/live", nil)
//
// Nothing here imports the CDK or jsii: the runner reads the assembly's JSON.
package local

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/authorizer"
	"github.com/gatehouse-dev/gatehouse/local/internal/egress"
	"github.com/gatehouse-dev/gatehouse/local/internal/httpapi"
	"github.com/gatehouse-dev/gatehouse/local/internal/jwtverify"
	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/localca"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/restapi"
	"github.com/gatehouse-dev/gatehouse/local/internal/throttle"
	"github.com/gatehouse-dev/gatehouse/local/internal/wsapi"
)

// Options configure a Runner. The zero value serves ./cdk.out on 127.0.0.1 at a port the OS picks.
type Options struct {
	// Assembly is the cloud assembly directory (default "cdk.out").
	Assembly string
	// Host and Port to listen on (default 127.0.0.1 and 0, which lets the OS pick).
	Host string
	Port int

	// Account and Region are what pseudo parameters resolve to when a stack's environment does
	// not name them (default 123456789012 and us-east-1, or AWS_REGION).
	Account, Region string
	// Parameters override template Parameters by name.
	Parameters map[string]string

	// EnvVars overrides function environment variables, in the SAM CLI --env-vars format:
	// {"LogicalId": {"VAR": "value"}, "Parameters": {"VAR": "value"}}.
	EnvVars map[string]map[string]string
	// MaxInstances caps concurrent instances per function without reserved concurrency
	// (default 16). Beyond it requests wait for a free instance.
	MaxInstances int
	// HandlerGOMAXPROCS is GOMAXPROCS for handler processes whose environment sets none
	// (default 1, which cuts a Go handler's per-request cost on few cores; negative: unset, so
	// Go uses every core as it does in Lambda).
	HandlerGOMAXPROCS int
	// WebSocketIdleTimeout and WebSocketMaxDuration end WebSocket connections as API Gateway
	// does (default 10 minutes idle, 2 hours in all); tests set them short.
	WebSocketIdleTimeout, WebSocketMaxDuration time.Duration
	// NoThrottle ignores every rate limit of the assembly, for load tests: stage and route
	// throttling, REST method throttling and usage plans' throttling. Usage plan quotas still
	// apply. API Gateway would answer 429 beyond those limits; a load test wants the runner's
	// own speed.
	NoThrottle bool
	// JWKS gives JWT and Cognito authorizers their issuers' keys: issuer URL (the iss claim,
	// exactly) → JWKS file. API Gateway fetches them from the issuer; offline the runner has
	// no network, so a token from an issuer without keys here is refused. JWKSData is the
	// same with the documents in memory (issuer.Issuer.JWKS in a test). Both are checked when
	// the runner loads: a missing file, a file that is not a JWKS or has no usable RSA key is
	// an error.
	JWKS     map[string]string
	JWKSData map[string][]byte
	// SourceDirs are searched for Go module sources when a function's binary is for another
	// architecture than this machine's and must be rebuilt.
	SourceDirs []string

	// TLS also serves HTTPS and WSS, on TLSPort, with certificates for every custom domain
	// name (wildcards included), its *.localhost alias, localhost and 127.0.0.1, issued by a
	// local certificate authority kept in CADir (default .gatehouse/ca, made on first use).
	// Each domain's security policy sets the oldest TLS version its names accept.
	TLS bool
	// TLSPort is the HTTPS port (default Port+1; 0 when Port is 0, letting the OS pick).
	TLSPort int
	// CADir is the directory of the local CA (default DefaultCADir).
	CADir string

	// Logger receives the runner's own log lines (default: text to stderr).
	Logger *slog.Logger
	// Output receives handler stdout and stderr, each line prefixed "[FunctionName] "
	// (default stderr).
	Output io.Writer
	// AccessLog receives the access log of every stage with an access log format
	// (AccessLogSettings.Format, REST AccessLogSetting.Format): one line per request or
	// WebSocket event, rendered as API Gateway writes it to CloudWatch Logs and prefixed
	// "[access API-NAME/STAGE] " (default stderr).
	AccessLog io.Writer
}

// withDefaults fills what the zero value leaves open.
func (o Options) withDefaults() Options {
	if o.Assembly == "" {
		o.Assembly = "cdk.out"
	}
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	if o.Region == "" {
		o.Region = os.Getenv("AWS_REGION")
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.Account == "" {
		o.Account = "123456789012"
	}
	return o
}

// Runner serves one cloud assembly. It is safe for concurrent use.
type Runner struct {
	opts  Options
	log   *slog.Logger
	model *model.Model
	host  *lambdahost.Host
	apis  map[string]*apiEntry // by local API id
	// egress is the proxy handler processes send their HTTP(S) through, so a callback URL they
	// build (https://{apiId}.execute-api...) reaches this runner and nothing reaches AWS.
	egress *egress.Proxy
	// jwks holds the issuers' keys of Options.JWKS and JWKSData, for JWT and Cognito authorizers.
	jwks *jwtverify.Store
	// roleKeys are the credentials issued for the assembly's IAM roles (AWS_IAM routes).
	roleKeys *roleKeys
	// domains are the custom domain names with their API mappings; ownNames the host names,
	// beyond IP addresses and localhost, that address the runner itself.
	domains  *domainTable
	ownNames map[string]bool
	// ca issues the TLS listener's certificates (nil without TLS); tlsDefault is the handshake
	// configuration of names that are no custom domain.
	ca         *localca.Authority
	tlsDefault *tls.Config

	warnMu sync.Mutex
	warned map[string]bool // warnOnce's keys

	mu   sync.Mutex
	ln   net.Listener
	srv  *http.Server
	base string // host:port the listener is on
	// The TLS listener, with --tls.
	tlsLn   net.Listener
	tlsSrv  *http.Server
	tlsBase string
	done    chan struct{}
}

// Load reads the assembly and prepares everything for serving without listening anywhere:
// use Runner.Handler with a server of your own, or Start.
func Load(opts Options) (*Runner, error) {
	opts = opts.withDefaults()
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}

	// Before the assembly: a mistyped --jwks should fail fast, naming the file.
	jwks, err := opts.jwksStore()
	if err != nil {
		return nil, err
	}
	m, err := loadModel(opts)
	if err != nil {
		return nil, err
	}
	for _, w := range m.Warnings {
		log.Warn(w.String())
	}
	applyNoThrottle(m, opts, log)

	// The proxy needs its handler before the runner exists (the host needs the proxy's
	// settings, the runner needs the host), hence the indirection.
	var r *Runner
	px, err := egress.New(egress.Options{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { r.ServeHTTP(w, req) }),
		Local:   func(host string) bool { return r.servesHost(host) },
		Logger:  log,
	})
	if err != nil {
		return nil, fmt.Errorf("starting the handlers' egress proxy: %w", err)
	}
	host, err := lambdahost.New(lambdahost.Config{
		Functions:    m.Functions,
		Account:      m.Account,
		Region:       m.Region,
		Logger:       log,
		Output:       opts.Output,
		MaxInstances: opts.MaxInstances,
		EnvOverrides: opts.EnvVars,
		SourceDirs:   opts.SourceDirs,

		HandlerGOMAXPROCS: opts.HandlerGOMAXPROCS,
		ExtraEnv:          px.Env(),
	})
	if err != nil {
		px.Close()
		return nil, fmt.Errorf("starting Lambda host: %w", err)
	}
	r = &Runner{opts: opts, log: log, model: m, host: host, egress: px, apis: map[string]*apiEntry{}, done: make(chan struct{})}
	r.jwks = jwks
	r.roleKeys = newRoleKeys(m)
	client := &http.Client{Transport: &loopbackTransport{runner: r, next: http.DefaultTransport}, Timeout: 35 * time.Second}
	// One set of usage plan counters for every REST API: a plan's limits apply to a key
	// across all the API stages the plan covers.
	usage := restapi.NewUsage()
	for _, api := range m.APIs {
		authz, err := newAuthorizers(api, m, host, jwks, r.principal, log)
		if err != nil {
			host.Close()
			px.Close()
			return nil, err
		}
		e, err := newAPIEntryAuthorized(api, host, client, m, log, opts, r.authorizeManagement, usage, authz)
		if err != nil {
			host.Close()
			px.Close()
			return nil, err
		}
		r.apis[api.ID] = e
	}
	r.ownNames = ownHostNames(opts.Host)
	if r.domains, err = buildDomainTable(m.Domains, r.apis, log); err != nil {
		host.Close()
		px.Close()
		return nil, fmt.Errorf("loading assembly %s: %w", opts.Assembly, err)
	}
	if opts.TLS {
		if err := r.setupTLS(); err != nil {
			host.Close()
			px.Close()
			return nil, err
		}
	}
	return r, nil
}

// applyNoThrottle lifts the model's rate limits when opts.NoThrottle asks for it, and says so:
// someone reading the log of a run that never answers 429 should know why.
func applyNoThrottle(m *model.Model, opts Options, log *slog.Logger) {
	if !opts.NoThrottle {
		return
	}
	throttle.Strip(m)
	log.Info("throttling is off (--no-throttle): stage, route, method and usage-plan throttles are ignored; usage-plan quotas still apply")
}

// loadModel reads the assembly and translates it.
func loadModel(opts Options) (*model.Model, error) {
	a, err := assembly.Load(opts.Assembly)
	if err != nil {
		return nil, err
	}
	m, err := model.Build(a, model.BuildOptions{Account: opts.Account, Region: opts.Region, Parameters: opts.Parameters})
	if err != nil {
		return nil, fmt.Errorf("loading assembly %s: %w", opts.Assembly, err)
	}
	return m, nil
}

// Describe lists the APIs of an assembly as `gatehouse start` would serve them on host:port,
// without starting anything.
func Describe(opts Options) ([]APIInfo, []string, error) {
	d, err := DescribeAssembly(opts)
	if err != nil {
		return nil, nil, err
	}
	return d.APIs, d.Warnings, nil
}

// Description is an assembly as `gatehouse start` would serve it: what `gatehouse routes`
// prints.
type Description struct {
	APIs     []APIInfo    `json:"apis"`
	Domains  []DomainInfo `json:"domains"`
	Warnings []string     `json:"warnings,omitempty"`
}

// DescribeAssembly describes the APIs and custom domains of an assembly as `gatehouse start`
// would serve them on Options.Host:Port (3000 when 0) and, with TLS, TLSPort (Port+1 when 0),
// without starting anything.
func DescribeAssembly(opts Options) (*Description, error) {
	opts = opts.withDefaults()
	if opts.Port == 0 {
		opts.Port = 3000
	}
	m, err := loadModel(opts)
	if err != nil {
		return nil, err
	}
	var warnings []string
	for _, w := range m.Warnings {
		warnings = append(warnings, w.String())
	}
	base, tlsBase := net.JoinHostPort(opts.Host, strconv.Itoa(opts.Port)), ""
	if opts.TLS {
		port := opts.TLSPort
		if port == 0 {
			port = opts.Port + 1
		}
		tlsBase = net.JoinHostPort(opts.Host, strconv.Itoa(port))
	}
	return &Description{APIs: describe(m, base, tlsBase), Domains: describeDomains(m, base, tlsBase), Warnings: warnings}, nil
}

// Start loads the assembly and serves it on Options.Host:Options.Port until ctx is done or Close
// is called.
func Start(ctx context.Context, opts Options) (*Runner, error) {
	r, err := Load(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(r.opts.Host, strconv.Itoa(r.opts.Port)))
	if err != nil {
		r.host.Close()
		r.egress.Close()
		return nil, fmt.Errorf("listening on %s:%d: %w", r.opts.Host, r.opts.Port, err)
	}
	if r.opts.TLS {
		port := r.opts.TLSPort
		if port == 0 && r.opts.Port != 0 {
			port = r.opts.Port + 1
		}
		tln, err := net.Listen("tcp", net.JoinHostPort(r.opts.Host, strconv.Itoa(port)))
		if err != nil {
			ln.Close()
			r.host.Close()
			r.egress.Close()
			return nil, fmt.Errorf("listening for TLS on %s:%d (--tls-port): %w", r.opts.Host, port, err)
		}
		r.serveTLS(tln)
	}
	r.serve(ln)
	go func() {
		select {
		case <-ctx.Done():
			r.Close()
		case <-r.done:
		}
	}()
	return r, nil
}

func (r *Runner) serve(ln net.Listener) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ln = ln
	r.base = ln.Addr().String()
	srv := &http.Server{
		Handler:           r,
		ReadHeaderTimeout: 30 * time.Second,
		// API Gateway's limits are enforced by the API servers; this only bounds what a
		// misbehaving client can make the runner hold.
		MaxHeaderBytes: 1 << 20,
		ErrorLog:       slog.NewLogLogger(r.log.Handler(), slog.LevelDebug),
	}
	r.srv = srv // Close clears r.srv: the goroutine keeps its own
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			r.log.Error("serving", "err", err)
		}
	}()
}

// URL is the runner's base URL, http://HOST:PORT.
func (r *Runner) URL() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return "http://" + r.base
}

// Addr is the address the runner listens on.
func (r *Runner) Addr() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.base
}

// APIs lists every served API with the URLs of its stages.
func (r *Runner) APIs() []APIInfo { return describe(r.model, r.Addr(), r.TLSAddr()) }

// Domains lists every custom domain name with its API mappings and their URLs.
func (r *Runner) Domains() []DomainInfo { return describeDomains(r.model, r.Addr(), r.TLSAddr()) }

// API finds an API by its stack name and logical id.
func (r *Runner) API(stack, logicalID string) (APIInfo, bool) {
	for _, a := range r.APIs() {
		if a.Stack == stack && a.LogicalID == logicalID {
			return a, true
		}
	}
	return APIInfo{}, false
}

// APIByName finds an API by its Name property.
func (r *Runner) APIByName(name string) (APIInfo, bool) {
	for _, a := range r.APIs() {
		if a.Name == name {
			return a, true
		}
	}
	return APIInfo{}, false
}

// Warnings are the resources and properties the runner cannot serve as AWS would.
func (r *Runner) Warnings() []string {
	var out []string
	for _, w := range r.model.Warnings {
		out = append(out, w.String())
	}
	return out
}

// Handler serves every API of the assembly; Start uses it, and a test can mount it on a server
// of its own.
func (r *Runner) Handler() http.Handler { return r }

// Invoke runs one function synchronously with payload, as `sam local invoke` does, and returns
// its response payload, or its error object when the function failed. The function is named by
// its physical name, its logical id, or its construct id (the logical id without the 8-character
// hash CDK appends: "Echo" for "Echo4B2E3A1C") when that is unambiguous.
func (r *Runner) Invoke(ctx context.Context, function string, payload []byte) (*lambdahost.Result, error) {
	f, err := r.findFunction(function)
	if err != nil {
		return nil, err
	}
	return r.host.Invoke(ctx, f.Name, payload)
}

func (r *Runner) findFunction(name string) (*model.Function, error) {
	var byConstructID []*model.Function
	for _, f := range r.model.Functions {
		if f.LogicalID == name || f.Name == name {
			return f, nil
		}
		if id := f.LogicalID; len(id) == len(name)+8 && strings.HasPrefix(id, name) && isCDKHash(id[len(name):]) {
			byConstructID = append(byConstructID, f)
		}
	}
	switch len(byConstructID) {
	case 1:
		return byConstructID[0], nil
	case 0:
		return nil, fmt.Errorf("function %q: %w (the assembly has %s)", name, lambdahost.ErrUnknownFunction, functionList(r.model.Functions))
	default:
		return nil, fmt.Errorf("function %q is ambiguous: name one of %s", name, functionList(byConstructID))
	}
}

// isCDKHash reports whether s is the 8 upper-case hex digits CDK appends to logical ids.
func isCDKHash(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return len(s) == 8
}

func functionList(fs []*model.Function) string {
	var names []string
	for _, f := range fs {
		names = append(names, f.Stack+"/"+f.LogicalID)
	}
	return strings.Join(names, ", ")
}

// Functions lists the functions of the assembly as "LogicalId (name)".
func (r *Runner) Functions() []*model.Function { return r.model.Functions }

// Close stops serving, then stops every function instance. It is safe to call more than once.
func (r *Runner) Close() error {
	r.mu.Lock()
	srv, tlsSrv := r.srv, r.tlsSrv
	r.srv, r.tlsSrv = nil, nil
	select {
	case <-r.done:
	default:
		close(r.done)
	}
	r.mu.Unlock()
	var err error
	// WebSocket connections first, while their $disconnect functions can still run.
	for _, e := range r.apis {
		if e.ws != nil {
			e.ws.Close()
		}
	}
	for _, srv := range []*http.Server{srv, tlsSrv} {
		if srv == nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if e := srv.Shutdown(ctx); e != nil {
			srv.Close()
		}
		cancel()
	}
	// Nil for a runner a test assembles without processes.
	if r.host != nil {
		if e := r.host.Close(); e != nil {
			err = e
		}
	}
	// After the handlers: they read the proxy's CA files while they run.
	if r.egress != nil {
		r.egress.Close()
	}
	return err
}

// Done is closed when the runner has been closed.
func (r *Runner) Done() <-chan struct{} { return r.done }

// apiEntry is one API ready to serve.
type apiEntry struct {
	api    *model.API
	http   *httpapi.Server
	ws     *wsapi.Server
	rest   *restapi.Server
	stages map[string]*model.Stage
}

func newAPIEntry(api *model.API, inv lambdahost.Invoker, client *http.Client, m *model.Model, log *slog.Logger, opts Options, authorize func(*http.Request, []byte, string, string) *wsapi.Refusal) (*apiEntry, error) {
	return newAPIEntryWithUsage(api, inv, client, m, log, opts, authorize, nil)
}

// newAPIEntryWithUsage is newAPIEntry with the usage plan counters REST APIs share; nil gives
// a REST API counters of its own.
func newAPIEntryWithUsage(api *model.API, inv lambdahost.Invoker, client *http.Client, m *model.Model, log *slog.Logger, opts Options, authorize func(*http.Request, []byte, string, string) *wsapi.Refusal, usage *restapi.Usage) (*apiEntry, error) {
	return newAPIEntryAuthorized(api, inv, client, m, log, opts, authorize, usage, nil)
}

// newAPIEntryAuthorized is newAPIEntryWithUsage with the API's authorizers; nil leaves the
// servers without any, and they refuse every protected route.
func newAPIEntryAuthorized(api *model.API, inv lambdahost.Invoker, client *http.Client, m *model.Model, log *slog.Logger, opts Options, authorize func(*http.Request, []byte, string, string) *wsapi.Refusal, usage *restapi.Usage, authz *authorizer.Set) (*apiEntry, error) {
	e := &apiEntry{api: api, stages: map[string]*model.Stage{}}
	for _, s := range api.Stages {
		e.stages[s.Name] = s
	}
	if api.Protocol == model.ProtocolHTTP {
		hopts := httpapi.Options{Account: m.Account, Region: m.Region, Logger: log, Client: client, AccessLog: accessLogHook(api, opts.AccessLog)}
		if authz != nil {
			hopts.Authorizer = authz
		}
		s, err := httpapi.New(api, inv, hopts)
		if err != nil {
			return nil, fmt.Errorf("stack %q: API %q: %w", api.Stack, api.LogicalID, err)
		}
		e.http = s
	}
	if api.Protocol == model.ProtocolWebSocket {
		wopts := wsapi.Options{
			Account: m.Account, Region: m.Region, Logger: log, Client: client, APIKeys: m.APIKeys,
			IdleTimeout: opts.WebSocketIdleTimeout, MaxDuration: opts.WebSocketMaxDuration,
			Authorize: authorize, AccessLog: accessLogHook(api, opts.AccessLog),
		}
		if authz != nil {
			wopts.Authorizers = authz
		}
		s, err := wsapi.New(api, inv, wopts)
		if err != nil {
			return nil, fmt.Errorf("stack %q: API %q: %w", api.Stack, api.LogicalID, err)
		}
		e.ws = s
	}
	if api.Protocol == model.ProtocolREST {
		ropts := restapi.Options{
			Account: m.Account, Region: m.Region, Logger: log, Client: client,
			APIKeys: m.APIKeys, UsagePlans: m.UsagePlans, Usage: usage,
			AccessLog: accessLogHook(api, opts.AccessLog),
		}
		if authz != nil {
			// Assigned only when set: a nil *authorizer.Set in the interface would not read as
			// "no authorizers".
			ropts.Authorizers = authz
		}
		s, err := restapi.New(api, inv, ropts)
		if err != nil {
			return nil, fmt.Errorf("stack %q: API %q: %w", api.Stack, api.LogicalID, err)
		}
		e.rest = s
	}
	return e, nil
}
