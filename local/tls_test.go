package local

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi/types"

	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/localca"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// syncBuffer is a log sink tests read while the runner writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// tlsRunner serves domainModel with TLS, its CA in a fresh directory.
func tlsRunner(t *testing.T, inv lambdahost.Invoker) (*Runner, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	m := domainModel(echoServer(t).URL)
	r := newDomainRunner(t, m, inv, Options{TLS: true, CADir: filepath.Join(t.TempDir(), "ca"),
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
	listen(t, r)
	return r, logs
}

func TestMinTLSVersion(t *testing.T) {
	for _, tc := range []struct {
		policy    string
		websocket bool
		want      uint16
		warns     bool
	}{
		{"TLS_1_0", false, tls.VersionTLS10, false},
		{"TLS_1_2", false, tls.VersionTLS12, false},
		{"", false, tls.VersionTLS12, false},
		{"tls_1_0", false, tls.VersionTLS10, false},
		{"TLS_1_0", true, tls.VersionTLS12, false}, // WebSocket: TLS 1.2 only
		{"SecurityPolicy_TLS13_1_3_2025_09", false, tls.VersionTLS13, false},
		{"SecurityPolicy_TLS13_1_2_2021_06", false, tls.VersionTLS12, false},
		{"SecurityPolicy_TLS12_1_0_2021_06", true, tls.VersionTLS12, false},
		{"SecurityPolicy_TLS13_1_2_PQ_2025_09", false, tls.VersionTLS12, false},
		{"SecurityPolicy_TLS12_PFS_2025_EDGE", false, tls.VersionTLS12, false},
		{"SecurityPolicy_TLS13_2025_EDGE", false, tls.VersionTLS13, false},
		{"SecurityPolicy_Other", false, tls.VersionTLS12, true},
		{"TLS_9_9", false, tls.VersionTLS12, true},
	} {
		got, warn := minTLSVersion(tc.policy, tc.websocket)
		if got != tc.want || (warn != "") != tc.warns {
			t.Errorf("minTLSVersion(%q, ws=%v) = %s, %q; want %s (warning %v)", tc.policy, tc.websocket, tls.VersionName(got), warn, tls.VersionName(tc.want), tc.warns)
		}
	}
}

// TestTLSDomains: each name gets its own certificate (SNI), wildcards and *.localhost aliases
// included, signed by the kept CA, which is what a client trusts.
func TestTLSDomains(t *testing.T) {
	r, _ := tlsRunner(t, recordingInvoker{})
	client := r.Client()
	for _, tc := range []struct {
		url, certName, domain string
	}{
		{"https://api.example.com/orders/7", "api.example.com", "api.example.com"},
		{"https://tenant.example.com/hello", "*.example.com", "tenant.example.com"},
		{"https://api.example.com.localhost/orders/7", "api.example.com", "api.example.com"},
		{"https://multi.example.com/orders/v1/items/1", "multi.example.com", "multi.example.com"},
		{"https://h1.execute-api.localhost/prod/hello", "localhost", "h1.execute-api.localhost"},
	} {
		resp, err := client.Get(tc.url)
		if err != nil {
			t.Errorf("GET %s: %v", tc.url, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d %s", tc.url, resp.StatusCode, body)
			continue
		}
		if leaf := resp.TLS.PeerCertificates[0]; leaf.Subject.CommonName != tc.certName {
			t.Errorf("GET %s: certificate for %q (%v), want %q", tc.url, leaf.Subject.CommonName, leaf.DNSNames, tc.certName)
		}
		var ev map[string]any
		json.Unmarshal(body, &ev)
		if _, _, _, domain, _ := eventSummary(ev); domain != tc.domain {
			t.Errorf("GET %s: domainName %q, want %q", tc.url, domain, tc.domain)
		}
		if h, _ := ev["headers"].(map[string]any); h != nil && h["x-forwarded-proto"] != "https" && h["X-Forwarded-Proto"] != "https" {
			t.Errorf("GET %s: X-Forwarded-Proto = %v, want https", tc.url, h)
		}
	}
}

// TestTLSTrust: the CA file is all a client needs (curl --cacert, SSL_CERT_FILE); a client
// with only the system's roots refuses the runner's certificates; a later run keeps the CA.
func TestTLSTrust(t *testing.T) {
	r, _ := tlsRunner(t, recordingInvoker{})
	caPEM, err := os.ReadFile(r.CAFile())
	if err != nil {
		t.Fatalf("CAFile %q: %v", r.CAFile(), err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("CAFile holds no certificate")
	}
	dial := func(serverName string, roots *x509.CertPool) error {
		c, err := tls.Dial("tcp", r.TLSAddr(), &tls.Config{ServerName: serverName, RootCAs: roots})
		if err == nil {
			c.Close()
		}
		return err
	}
	for _, name := range []string{"api.example.com", "x.example.com", "chat.example.com.localhost", "localhost", "127.0.0.1"} {
		if err := dial(name, pool); err != nil {
			t.Errorf("%s, trusting the CA file: %v", name, err)
		}
	}
	var unknown x509.UnknownAuthorityError
	if err := dial("api.example.com", nil); !errors.As(err, &unknown) {
		t.Errorf("trusting only the system's roots: %v, want an unknown authority", err)
	}
	// A second run from the same directory serves certificates from the same CA.
	again, err := localca.LoadOrCreate(filepath.Dir(r.CAFile()))
	if err != nil || string(again.PEM()) != string(caPEM) {
		t.Errorf("a second run made a new CA (%v)", err)
	}
	if got := TrustInstructions(r.CAFile()); !strings.Contains(strings.Join(got, "\n"), "curl --cacert "+r.CAFile()) ||
		!strings.Contains(strings.Join(got, "\n"), "NODE_EXTRA_CA_CERTS="+r.CAFile()) {
		t.Errorf("trust instructions: %q", got)
	}
}

// TestTLSMinimumVersion: a domain's security policy decides by SNI which versions complete a
// handshake; an older one gets TLS's protocol_version alert and a log line.
func TestTLSMinimumVersion(t *testing.T) {
	r, logs := tlsRunner(t, recordingInvoker{})
	pool := r.ca.Pool()
	handshake := func(serverName string, max uint16) error {
		c, err := tls.Dial("tcp", r.TLSAddr(), &tls.Config{ServerName: serverName, RootCAs: pool, MinVersion: tls.VersionTLS10, MaxVersion: max})
		if err == nil {
			c.Close()
		}
		return err
	}
	for _, tc := range []struct {
		name string
		max  uint16
		ok   bool
	}{
		{"api.example.com", tls.VersionTLS10, true}, // TLS_1_0
		{"api.example.com", tls.VersionTLS11, true},
		{"multi.example.com", tls.VersionTLS11, false}, // TLS_1_2
		{"multi.example.com", tls.VersionTLS12, true},
		{"multi.example.com", tls.VersionTLS13, true},
		{"tenant.example.com", tls.VersionTLS10, false}, // no policy: TLS_1_2
		{"chat.example.com", tls.VersionTLS11, false},   // WebSocket: TLS 1.2 only
		{"chat.example.com.localhost", tls.VersionTLS11, false},
		{"localhost", tls.VersionTLS10, true}, // the execute-api endpoint's TLS_1_0
	} {
		err := handshake(tc.name, tc.max)
		if (err == nil) != tc.ok {
			t.Errorf("%s with at most %s: err = %v, want ok=%v", tc.name, tls.VersionName(tc.max), err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "protocol version") {
			t.Errorf("%s with at most %s: %v, want a protocol_version alert", tc.name, tls.VersionName(tc.max), err)
		}
	}
	if !strings.Contains(logs.String(), "TLS handshake refused") || !strings.Contains(logs.String(), "custom domain multi.example.com's security policy") {
		t.Errorf("no log line for the refused handshake:\n%s", logs)
	}
}

// TestMutualTLS: a mutual TLS domain over TLS answers 403 without a client certificate of the
// local CA, and serves one that presents it (Runner.Client does); plain HTTP is let through
// with a warning.
func TestMutualTLS(t *testing.T) {
	r, logs := tlsRunner(t, recordingInvoker{})
	get := func(c *http.Client, url string) (int, string) {
		resp, err := c.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get(r.Client(), "https://secure.example.com/hello"); code != 200 {
		t.Errorf("with the local client certificate: %d %s", code, body)
	}
	noCert := r.Client()
	noCert.Transport.(*http.Transport).TLSClientConfig.GetClientCertificate = nil
	if code, body := get(noCert, "https://secure.example.com/hello"); code != 403 || body != `{"message":"Forbidden"}` {
		t.Errorf("without a client certificate: %d %s, want 403 Forbidden", code, body)
	}
	other, _ := localca.New("other")
	otherCert, _ := other.ClientCertificate()
	wrongCA := r.Client()
	wrongCA.Transport.(*http.Transport).TLSClientConfig.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return otherCert, nil }
	if code, _ := get(wrongCA, "https://secure.example.com/hello"); code != 403 {
		t.Errorf("with another CA's certificate: %d, want 403", code)
	}
	// Other domains do not ask.
	if code, _ := get(noCert, "https://api.example.com/hello"); code != 200 {
		t.Errorf("a domain without mutual TLS: %d", code)
	}
	if code, _ := get(r.Client(), "http://secure.example.com/hello"); code != 200 {
		t.Errorf("plain HTTP to a mutual TLS domain: %d", code)
	}
	for _, want := range []string{"requires mutual TLS and no client certificate was presented", "unknown authority", "a request without TLS cannot present a client certificate"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log has no %q:\n%s", want, logs)
		}
	}
	cert, key := r.ClientCertFiles()
	if _, err := tls.LoadX509KeyPair(cert, key); err != nil {
		t.Errorf("client certificate files for curl --cert/--key: %v", err)
	}
}

// TestWebSocketThroughDomain: a WebSocket API's connection made on wss://{domain}/{key}
// reports the domain in its events, and the @connections API answers on
// https://{domain}/{key}/@connections/{id}, SigV4-checked against the function's role with
// the stage's ARN (the key is only a path).
func TestWebSocketThroughDomain(t *testing.T) {
	inv := &capturingInvoker{}
	m := domainModel(echoServer(t).URL)
	m.Functions = []*model.Function{{Stack: "S", LogicalID: "Granted", Name: "granted", Role: "arn:aws:iam::123456789012:role/S-GrantedRole", RoleLogicalID: "GrantedRole"}}
	m.Roles = []*model.Role{{Stack: "S", LogicalID: "GrantedRole", ARN: "arn:aws:iam::123456789012:role/S-GrantedRole", Statements: []*model.Statement{{
		Effect: "Allow", Actions: []string{"execute-api:ManageConnections"}, Resources: []string{"arn:aws:execute-api:us-east-1:123456789012:w1/dev/*/@connections/*"}}}}}
	logs := &syncBuffer{}
	r := newDomainRunner(t, m, inv, Options{TLS: true, CADir: t.TempDir(), Logger: slog.New(slog.NewTextHandler(logs, nil))})
	listen(t, r)

	for _, tc := range []struct{ url, callback string }{
		{"wss://chat.example.com/live", "https://chat.example.com/live"},
		{"ws://chat.example.com.localhost:" + portOf(r.Addr()) + "/live", "http://chat.example.com.localhost:" + portOf(r.Addr()) + "/live"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			conn, resp, err := r.WebSocketDialer().Dial(tc.url, nil)
			if err != nil {
				t.Fatalf("dial %s: %v (%v)", tc.url, err, resp)
			}
			defer conn.Close()
			ev := inv.last()
			rc, _ := ev["requestContext"].(map[string]any)
			if rc["domainName"] != "chat.example.com" || rc["stage"] != "dev" || rc["eventType"] != "CONNECT" {
				t.Fatalf("$connect requestContext = %v", rc)
			}
			id, _ := rc["connectionId"].(string)

			key, secret, token, _ := r.host.Credentials("granted")
			mgmt := apigatewaymanagementapi.New(apigatewaymanagementapi.Options{
				Region: "us-east-1", BaseEndpoint: aws.String(tc.callback), HTTPClient: r.Client(),
				Credentials: credentials.NewStaticCredentialsProvider(key, secret, token),
			})
			ctx := context.Background()
			if _, err := mgmt.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte("hello through the domain")}); err != nil {
				t.Fatalf("PostToConnection via %s: %v", tc.callback, err)
			}
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, msg, err := conn.ReadMessage(); err != nil || string(msg) != "hello through the domain" {
				t.Fatalf("message = %q, %v", msg, err)
			}
			if _, err := mgmt.GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: &id}); err != nil {
				t.Errorf("GetConnection: %v", err)
			}
			if _, err := mgmt.DeleteConnection(ctx, &apigatewaymanagementapi.DeleteConnectionInput{ConnectionId: &id}); err != nil {
				t.Errorf("DeleteConnection: %v", err)
			}
			if _, _, err := conn.ReadMessage(); err == nil {
				t.Error("the connection is still open after DeleteConnection")
			}
			_, err = mgmt.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: &id, Data: []byte("x")})
			var gone *types.GoneException
			if !errors.As(err, &gone) {
				t.Errorf("PostToConnection after DeleteConnection: %v, want GoneException", err)
			}
		})
	}

	// The stage-based callback URL of the execute-api host does not work through a domain:
	// 403, and a log line saying what does.
	key, secret, token, _ := r.host.Credentials("granted")
	wrong := apigatewaymanagementapi.New(apigatewaymanagementapi.Options{
		Region: "us-east-1", BaseEndpoint: aws.String("https://chat.example.com/dev"), HTTPClient: r.Client(),
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, token),
	})
	if _, err := wrong.PostToConnection(context.Background(), &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String("AAAAAAAAAAAAAAA="), Data: []byte("x")}); err == nil {
		t.Error("a callback URL with the stage instead of the key worked")
	}
	if !strings.Contains(logs.String(), "the callback URL is https://chat.example.com/{mapping key} (keys: live)") {
		t.Errorf("no hint about the callback URL:\n%s", logs)
	}
	// No mapping: the upgrade is refused.
	if _, resp, err := r.WebSocketDialer().Dial("wss://chat.example.com/other", nil); err == nil || resp == nil || resp.StatusCode != 403 {
		t.Errorf("upgrade on an unmapped path: %v %v", err, resp)
	}
}

// TestClientDialsOnlyTheRunner: Runner.Client sends the assembly's names to the runner, refuses
// AWS, and says when https is asked of a runner without TLS.
func TestClientDialsOnlyTheRunner(t *testing.T) {
	r := newDomainRunner(t, domainModel("http://127.0.0.1:1"), recordingInvoker{}, Options{})
	listen(t, r)
	resp, err := r.Client().Get("http://api.example.com/orders/1")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("plain GET through the client: %v %v", resp, err)
	}
	resp.Body.Close()
	if _, err := r.Client().Get("https://api.example.com/orders/1"); err == nil || !strings.Contains(err.Error(), "serves no TLS") {
		t.Errorf("https without TLS: %v", err)
	}
	if _, err := r.Client().Get("https://sqs.us-east-1.amazonaws.com/"); err == nil || !strings.Contains(err.Error(), "does not contact AWS") {
		t.Errorf("AWS host: %v", err)
	}
	if _, err := r.DialContext(context.Background(), "tcp", "169.254.169.254:80"); err == nil {
		t.Error("the metadata address was dialled")
	}
}
