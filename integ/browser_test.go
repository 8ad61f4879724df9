package integ

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/gatehouse-dev/gatehouse/examples/domains"
)

// The browser test drives the example's chat page (GET /chat on the HTTP API, served by
// lambdas/wspage) in headless Chromium: the page's own script opens the WebSocket to the
// gatehouse-chat API, so this checks what a developer's browser would see, including the
// subprotocol answer a browser insists on and the close codes it reports.

const (
	// browserTestBudget bounds the whole test, Chromium's start included; on 2 cores a run
	// takes a few seconds.
	browserTestBudget = 40 * time.Second
	// browserStepTimeout bounds each wait for the page to reach a state.
	browserStepTimeout = 10 * time.Second
	// browserChatToken is the example's CHAT_TOKEN, which $connect expects.
	browserChatToken = "gatehouse-demo-token"
)

// chromiumPath finds Debian's chromium. Without it the test skips, unless
// GATEHOUSE_REQUIRE_BROWSER is set (as `make test` does) so that CI cannot pass by skipping.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	const msg = "chromium is not installed (`make browser-deps` installs Debian's chromium)"
	if os.Getenv("GATEHOUSE_REQUIRE_BROWSER") != "" {
		t.Fatal(msg + " and GATEHOUSE_REQUIRE_BROWSER is set")
	}
	t.Skip(msg + "; set GATEHOUSE_REQUIRE_BROWSER=1 to fail instead of skipping")
	return ""
}

// startBrowser starts headless Chromium, within browserTestBudget, with a fresh profile and
// only the flags the project allows, which keep it from reaching beyond the machine (updates,
// sync, background fetches). Chromium's output is kept for failures.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	// A cleanup, not a defer in the test, so that it runs after the browser's own cleanups
	// below and Chromium is closed gracefully rather than killed with the context.
	ctx, cancel := context.WithTimeout(context.Background(), browserTestBudget)
	t.Cleanup(cancel)
	var out syncBuffer
	profile := t.TempDir()
	// Chromium's helper processes can still be writing into the profile for a moment after the
	// browser process has exited, which would fail TempDir's own removal; this cleanup runs
	// after the browser's and retries until the profile is gone.
	t.Cleanup(func() { removeProfile(t, profile) })
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.CombinedOutput(&out),
	)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	// Cleanups run last-registered first: close the browser, then wait for the process.
	t.Cleanup(cancelAlloc)
	t.Cleanup(cancelBrowser)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("chromium output:\n%s", out.String())
		}
	})
	if err := chromedp.Run(browserCtx); err != nil {
		t.Fatalf("starting %s: %v\n%s", chromiumPath(t), err, out.String())
	}
	return browserCtx
}

func removeProfile(t *testing.T, dir string) {
	var err error
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if err = os.RemoveAll(dir); err == nil {
			return
		}
	}
	t.Errorf("removing the Chromium profile %s: %v", dir, err)
}

// chatTab is one browser tab on the chat page, with what it did recorded for assertions and
// failure reports.
type chatTab struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	requests []string // every URL the tab asked for, WebSockets included
	console  []string // console messages and uncaught exceptions
}

// openChatPage opens pageURL in a new tab and waits for the page's script to have run. On
// failure it prints the page's status and log.
func openChatPage(t *testing.T, browserCtx context.Context, pageURL string) *chatTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	tab := &chatTab{t: t, ctx: ctx}
	chromedp.ListenTarget(ctx, func(ev any) {
		tab.mu.Lock()
		defer tab.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			tab.requests = append(tab.requests, ev.Request.URL)
		case *network.EventWebSocketCreated:
			tab.requests = append(tab.requests, ev.URL)
		case *runtime.EventConsoleAPICalled:
			var b strings.Builder
			for _, a := range ev.Args {
				b.WriteString(" ")
				if len(a.Value) != 0 {
					b.Write(a.Value)
				} else {
					b.WriteString(a.Description)
				}
			}
			tab.console = append(tab.console, string(ev.Type)+":"+b.String())
		case *runtime.EventExceptionThrown:
			tab.console = append(tab.console, "exception: "+ev.ExceptionDetails.Error())
		}
	})
	t.Cleanup(cancel)
	// The first Run creates the tab and ties its lifetime to the context it is given, so it
	// gets the tab's own context (bounded by the test's budget), not a step's timeout.
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	t.Cleanup(tab.reportOnFailure)
	tab.run("opening "+pageURL,
		chromedp.Navigate(pageURL),
		chromedp.WaitVisible("#connect", chromedp.ByQuery),
		// The script fills #url when it runs; an empty one means it did not.
		chromedp.Poll(`document.querySelector("#url").textContent !== ""`, nil, pollOpts()...),
	)
	return tab
}

