// Command wspage serves the example's chat page (GET /chat on the HTTP API): an HTML page whose
// script connects to the WebSocket API, sends messages to each of its routes, and shows replies
// and server pushes.
//
// The page learns where the WebSocket API is from this function's environment: WS_API_ID,
// WS_STAGE and WS_REGION (default AWS_REGION), and the token to connect with from CHAT_TOKEN
// (a demo token, prefilled so the page works at once). Its elements have stable ids for
// headless-browser tests: #status, #url, #token, #protocol, #connect, #disconnect, #action,
// #message, #send and #log (one <li data-kind="out|in|push|sys"> per line).
package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

//go:embed page.html
var pageHTML string

var page = template.Must(template.New("page").Parse(pageHTML))

// config is what the page's script gets, as the JSON object cfg.
type config struct {
	ApiID  string `json:"apiId"`
	Region string `json:"region"`
	Stage  string `json:"stage"`
}

// pageData fills the template; html/template escapes each value for where it lands (the
// config as a JavaScript object, the token as an attribute).
type pageData struct {
	Config config
	Token  string
}

func configFromEnv() (pageData, error) {
	d := pageData{
		Config: config{ApiID: os.Getenv("WS_API_ID"), Region: os.Getenv("WS_REGION"), Stage: os.Getenv("WS_STAGE")},
		Token:  os.Getenv("CHAT_TOKEN"),
	}
	if d.Config.Region == "" {
		d.Config.Region = os.Getenv("AWS_REGION")
	}
	switch {
	case d.Config.ApiID == "":
		return d, fmt.Errorf("WS_API_ID is not set")
	case d.Config.Stage == "":
		return d, fmt.Errorf("WS_STAGE is not set")
	case d.Config.Region == "":
		return d, fmt.Errorf("neither WS_REGION nor AWS_REGION is set")
	}
	return d, nil
}

func render(d pageData) (string, error) {
	var b bytes.Buffer
	if err := page.Execute(&b, d); err != nil {
		return "", fmt.Errorf("rendering the chat page: %w", err)
	}
	return b.String(), nil
}

func handle(_ context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	d, err := configFromEnv()
	var body string
	if err == nil {
		body, err = render(d)
	}
	if err != nil {
		log.Print(err)
		return events.APIGatewayV2HTTPResponse{
			StatusCode: 500,
			Headers:    map[string]string{"Content-Type": "text/plain; charset=utf-8"},
			Body:       "chat page misconfigured: " + err.Error() + "\n",
		}, nil
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: 200,
		Headers:    map[string]string{"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"},
		Body:       body,
	}, nil
}

func main() { lambda.Start(handle) }
