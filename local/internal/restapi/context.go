package restapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/httpapi"
	"github.com/gatehouse-dev/gatehouse/local/internal/mappingtemplate"
	"github.com/gatehouse-dev/gatehouse/local/internal/uuid"
	"github.com/gatehouse-dev/gatehouse/local/internal/vtl"
)

// requestTimeLayout is the CLF time of $context.requestTime and requestContext.requestTime.
const requestTimeLayout = "02/Jan/2006:15:04:05 -0700"

// eachContextVar calls f with every $context variable of the request, by dotted name, as the
// guide's "$context Variables for data models, authorizers, mapping templates, and CloudWatch
// access logging" lists them for a REST API. Variables that do not apply to the request (IAM
// and Cognito identity without such an authorizer) are empty strings, as API Gateway renders
// them. The calls come in sorted order, nested scopes where their names sort among the
// top-level ones (authorizer after apiId, identity after httpMethod), so that templateVars
// rarely has anything to sort; only an authorizer's own variables may come unsorted.
func (c *call) eachContextVar(f func(scope, name, value string)) {
	resourceID, resourcePath := "", ""
	if c.res != nil {
		resourceID, resourcePath = c.res.id, c.res.res.Path
	}
	apiKey, apiKeyID := "", ""
	if c.key != nil {
		apiKey, apiKeyID = c.key.Value, c.key.ID
	}
	f("", "accountId", c.s.account)
	f("", "apiId", c.s.api.ID)
	c.grant.eachVar(func(name, value string) { f("authorizer", name, value) })
	f("", "domainName", c.t.DomainName)
	f("", "domainPrefix", domainPrefix(c.t.DomainName))
	f("", "extendedRequestId", c.extID)
	f("", "httpMethod", c.r.Method)
	// The identity an IAM or Cognito authorizer establishes (its grant fills it; empty
	// otherwise), and the API key, source IP and user agent of every request.
	identity := func(n string) { f("identity", n, c.grant.identityVar(n)) }
	identity("accessKey")
	identity("accountId")
	f("identity", "apiKey", apiKey)
	f("identity", "apiKeyId", apiKeyID)
	identity("caller")
	identity("cognitoAuthenticationProvider")
	identity("cognitoAuthenticationType")
	identity("cognitoIdentityId")
	identity("cognitoIdentityPoolId")
	identity("principalOrgId")
	f("identity", "sourceIp", sourceIP(c.r))
	identity("user")
	f("identity", "userAgent", c.r.Header.Get("User-Agent"))
	identity("userArn")
	f("", "path", c.t.RawPath)
	f("", "protocol", "HTTP/1.1")
	f("", "requestId", c.id)
	f("", "requestTime", c.start.Format(requestTimeLayout))
	f("", "requestTimeEpoch", strconv.FormatInt(c.start.UnixMilli(), 10))
	f("", "resourceId", resourceID)
	f("", "resourcePath", resourcePath)
	f("", "stage", c.t.Stage.Name)
}

// contextVars are the request's $context variables by dotted name ("identity.sourceIp"), for
// parameter mappings and gateway responses. Built once per request; callers must not change
// the map.
func (c *call) contextVars() map[string]string {
	if c.vars == nil {
		c.vars = make(map[string]string, 32)
		c.eachContextVar(func(scope, name, value string) {
			if scope != "" {
				name = scope + "." + name
			}
			c.vars[name] = value
		})
	}
	return c.vars
}

// contextVar is one $context variable for parameter mappings (context.NAME).
func (c *call) contextVar(name string) (string, bool) {
	v, ok := c.contextVars()[name]
	return v, ok
}

