package integ

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
	"github.com/gorilla/websocket"

	"github.com/gatehouse-dev/gatehouse/examples/domains"
	"github.com/gatehouse-dev/gatehouse/local"
)

// The custom domain example (examples/domains) through its domain names, with the runner's
// own clients (Runner.Client, Runner.WebSocketDialer), which send those names to the runner
// without DNS: http:// and ws:// to its plain listener, https:// and wss:// to its TLS one,
// where the certificate is the local CA's for that name.

// schemes are the two ways every domain is reached: plain, and TLS with the runner's CA.
var schemes = []string{"http", "https"}

// domainAPI is the runner's description of one of the domain example's APIs.
func domainAPI(t *testing.T, name string) local.APIInfo {
	t.Helper()
	api, ok := runner.APIByName(name)
	if !ok {
		t.Fatalf("the runner serves no API named %s; it serves %+v", name, runner.APIs())
	}
	return api
}

// domainDo sends a request with the runner's client; header "Host" sets the Host header.
func domainDo(t *testing.T, method, u string, header map[string]string) result {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if strings.EqualFold(k, "host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := runner.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, u, err)
	}
	return result{resp.StatusCode, resp.Header, string(b)}
}

// httpEvent decodes the payload 2.0 event lambdas/echo answers with.
func httpEvent(t *testing.T, r result) events.APIGatewayV2HTTPRequest {
	t.Helper()
	var ev events.APIGatewayV2HTTPRequest
	if r.status != 200 {
		t.Fatalf("status %d, want 200 from the echo handler: %s", r.status, r.body)
	}
	if err := json.Unmarshal([]byte(r.body), &ev); err != nil {
		t.Fatalf("the answer is not an HTTP API event: %v\n%s", err, r.body)
	}
	return ev
}

// restEvent decodes the Lambda proxy event lambdas/echo answers with.
func restEvent(t *testing.T, r result) events.APIGatewayProxyRequest {
	t.Helper()
	var ev events.APIGatewayProxyRequest
	if r.status != 200 {
		t.Fatalf("status %d, want 200 from the echo handler: %s", r.status, r.body)
	}
	if err := json.Unmarshal([]byte(r.body), &ev); err != nil {
		t.Fatalf("the answer is not a REST API event: %v\n%s", err, r.body)
	}
	return ev
}

