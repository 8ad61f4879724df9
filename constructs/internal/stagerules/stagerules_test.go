package stagerules

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/validation"
)

func ptr[T any](v T) *T { return &v }

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestCheckName(t *testing.T) {
	tests := []struct {
		protocol Protocol
		name     string
		want     string // the whole message; "" means valid
	}{
		{HTTP, "dev", ""},
		{HTTP, "$default", ""},
		{HTTP, "a-b_C9", ""},
		{HTTP, strings.Repeat("s", 128), ""},
		{HTTP, "v1.0", `stage name "v1.0": must be "$default" or 1 to 128 letters, digits, "-" and "_"`},
		{HTTP, "", `stage name "": must be "$default" or 1 to 128 letters, digits, "-" and "_"`},
		{HTTP, strings.Repeat("s", 129), `must be "$default" or 1 to 128`},
		{HTTP, "$dev", `stage name "$dev": must be "$default" or 1 to 128`},
		{WebSocket, "dev", ""},
		{WebSocket, strings.Repeat("s", 128), ""},
		{WebSocket, "$default", `stage name "$default": WebSocket APIs have no $default stage; the stage name is the first path segment of the URL (wss://{api-id}.execute-api.{region}.amazonaws.com/{stage})`},
		{WebSocket, "v1.0", `stage name "v1.0": must be 1 to 128 letters, digits, "-" and "_"`},
		{WebSocket, "", `stage name "": must be 1 to 128 letters, digits, "-" and "_"`},
		{WebSocket, strings.Repeat("s", 129), `: must be 1 to 128`},
		{REST, "prod", ""},
		{REST, "v1_beta-2", ""},
		{REST, strings.Repeat("s", 128), ""},
		{REST, "$default", `stage name "$default": REST APIs have no $default stage; the stage name is the first path segment of the URL (https://{api-id}.execute-api.{region}.amazonaws.com/{stage})`},
		{REST, "v1.0", `stage name "v1.0": must be 1 to 128 letters, digits, "-" and "_"`},
		{REST, "", `stage name "": must be 1 to 128 letters, digits, "-" and "_"`},
		{REST, strings.Repeat("s", 129), `: must be 1 to 128`},
	}
	for _, tt := range tests {
		got := errString(CheckName(tt.protocol, tt.name))
		if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
			t.Errorf("CheckName(%v, %q) = %q, want %q", tt.protocol, tt.name, got, tt.want)
		}
	}
}

