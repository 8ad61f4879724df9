package wsapi

import (
	"sync"

	"github.com/gatehouse-dev/gatehouse/local/internal/mappingtemplate"
)

// templates caches compiled mapping templates by their source.
var templates sync.Map // string -> *mappingtemplate.Template

// render runs a mapping template with API Gateway's variables for a WebSocket event: $input (the
// message, or the integration's response body), $context, $stageVariables and $util. Only a
// $connect request has parameters ($input.params()): its query string and headers.
func (c *conn) render(src string, body []byte, ev *Event) (string, error) {
	t, ok := templates.Load(src)
	if !ok {
		compiled, err := mappingtemplate.Compile("template", src)
		if err != nil {
			return "", err
		}
		t, _ = templates.LoadOrStore(src, compiled)
	}
	params := mappingtemplate.Params{}
	if ev.RequestContext.EventType == eventConnect {
		params.Querystring = lastValues(c.query)
		params.Header = lastValues(c.header)
	}
	res, err := t.(*mappingtemplate.Template).Render(mappingtemplate.Vars{
		Input:          mappingtemplate.Input{Body: body, Params: params},
		Context:        mappingtemplate.NestContext(c.contextVars(ev)),
		StageVariables: c.stage.Variables,
	})
	if err != nil {
		return "", err
	}
	return res.Body, nil
}

// lastValues keeps each name's last value, as API Gateway's single-value maps do.
func lastValues(m map[string][]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if len(v) > 0 {
			out[k] = v[len(v)-1]
		}
	}
	return out
}
