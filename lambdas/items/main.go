// Command items is a small in-memory items API on payload format 2.0:
//
//	GET  /items/{id}  200 with the item, or 404
//	POST /items       201 with a Location header and a cookie
//
// State lives in the process, so it survives between invocations of one warm instance only,
// exactly as it would in Lambda.
package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

type item struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type store struct {
	mu    sync.Mutex
	next  int
	items map[string]item
}

// newStore starts with one known item so GET works before any POST.
func newStore() *store {
	return &store{next: 2, items: map[string]item{"1": {ID: "1", Name: "first"}}}
}

func (s *store) get(id string) (item, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[id]
	return it, ok
}

func (s *store) add(name string) item {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := item{ID: strconv.Itoa(s.next), Name: name}
	s.next++
	s.items[it.ID] = it
	return it
}

func jsonResponse(status int, v any) events.APIGatewayV2HTTPResponse {
	body, _ := json.Marshal(v) // item and map[string]string always marshal
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(body),
	}
}

func (s *store) handle(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	switch req.RequestContext.HTTP.Method {
	case http.MethodGet:
		it, ok := s.get(req.PathParameters["id"])
		if !ok {
			return jsonResponse(http.StatusNotFound, map[string]string{"message": "item not found"}), nil
		}
		return jsonResponse(http.StatusOK, it), nil
	case http.MethodPost:
		var in struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal([]byte(req.Body), &in); err != nil || in.Name == "" {
			return jsonResponse(http.StatusBadRequest, map[string]string{"message": `body must be {"name": "..."}`}), nil
		}
		it := s.add(in.Name)
		resp := jsonResponse(http.StatusCreated, it)
		// The Location is relative to the stage, as the handler cannot know the host.
		resp.Headers["Location"] = "/items/" + it.ID
		// Format 2.0 returns cookies in their own field; API Gateway turns each into a
		// Set-Cookie header.
		resp.Cookies = []string{"last-item=" + it.ID + "; Path=/"}
		return resp, nil
	default:
		return jsonResponse(http.StatusMethodNotAllowed, map[string]string{"message": "method not allowed"}), nil
	}
}

func main() { lambda.Start(newStore().handle) }
