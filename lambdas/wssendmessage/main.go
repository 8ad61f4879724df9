// Command wssendmessage is the "sendmessage" route of the example's WebSocket API:
//
//	{"action":"sendmessage","message":"hello"}              to everyone in the room
//	{"action":"sendmessage","message":"psst","to":"<id>"}   to one connection
//
// It pushes {"type":"message","from":"<sender id>","message":"..."} through the @connections
// API at CALLBACK_URL, the stage's callback URL that websocketapi.GrantCallback puts in its
// environment along with the permission to use it.
//
// # The room lives in memory
//
// The example has no database, so the room is the set of connections that have sent a
// message to this function instance: a client joins by sending its first message (the chat
// page sends an empty one on connect). The function is deployed with a reserved concurrency of
// one, so there is one instance and one room; a new instance (after a deployment or an idle
// period) starts with an empty room, and connections rejoin as they speak. Connections that
// have gone are dropped when a post to them answers 410 Gone.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"sort"
	"sync"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"

	"github.com/gatehouse-dev/gatehouse/lambdas/wsmanage"
)

// message is what a client sends.
type message struct {
	Message string `json:"message"`
	To      string `json:"to,omitempty"`
}

// push is what connections receive.
type push struct {
	Type    string `json:"type"` // "message" or "error"
	From    string `json:"from,omitempty"`
	Message string `json:"message"`
}

// room is the connections that have spoken to this instance, and the client that reaches them.
type room struct {
	callbackURL string

	mu      sync.Mutex
	client  *apigatewaymanagementapi.Client
	members map[string]bool
}

func newRoom(callbackURL string) *room {
	return &room{callbackURL: callbackURL, members: map[string]bool{}}
}

// join adds id and returns everyone in the room, sorted so delivery order is predictable.
func (r *room) join(id string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.members[id] = true
	ids := make([]string, 0, len(r.members))
	for m := range r.members {
		ids = append(ids, m)
	}
	sort.Strings(ids)
	return ids
}

func (r *room) leave(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.members, id)
}

// connections returns the @connections client, made once per instance.
func (r *room) connections() (*apigatewaymanagementapi.Client, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.client == nil {
		c, err := wsmanage.NewClient(r.callbackURL)
		if err != nil {
			return nil, fmt.Errorf("CALLBACK_URL: %w", err)
		}
		r.client = c
	}
	return r.client, nil
}

func (r *room) handle(ctx context.Context, req events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	sender := req.RequestContext.ConnectionID
	c, err := r.connections()
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	var msg message
	if err := json.Unmarshal([]byte(req.Body), &msg); err != nil {
		r.send(ctx, c, sender, push{Type: "error", Message: "sendmessage needs a JSON body: " + err.Error()})
		return events.APIGatewayProxyResponse{StatusCode: 400}, nil
	}
	members := r.join(sender)
	if msg.Message == "" {
		return events.APIGatewayProxyResponse{StatusCode: 200}, nil // a join
	}
	out := push{Type: "message", From: sender, Message: msg.Message}
	if msg.To != "" {
		if !r.send(ctx, c, msg.To, out) {
			r.send(ctx, c, sender, push{Type: "error", Message: "connection " + msg.To + " is gone"})
		}
		return events.APIGatewayProxyResponse{StatusCode: 200}, nil
	}
	for _, id := range members {
		r.send(ctx, c, id, out)
	}
	return events.APIGatewayProxyResponse{StatusCode: 200}, nil
}

// send posts v to id and reports whether it was delivered; a gone connection leaves the room.
func (r *room) send(ctx context.Context, c *apigatewaymanagementapi.Client, id string, v push) bool {
	err := wsmanage.PostJSON(ctx, c, id, v)
	switch {
	case err == nil:
		return true
	case wsmanage.IsGone(err):
		log.Printf("%s is gone; leaving the room", id)
		r.leave(id)
	default:
		log.Print(err)
	}
	return false
}

func main() {
	lambda.Start(newRoom(os.Getenv("CALLBACK_URL")).handle)
}
