package wsapi

import (
	"fmt"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/selexpr"
)

// selector holds the API's compiled route and API key selection expressions.
type selector struct {
	route  *selexpr.Expr
	apiKey *selexpr.Expr // nil: the API has no API key selection expression
	keys   []string      // route keys, in template order
}

func newSelector(api *model.API) (*selector, error) {
	s := &selector{}
	var err error
	if s.route, err = selexpr.ParseFor(selexpr.Route, api.RouteSelectionExpression); err != nil {
		return nil, fmt.Errorf("RouteSelectionExpression: %w", err)
	}
	if api.APIKeySelectionExpression != "" {
		if s.apiKey, err = selexpr.ParseFor(selexpr.APIKey, api.APIKeySelectionExpression); err != nil {
			return nil, fmt.Errorf("ApiKeySelectionExpression: %w", err)
		}
	}
	for _, r := range api.Routes {
		s.keys = append(s.keys, r.Key)
	}
	return s, nil
}

// routeKey picks the route for a message as "Routing WebSocket requests" says: the route whose
// key equals the selection expression's value, else $default ("" when there is none).
func (s *selector) routeKey(body *selexpr.Body) string {
	v, ok := s.route.Eval(selexpr.Input{Body: body})
	return selexpr.SelectRoute(v, ok, s.keys)
}

// apiKeyOf is the API key a $connect request presents, by the API key selection expression.
func (s *selector) apiKeyOf(r *http.Request, context map[string]string) string {
	if s.apiKey == nil {
		return ""
	}
	v, _ := s.apiKey.Eval(selexpr.Input{Header: r.Header, Context: context})
	return v
}
