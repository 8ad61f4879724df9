package wsapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// mappedRequest builds an HTTP integration request for a message.
func (c *conn) mappedRequest(ctx context.Context, method string, in *model.Integration, ev *Event, msg []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, in.URI, bytes.NewReader(msg))
	if err != nil {
		return nil, fmt.Errorf("integration %q: building the request to %q: %w", in.LogicalID, in.URI, err)
	}
	return req, nil
}

// invokeNonProxy runs AWS (Lambda custom), HTTP and MOCK integrations.
func (c *conn) invokeNonProxy(ctx context.Context, route *model.Route, in *model.Integration, ev *Event, msg []byte) outcome {
	return outcome{err: fmt.Errorf("integration %q: type %s is not served yet", in.LogicalID, in.Type)}
}
