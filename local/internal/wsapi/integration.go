package wsapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/selexpr"
)

// outcome is what an integration answered.
type outcome struct {
	// err is set when the integration failed (function error, timeout, unreachable backend):
	// the client gets API Gateway's "Internal server error" frame, $connect a 500.
	err error
	// status is the integration's status code (a Lambda proxy's statusCode, an HTTP backend's
	// status); 200 when the integration has none.
	status int
	header http.Header
	// body is what a route response sends back; nil when there is nothing to send.
	body []byte
	// functionError is a Lambda custom integration's error message, which integration
	// responses are selected by.
	functionError string
}

// integrationTimeout is TimeoutInMillis capped at the quota, or the quota.
func integrationTimeout(in *model.Integration) time.Duration {
	if in.Timeout > 0 && in.Timeout < maxIntegrationTimeout {
		return in.Timeout
	}
	return maxIntegrationTimeout
}

// invoke runs route's integration for one event. msg is the client's message (nil for $connect
// and $disconnect), which non-proxy integrations, HTTP backends and data mapping read.
func (c *conn) invoke(ctx context.Context, route *model.Route, ev *Event, msg *selexpr.Body) outcome {
	in := route.Integration
	if in == nil {
		return outcome{err: fmt.Errorf("route %q has no integration (no Target)", route.Key)}
	}
	ctx, cancel := context.WithTimeout(ctx, integrationTimeout(in))
	defer cancel()
	switch in.Type {
	case model.IntegrationAWSProxy:
		return c.invokeLambdaProxy(ctx, in, ev)
	case model.IntegrationHTTPProxy:
		return c.invokeHTTPProxy(ctx, route, in, ev, msg)
	default:
		return c.invokeNonProxy(ctx, route, in, ev, msg)
	}
}

// invokeLambdaProxy sends the event as is and reads a proxy response: {"statusCode": ...,
// "headers": ..., "body": ..., "isBase64Encoded": ...}. A payload of another shape is sent back
// whole, as API Gateway does for WebSocket routes.
func (c *conn) invokeLambdaProxy(ctx context.Context, in *model.Integration, ev *Event) outcome {
	if in.Function == "" {
		return outcome{err: fmt.Errorf("integration %q: its Lambda function %q is not in the assembly", in.LogicalID, in.URI)}
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return outcome{err: fmt.Errorf("encoding the event: %w", err)}
	}
	res, err := c.s.inv.Invoke(ctx, in.Function, payload)
	if err != nil {
		return outcome{err: fmt.Errorf("invoking %s: %w", in.Function, err)}
	}
	if fe := res.FunctionError; fe != nil {
		return outcome{err: fmt.Errorf("function %s failed: %s: %s", in.Function, fe.Type, fe.Message)}
	}
	return parseProxyResponse(res.Payload)
}

// proxyResponse is a Lambda proxy integration's answer.
type proxyResponse struct {
	StatusCode        *int                `json:"statusCode"`
	Headers           map[string]string   `json:"headers"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
	Body              *string             `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
}

func parseProxyResponse(payload []byte) outcome {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return outcome{status: http.StatusOK}
	}
	var pr proxyResponse
	if trimmed[0] != '{' || json.Unmarshal(trimmed, &pr) != nil || (pr.StatusCode == nil && pr.Body == nil) {
		return outcome{status: http.StatusOK, body: payload}
	}
	o := outcome{status: http.StatusOK, header: http.Header{}}
	if pr.StatusCode != nil {
		o.status = *pr.StatusCode
	}
	for k, vs := range pr.MultiValueHeaders {
		for _, v := range vs {
			o.header.Add(k, v)
		}
	}
	for k, v := range pr.Headers {
		o.header.Set(k, v)
	}
	if pr.Body != nil {
		o.body = []byte(*pr.Body)
		if pr.IsBase64Encoded {
			b, err := base64.StdEncoding.DecodeString(*pr.Body)
			if err != nil {
				return outcome{err: errors.New("the function's response has isBase64Encoded but its body is not base64")}
			}
			o.body = b
		}
	}
	return o
}

// invokeHTTPProxy passes the message to an HTTP backend as the request body, with the
// integration's request parameters applied, and answers the backend's response body.
func (c *conn) invokeHTTPProxy(ctx context.Context, route *model.Route, in *model.Integration, ev *Event, msg *selexpr.Body) outcome {
	method := in.Method
	if method == "" || method == "ANY" {
		method = http.MethodPost
	}
	var payload []byte
	if msg != nil {
		payload = msg.Bytes()
	}
	req, err := c.mappedRequest(ctx, method, route, ev, msg, payload)
	if err != nil {
		return outcome{err: err}
	}
	return c.doHTTP(req)
}

func (c *conn) doHTTP(req *http.Request) outcome {
	resp, err := c.s.client.Do(req)
	if err != nil {
		return outcome{err: fmt.Errorf("calling %s %s: %w", req.Method, req.URL.Redacted(), err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 10<<20))
	if err != nil {
		return outcome{err: fmt.Errorf("reading the response of %s %s: %w", req.Method, req.URL.Redacted(), err)}
	}
	return outcome{status: resp.StatusCode, header: resp.Header, body: body}
}

// contextVars are the $context variables of an event, for data mapping and templates.
func (c *conn) contextVars(ev *Event) map[string]string {
	rc := ev.RequestContext
	v := map[string]string{
		"apiId":              rc.APIID,
		"connectedAt":        strconv.FormatInt(rc.ConnectedAt, 10),
		"connectionId":       rc.ConnectionID,
		"domainName":         rc.DomainName,
		"eventType":          rc.EventType,
		"extendedRequestId":  rc.ExtendedRequestID,
		"messageDirection":   rc.MessageDirection,
		"messageId":          rc.MessageID,
		"requestId":          rc.RequestID,
		"requestTime":        rc.RequestTime,
		"requestTimeEpoch":   strconv.FormatInt(rc.RequestTimeEpoch, 10),
		"routeKey":           rc.RouteKey,
		"stage":              rc.Stage,
		"identity.sourceIp":  rc.Identity.SourceIP,
		"identity.userAgent": rc.Identity.UserAgent,
		"identity.apiKey":    rc.Identity.APIKey,
	}
	if c.key != nil {
		v["identity.apiKeyId"] = c.key.ID
	}
	if c.grant != nil {
		for k, x := range c.grant.vars {
			v[k] = x
		}
	}
	return v
}
