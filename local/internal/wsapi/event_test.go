package wsapi

import (
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/gorilla/websocket"

	"github.com/gatehouse-dev/gatehouse/local/internal/eventfixture"
	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// TestEventKeysMatchFixtures compares our events' keys with aws-lambda-go's recordings of real
// API Gateway WebSocket events.
func TestEventKeysMatchFixtures(t *testing.T) {
	a := newTestAPI(t, []*model.Route{proxyRoute("$connect", "fn", false), proxyRoute("$default", "fn", false), proxyRoute("$disconnect", "fn", false)}, Options{})
	a.lambda.fns["fn"] = func(events.APIGatewayWebsocketProxyRequest) (*lambdahost.Result, error) { return reply("") }
	ws := dial(t, a.url+"?name=me", http.Header{"User-Agent": {"test"}})
	ws.WriteMessage(websocket.TextMessage, []byte(`{"a": 1}`))
	a.lambda.waitFor(t, "$default")
	ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(1001, ""))
	a.lambda.waitFor(t, "$disconnect")

	// The send-message and disconnect fixtures are recordings of real events; ours also carry
	// the stage's variables (the test stage has some).
	mine := func(key string) []string {
		a.lambda.mu.Lock()
		defer a.lambda.mu.Unlock()
		return eventfixture.KeyPaths(t, a.lambda.raw[key])
	}
	eventfixture.DiffKeys(t, mine("$default"), eventfixture.KeyPaths(t, eventfixture.Read(t, "apigw-websocket-request-send-message.json")),
		nil, []string{"stageVariables"})
	eventfixture.DiffKeys(t, mine("$disconnect"), eventfixture.KeyPaths(t, eventfixture.Read(t, "apigw-websocket-request-disconnect.json")),
		nil, []string{"stageVariables"})
	// The CONNECT fixture is a REST-style composite (resource, path, httpMethod, authorizer,
	// cognito identity): compare the keys a $connect event has in the guide's own example.
	eventfixture.DiffKeys(t, mine("$connect"), []string{
		"headers", "isBase64Encoded", "multiValueHeaders", "multiValueQueryStringParameters", "queryStringParameters",
		"requestContext", "requestContext.apiId", "requestContext.connectedAt", "requestContext.connectionId",
		"requestContext.domainName", "requestContext.eventType", "requestContext.extendedRequestId",
		"requestContext.identity", "requestContext.identity.sourceIp", "requestContext.identity.userAgent",
		"requestContext.messageDirection", "requestContext.requestId", "requestContext.requestTime",
		"requestContext.requestTimeEpoch", "requestContext.routeKey", "requestContext.stage", "stageVariables",
	}, nil, nil)
}
