package local

import (
	"io"
	"os"
	"strings"
	"sync"

	"github.com/gatehouse-dev/gatehouse/local/internal/httpapi"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// accessMu serializes access log lines from every API's servers, so that lines written to one
// writer from concurrent requests never interleave.
var accessMu sync.Mutex

// accessLogHook writes an API's access log lines to w (os.Stderr when nil), one line each,
// prefixed "[access API-NAME/STAGE] " as the CloudWatch log group of the stage would hold
// them.
func accessLogHook(api *model.API, w io.Writer) httpapi.AccessLogFunc {
	if w == nil {
		w = os.Stderr
	}
	name := api.Name
	if name == "" {
		name = api.LogicalID
	}
	return func(stage *model.Stage, line string) {
		// A format may end in a newline ("You can add a newline character (\n) at the end of
		// the log format"): the line already ends there.
		line = strings.TrimSuffix(line, "\n")
		out := "[access " + name + "/" + stage.Name + "] " + line + "\n"
		accessMu.Lock()
		defer accessMu.Unlock()
		_, _ = io.WriteString(w, out)
	}
}