// TestDomainsServed: the runner knows the example's three domains and their mappings.
func TestDomainsServed(t *testing.T) {
	want := map[string][]string{
		domains.ChatDomain:    {domains.ChatKey},
		domains.ApiDomain:     {domains.OrdersV2Key, domains.CatalogKey, domains.OrdersV1Key}, // longest key first
		domains.TenantsDomain: {""},
	}
	got := map[string][]string{}
	for _, d := range runner.Domains() {
		if d.Stack != domains.StackName {
			continue
		}
		if d.MinTLSVersion != "TLS 1.2" {
			t.Errorf("%s: minimum TLS version %q, want TLS 1.2 (the default policy, TLS_1_2)", d.Name, d.MinTLSVersion)
		}
		for _, m := range d.Mappings {
			got[d.Name] = append(got[d.Name], m.Key)
			if m.TLSURL == "" {
				t.Errorf("%s key %q: no TLS URL, though the runner serves TLS", d.Name, m.Key)
			}
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the domain example's domains and keys = %v, want %v", got, want)
	}
}

// TestDomainMappings: each key of api.gatehouse.example reaches its API and stage with the key
// stripped from what routes and resources match; the longest key wins; a path under no key
// gets 403. Events carry the domain.
func TestDomainMappings(t *testing.T) {
	orders := domainAPI(t, domains.OrdersApiName)
	catalog := domainAPI(t, domains.CatalogApiName)
	for _, scheme := range schemes {
		base := scheme + "://" + domains.ApiDomain
		t.Run(scheme, func(t *testing.T) {
			// HTTP API stages.
			for _, tc := range []struct {
				path     string // as sent, key included
				stage    string // the mapped stage
				routeKey string // the route the rest of the path matched
				id       string // its {id}, if any
			}{
				{"/orders/items/7", domains.OrdersV1Stage, "GET /items/{id}", "7"},
				{"/orders/v2/items/7", domains.OrdersV2Stage, "GET /items/{id}", "7"}, // orders/v2 is longer than orders
				{"/orders", domains.OrdersV1Stage, "$default", ""},
				{"/orders/", domains.OrdersV1Stage, "$default", ""},
				{"/orders/v2", domains.OrdersV2Stage, "$default", ""},
				{"/orders/v3/items/7", domains.OrdersV1Stage, "$default", ""}, // v3 is no key: orders takes it
				{"/orders/items", domains.OrdersV1Stage, "$default", ""},
			} {
				ev := httpEvent(t, domainDo(t, "GET", base+tc.path, nil))
				rc := ev.RequestContext
				if rc.APIID != orders.ID || rc.Stage != tc.stage || ev.RouteKey != tc.routeKey || ev.PathParameters["id"] != tc.id {
					t.Errorf("GET %s: api %s stage %s route %q id %q; want %s stage %s route %q id %q",
						tc.path, rc.APIID, rc.Stage, ev.RouteKey, ev.PathParameters["id"], orders.ID, tc.stage, tc.routeKey, tc.id)
				}
				if rc.DomainName != domains.ApiDomain || rc.DomainPrefix != "api" {
					t.Errorf("GET %s: domainName %q domainPrefix %q, want %s and api", tc.path, rc.DomainName, rc.DomainPrefix, domains.ApiDomain)
				}
				wantVersion := strings.TrimPrefix(tc.stage, "v")
				if ev.StageVariables["version"] != wantVersion {
					t.Errorf("GET %s: stage variables %v, want version %s", tc.path, ev.StageVariables, wantVersion)
				}
			}

			// The REST API's stage, under a single-level key of a domain that also has a
			// multi-level one.
			ev := restEvent(t, domainDo(t, "GET", base+"/catalog/products/42?full=1", map[string]string{"X-Gatehouse-Case": "Mixed"}))
			rc := ev.RequestContext
			if rc.APIID != catalog.ID || rc.Stage != domains.CatalogStage || ev.Resource != "/products/{id}" || ev.PathParameters["id"] != "42" {
				t.Errorf("GET /catalog/products/42: api %s stage %s resource %s params %v; want %s stage %s /products/{id} id 42",
					rc.APIID, rc.Stage, ev.Resource, ev.PathParameters, catalog.ID, domains.CatalogStage)
			}
			if rc.DomainName != domains.ApiDomain || rc.DomainPrefix != "api" {
				t.Errorf("REST event: domainName %q domainPrefix %q, want %s and api", rc.DomainName, rc.DomainPrefix, domains.ApiDomain)
			}
			// Through a domain AWS reports the path as sent, base path included.
			if ev.Path != "/catalog/products/42" || ev.QueryStringParameters["full"] != "1" {
				t.Errorf("REST event: path %q query %v, want the path as sent and full=1", ev.Path, ev.QueryStringParameters)
			}
			// A domain with a multi-level mapping sends header names in lower case.
			if ev.Headers["x-gatehouse-case"] != "Mixed" {
				t.Errorf("REST event headers %v: want x-gatehouse-case in lower case (the domain has a multi-level key)", ev.Headers)
			}
			ev = restEvent(t, domainDo(t, "POST", base+"/catalog/a/b", nil))
			if ev.Resource != "/{proxy+}" || ev.PathParameters["proxy"] != "a/b" || ev.HTTPMethod != "POST" {
				t.Errorf("POST /catalog/a/b: resource %s params %v method %s, want /{proxy+} with proxy a/b", ev.Resource, ev.PathParameters, ev.HTTPMethod)
			}

			// No key matches, and the domain has no empty mapping: API Gateway's 403.
			for _, p := range []string{"/", "/nothing", "/ord", "/v2/orders"} {
				r := domainDo(t, "GET", base+p, nil)
				if r.status != http.StatusForbidden || !strings.Contains(r.body, `"message":"Forbidden"`) {
					t.Errorf("GET %s: %d %s, want 403 {\"message\":\"Forbidden\"}", p, r.status, r.body)
				}
			}
		})
	}
}

// TestDomainHosts: the Host header selects the domain; names the assembly has no domain for
// get 403; a wildcard domain answers any name one label deeper and reports it.
func TestDomainHosts(t *testing.T) {
	tenants := domainAPI(t, domains.TenantsApiName)
	for _, scheme := range schemes {
		t.Run(scheme, func(t *testing.T) {
			for _, tenant := range []string{"acme", "globex"} {
				host := tenant + ".tenants.gatehouse.example"
				ev := httpEvent(t, domainDo(t, "GET", scheme+"://"+host+"/hello?x=1", nil))
				rc := ev.RequestContext
				if rc.APIID != tenants.ID || rc.Stage != "$default" || rc.DomainName != host || rc.DomainPrefix != tenant {
					t.Errorf("GET %s://%s/hello: api %s stage %s domainName %q domainPrefix %q; want %s $default %s %s",
						scheme, host, rc.APIID, rc.Stage, rc.DomainName, rc.DomainPrefix, tenants.ID, host, tenant)
				}
				if rc.HTTP.Path != "/hello" || ev.RawQueryString != "x=1" {
					t.Errorf("GET %s://%s/hello?x=1: path %q query %q", scheme, host, rc.HTTP.Path, ev.RawQueryString)
				}
			}
		})
	}

	// Host names sent to the runner's own address: the domain's *.localhost alias (what a
	// browser resolves by itself) is served as the domain; other names are not.
	_, port, err := net.SplitHostPort(runner.Addr())
	if err != nil {
		t.Fatal(err)
	}
	alias := "http://acme.tenants.gatehouse.example.localhost:" + port + "/"
	ev := httpEvent(t, domainDo(t, "GET", alias, nil))
	if ev.RequestContext.DomainName != "acme.tenants.gatehouse.example" || ev.RequestContext.DomainPrefix != "acme" {
		t.Errorf("GET %s: domainName %q domainPrefix %q, want the domain's own name", alias, ev.RequestContext.DomainName, ev.RequestContext.DomainPrefix)
	}
	for _, host := range []string{
		"unknown.gatehouse.example",             // no such domain
		"a.b.tenants.gatehouse.example",         // two labels deeper than the wildcard
		"tenants.gatehouse.example",             // the wildcard's parent itself
		"unknown.gatehouse.example.localhost",   // the alias of no domain
		"API.GATEHOUSE.EXAMPLE.evil.example:80", // a known name as a prefix only
	} {
		r := domainDo(t, "GET", runner.URL()+"/orders", map[string]string{"Host": host})
		if r.status != http.StatusForbidden || !strings.Contains(r.body, `"message":"Forbidden"`) {
			t.Errorf("Host %s: %d %s, want 403 {\"message\":\"Forbidden\"}", host, r.status, r.body)
		}
	}
	// Host names are case-insensitive, and the port is ignored.
	r := domainDo(t, "GET", runner.URL()+"/orders/items/1", map[string]string{"Host": "API.Gatehouse.Example:8080"})
	if ev := httpEvent(t, r); ev.RouteKey != "GET /items/{id}" || ev.RequestContext.DomainName != domains.ApiDomain {
		t.Errorf("Host API.Gatehouse.Example:8080: route %q domainName %q", ev.RouteKey, ev.RequestContext.DomainName)
	}
}

// wsReply is what lambdas/wsdomain answers and pushes.
type wsReply struct {
	Type, Route, Message, ConnectionID, APIID, Stage, DomainName, CallbackURL string
}

// domainSocket is a WebSocket connection through a domain, with what it receives.
type domainSocket struct {
	t  *testing.T
	ws *websocket.Conn
	in chan string
}

func dialDomain(t *testing.T, u string) *domainSocket {
	t.Helper()
	ws, resp, err := runner.WebSocketDialer().Dial(u, nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("connecting to %s: %v (status %d)", u, err, status)
	}
	s := &domainSocket{t: t, ws: ws, in: make(chan string, 8)}
	go func() {
		defer close(s.in)
		for {
			_, msg, err := ws.ReadMessage()
			if err != nil {
				return
			}
			s.in <- string(msg)
		}
	}()
	t.Cleanup(func() { ws.Close() })
	return s
}

func (s *domainSocket) send(msg string) {
	s.t.Helper()
	if err := s.ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		s.t.Fatalf("sending %s: %v", msg, err)
	}
}

