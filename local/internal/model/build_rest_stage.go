package model

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

// addRestDeployment records a deployment for the stages that name it. A Deployment with a
// StageName creates that stage too, configured by its StageDescription, as CloudFormation does.
// The runner always serves the current template, so which deployment a stage points at does not
// change what it serves.
func (b *builder) addRestDeployment(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeRestDeployment {
		return false, nil
	}
	as, err := b.restAPIOf(st, res)
	if err != nil {
		return true, err
	}
	id, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return true, propErr(st, res, "DeploymentId", err)
	}
	b.rest.deployments[id.(string)] = as
	if as.rest.deployment == nil {
		as.rest.deployment = &source{st, res}
	}
	if res.Properties["DeploymentCanarySettings"] != nil {
		b.warn(st, res.LogicalID, typeRestDeployment, "canary deployments (DeploymentCanarySettings) are not emulated: every request goes to the stage's own deployment")
	}
	name, err := b.str(st, res, "StageName", false)
	if err != nil || name == "" {
		return true, err
	}
	desc, err := b.resolve(st, res, "StageDescription")
	if err != nil {
		return true, err
	}
	s := &Stage{LogicalID: res.LogicalID, Name: name}
	f := newFields("StageDescription", desc)
	// StageDescription's own throttling is the stage-wide default, the "/*/*" method setting.
	if t, err := throttle(f.m); err != nil {
		f.fail("", err)
	} else if t != nil {
		s.MethodThrottle = map[string]*Throttle{"/*/*": t}
	}
	b.restStageSettings(st, res, f, as, s)
	if err := f.check(st, res); err != nil {
		return true, err
	}
	return true, b.addRestStageTo(st, res, "StageName", as, s)
}

func (b *builder) addRestStage(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeRestStage {
		return false, nil
	}
	as, err := b.restAPIOf(st, res)
	if err != nil {
		return true, err
	}
	s := &Stage{LogicalID: res.LogicalID}
	if s.Name, err = b.str(st, res, "StageName", false); err != nil {
		return true, err
	}
	if s.Name == "" {
		return true, propErr(st, res, "StageName", errors.New("is required here: without it CloudFormation generates a name, so the stage's URL cannot be known"))
	}
	deployment, err := b.str(st, res, "DeploymentId", false)
	if err != nil {
		return true, err
	}
	if deployment == "" {
		return true, propErr(st, res, "DeploymentId", errors.New("is required: API Gateway creates a stage from a deployment"))
	}
	if d := b.rest.deployments[deployment]; d != as {
		return true, propErr(st, res, "DeploymentId", fmt.Errorf("names deployment %q, which API %q does not have", deployment, as.api.LogicalID))
	}
	props := map[string]any{}
	for _, p := range []string{"Variables", "MethodSettings", "AccessLogSetting", "CacheClusterEnabled", "CanarySetting"} {
		if props[p], err = b.resolve(st, res, p); err != nil {
			return true, err
		}
	}
	f := newFields("", props)
	b.restStageSettings(st, res, f, as, s)
	if err := f.check(st, res); err != nil {
		return true, err
	}
	return true, b.addRestStageTo(st, res, "StageName", as, s)
}

func (b *builder) addRestStageTo(st *stackState, res *assembly.Resource, prop string, as *apiState, s *Stage) error {
	if prev := as.api.Stage(s.Name); prev != nil {
		return propErr(st, res, prop, fmt.Errorf("API %q already has a stage %q (%s)", as.api.LogicalID, s.Name, prev.LogicalID))
	}
	as.api.Stages = append(as.api.Stages, s)
	return nil
}

// restStageSettings reads what a Stage and a Deployment's StageDescription share: variables,
// method settings' throttling, the access log format, and what the runner does not emulate.
func (b *builder) restStageSettings(st *stackState, res *assembly.Resource, f *fields, as *apiState, s *Stage) {
	s.Variables = f.strMap("Variables")
	for i, v := range f.list("MethodSettings") {
		e := f.elem("MethodSettings", i, v)
		t, err := throttle(e.m)
		if err != nil {
			e.fail("", err)
			continue
		}
		if t == nil {
			continue
		}
		path, verb := e.str("ResourcePath"), e.str("HttpMethod")
		if path == "" || verb == "" {
			e.fail("", errors.New("ResourcePath and HttpMethod are required with throttling"))
			continue
		}
		path, verb = decodeResourcePath(path), strings.ToUpper(verb)
		if verb != "*" {
			if _, err := checkVerb(verb); err != nil {
				e.fail("HttpMethod", err)
				continue
			}
		}
		if !restMethodExists(as.api, path, verb) {
			b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("stage %q: MethodSettings[%d] names %s %s, which API %q does not have: its throttling never applies", s.Name, i, verb, path, as.api.LogicalID))
		}
		if s.MethodThrottle == nil {
			s.MethodThrottle = map[string]*Throttle{}
		}
		s.MethodThrottle[path+"/"+verb] = t
	}
	s.AccessLogFormat = f.object("AccessLogSetting").str("Format")
	b.checkAccessLogFormat(st, res, s)
	if f.boolean("CacheClusterEnabled") {
		b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("stage %q enables a cache cluster (CacheClusterEnabled), which the runner does not emulate: every request reaches the integration", s.Name))
	}
	if f.has("CanarySetting") {
		b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("stage %q has a canary (CanarySetting), which the runner does not emulate: every request goes to the stage's own deployment", s.Name))
	}
}

// decodeResourcePath turns a MethodSettings ResourcePath into the resource path it names.
// CloudFormation escapes the path's slashes as "~1" after a leading slash ("/~1items~1{id}" is
// /items/{id}); "/" is the root and "/*" every resource. An unescaped path is taken as written.
func decodeResourcePath(p string) string {
	rest := strings.TrimPrefix(p, "/")
	rest = strings.ReplaceAll(strings.ReplaceAll(rest, "~1", "/"), "~0", "~")
	if strings.HasPrefix(rest, "/") {
		return rest
	}
	return "/" + rest
}

// restMethodExists tells whether a method setting or usage plan throttle names something of
// the API: "/*" matches any resource and "*" any method; otherwise the verb is the method's own
// (an ANY method's settings are keyed ANY).
func restMethodExists(api *API, path, verb string) bool {
	for _, r := range api.Resources {
		if path != "/*" && r.Path != path {
			continue
		}
		if verb == "*" && (len(r.Methods) > 0 || path != "/*") {
			return true
		}
		for _, m := range r.Methods {
			if m.HTTPMethod == verb {
				return true
			}
		}
	}
	return false
}

// finishRestAPIs refuses what API Gateway would refuse to deploy, and puts every REST API's
// resources and methods in a stable order.
func (b *builder) finishRestAPIs() error {
	for _, as := range b.orderedAPIs() {
		if as.rest == nil {
			continue
		}
		if d := as.rest.deployment; d != nil {
			if len(as.rest.methods) == 0 {
				return propErr(d.st, d.res, "RestApiId", fmt.Errorf("API %q has no methods, and API Gateway refuses to deploy it (\"The REST API doesn't contain any methods\")", as.api.LogicalID))
			}
			for _, ms := range as.rest.methods {
				if ms.m.Integration == nil {
					return propErr(ms.src.st, ms.src.res, ms.prop, fmt.Errorf("is required: API %q is deployed, and API Gateway refuses to deploy a method without an integration (\"No integration defined for method\")", as.api.LogicalID))
				}
			}
		}
		sortRestAPI(as.api)
	}
	return nil
}
