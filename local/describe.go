package local

import (
	"sort"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// APIInfo describes one served API: what `gatehouse routes --json` prints and what Runner.APIs
// returns to tests.
type APIInfo struct {
	Stack     string      `json:"stack"`
	LogicalID string      `json:"logicalId"`
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	Protocol  string      `json:"protocol"` // HTTP, REST or WEBSOCKET
	Stages    []StageInfo `json:"stages"`
	Routes    []string    `json:"routes"`
	// APIKeys are the enabled API keys valid on some stage of this API (AWS::ApiGateway::ApiKey
	// through StageKeys or usage plans), for routes that require one. A key whose template sets
	// no Value gets a stable generated one, shown here.
	APIKeys []APIKeyInfo `json:"apiKeys,omitempty"`
}

// APIKeyInfo is one API key and the stages of the API it is valid on.
type APIKeyInfo struct {
	Name   string   `json:"name,omitempty"`
	Value  string   `json:"value"`
	Stages []string `json:"stages"`
}

// StageInfo is one stage of an API and the URLs that reach it.
type StageInfo struct {
	Name string `json:"name"`
	// URL reaches the stage with any client and no special DNS:
	// http://HOST:PORT/{apiId}/{stage} ($default: http://HOST:PORT/{apiId}).
	URL string `json:"url"`
	// HostURL is the AWS-like address, http://{apiId}.execute-api.localhost:PORT/{stage}, for
	// clients that resolve *.localhost to the loopback address (browsers, curl) or set the Host
	// header themselves.
	HostURL string `json:"hostUrl"`
	// CallbackURL is the @connections base URL of a WebSocket stage; empty for other protocols.
	CallbackURL string `json:"callbackUrl,omitempty"`
}

// Stage finds a stage by name.
func (a APIInfo) Stage(name string) (StageInfo, bool) {
	for _, s := range a.Stages {
		if s.Name == name {
			return s, true
		}
	}
	return StageInfo{}, false
}

// hostSuffix is the Host-header form of an execute-api address, mirroring
// {api-id}.execute-api.{region}.amazonaws.com.
const hostSuffix = ".execute-api.localhost"

// describe lists the APIs of a model as served at baseHost ("127.0.0.1:3000"), sorted by stack
// and logical id so the output is stable.
func describe(m *model.Model, baseHost string) []APIInfo {
	port := ""
	if i := strings.LastIndexByte(baseHost, ':'); i >= 0 {
		port = baseHost[i:]
	}
	out := make([]APIInfo, 0, len(m.APIs))
	for _, api := range m.APIs {
		info := APIInfo{
			Stack: api.Stack, LogicalID: api.LogicalID, ID: api.ID, Name: api.Name,
			Protocol: string(api.Protocol), Stages: []StageInfo{}, Routes: []string{},
		}
		for _, st := range api.Stages {
			scheme := "http://"
			if api.Protocol == model.ProtocolWebSocket {
				scheme = "ws://"
			}
			suffix := ""
			if st.Name != model.DefaultStage {
				suffix = "/" + st.Name
			}
			si := StageInfo{
				Name:    st.Name,
				URL:     scheme + baseHost + "/" + api.ID + suffix,
				HostURL: scheme + api.ID + hostSuffix + port + suffix,
			}
			if api.Protocol == model.ProtocolWebSocket {
				si.CallbackURL = "http://" + baseHost + "/" + api.ID + suffix
			}
			info.Stages = append(info.Stages, si)
		}
		for _, r := range api.Routes {
			info.Routes = append(info.Routes, r.Key)
		}
		for _, res := range api.Resources { // REST: "VERB /path"
			for _, m := range res.Methods {
				info.Routes = append(info.Routes, m.HTTPMethod+" "+res.Path)
			}
		}
		for _, k := range m.APIKeys {
			ki := APIKeyInfo{Name: k.Name, Value: k.Value}
			for _, st := range k.Stages {
				if st.APIID == api.ID {
					ki.Stages = append(ki.Stages, st.Stage)
				}
			}
			if k.Enabled && len(ki.Stages) > 0 {
				info.APIKeys = append(info.APIKeys, ki)
			}
		}
		out = append(out, info)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Stack != out[j].Stack {
			return out[i].Stack < out[j].Stack
		}
		return out[i].LogicalID < out[j].LogicalID
	})
	return out
}
