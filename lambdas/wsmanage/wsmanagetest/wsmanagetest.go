// Package wsmanagetest is a fake @connections API for handler tests, the way httptest is a
// fake HTTP server: it records what handlers post and answers GetConnection, on 127.0.0.1.
package wsmanagetest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Server serves POST and GET /{stage}/@connections/{id}. Connections it has not been told
// about with Connect answer 410 GoneException, as API Gateway does for closed connections.
type Server struct {
	*httptest.Server
	stage string

	mu        sync.Mutex
	connected map[string]bool
	posts     []Post
}

// Post is one message a handler sent.
type Post struct {
	ConnectionID string
	Body         string
	Signed       bool // whether it carried a SigV4 Authorization header
}

// NewServer starts a fake for stage and closes it when the test ends.
func NewServer(t *testing.T, stage string) *Server {
	s := &Server{stage: stage, connected: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// CallbackURL is the stage's callback URL, what CALLBACK_URL would hold.
func (s *Server) CallbackURL() string { return s.URL + "/" + s.stage }

// Connect makes connection ids known, so posts to them succeed.
func (s *Server) Connect(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		s.connected[id] = true
	}
}

// Posts returns what was posted so far, in order.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Post(nil), s.posts...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutPrefix(r.URL.Path, "/"+s.stage+"/@connections/")
	if !ok {
		http.Error(w, "no such path "+r.URL.Path, http.StatusNotFound)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.connected[id] {
		w.Header().Set("X-Amzn-Errortype", "GoneException")
		w.WriteHeader(http.StatusGone)
		io.WriteString(w, `{"message":null}`)
		return
	}
	signed := strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ")
	switch r.Method {
	case http.MethodPost:
		body, _ := io.ReadAll(r.Body)
		s.posts = append(s.posts, Post{ConnectionID: id, Body: string(body), Signed: signed})
	case http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"connectedAt":  "2026-01-02T03:04:05Z",
			"lastActiveAt": "2026-01-02T03:04:06Z",
			"identity":     map[string]string{"sourceIp": "192.0.2.1", "userAgent": "test"},
		})
	default:
		http.Error(w, "method "+r.Method, http.StatusMethodNotAllowed)
	}
}