// next waits for the next message.
func (s *domainSocket) next(waitingFor string) string {
	s.t.Helper()
	select {
	case got, ok := <-s.in:
		if !ok {
			s.t.Fatalf("the connection closed while waiting for %s", waitingFor)
		}
		return got
	case <-time.After(10 * time.Second):
		s.t.Fatalf("no %s within 10s", waitingFor)
	}
	return ""
}

func (s *domainSocket) nextReply(waitingFor string) wsReply {
	s.t.Helper()
	raw := s.next(waitingFor)
	var r wsReply
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		s.t.Fatalf("%s is not JSON: %v: %s", waitingFor, err, raw)
	}
	return r
}

// TestDomainWebSocket: the chat domain's key reaches the WebSocket API's stage, plain and over
// TLS; the handler sees the domain, pushes through the callback URL through the domain, and a
// client of the @connections API (the AWS SDK's) reaches the connection there too.
func TestDomainWebSocket(t *testing.T) {
	chat := domainAPI(t, domains.ChatApiName)
	callback := "https://" + domains.ChatDomain + "/" + domains.ChatKey
	for _, scheme := range []string{"ws", "wss"} {
		t.Run(scheme, func(t *testing.T) {
			s := dialDomain(t, scheme+"://"+domains.ChatDomain+"/"+domains.ChatKey)

			s.send("hello through the domain")
			r := s.nextReply("the $default reply")
			if r.Type != "reply" || r.Route != "$default" || r.Message != "hello through the domain" || r.APIID != chat.ID ||
				r.Stage != domains.ChatStage || r.DomainName != domains.ChatDomain || r.ConnectionID == "" {
				t.Errorf("$default replied %+v", r)
			}
			id := r.ConnectionID

			// The handler pushes through https://chat.gatehouse.example/live.
			s.send(`{"action":"push","message":"pushed by the handler"}`)
			p := s.nextReply("the handler's push")
			if p.Type != "push" || p.Message != "pushed by the handler" || p.ConnectionID != id || p.CallbackURL != callback {
				t.Errorf("push route pushed %+v, want the message through %s", p, callback)
			}

			// The test posts through the same URL with the AWS SDK's client: any well-formed
			// credentials do, since the runner cannot know a developer's policies.
			mgmt := apigatewaymanagementapi.New(apigatewaymanagementapi.Options{
				BaseEndpoint: aws.String(callback),
				Region:       "us-east-1",
				Credentials:  credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
				HTTPClient:   runner.Client(),
			})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := mgmt.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{
				ConnectionId: aws.String(id), Data: []byte("posted by the test"),
			}); err != nil {
				t.Fatalf("PostToConnection through %s: %v", callback, err)
			}
			if got := s.next("the test's post"); got != "posted by the test" {
				t.Errorf("received %q, want the test's post", got)
			}
			conn, err := mgmt.GetConnection(ctx, &apigatewaymanagementapi.GetConnectionInput{ConnectionId: aws.String(id)})
			if err != nil || conn.ConnectedAt == nil {
				t.Errorf("GetConnection through %s: %+v, %v", callback, conn, err)
			}
			if _, err := mgmt.DeleteConnection(ctx, &apigatewaymanagementapi.DeleteConnectionInput{ConnectionId: aws.String(id)}); err != nil {
				t.Fatalf("DeleteConnection through %s: %v", callback, err)
			}
			for range s.in { // drained until the runner's close ends the read loop
			}
			_, err = mgmt.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{ConnectionId: aws.String(id), Data: []byte("late")})
			if err == nil || !strings.Contains(err.Error(), "GoneException") {
				t.Errorf("PostToConnection after DeleteConnection: %v, want GoneException", err)
			}
		})
	}

	// A path under no key of the chat domain: the upgrade is refused with 403.
	for _, u := range []string{"ws://" + domains.ChatDomain + "/other", "ws://" + domains.ChatDomain + "/", "wss://" + domains.ChatDomain + "/" + domains.ChatStage + "x"} {
		ws, resp, err := runner.WebSocketDialer().Dial(u, nil)
		if err == nil {
			ws.Close()
			t.Errorf("%s: connected, want the upgrade refused", u)
			continue
		}
		if resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %v, %+v; want 403", u, err, resp)
		}
	}
}

