package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// cors applies an HTTP API's CorsConfiguration as the guide's "Configuring CORS for an HTTP
// API" describes: API Gateway answers preflight OPTIONS requests itself, even without an
// OPTIONS route; it adds the configured headers to integration responses; it ignores CORS
// headers that the integration returns; and it adds nothing unless the request has an Origin.
type cors struct {
	origins       []string // lower case; "*" and "scheme://*" wildcards
	anyOrigin     bool
	methods       string // Access-Control-Allow-Methods, comma-joined
	anyMethod     bool
	methodSet     map[string]bool
	headers       string
	anyHeader     bool
	expose        string
	credentials   bool
	maxAge        string // "" when unset
	allowedHeader map[string]bool
}

func newCORS(c *model.CORS) *cors {
	if c == nil {
		return nil
	}
	x := &cors{
		methodSet:     map[string]bool{},
		allowedHeader: map[string]bool{},
		credentials:   c.AllowCredentials,
		expose:        strings.Join(c.ExposeHeaders, ","),
		methods:       strings.Join(c.AllowMethods, ","),
		headers:       strings.Join(c.AllowHeaders, ","),
	}
	for _, o := range c.AllowOrigins {
		o = strings.ToLower(strings.TrimSuffix(o, "/"))
		if o == "*" {
			x.anyOrigin = true
		}
		x.origins = append(x.origins, o)
	}
	for _, m := range c.AllowMethods {
		if m == "*" {
			x.anyMethod = true
		}
		x.methodSet[strings.ToUpper(m)] = true
	}
	for _, h := range c.AllowHeaders {
		if h == "*" {
			x.anyHeader = true
		}
		x.allowedHeader[strings.ToLower(h)] = true
	}
	if c.MaxAge != nil {
		x.maxAge = strconv.Itoa(*c.MaxAge)
	}
	return x
}

// allowOrigin returns the Access-Control-Allow-Origin value for origin, or "" if it is not
// allowed. A "*" configuration answers "*" unless credentials are allowed, where browsers
// require the origin itself.
func (c *cors) allowOrigin(origin string) string {
	if origin == "" {
		return ""
	}
	lo := strings.ToLower(origin)
	for _, o := range c.origins {
		switch {
		case o == "*":
			if c.credentials {
				return origin
			}
			return "*"
		case o == lo:
			return origin
		case strings.HasSuffix(o, "://*") && strings.HasPrefix(lo, strings.TrimSuffix(o, "*")):
			return origin
		}
	}
	return ""
}

// isPreflight: an OPTIONS request carrying Origin and Access-Control-Request-Method.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" &&
		r.Header.Get("Access-Control-Request-Method") != ""
}

// preflight answers a preflight request: 204 with the allow headers when the origin, method
// and headers are allowed, 204 without them otherwise (the browser then refuses).
func (c *cors) preflight(h http.Header, r *http.Request) {
	origin := c.allowOrigin(r.Header.Get("Origin"))
	if origin == "" {
		return
	}
	method := r.Header.Get("Access-Control-Request-Method")
	if !c.anyMethod && !c.methodSet[strings.ToUpper(method)] {
		return
	}
	reqHeaders := r.Header.Get("Access-Control-Request-Headers")
	if !c.anyHeader && reqHeaders != "" {
		for hn := range strings.SplitSeq(reqHeaders, ",") {
			if hn = strings.ToLower(strings.TrimSpace(hn)); hn != "" && !c.allowedHeader[hn] {
				return
			}
		}
	}
	h.Set("Access-Control-Allow-Origin", origin)
	if c.anyMethod {
		h.Set("Access-Control-Allow-Methods", method)
	} else {
		h.Set("Access-Control-Allow-Methods", c.methods)
	}
	switch {
	case c.anyHeader && reqHeaders != "":
		h.Set("Access-Control-Allow-Headers", reqHeaders)
	case !c.anyHeader && c.headers != "":
		h.Set("Access-Control-Allow-Headers", c.headers)
	}
	if c.credentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if c.maxAge != "" {
		h.Set("Access-Control-Max-Age", c.maxAge)
	}
	if c.expose != "" {
		h.Set("Access-Control-Expose-Headers", c.expose)
	}
}

// decorate replaces the integration's CORS headers with the configured ones for an actual
// (non-preflight) request.
func (c *cors) decorate(h http.Header, r *http.Request) {
	for name := range h {
		if strings.HasPrefix(name, "Access-Control-") {
			delete(h, name)
		}
	}
	origin := c.allowOrigin(r.Header.Get("Origin"))
	if origin == "" {
		return
	}
	h.Set("Access-Control-Allow-Origin", origin)
	if c.credentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if c.expose != "" {
		h.Set("Access-Control-Expose-Headers", c.expose)
	}
	if origin != "*" {
		h.Add("Vary", "Origin")
	}
}
