package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// invokeLambda runs an AWS_PROXY integration: build the event in the integration's payload
// format, invoke the function synchronously, and read its response in the same format.
func (c *call) invokeLambda(ctx context.Context, in *model.Integration, route *model.Route, params map[string]string, req *mappedRequest, body []byte) (*Response, error) {
	if in.Function == "" {
		return nil, fmt.Errorf("integration %q: URI %q names no function in the assembly", in.LogicalID, in.URI)
	}
	if c.s.inv == nil {
		return nil, errors.New("no Lambda invoker is configured")
	}
	ev := &EventRequest{
		Method:         c.r.Method,
		Path:           c.t.RawPath,
		Resource:       route.Path,
		RouteKey:       route.Key,
		Header:         req.header,
		RawQuery:       req.rawQuery,
		PathParameters: params,
		StageVariables: c.t.Stage.Variables,
		Body:           body,
		Context:        c.requestContext(),
		Authorization:  c.auth,
	}
	if route.Key == "$default" {
		ev.Resource = "$default"
	}
	if req.path != "" {
		ev.Path = req.path
	}
	v1 := in.PayloadFormatVersion == "1.0"
	var payload []byte
	var err error
	if v1 {
		payload, err = MarshalV1(ev)
	} else {
		payload, err = MarshalV2(ev)
	}
	if err != nil {
		return nil, fmt.Errorf("building the event: %w", err)
	}
	res, err := c.s.inv.Invoke(ctx, in.Function, payload)
	if err != nil {
		return nil, fmt.Errorf("invoking function %q: %w", in.Function, err)
	}
	if c.access != nil {
		// Lambda answered: $context.integrationStatus is its 200, whatever the function said.
		c.access.IntegrationStatus = http.StatusOK
	}
	if res.FunctionError != nil {
		return nil, fmt.Errorf("function %q failed: %w", in.Function, res.FunctionError)
	}
	var resp *Response
	if v1 {
		resp, err = ParseV1Response(res.Payload)
	} else {
		resp, err = ParseV2Response(res.Payload)
	}
	if err != nil {
		return nil, fmt.Errorf("function %q returned a malformed response (payload format %s): %w", in.Function, payloadVersion(v1), err)
	}
	return resp, nil
}

func payloadVersion(v1 bool) string {
	if v1 {
		return "1.0"
	}
	return "2.0"
}