// TestDomainTLSVersion: the domains' TLS_1_2 security policy refuses a TLS 1.1 handshake and
// accepts TLS 1.2, with the local CA's certificate for the name asked for.
func TestDomainTLSVersion(t *testing.T) {
	addr := runner.TLSAddr()
	if addr == "" {
		t.Fatal("the runner serves no TLS")
	}
	for _, name := range []string{domains.ApiDomain, domains.ChatDomain, "acme.tenants.gatehouse.example"} {
		client := runner.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
		client.ServerName = name
		client.MinVersion, client.MaxVersion = tls.VersionTLS10, tls.VersionTLS11
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, client)
		if err == nil {
			conn.Close()
			t.Errorf("%s: a TLS 1.1 handshake succeeded, want it refused (security policy TLS_1_2)", name)
		} else {
			var alert tls.AlertError
			if !errors.As(err, &alert) && !strings.Contains(err.Error(), "protocol version") {
				t.Errorf("%s: TLS 1.1 refused with %v, want a protocol version alert", name, err)
			}
		}

		client.MinVersion, client.MaxVersion = tls.VersionTLS12, tls.VersionTLS12
		conn, err = tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, client)
		if err != nil {
			t.Errorf("%s: a TLS 1.2 handshake failed: %v", name, err)
			continue
		}
		if err := conn.VerifyHostname(name); err != nil {
			t.Errorf("%s: the certificate does not cover the name: %v", name, err)
		}
		conn.Close()
	}
}
