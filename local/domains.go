package local

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// localhostAlias is appended to a custom domain name to reach it without DNS: browsers and curl
// resolve every *.localhost name to the loopback address, so
// http://api.example.com.localhost:3000/orders reaches the runner and is served as
// api.example.com (events report the real name).
const localhostAlias = ".localhost"

// domainTable is the assembly's custom domain names, built once so that a request costs a map
// lookup or two: exact names first, then wildcards by the name they cover ("example.com" for
// "*.example.com"), each with its API mappings indexed for the path's first segment.
type domainTable struct {
	exact    map[string]*domainRoute
	wildcard map[string]*domainRoute
	all      []*domainRoute // in template order
}

// domainRoute is one custom domain name and its mappings.
type domainRoute struct {
	domain *model.Domain
	// name is the domain's name as declared: "api.example.com" or "*.example.com".
	name     string
	wildcard bool
	// websocket: the domain maps a WebSocket API (and then nothing else, as API Gateway
	// requires).
	websocket bool
	// multiLevel: some key has a '/'. API Gateway then picks the mapping with the longest
	// matching prefix, not whole segments ("ordersandmore" goes to "orders"), and lower-cases
	// request header names.
	multiLevel bool
	// minTLS is the oldest TLS version the security policy accepts; mutualTLS says a client
	// certificate is required (the domain has a trust store).
	minTLS    uint16
	mutualTLS bool

	root *mappingRoute // the empty key: every path no other key matches
	// bySegment holds a single-level domain's keys by themselves (= a path's first segment).
	bySegment map[string]*mappingRoute
	// byFirstByte holds a multi-level domain's keys by their first byte, longest first, for
	// the longest-prefix rule.
	byFirstByte map[byte][]*mappingRoute

	// tls is the handshake configuration for this domain's names (set when TLS is on).
	tls *tls.Config
}

// mappingRoute is one API mapping, resolved to the API and stage it serves.
type mappingRoute struct {
	key   string // "", "orders", "orders/v2"
	entry *apiEntry
	// stage is the mapped stage; nil for a REST base path mapping without one, where the
	// path's segment after the key names it.
	stage *model.Stage
	// prefix is "/" + key: what a matching path starts with.
	prefix string
}

// buildDomainTable resolves the model's domains against the served APIs. Conflicts API Gateway
// would refuse to create (two domains of one name, two mappings of one key on a domain, a
// WebSocket API beside an HTTP or REST API, a multi-level key on a WebSocket domain) are
// errors: there is no right way to serve them. A mapping to an API or stage the assembly does
// not serve is left out with a warning, as its requests cannot be served anyway.
func buildDomainTable(domains []*model.Domain, apis map[string]*apiEntry, log *slog.Logger) (*domainTable, error) {
	t := &domainTable{exact: map[string]*domainRoute{}, wildcard: map[string]*domainRoute{}}
	for _, d := range domains {
		name := strings.TrimSuffix(strings.ToLower(d.Name), ".")
		where := fmt.Sprintf("stack %q: custom domain %q (%s)", d.Stack, name, d.LogicalID)
		if name == "" {
			return nil, fmt.Errorf("stack %q: custom domain %s has no name", d.Stack, d.LogicalID)
		}
		dr := &domainRoute{domain: d, name: name}
		var key string
		if parent, ok := strings.CutPrefix(name, "*."); ok {
			if parent == "" || strings.Contains(parent, "*") {
				return nil, fmt.Errorf("%s: a wildcard must be the whole first label, as in *.example.com", where)
			}
			dr.wildcard, key = true, parent
			if prev := t.wildcard[key]; prev != nil {
				return nil, fmt.Errorf("%s: the domain name is declared twice (also %s in stack %q)", where, prev.domain.LogicalID, prev.domain.Stack)
			}
			t.wildcard[key] = dr
		} else {
			if strings.Contains(name, "*") {
				return nil, fmt.Errorf("%s: a wildcard must be the whole first label, as in *.example.com", where)
			}
			if prev := t.exact[name]; prev != nil {
				return nil, fmt.Errorf("%s: the domain name is declared twice (also %s in stack %q)", where, prev.domain.LogicalID, prev.domain.Stack)
			}
			t.exact[name] = dr
		}
		if err := dr.addMappings(d.Mappings, apis, where, log); err != nil {
			return nil, err
		}
		var warn string
		dr.minTLS, warn = minTLSVersion(d.SecurityPolicy, dr.websocket)
		if warn != "" {
			log.Warn(where + ": " + warn)
		}
		dr.mutualTLS = d.TruststoreURI != ""
		t.all = append(t.all, dr)
	}
	return t, nil
}

