package local

import (
	"crypto/tls"
	"net"
	"slices"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// DomainInfo describes one custom domain name as the runner serves it: what `gatehouse start`
// and `gatehouse routes` print, and what Runner.Domains returns to tests.
type DomainInfo struct {
	// Name is the domain name as declared, lower case: "api.example.com", or "*.example.com"
	// for a wildcard domain, which answers any name one label deeper.
	Name      string `json:"name"`
	Stack     string `json:"stack"`
	LogicalID string `json:"logicalId"`
	// Example is a name the domain answers: Name itself, or for a wildcard Name with "tenant"
	// in place of the "*".
	Example string `json:"example"`
	// SecurityPolicy is the domain's policy as declared; MinTLSVersion the oldest version the
	// runner's TLS listener accepts for its names ("TLS 1.2").
	SecurityPolicy string `json:"securityPolicy,omitempty"`
	MinTLSVersion  string `json:"minTlsVersion"`
	// MutualTLS: the domain has a trust store, and over TLS the runner requires a client
	// certificate issued by its local CA.
	MutualTLS bool `json:"mutualTls,omitempty"`
	// Mappings are the domain's API mappings, longest key first.
	Mappings []MappingInfo `json:"mappings"`
	// ConnectTo are curl options that send Example's standard URLs (http://{Example}/..., and
	// https:// with TLS) to the runner without DNS or /etc/hosts:
	// curl --connect-to api.example.com:80:127.0.0.1:3000 http://api.example.com/orders
	ConnectTo []string `json:"connectTo"`
}

// MappingInfo is one API mapping of a custom domain and the URLs that reach it. For a wildcard
// domain the URLs keep the "*": put any one label in its place.
type MappingInfo struct {
	Domain   string `json:"domain"`
	Key      string `json:"key"` // "" for the empty mapping
	APIID    string `json:"apiId"`
	APIName  string `json:"apiName"`
	Protocol string `json:"protocol"`
	Stage    string `json:"stage"`
	// StageInPath: a REST base path mapping without a stage, where the path names the stage
	// after the key; the URLs are those of Stage, one MappingInfo per stage of the API.
	StageInPath bool `json:"stageInPath,omitempty"`
	// URL is http://{domain}:PORT/{key} (ws:// for a WebSocket API): for clients that send the
	// domain to the runner (Runner.Client, curl --connect-to or --resolve, a Host header).
	URL string `json:"url"`
	// LocalhostURL is http://{domain}.localhost:PORT/{key}, which browsers and curl resolve to
	// the loopback address by themselves; events still report the domain's own name.
	LocalhostURL string `json:"localhostUrl"`
	// TLSURL is https://{domain}:TLSPORT/{key} (wss://) when the runner serves TLS.
	TLSURL string `json:"tlsUrl,omitempty"`
	// CallbackURL is a WebSocket mapping's @connections base URL through the domain,
	// http(s)://{domain}:PORT/{key}: POST, GET and DELETE {CallbackURL}/@connections/{id}.
	CallbackURL string `json:"callbackUrl,omitempty"`
}

// wildcardExample stands for the "*" of a wildcard domain where a real name is needed.
const wildcardExample = "tenant"

// describeDomains lists the model's domains as served on baseHost ("127.0.0.1:3000") and, when
// not empty, tlsHost.
func describeDomains(m *model.Model, baseHost, tlsHost string) []DomainInfo {
	apis := map[string]*model.API{}
	for _, a := range m.APIs {
		apis[a.ID] = a
	}
	out := make([]DomainInfo, 0, len(m.Domains))
	for _, d := range m.Domains {
		name := strings.TrimSuffix(strings.ToLower(d.Name), ".")
		ws := false
		for _, mp := range d.Mappings {
			if a := apis[mp.API]; a != nil && a.Protocol == model.ProtocolWebSocket {
				ws = true
			}
		}
		minV, _ := minTLSVersion(d.SecurityPolicy, ws)
		info := DomainInfo{
			Name: name, Stack: d.Stack, LogicalID: d.LogicalID, Example: name,
			SecurityPolicy: d.SecurityPolicy, MinTLSVersion: tls.VersionName(minV),
			MutualTLS: d.TruststoreURI != "", Mappings: []MappingInfo{},
		}
		if rest, ok := strings.CutPrefix(name, "*."); ok {
			info.Example = wildcardExample + "." + rest
		}
		info.ConnectTo = []string{"--connect-to " + info.Example + ":80:" + dialable(baseHost)}
		if tlsHost != "" {
			info.ConnectTo = append(info.ConnectTo, "--connect-to "+info.Example+":443:"+dialable(tlsHost))
		}
		for _, mp := range sortedMappings(d.Mappings) {
			api := apis[mp.API]
			if mp.Stage == "" && api != nil && api.Protocol == model.ProtocolREST {
				// A base path mapping without a stage reaches every stage, named after the key.
				for _, st := range api.Stages {
					mi := mappingInfo(name, &model.APIMapping{API: mp.API, Stage: st.Name, Key: strings.Trim(strings.Trim(mp.Key, "/")+"/"+st.Name, "/")}, api, baseHost, tlsHost)
					mi.Key, mi.StageInPath = strings.Trim(mp.Key, "/"), true
					info.Mappings = append(info.Mappings, mi)
				}
				continue
			}
			info.Mappings = append(info.Mappings, mappingInfo(name, mp, api, baseHost, tlsHost))
		}
		out = append(out, info)
	}
	return out
}

// sortedMappings orders mappings longest key first, as they are matched.
func sortedMappings(ms []*model.APIMapping) []*model.APIMapping {
	out := slices.Clone(ms)
	slices.SortStableFunc(out, func(a, b *model.APIMapping) int {
		return len(strings.Trim(b.Key, "/")) - len(strings.Trim(a.Key, "/"))
	})
	return out
}

func mappingInfo(domain string, mp *model.APIMapping, api *model.API, baseHost, tlsHost string) MappingInfo {
	key := strings.Trim(mp.Key, "/")
	mi := MappingInfo{Domain: domain, Key: key, APIID: mp.API, Stage: mp.Stage}
	scheme, tlsScheme := "http://", "https://"
	if api != nil {
		mi.APIName, mi.Protocol = api.Name, string(api.Protocol)
		if api.Protocol == model.ProtocolWebSocket {
			scheme, tlsScheme = "ws://", "wss://"
		}
	}
	path := ""
	if key != "" {
		path = "/" + key
	}
	port, tlsPort := portSuffix(baseHost), portSuffix(tlsHost)
	mi.URL = scheme + domain + port + path
	mi.LocalhostURL = scheme + domain + localhostAlias + port + path
	if tlsHost != "" {
		mi.TLSURL = tlsScheme + domain + tlsPort + path
	}
	if api != nil && api.Protocol == model.ProtocolWebSocket {
		mi.CallbackURL = "http://" + domain + port + path
		if tlsHost != "" {
			mi.CallbackURL = "https://" + domain + tlsPort + path
		}
	}
	return mi
}

// portSuffix is ":PORT" of a host:port address, "" for none.
func portSuffix(hostPort string) string {
	if _, p, err := net.SplitHostPort(hostPort); err == nil && p != "" {
		return ":" + p
	}
	return ""
}

// stageDomains are the mappings of the domains that reach one API stage.
func stageDomains(domains []DomainInfo, apiID, stage string) []MappingInfo {
	var out []MappingInfo
	for _, d := range domains {
		for _, m := range d.Mappings {
			if m.APIID == apiID && m.Stage == stage {
				out = append(out, m)
			}
		}
	}
	return out
}