func pollOpts() []chromedp.PollOption {
	return []chromedp.PollOption{chromedp.WithPollingTimeout(browserStepTimeout), chromedp.WithPollingInterval(50 * time.Millisecond)}
}

// run runs actions with a step timeout, failing the test with what was being done.
func (tab *chatTab) run(doing string, actions ...chromedp.Action) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, browserStepTimeout+2*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		tab.t.Fatalf("%s: %v", doing, err)
	}
}

// text is the text content of the first element matching sel.
func (tab *chatTab) text(sel string) string {
	tab.t.Helper()
	var s string
	tab.run("reading "+sel, chromedp.TextContent(sel, &s, chromedp.ByQuery))
	return s
}

// waitStatus waits until #status starts with prefix and returns it.
func (tab *chatTab) waitStatus(prefix string) string {
	tab.t.Helper()
	var status string
	tab.run(fmt.Sprintf("waiting for #status to start with %q", prefix),
		chromedp.PollFunction(`(p) => { const s = document.querySelector("#status").textContent; return s.startsWith(p) && s; }`,
			&status, append(pollOpts(), chromedp.WithPollingArgs(prefix))...))
	return status
}

// waitLog waits for a log line of the given kind (out, in, push, sys) containing text, and
// returns it without the page's arrow prefix.
func (tab *chatTab) waitLog(kind, text string) string {
	tab.t.Helper()
	var line string
	tab.run(fmt.Sprintf("waiting for a %q log line with %q", kind, text),
		chromedp.PollFunction(`(kind, text) => {
			for (const li of document.querySelectorAll("#log li")) {
				if (li.dataset.kind === kind && li.textContent.includes(text)) return li.textContent;
			}
			return false;
		}`, &line, append(pollOpts(), chromedp.WithPollingArgs(kind, text))...))
	_, rest, ok := strings.Cut(line, " ")
	if !ok {
		tab.t.Fatalf("log line %q has no arrow prefix", line)
	}
	return rest
}

// send chooses action, types message and presses Send, as a user would.
func (tab *chatTab) send(action, message string) {
	tab.t.Helper()
	tab.run(fmt.Sprintf("sending %q on %s", message, action),
		chromedp.SetValue("#action", action, chromedp.ByQuery),
		chromedp.SetValue("#message", message, chromedp.ByQuery),
		chromedp.Click("#send", chromedp.ByQuery),
	)
}

// reportOnFailure logs the page's status and log, and what the tab saw, when the test failed.
func (tab *chatTab) reportOnFailure() {
	if !tab.t.Failed() {
		return
	}
	ctx, cancel := context.WithTimeout(tab.ctx, 3*time.Second)
	defer cancel()
	var page string
	err := chromedp.Run(ctx, chromedp.Evaluate(`"status: " + document.querySelector("#status").textContent + "\n" +
		Array.from(document.querySelectorAll("#log li")).map((li) => li.dataset.kind + "\t" + li.textContent).join("\n")`, &page))
	if err != nil {
		page = fmt.Sprintf("(could not read the page: %v)", err)
	}
	tab.mu.Lock()
	defer tab.mu.Unlock()
	tab.t.Logf("chat page:\n%s\nrequests: %q\nconsole: %q", page, tab.requests, tab.console)
}

// offLoopback lists the URLs the tab asked for that are not on 127.0.0.1.
func (tab *chatTab) offLoopback() []string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	var off []string
	for _, r := range tab.requests {
		if u, err := url.Parse(r); err != nil || u.Hostname() != "127.0.0.1" {
			off = append(off, r)
		}
	}
	return off
}