// addMappings resolves and indexes a domain's mappings.
func (dr *domainRoute) addMappings(mappings []*model.APIMapping, apis map[string]*apiEntry, where string, log *slog.Logger) error {
	seen := map[string]*model.APIMapping{}
	var routes []*mappingRoute
	httpOrREST := ""
	for _, m := range mappings {
		key := strings.Trim(m.Key, "/")
		if prev := seen[key]; prev != nil {
			return fmt.Errorf("%s: mappings %s and %s both use the key %q: API Gateway allows one mapping per key", where, prev.LogicalID, m.LogicalID, key)
		}
		seen[key] = m
		e := apis[m.API]
		if e == nil {
			log.Warn(where+": mapping "+m.LogicalID+" names an API this assembly does not serve; its requests get 403", "api", m.API, "key", key)
			continue
		}
		st := e.stages[m.Stage]
		if m.Stage == "" && e.api.Protocol == model.ProtocolREST {
			// A base path mapping without a stage: the path names it after the key.
		} else if st == nil {
			log.Warn(where+": mapping "+m.LogicalID+" names a stage the API does not have; its requests get 403", "api", e.api.LogicalID, "stage", m.Stage, "key", key)
			continue
		}
		if e.api.Protocol == model.ProtocolWebSocket {
			dr.websocket = true
		} else if httpOrREST == "" {
			httpOrREST = e.api.LogicalID
		}
		if dr.websocket && httpOrREST != "" {
			return fmt.Errorf("%s: maps a WebSocket API and the HTTP or REST API %s: API Gateway does not allow both on one domain", where, httpOrREST)
		}
		if strings.Contains(key, "/") {
			dr.multiLevel = true
		}
		routes = append(routes, &mappingRoute{key: key, entry: e, stage: st, prefix: "/" + key})
	}
	if dr.websocket && dr.multiLevel {
		return fmt.Errorf("%s: maps a WebSocket API with a multi-level key: API Gateway allows those only for HTTP and REST APIs", where)
	}
	// Longest first, so that the first prefix found is the longest.
	sort.SliceStable(routes, func(i, j int) bool { return len(routes[i].key) > len(routes[j].key) })
	if dr.multiLevel {
		dr.byFirstByte = map[byte][]*mappingRoute{}
	} else {
		dr.bySegment = map[string]*mappingRoute{}
	}
	for _, mr := range routes {
		switch {
		case mr.key == "":
			dr.root = mr
		case dr.multiLevel:
			dr.byFirstByte[mr.key[0]] = append(dr.byFirstByte[mr.key[0]], mr)
		default:
			dr.bySegment[mr.key] = mr
		}
	}
	return nil
}

// lookup finds the domain a request's host (lower case, no port) names, and the domain name
// it stands for: the host itself, or for {name}.localhost the name.
func (t *domainTable) lookup(host string) (*domainRoute, string) {
	if t == nil || len(t.all) == 0 {
		return nil, ""
	}
	if d := t.find(host); d != nil {
		return d, host
	}
	if base, ok := strings.CutSuffix(host, localhostAlias); ok {
		if d := t.find(base); d != nil {
			return d, base
		}
	}
	return nil, ""
}

// find matches a name exactly, then against the wildcards. A wildcard answers names exactly
// one label deeper (tenant.example.com for *.example.com, not a.b.example.com): that is what
// its certificate covers, so deeper names never complete a TLS handshake in AWS.
func (t *domainTable) find(host string) *domainRoute {
	if d := t.exact[host]; d != nil {
		return d
	}
	if i := strings.IndexByte(host, '.'); i > 0 {
		return t.wildcard[host[i+1:]]
	}
	return nil
}

// match picks the mapping for an escaped request path, and returns the path that remains once
// the key is stripped (escaped, starting with "/"). nil: no mapping matches.
func (d *domainRoute) match(escaped string) (*mappingRoute, string) {
	if d.multiLevel {
		if len(escaped) > 1 {
			for _, m := range d.byFirstByte[escaped[1]] {
				if strings.HasPrefix(escaped, m.prefix) {
					return m, remainder(escaped[len(m.prefix):])
				}
			}
		}
	} else if len(d.bySegment) > 0 {
		seg, rest := escaped, ""
		if len(seg) > 0 && seg[0] == '/' {
			seg = seg[1:]
		}
		if i := strings.IndexByte(seg, '/'); i >= 0 {
			seg, rest = seg[:i], seg[i:]
		}
		m := d.bySegment[seg]
		if m == nil && strings.IndexByte(seg, '%') >= 0 {
			// A client may encode what keys allow unencoded ($, !, ', ...).
			if dec, err := url.PathUnescape(seg); err == nil {
				m = d.bySegment[dec]
			}
		}
		if m != nil {
			return m, remainder(rest)
		}
	}
	if d.root != nil {
		return d.root, remainder(escaped)
	}
	return nil, ""
}

// remainder makes what follows a key a path: "" is "/", and the rest of a segment a longest
// prefix cut ("andmore" of "/ordersandmore") becomes "/andmore".
func remainder(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		return "/" + p
	}
	return p
}

// keys lists a domain's mapping keys for messages, "(none)" for the empty one.
func (d *domainRoute) keys() string {
	var ks []string
	if d.root != nil {
		ks = append(ks, "(none)")
	}
	for k := range d.bySegment {
		ks = append(ks, k)
	}
	for _, ms := range d.byFirstByte {
		for _, m := range ms {
			ks = append(ks, m.key)
		}
	}
	sort.Strings(ks)
	if len(ks) == 0 {
		return "no mappings"
	}
	return strings.Join(ks, ", ")
}

// domainPrefix is the first label of a host name: requestContext.domainPrefix.
func domainPrefix(name string) string {
	prefix, _, _ := strings.Cut(name, ".")
	return prefix
}

// routes are the domains in template order; none for a nil table.
func (t *domainTable) routes() []*domainRoute {
	if t == nil {
		return nil
	}
	return t.all
}

// hasMutualTLS reports whether some domain requires a client certificate.
func (t *domainTable) hasMutualTLS() bool {
	for _, d := range t.routes() {
		if d.mutualTLS {
			return true
		}
	}
	return false
}
