package wsapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// selector evaluates the API's route selection expression on messages.
type selector struct {
	path      []string // $request.body.a.b -> ["a", "b"]
	apiHeader string   // the header of "$request.header.NAME" API key selection
}

func newSelector(expr string) (*selector, error) {
	p, ok := strings.CutPrefix(expr, "$request.body.")
	if !ok || p == "" {
		return nil, fmt.Errorf("only $request.body.PATH is supported")
	}
	return &selector{path: strings.Split(p, ".")}, nil
}

// route picks the route key for a message: the route whose key equals the selected value, else
// $default; "" when neither exists.
func (s *selector) route(msg []byte, routes map[string]*model.Route) string {
	var v any
	if json.Unmarshal(msg, &v) == nil {
		for _, p := range s.path {
			m, ok := v.(map[string]any)
			if !ok {
				v = nil
				break
			}
			v = m[p]
		}
		if str, ok := v.(string); ok {
			if _, exists := routes[str]; exists && !strings.HasPrefix(str, "$") {
				return str
			}
		}
	}
	if _, ok := routes["$default"]; ok {
		return "$default"
	}
	return ""
}

func (s *selector) apiKey(r *http.Request) string {
	return r.Header.Get("X-Api-Key")
}