// templateVars are what mapping template t sees for this request: $input over payload with
// the method request's parameters, $context, $stageVariables. $context is a vtl map with its
// keys sorted, as API Gateway lists them, holding the variables t reads (all of them for a
// template that uses $context as a whole, built once per request). Render copies it for a
// template that could change it, and shares it otherwise.
func (c *call) templateVars(payload []byte, t *template) mappingtemplate.Vars {
	if c.tmplParams.Querystring == nil {
		c.tmplParams = c.inputParams()
	}
	v := mappingtemplate.Vars{Input: mappingtemplate.Input{Body: payload, Params: c.tmplParams},
		StageVariables: c.t.Stage.Variables, StageVariablesMap: c.s.stageVars[c.t.Stage]}
	switch {
	case t.allContext:
		if c.tmplContext == nil {
			c.tmplContext = c.templateContext(nil)
		}
		v.ContextMap = c.tmplContext
	case len(t.context) > 0:
		v.ContextMap = c.templateContext(t.context)
	}
	return v
}

// templateContext builds $context for templates: every variable when names is nil, else
// those of names (sorted) only.
func (c *call) templateContext(names []string) *vtl.Map {
	want := func(name string) bool {
		if names == nil {
			return true
		}
		_, found := slices.BinarySearch(names, name)
		return found
	}
	wantIdentity, wantAuthorizer := want("identity"), want("authorizer")
	top := make([]kv, 0, 20)
	var identity, authorizer []kv
	if wantIdentity {
		identity = make([]kv, 0, 16)
	}
	c.eachContextVar(func(scope, name, value string) {
		switch scope {
		case "identity":
			if !wantIdentity {
				return
			}
			if len(identity) == 0 {
				top = append(top, kv{k: "identity"})
			}
			identity = append(identity, kv{name, value})
		case "authorizer":
			if !wantAuthorizer {
				return
			}
			if authorizer == nil {
				top = append(top, kv{k: "authorizer"})
			}
			authorizer = append(authorizer, kv{name, value})
		default:
			if want(name) {
				top = append(top, kv{name, value})
			}
		}
	})
	sortKVs(top)
	m := vtl.NewMapSize(len(top))
	for _, e := range top {
		switch e.k {
		case "identity":
			m.Put(e.k, sortedMap(identity))
		case "authorizer":
			m.Put(e.k, c.grant.templateMap(sortedMap(authorizer)))
		default:
			m.Put(e.k, e.v)
		}
	}
	return m
}

type kv struct{ k, v string }

// sortKVs sorts by name; most lists arrive sorted (see eachContextVar), which one pass
// confirms.
func sortKVs(kvs []kv) {
	byName := func(a, b kv) int { return strings.Compare(a.k, b.k) }
	if !slices.IsSortedFunc(kvs, byName) {
		slices.SortFunc(kvs, byName)
	}
}

func sortedMap(kvs []kv) *vtl.Map {
	sortKVs(kvs)
	m := vtl.NewMapSize(len(kvs))
	for _, e := range kvs {
		m.Put(e.k, e.v)
	}
	return m
}

// inputParams are $input.params(): path parameters, and the last value of each query string
// parameter and header, as API Gateway's single-value maps hold them.
func (c *call) inputParams() mappingtemplate.Params {
	p := mappingtemplate.Params{Path: c.params, Querystring: make(map[string]string, len(c.query)), Header: make(map[string]string, len(c.r.Header)+1)}
	for k, vs := range c.query {
		if len(vs) > 0 {
			p.Querystring[k] = vs[len(vs)-1]
		}
	}
	for k, vs := range c.r.Header {
		if len(vs) > 0 {
			p.Header[k] = vs[len(vs)-1]
		}
	}
	if c.r.Host != "" {
		p.Header["Host"] = c.r.Host
	}
	return p
}

func domainPrefix(domain string) string {
	prefix, _, _ := strings.Cut(domain, ".")
	return prefix
}

// sourceIP is the client address, as the HTTP API server reports it.
func sourceIP(r *http.Request) string { return httpapi.SourceIP(r) }

// queryValues splits a raw query into its parameters, decoded as API Gateway decodes them
// ('+' is a space), values in arrival order; a pair that does not decode is kept verbatim,
// so a client's typo does not hide the parameter. HTTP APIs split them the same way.
func queryValues(raw string) url.Values {
	_, values := httpapi.QueryValues(raw)
	return values
}

// newUUID makes a random (version 4) UUID, the shape of REST API request ids, as Lambda's
// request ids are made.
var newUUID = uuid.New
