package wsapi

import (
	"context"
	"fmt"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
	"github.com/gatehouse-dev/gatehouse/local/internal/selexpr"
)

// invokeNonProxy runs AWS (Lambda custom), HTTP and MOCK integrations.
func (c *conn) invokeNonProxy(ctx context.Context, route *model.Route, in *model.Integration, ev *Event, msg *selexpr.Body) outcome {
	return outcome{err: fmt.Errorf("integration %q: type %s is not served yet", in.LogicalID, in.Type)}
}
