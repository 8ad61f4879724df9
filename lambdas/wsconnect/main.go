// Command wsconnect is the $connect handler of the example's WebSocket API. It decides whether
// the upgrade request becomes a connection: a missing "token" query parameter is refused with
// 401, a wrong one with 403 (the codes API Gateway itself uses for failed authorization), and a
// requested subprotocol is answered, since a browser drops a connection whose server ignores the
// protocols it asked for.
package main

import (
	"context"
	"crypto/subtle"
	"log"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// handler holds the expected token (CHAT_TOKEN).
type handler struct {
	token string
}

func (h handler) handle(_ context.Context, req events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	rc := req.RequestContext
	given, ok := req.QueryStringParameters["token"]
	switch {
	case !ok || given == "":
		log.Printf("refused %s: no token", rc.ConnectionID)
		return events.APIGatewayProxyResponse{StatusCode: 401, Body: `{"message":"Unauthorized"}`}, nil
	case h.token == "" || subtle.ConstantTimeCompare([]byte(given), []byte(h.token)) != 1:
		log.Printf("refused %s: wrong token", rc.ConnectionID)
		return events.APIGatewayProxyResponse{StatusCode: 403, Body: `{"message":"Forbidden"}`}, nil
	}
	resp := events.APIGatewayProxyResponse{StatusCode: 200}
	if p := firstProtocol(req.Headers); p != "" {
		resp.Headers = map[string]string{"Sec-WebSocket-Protocol": p}
	}
	log.Printf("connected %s from %s (stage %s)", rc.ConnectionID, rc.Identity.SourceIP, rc.Stage)
	return resp, nil
}

// firstProtocol is the first subprotocol the client asked for ("chat, superchat" -> "chat"),
// or "". Header names are matched without regard to case, as HTTP requires.
func firstProtocol(headers map[string]string) string {
	for k, v := range headers {
		if strings.EqualFold(k, "Sec-WebSocket-Protocol") {
			first, _, _ := strings.Cut(v, ",")
			return strings.TrimSpace(first)
		}
	}
	return ""
}

func main() {
	if os.Getenv("CHAT_TOKEN") == "" {
		log.Print("CHAT_TOKEN is not set: every connection will be refused")
	}
	lambda.Start(handler{token: os.Getenv("CHAT_TOKEN")}.handle)
}
