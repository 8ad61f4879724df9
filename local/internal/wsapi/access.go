package wsapi

import (
	"context"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/local/internal/httpapi"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/selexpr"
)

// eventAccess is one CONNECT, MESSAGE or DISCONNECT event on its way to the access log: the
// event its $context variables come from and what the access-log-only ones report. A nil
// *eventAccess (the stage logs no access) records nothing and costs nothing.
type eventAccess struct {
	vars httpapi.AccessVars
	ev   *Event
}

// newAccess starts an event's access record when c's stage logs access.
func (c *conn) newAccess() *eventAccess {
	if c.s.accessFormats[c.stage.Name] == nil {
		return nil
	}
	return &eventAccess{vars: httpapi.AccessVars{Start: c.s.now()}}
}

// log writes the event's access log line, with status the event's answer: the handshake's
// status for CONNECT, 200 for a message delivered or a disconnection, API Gateway's error
// status for a message it refused.
func (a *eventAccess) log(c *conn, status int) {
	if a == nil {
		return
	}
	f := c.s.accessFormats[c.stage.Name]
	a.vars.Status, a.vars.End = status, c.s.now()
	var vars map[string]string
	if a.ev != nil {
		vars = c.contextVars(a.ev)
	}
	c.s.opts.AccessLog(c.stage, f.Render(func(name string) (string, bool) {
		if v, ok := a.vars.Lookup(name); ok {
			return v, true
		}
		v, ok := vars[name]
		return v, ok
	}))
}

// invoke is c.invoke, timed for the access log.
func (a *eventAccess) invoke(ctx context.Context, c *conn, route *model.Route, ev *Event, msg *selexpr.Body) outcome {
	if a == nil {
		return c.invoke(ctx, route, ev, msg)
	}
	began := c.s.now()
	out := c.invoke(ctx, route, ev, msg)
	v := &a.vars
	v.IntegrationRan, v.IntegrationLatency = true, c.s.now().Sub(began)
	switch {
	case out.err != nil:
		v.IntegrationError = out.err.Error()
	case route.Integration.Type == model.IntegrationAWSProxy || route.Integration.Type == model.IntegrationAWS:
		// Lambda answered: $context.integrationStatus is its 200, whatever the function said.
		v.IntegrationStatus, v.BackendStatus = http.StatusOK, out.status
	default:
		v.IntegrationStatus, v.BackendStatus = out.status, out.status
	}
	return out
}

// fail records API Gateway's own error message for the event.
func (a *eventAccess) fail(message string) {
	if a != nil {
		a.vars.ErrorMessage = message
	}
}