func TestCheckVariables(t *testing.T) {
	many := map[string]string{}
	for i := 0; i <= MaxVariables; i++ {
		many["v"+strconv.Itoa(i)] = "x"
	}
	tests := []struct {
		name string
		vars map[string]string
		want []string
	}{
		{"none", nil, nil},
		{"ok", map[string]string{"greeting": "hello from dev", "url": "example.com/a?b=c", "n_1": "-._~:/?#&=,"}, nil},
		{"longest name and value", map[string]string{strings.Repeat("n", 64): strings.Repeat("v", 512)}, nil},
		{"name with dash", map[string]string{"a-b": "x"}, []string{`stage "dev": stage variable name "a-b" must be 1 to 64 letters, digits and "_"`}},
		{"name too long", map[string]string{strings.Repeat("n", 65): "x"}, []string{`stage "dev": stage variable name "` + strings.Repeat("n", 65) + `" must be 1 to 64 letters, digits and "_"`}},
		{"value charset", map[string]string{"a": "x<y"}, []string{`stage "dev": stage variable "a": value must be 1 to 512 characters of letters, digits, spaces and -._~:/?#&=,`}},
		{"value empty", map[string]string{"a": ""}, []string{`stage "dev": stage variable "a": value must be 1 to 512 characters of letters, digits, spaces and -._~:/?#&=,`}},
		{"value too long", map[string]string{"a": strings.Repeat("v", 513)}, []string{`stage "dev": stage variable "a": value must be 1 to 512 characters of letters, digits, spaces and -._~:/?#&=,`}},
		{"in name order, name before value", map[string]string{"z": "", "b-": "<"}, []string{
			`stage "dev": stage variable name "b-" must be 1 to 64 letters, digits and "_"`,
			`stage "dev": stage variable "b-": value must be 1 to 512 characters of letters, digits, spaces and -._~:/?#&=,`,
			`stage "dev": stage variable "z": value must be 1 to 512 characters of letters, digits, spaces and -._~:/?#&=,`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckVariables("dev", tt.vars); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("CheckVariables = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("too many", func(t *testing.T) {
		got := CheckVariables("dev", many)
		if len(got) != 1 || got[0] != `stage "dev": has 101 stage variables, at most 100 are allowed` {
			t.Errorf("CheckVariables(101 variables) = %q", got)
		}
	})
}

func TestValidVariableName(t *testing.T) {
	for name, want := range map[string]bool{
		"room": true, "A_1": true, strings.Repeat("n", 64): true,
		"": false, "a-b": false, "a.b": false, "a b": false, strings.Repeat("n", 65): false,
	} {
		if got := ValidVariableName(name); got != want {
			t.Errorf("ValidVariableName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestCheckIntegrationURL(t *testing.T) {
	tests := []struct {
		url  string
		want string // "" means valid
	}{
		{"https://example.com/{proxy}", ""},
		{"http://localhost:8080/echo", ""},
		// Every place the guide's stage variables reference puts a variable.
		{"http://${stageVariables.url}", ""},
		{"http://${stageVariables.host}/resource/operation", ""},
		{"http://${stageVariables.sub}.example.com/resource/operation", ""},
		{"http://example.com/${stageVariables.path}/bar", ""},
		{"http://example.com/foo?q=${stageVariables.q}", ""},
		{"/dev/x", `route "r": HTTP integration URL "/dev/x" must be an absolute http:// or https:// URL`},
		{"example.com", "must be an absolute http:// or https:// URL"},
		{"ftp://x", "must be an absolute"},
		{"${stageVariables.url}", "must be an absolute"},
		{"http://${stageVariables.a-b}", "must be an absolute"},
		{"http://", "must be an absolute"},
	}
	for _, tt := range tests {
		got := errString(CheckIntegrationURL("r", tt.url))
		if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
			t.Errorf("CheckIntegrationURL(%q) = %q, want %q", tt.url, got, tt.want)
		}
		// The same rule without a route: the message is the route's without its prefix.
		bare := errString(IntegrationURLError(tt.url))
		if bare != strings.TrimPrefix(got, `route "r": `) {
			t.Errorf("IntegrationURLError(%q) = %q, want %q", tt.url, bare, strings.TrimPrefix(got, `route "r": `))
		}
	}
}

func TestCheckThrottle(t *testing.T) {
	tests := []struct {
		name string
		t    *awsapigatewayv2.ThrottleSettings
		want []string
	}{
		{"nil", nil, nil},
		{"unset limits", &awsapigatewayv2.ThrottleSettings{}, nil},
		{"ok", &awsapigatewayv2.ThrottleSettings{RateLimit: ptr(10.5), BurstLimit: ptr(20.0)}, nil},
		{"zero", &awsapigatewayv2.ThrottleSettings{RateLimit: ptr(0.0), BurstLimit: ptr(0.0)}, nil},
		{"negative rate", &awsapigatewayv2.ThrottleSettings{RateLimit: ptr(-1.0)}, []string{`s: throttling rate limit -1 must not be negative`}},
		{"NaN rate", &awsapigatewayv2.ThrottleSettings{RateLimit: ptr(math.NaN())}, []string{`s: throttling rate limit NaN must not be negative`}},
		{"fractional burst", &awsapigatewayv2.ThrottleSettings{BurstLimit: ptr(1.5)}, []string{`s: throttling burst limit 1.5 must be a non-negative whole number`}},
		{"negative burst", &awsapigatewayv2.ThrottleSettings{BurstLimit: ptr(-1.0)}, []string{`s: throttling burst limit -1 must be a non-negative whole number`}},
		{"both", &awsapigatewayv2.ThrottleSettings{RateLimit: ptr(-2.0), BurstLimit: ptr(-2.0)}, []string{
			`s: throttling rate limit -2 must not be negative`,
			`s: throttling burst limit -2 must be a non-negative whole number`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckThrottle("s", tt.t); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("CheckThrottle = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCheck pins the order of a stage's messages: a synth error lists them as Check returns them.
func TestCheck(t *testing.T) {
	bad := &awsapigatewayv2.ThrottleSettings{RateLimit: ptr(-1.0)}
	tests := []struct {
		name     string
		protocol Protocol
		opts     Options
		taken    bool
		want     []string
	}{
		{"valid HTTP $default", HTTP, Options{
			Name:          ptr("$default"),
			Variables:     &map[string]*string{"greeting": ptr("hi")},
			Throttle:      &awsapigatewayv2.ThrottleSettings{RateLimit: ptr(100.0), BurstLimit: ptr(50.0)},
			RouteThrottle: &map[string]*awsapigatewayv2.ThrottleSettings{"GET /items/{id}": {RateLimit: ptr(1.0)}, "GET /x": nil},
		}, false, nil},
		{"valid WebSocket", WebSocket, Options{Name: ptr("dev")}, false, nil},
		{"valid REST", REST, Options{Name: ptr("prod"), Variables: &map[string]*string{"origin": ptr("https://example.com")}}, false, nil},
		{"REST without $default", REST, Options{Name: ptr("$default")}, false, []string{
			`stage name "$default": REST APIs have no $default stage; the stage name is the first path segment of the URL (https://{api-id}.execute-api.{region}.amazonaws.com/{stage})`,
		}},
		{"taken", WebSocket, Options{Name: ptr("dev")}, true, []string{`stage "dev": defined twice (stage names are unique within an API)`}},
		{"no name, nothing else checked", HTTP, Options{Throttle: bad}, true, []string{"stage: Name is required"}},
		{"every rule, in order", WebSocket, Options{
			Name:          ptr("$default"),
			Variables:     &map[string]*string{"a-b": ptr("x")},
			Throttle:      bad,
			RouteThrottle: &map[string]*awsapigatewayv2.ThrottleSettings{"sendmessage": bad, "$connect": bad},
		}, true, []string{
			`stage name "$default": WebSocket APIs have no $default stage; the stage name is the first path segment of the URL (wss://{api-id}.execute-api.{region}.amazonaws.com/{stage})`,
			`stage "$default": defined twice (stage names are unique within an API)`,
			`stage "$default": stage variable name "a-b" must be 1 to 64 letters, digits and "_"`,
			`stage "$default": throttling rate limit -1 must not be negative`,
			`stage "$default": route "$connect": throttling rate limit -1 must not be negative`,
			`stage "$default": route "sendmessage": throttling rate limit -1 must not be negative`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Check(tt.protocol, tt.opts, tt.taken); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Check = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAdmit(t *testing.T) {
	stages := map[string]int{"dev": 1}
	tests := []struct {
		name string
		opts Options
		want []string // recorded messages; none means admitted
	}{
		{"new name", Options{Name: ptr("prod")}, nil},
		{"taken name", Options{Name: ptr("dev")}, []string{`stage "dev": defined twice (stage names are unique within an API)`}},
		{"no name", Options{}, []string{"stage: Name is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := &validation.Errors{}
			ok := Admit(errs, WebSocket, tt.opts, stages)
			if got := errs.Messages(); !reflect.DeepEqual(got, tt.want) || ok != (len(tt.want) == 0) {
				t.Errorf("Admit = %v with %q, want %v with %q", ok, got, len(tt.want) == 0, tt.want)
			}
		})
	}
}

func TestAutoDeploy(t *testing.T) {
	for _, tt := range []struct {
		set  *bool
		want bool
	}{{nil, true}, {ptr(true), true}, {ptr(false), false}} {
		if got := AutoDeploy(tt.set); got == nil || *got != tt.want {
			t.Errorf("AutoDeploy(%v) = %v, want %v", tt.set, got, tt.want)
		}
	}
}

func TestRouteSettings(t *testing.T) {
	tests := []struct {
		name    string
		byRoute map[string]*awsapigatewayv2.ThrottleSettings
		want    map[string]any
	}{
		{"none", nil, map[string]any{}},
		{"both limits, CloudFormation names", map[string]*awsapigatewayv2.ThrottleSettings{
			"GET /items/{id}": {RateLimit: ptr(1.0), BurstLimit: ptr(2.0)},
		}, map[string]any{"GET /items/{id}": map[string]any{"ThrottlingRateLimit": 1.0, "ThrottlingBurstLimit": 2.0}}},
		{"one limit each, nil left out", map[string]*awsapigatewayv2.ThrottleSettings{
			"sendmessage": {RateLimit: ptr(10.0)}, "$connect": {BurstLimit: ptr(5.0)}, "$default": nil, "ping": {},
		}, map[string]any{
			"sendmessage": map[string]any{"ThrottlingRateLimit": 10.0},
			"$connect":    map[string]any{"ThrottlingBurstLimit": 5.0},
			"ping":        map[string]any{},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RouteSettings(tt.byRoute); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("RouteSettings = %#v, want %#v", got, tt.want)
			}
		})
	}
}