func TestBrowserChatPage(t *testing.T) {
	chromiumPath(t) // skip before anything starts
	browserCtx := startBrowser(t)
	pageURL := stageURL(t, "dev") + "/chat"
	chat, ok := runner.APIByName("gatehouse-chat")
	if !ok {
		t.Fatalf("the runner serves no API named gatehouse-chat; it serves %+v", runner.APIs())
	}
	chatDev, ok := chat.Stage("dev")
	if !ok {
		t.Fatalf("gatehouse-chat has no dev stage: %+v", chat.Stages)
	}

	t.Run("connect, echo, pushes, disconnect", func(t *testing.T) {
		tab := openChatPage(t, browserCtx, pageURL)
		// The page computes the socket's address from its own location; it must be the chat
		// API's dev stage on the runner.
		wantURL := strings.Replace(chatDev.URL, "http://", "ws://", 1)
		if got := tab.text("#url"); got != wantURL {
			t.Errorf("#url = %q, want the chat API's dev stage %q", got, wantURL)
		}
		var token string
		tab.run("reading #token", chromedp.Value("#token", &token, chromedp.ByQuery))
		if token != browserChatToken {
			t.Errorf("#token is prefilled with %q, want the demo token %q", token, browserChatToken)
			tab.run("filling in the token", chromedp.SetValue("#token", browserChatToken, chromedp.ByQuery))
		}

		tab.run("clicking Connect", chromedp.Click("#connect", chromedp.ByQuery))
		// A browser drops a connection whose handshake ignores the subprotocol it asked for, so
		// "connected" also means $connect's Sec-WebSocket-Protocol answer reached the browser.
		if got := tab.waitStatus("connected"); got != "connected (gatehouse-chat)" {
			t.Errorf("#status = %q, want the subprotocol $connect chose", got)
		}

		// $default is two-way: the raw text comes back as a reply.
		tab.send("$default", "hello from chromium")
		tab.waitLog("out", "hello from chromium")
		tab.waitLog("in", "hello from chromium")

		// whoami answers through @connections, a push the page tells apart by its "type".
		tab.send("whoami", "who am I")
		var who struct {
			Type, ConnectionID, ApiID, Stage, SourceIP, LastActiveAt, ConnectionError string
		}
		line := tab.waitLog("push", `"type":"whoami"`)
		if err := json.Unmarshal([]byte(line), &who); err != nil {
			t.Fatalf("the whoami push is not JSON: %v: %s", err, line)
		}
		if who.ConnectionID == "" || who.ApiID != chat.ID || who.Stage != "dev" || who.SourceIP != "127.0.0.1" ||
			who.LastActiveAt == "" || who.ConnectionError != "" {
			t.Errorf("whoami pushed %s", line)
		}

		// sendmessage broadcasts to the room, which the page joined on connect, so the
		// message comes back as a push from this connection.
		tab.send("sendmessage", "hi room")
		line = tab.waitLog("push", `"message":"hi room"`)
		var msg struct{ Type, From, Message string }
		if err := json.Unmarshal([]byte(line), &msg); err != nil {
			t.Fatalf("the sendmessage push is not JSON: %v: %s", err, line)
		}
		if msg.Type != "message" || msg.From != who.ConnectionID {
			t.Errorf("sendmessage pushed %s, want a message from %s", line, who.ConnectionID)
		}

		// Disconnect closes with 1000 "bye"; the runner answers the close and calls
		// $disconnect with the client's close code.
		tab.run("clicking Disconnect", chromedp.Click("#disconnect", chromedp.ByQuery))
		if got := tab.waitStatus("closed"); !strings.HasPrefix(got, "closed (1000") {
			t.Errorf("#status = %q after Disconnect, want a normal close (1000)", got)
		}
		want := "disconnected " + who.ConnectionID + " (status 1000"
		if !waitForHandlerOutput(browserStepTimeout, func(logs string) bool { return strings.Contains(logs, want) }) {
			t.Errorf("the $disconnect handler did not print %q within %s", want, browserStepTimeout)
		}

		if off := tab.offLoopback(); len(off) != 0 {
			t.Errorf("the page reached beyond 127.0.0.1: %q", off)
		}
	})

	t.Run("a wrong token is refused", func(t *testing.T) {
		refusals := strings.Count(handlerLogs.String(), ": wrong token")
		tab := openChatPage(t, browserCtx, pageURL)
		tab.run("filling in a wrong token", chromedp.SetValue("#token", "not-the-token", chromedp.ByQuery))
		tab.run("clicking Connect", chromedp.Click("#connect", chromedp.ByQuery))
		// $connect answers 403; a browser reports a failed handshake as an error and an
		// abnormal close (1006), never as open.
		if got := tab.waitStatus("closed"); got != "closed (1006)" {
			t.Errorf("#status = %q, want closed (1006) for a refused handshake", got)
		}
		tab.waitLog("sys", "connection error")
		var sendDisabled bool
		tab.run("reading #send", chromedp.Evaluate(`document.querySelector("#send").disabled`, &sendDisabled))
		if !sendDisabled {
			t.Error("Send is enabled after a refused connection")
		}
		refused := func(logs string) bool { return strings.Count(logs, ": wrong token") > refusals }
		if !waitForHandlerOutput(browserStepTimeout, refused) {
			t.Errorf("the $connect handler did not log refusing a wrong token within %s", browserStepTimeout)
		}
		if off := tab.offLoopback(); len(off) != 0 {
			t.Errorf("the page reached beyond 127.0.0.1: %q", off)
		}
	})
}

