package main

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestPage(t *testing.T) {
	t.Setenv("WS_API_ID", "abc123")
	t.Setenv("WS_STAGE", "dev")
	t.Setenv("WS_REGION", "")
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("CHAT_TOKEN", "let\"me<in")
	resp, err := handle(context.Background(), events.APIGatewayV2HTTPRequest{})
	if err != nil || resp.StatusCode != 200 || resp.Headers["Content-Type"] != "text/html; charset=utf-8" {
		t.Fatalf("handle = %d %v, %v", resp.StatusCode, resp.Headers, err)
	}
	body := resp.Body
	for _, want := range []string{
		// The configuration, as a JavaScript object, with the region from AWS_REGION.
		`const cfg = {"apiId":"abc123","region":"eu-west-1","stage":"dev"};`,
		// Both ways of reaching the API.
		`"wss://" + cfg.apiId + ".execute-api." + cfg.region + ".amazonaws.com/" + cfg.stage`,
		`scheme + "//" + location.host + "/" + cfg.apiId + "/" + cfg.stage`,
		`location.hostname.endsWith("amazonaws.com")`,
		`cfg.apiId + ".execute-api.localhost" + port + "/" + cfg.stage`,
		// The token, escaped for an attribute.
		`id="token" type="text" value="let&#34;me&lt;in"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, id := range []string{"status", "url", "token", "protocol", "connect", "disconnect", "action", "message", "send", "log"} {
		if !strings.Contains(body, `id="`+id+`"`) {
			t.Errorf("page lacks element #%s", id)
		}
	}
	// Every route of the API can be picked.
	for _, route := range []string{"sendmessage", "$default", "whoami", "ping", "echohttp", "echotemplate", "vip"} {
		if !strings.Contains(body, `<option value="`+route+`">`) {
			t.Errorf("page cannot send to route %s", route)
		}
	}
}

func TestPageEscapesConfigForScript(t *testing.T) {
	out, err := render(pageData{Config: config{ApiID: "</script><b>", Region: "r", Stage: "s"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "</script><b>") {
		t.Error("a WS_API_ID with markup ends the script element")
	}
}

func TestPageNeedsConfig(t *testing.T) {
	for _, unset := range []string{"WS_API_ID", "WS_STAGE"} {
		t.Run(unset, func(t *testing.T) {
			t.Setenv("WS_API_ID", "abc123")
			t.Setenv("WS_STAGE", "dev")
			t.Setenv("WS_REGION", "us-east-1")
			t.Setenv(unset, "")
			resp, _ := handle(context.Background(), events.APIGatewayV2HTTPRequest{})
			if resp.StatusCode != 500 || !strings.Contains(resp.Body, unset) {
				t.Errorf("without %s: %d %q", unset, resp.StatusCode, resp.Body)
			}
		})
	}
}
