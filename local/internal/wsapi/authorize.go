package wsapi

import (
	"context"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/local/internal/authorizer"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// Authorizer decides the $connect route's authorization ("Controlling and managing access to a
// WebSocket API": a Lambda REQUEST authorizer or AWS_IAM). *authorizer.Set is one; tests use
// fakes.
type Authorizer interface {
	AuthorizeRoute(ctx context.Context, route *model.Route, r *authorizer.Request) authorizer.Decision
}

// grant is what the $connect route's authorizer decided for a connection. API Gateway keeps it
// for the connection's life: every CONNECT, MESSAGE and DISCONNECT event of the connection
// carries it, and templates and data mappings read it as $context.authorizer.* and
// $context.identity.*.
type grant struct {
	// authorizer is requestContext.authorizer: the Lambda authorizer's principalId,
	// integrationLatency and context keys, the context's values stringified as for REST APIs
	// (the guide: a WebSocket Lambda authorizer "is similar to that for REST APIs"). nil when
	// no Lambda authorizer ran (AWS_IAM).
	authorizer map[string]any
	// iam holds the identity fields of an AWS_IAM connection; nil otherwise.
	iam *Identity
	// vars are the $context variables the decision adds, by dotted name without "context."
	// ("authorizer.principalId", "identity.userArn").
	vars map[string]string
	// usageIdentifierKey is the API key the Lambda authorizer chose, which an API whose API key
	// selection expression is $context.authorizer.usageIdentifierKey checks.
	usageIdentifierKey string
}

// identity copies the grant's IAM identity into an event's requestContext.identity.
func (g *grant) identity(id *Identity) {
	if g.iam == nil {
		return
	}
	id.AccountID = g.iam.AccountID
	id.AccessKey = g.iam.AccessKey
	id.Caller = g.iam.Caller
	id.User = g.iam.User
	id.UserArn = g.iam.UserArn
}

// newGrant keeps what an allowing decision shows the connection's integrations; nil for an
// unprotected route.
func newGrant(d authorizer.Decision) *grant {
	switch d.AuthorizationType {
	case "", model.AuthorizationNone:
		return nil
	}
	g := &grant{authorizer: d.REST(), vars: d.ContextVars(), usageIdentifierKey: d.UsageIdentifierKey}
	if id := d.Identity(); id != nil {
		g.iam = &Identity{AccountID: id.AccountID, AccessKey: id.AccessKey, Caller: id.CallerID, User: id.UserID, UserArn: id.UserARN}
	}
	return g
}

// authorizeConnect runs the $connect route's authorizer, before its integration, with the
// upgrade request as the CONNECT event describes it. A refusal refuses the handshake with
// API Gateway's status and body; nil lets the connection proceed, with c.grant set.
func (s *Server) authorizeConnect(ctx context.Context, c *conn, r *http.Request, route *model.Route, ev *Event) *connectResult {
	switch route.AuthorizationType {
	case "", model.AuthorizationNone:
		return nil
	}
	if s.opts.Authorizers == nil {
		// Never an open door: a runner that was not given the API's authorizers refuses what
		// they guard.
		s.log.Error("$connect requires authorization ("+route.AuthorizationType+") and the server has no authorizers: refusing the connection",
			"route", route.Key, "authorizer", route.AuthorizerLogicalID)
		return &connectResult{status: http.StatusInternalServerError, body: messageBody("Internal server error")}
	}
	rc := ev.RequestContext
	vars := c.contextVars(ev)
	began := s.now()
	d := s.opts.Authorizers.AuthorizeRoute(ctx, route, &authorizer.Request{
		Protocol:       model.ProtocolWebSocket,
		Method:         r.Method,
		Path:           "/",
		RouteKey:       route.Key,
		Stage:          c.stage.Name,
		StageVariables: c.stage.Variables,
		Header:         ev.MultiValueHeaders,
		RawQuery:       r.URL.RawQuery,
		Context: authorizer.RequestContext{
			AccountID:         s.opts.Account,
			APIID:             rc.APIID,
			DomainName:        rc.DomainName,
			RequestID:         rc.RequestID,
			ExtendedRequestID: rc.ExtendedRequestID,
			SourceIP:          rc.Identity.SourceIP,
			UserAgent:         rc.Identity.UserAgent,
			APIKey:            rc.Identity.APIKey,
			Time:              c.connectedAt,
			ConnectionID:      c.id,
			ConnectedAt:       c.connectedAt,
		},
		ContextVar: func(name string) string { return vars[name] },
		HTTP:       r,
	})
	if a := c.connectAccess; a != nil {
		a.vars.Authorization, a.vars.AuthLatency = &d, s.now().Sub(began)
	}
	if f := d.Refusal; f != nil {
		// Set.Authorize has logged why, naming the authorizer.
		h := http.Header{}
		for k, vs := range f.Header {
			h[k] = vs
		}
		if f.ErrorType != "" {
			h.Set("X-Amzn-Errortype", f.ErrorType)
		}
		body := f.Body
		if body == nil {
			body = messageBody(http.StatusText(f.Status))
		}
		return &connectResult{status: f.Status, header: h, body: body}
	}
	c.grant = newGrant(d)
	return nil
}