// waitForHandlerOutput waits until what handlers printed satisfies ok: their output reaches
// handlerLogs through the runner's line copier, a little after the invocation has answered.
func waitForHandlerOutput(timeout time.Duration, ok func(logs string) bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if ok(handlerLogs.String()) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestBrowserWebSocketThroughDomain opens the domain example's WebSocket through its custom
// domain, from a page that is itself served through a custom domain: Chromium resolves every
// *.localhost name to the loopback address by itself, so ws://chat.gatehouse.example.localhost
// reaches the runner with no DNS and no /etc/hosts, and the handler sees the domain's own name.
func TestBrowserWebSocketThroughDomain(t *testing.T) {
	chromiumPath(t) // skip before anything starts
	browserCtx := startBrowser(t)
	_, port, err := net.SplitHostPort(runner.Addr())
	if err != nil {
		t.Fatal(err)
	}
	tenant := "acme.tenants.gatehouse.example"
	pageURL := "http://" + tenant + ".localhost:" + port + "/page"
	socketURL := "ws://" + domains.ChatDomain + ".localhost:" + port + "/" + domains.ChatKey

	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	var mu sync.Mutex
	var requests []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			requests = append(requests, ev.Request.URL)
		case *network.EventWebSocketCreated:
			requests = append(requests, ev.URL)
		}
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	run := func(doing string, actions ...chromedp.Action) {
		t.Helper()
		stepCtx, cancel := context.WithTimeout(ctx, browserStepTimeout+2*time.Second)
		defer cancel()
		if err := chromedp.Run(stepCtx, actions...); err != nil {
			mu.Lock()
			defer mu.Unlock()
			t.Fatalf("%s: %v\nrequests: %q", doing, err, requests)
		}
	}

	// The page is the tenants API's answer, the event it got: through the wildcard domain.
	var page string
	run("opening "+pageURL, chromedp.Navigate(pageURL), chromedp.Text("body", &page, chromedp.ByQuery))
	var ev struct {
		RequestContext struct{ DomainName, DomainPrefix string }
	}
	if err := json.Unmarshal([]byte(page), &ev); err != nil {
		t.Fatalf("the page is not the echoed event: %v\n%s", err, page)
	}
	if ev.RequestContext.DomainName != tenant || ev.RequestContext.DomainPrefix != "acme" {
		t.Errorf("the page's event has domainName %q domainPrefix %q, want %s and acme", ev.RequestContext.DomainName, ev.RequestContext.DomainPrefix, tenant)
	}

	// The page's script opens the socket, says hello (the two-way $default route answers),
	// asks for a push through the domain's callback URL, and closes normally.
	var got []string
	run("talking to "+socketURL, chromedp.Evaluate(fmt.Sprintf(`new Promise((resolve, reject) => {
		const ws = new WebSocket(%q);
		const got = [];
		ws.onopen = () => ws.send("hello from chromium");
		ws.onmessage = (e) => {
			got.push(e.data);
			if (got.length === 1) {
				ws.send(JSON.stringify({action: "push", message: "pushed to chromium"}));
			} else {
				ws.close(1000, "bye");
			}
		};
		ws.onerror = () => reject(new Error("WebSocket error after " + got.length + " messages"));
		ws.onclose = (e) => got.length === 2 && e.code === 1000 ? resolve(got) : reject(new Error("closed " + e.code + " after " + JSON.stringify(got)));
	})`, socketURL), &got, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))

	if len(got) != 2 {
		t.Fatalf("the page received %q, want a reply and a push", got)
	}
	var reply, push struct{ Type, Message, DomainName, Stage, CallbackURL string }
	if err := json.Unmarshal([]byte(got[0]), &reply); err != nil {
		t.Fatalf("the reply is not JSON: %v: %s", err, got[0])
	}
	if err := json.Unmarshal([]byte(got[1]), &push); err != nil {
		t.Fatalf("the push is not JSON: %v: %s", err, got[1])
	}
	if reply.Type != "reply" || reply.Message != "hello from chromium" || reply.DomainName != domains.ChatDomain || reply.Stage != domains.ChatStage {
		t.Errorf("the reply is %s, want the message seen through %s stage %s", got[0], domains.ChatDomain, domains.ChatStage)
	}
	if push.Type != "push" || push.Message != "pushed to chromium" || push.CallbackURL != "https://"+domains.ChatDomain+"/"+domains.ChatKey {
		t.Errorf("the push is %s, want it sent through the domain's callback URL", got[1])
	}

	// Everything the tab asked for was a *.localhost name on the runner's port.
	mu.Lock()
	defer mu.Unlock()
	for _, r := range requests {
		u, err := url.Parse(r)
		if err != nil || !strings.HasSuffix(u.Hostname(), ".localhost") || u.Port() != port {
			t.Errorf("the tab asked for %s, not a *.localhost name on the runner's port", r)
		}
	}
	if len(requests) < 2 {
		t.Errorf("the tab's requests %q lack the page or the WebSocket", requests)
	}
}
