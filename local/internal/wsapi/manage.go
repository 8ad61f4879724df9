package wsapi

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// manageAction is the IAM action that guards the @connections API.
const manageAction = "execute-api:ManageConnections"

// iso8601 is how the management API spells connectedAt and lastActiveAt.
const iso8601 = "2006-01-02T15:04:05.000Z"

// manage serves the @connections management API for one connection id: POST sends data to the
// client, GET describes the connection, DELETE closes it. Errors carry the exception type in
// X-Amzn-ErrorType, as API Gateway's do, so SDKs decode them into GoneException and friends.
func (s *Server) manage(w http.ResponseWriter, r *http.Request, t Target, id string) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxMessage+1))
	if err != nil {
		manageError(w, http.StatusBadRequest, "BadRequestException", "Could not read the request body")
		return
	}
	resource := "arn:aws:execute-api:" + s.opts.Region + ":" + s.opts.Account + ":" + s.api.ID + "/" + t.Stage.Name + "/" + r.Method + "/@connections/" + id
	if s.opts.Authorize == nil {
		w.Header().Set("X-Amzn-ErrorType", "MissingAuthenticationTokenException")
		writeJSON(w, http.StatusForbidden, messageBody("Missing Authentication Token"))
		return
	}
	if no := s.opts.Authorize(r, body, manageAction, resource); no != nil {
		s.log.Info("@connections request refused", "method", r.Method, "connectionId", id, "status", no.Status, "answer", string(no.Body))
		w.Header().Set("X-Amzn-ErrorType", no.Type)
		writeJSON(w, no.Status, no.Body)
		return
	}
	c := s.lookup(id)
	switch r.Method {
	case http.MethodPost:
		if len(body) > MaxMessage {
			manageError(w, http.StatusRequestEntityTooLarge, "PayloadTooLargeException", "Message too long")
			return
		}
		if c == nil || c.send(body) != nil {
			s.gone(w, id)
			return
		}
		w.WriteHeader(http.StatusOK)
	case http.MethodGet:
		if c == nil {
			s.gone(w, id)
			return
		}
		out, _ := json.Marshal(map[string]any{
			"connectedAt":  c.connectedAt.UTC().Format(iso8601),
			"lastActiveAt": time.Unix(0, c.lastActive.Load()).UTC().Format(iso8601),
			"identity":     map[string]string{"sourceIp": c.sourceIP, "userAgent": c.userAgent},
		})
		writeJSON(w, http.StatusOK, out)
	case http.MethodDelete:
		if c == nil {
			s.gone(w, id)
			return
		}
		c.shutdown(closeNormal, "")
		w.WriteHeader(http.StatusNoContent)
	default:
		manageError(w, http.StatusForbidden, "ForbiddenException", "Forbidden")
	}
}

func (s *Server) gone(w http.ResponseWriter, id string) {
	s.log.Info("@connections request for a connection that is gone", "connectionId", id)
	manageError(w, http.StatusGone, "GoneException", "")
}

// manageError writes a management API error: the type in X-Amzn-ErrorType and a JSON body with
// the message (null when API Gateway sends none, as for GoneException).
func manageError(w http.ResponseWriter, status int, errorType, msg string) {
	w.Header().Set("X-Amzn-ErrorType", errorType)
	var m any
	if msg != "" {
		m = msg
	}
	body, _ := json.Marshal(map[string]any{"message": m})
	writeJSON(w, status, body)
}
