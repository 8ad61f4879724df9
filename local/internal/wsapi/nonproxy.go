package wsapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/selexpr"
)

// errRejected is a request that the integration's passthrough behaviour refuses: no request
// template matches and PassthroughBehavior forbids passing the message through.
var errRejected = errors.New("no request template matches and the passthrough behaviour refuses the message")

// invokeNonProxy runs AWS (Lambda custom), HTTP and MOCK integrations, as the guide's "Setting
// up WebSocket API integration requests" and "integration responses" describe: the request
// template chosen by the template selection expression shapes what the backend gets, and the
// integration response chosen by the integration's status shapes what a two-way route sends.
func (c *conn) invokeNonProxy(ctx context.Context, route *model.Route, in *model.Integration, ev *Event, msg *selexpr.Body) outcome {
	payload, err := c.requestPayload(in, ev, msg)
	if err != nil {
		return outcome{err: fmt.Errorf("integration %q: %w", in.LogicalID, err)}
	}
	var out outcome
	switch in.Type {
	case model.IntegrationMock:
		out = mockResponse(payload)
	case model.IntegrationHTTP:
		method := in.Method
		if method == "" || method == "ANY" {
			method = http.MethodPost
		}
		req, err := c.mappedRequest(ctx, method, route, ev, msg, payload)
		if err != nil {
			return outcome{err: err}
		}
		out = c.doHTTP(req)
	case model.IntegrationAWS:
		out = c.invokeLambdaCustom(ctx, in, payload)
	default:
		return outcome{err: fmt.Errorf("integration %q: type %s is not a WebSocket integration type", in.LogicalID, in.Type)}
	}
	if out.err != nil {
		return out
	}
	return c.integrationResponse(in, ev, msg, out)
}

// requestPayload applies the request template the template selection expression picks, or
// passes the message through as PassthroughBehavior allows.
func (c *conn) requestPayload(in *model.Integration, ev *Event, msg *selexpr.Body) ([]byte, error) {
	raw := []byte(nil)
	if msg != nil {
		raw = msg.Bytes()
	}
	keys := make([]string, 0, len(in.RequestTemplates))
	for k := range in.RequestTemplates {
		keys = append(keys, k)
	}
	value, ok := "", false
	if in.TemplateSelectionExpression != "" {
		e, err := selexpr.ParseFor(selexpr.RequestTemplate, in.TemplateSelectionExpression)
		if err != nil {
			return nil, fmt.Errorf("TemplateSelectionExpression: %w", err)
		}
		value, ok = e.Eval(selexpr.Input{Body: msg})
	}
	pass, err := selexpr.ParsePassthrough(in.PassthroughBehavior)
	if err != nil {
		return nil, err
	}
	key, decision := selexpr.SelectTemplate(value, ok, keys, pass)
	switch decision {
	case selexpr.PassThrough:
		return raw, nil
	case selexpr.Reject:
		return nil, errRejected
	}
	out, err := c.render(in.RequestTemplates[key], raw, ev)
	if err != nil {
		return nil, fmt.Errorf("request template %q: %w", key, err)
	}
	return []byte(out), nil
}

// mockResponse is a MOCK integration's answer: the status code its request names
// ({"statusCode": 200}), and no body.
func mockResponse(payload []byte) outcome {
	var req struct {
		StatusCode json.RawMessage `json:"statusCode"`
	}
	if err := json.Unmarshal(payload, &req); err != nil || len(req.StatusCode) == 0 {
		return outcome{err: fmt.Errorf("a MOCK integration's request must be JSON with a statusCode, got %.100q", payload)}
	}
	code, err := strconv.Atoi(string(trimQuotes(req.StatusCode)))
	if err != nil {
		return outcome{err: fmt.Errorf("a MOCK integration's statusCode must be a number, got %s", req.StatusCode)}
	}
	return outcome{status: code, header: http.Header{}, body: []byte{}}
}

func trimQuotes(b []byte) []byte {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		return b[1 : len(b)-1]
	}
	return b
}

// invokeLambdaCustom invokes a function with the (templated) payload as is. A function error
// becomes the error document API Gateway matches integration responses against, with status 500
// unless an integration response selects on its errorMessage.
func (c *conn) invokeLambdaCustom(ctx context.Context, in *model.Integration, payload []byte) outcome {
	if in.Function == "" {
		return outcome{err: fmt.Errorf("integration %q: its Lambda function %q is not in the assembly", in.LogicalID, in.URI)}
	}
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	res, err := c.s.inv.Invoke(ctx, in.Function, payload)
	if err != nil {
		return outcome{err: fmt.Errorf("invoking %s: %w", in.Function, err)}
	}
	if fe := res.FunctionError; fe != nil {
		doc, _ := json.Marshal(map[string]any{"errorMessage": fe.Message, "errorType": fe.Type})
		return outcome{status: http.StatusInternalServerError, header: http.Header{}, body: doc, functionError: fe.Message}
	}
	return outcome{status: http.StatusOK, header: http.Header{}, body: res.Payload}
}

// integrationResponse picks the integration response for out (by the integration's
// IntegrationResponseSelectionExpression: its status code, or a Lambda error's message) and
// applies its response template. Without integration responses the body goes back as it came.
func (c *conn) integrationResponse(in *model.Integration, ev *Event, msg *selexpr.Body, out outcome) outcome {
	if len(in.IntegrationResponses) == 0 {
		return out
	}
	keys := make([]string, 0, len(in.IntegrationResponses))
	for _, r := range in.IntegrationResponses {
		keys = append(keys, r.Key)
	}
	value := strconv.Itoa(out.status)
	if out.functionError != "" {
		// A Lambda custom integration's error is matched by its errorMessage.
		value = out.functionError
	}
	key, ok := selexpr.SelectIntegrationResponse(value, keys)
	if !ok {
		return outcome{err: fmt.Errorf("integration %q: no integration response matches %q", in.LogicalID, value)}
	}
	var ir *model.IntegrationResponse
	for _, r := range in.IntegrationResponses {
		if r.Key == key {
			ir = r
		}
	}
	if len(ir.ResponseTemplates) == 0 {
		return out
	}
	tkeys := make([]string, 0, len(ir.ResponseTemplates))
	for k := range ir.ResponseTemplates {
		tkeys = append(tkeys, k)
	}
	value, evaluated := "", false
	if ir.TemplateSelectionExpression != "" {
		e, err := selexpr.ParseFor(selexpr.ResponseTemplate, ir.TemplateSelectionExpression)
		if err != nil {
			return outcome{err: fmt.Errorf("integration response %q: TemplateSelectionExpression: %w", ir.LogicalID, err)}
		}
		value, evaluated = e.Eval(selexpr.Input{Body: msg, Integration: &selexpr.Response{
			StatusCode: out.status, Header: out.header, Body: selexpr.NewBody(out.body)}})
	}
	tkey, found := selexpr.SelectKey(value, evaluated, tkeys)
	if !found {
		return out // no template for this response: it goes back untransformed
	}
	body, err := c.render(ir.ResponseTemplates[tkey], out.body, ev)
	if err != nil {
		return outcome{err: fmt.Errorf("integration response %q: template %q: %w", ir.LogicalID, tkey, err)}
	}
	out.body = []byte(body)
	return out
}
