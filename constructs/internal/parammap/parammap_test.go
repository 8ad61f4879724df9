package parammap

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{
		"q": true, "X-Api-Key": true, "a.b_c$d-1": true, "": false, "a b": false, "a/b": false, "é": false,
	} {
		if got := ValidName(name); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestCheckSources(t *testing.T) {
	tests := []struct {
		check func(string) error
		src   string
		err   string // substring of the error; "" for none
	}{
		{CheckStatic, "'gatehouse'", ""},
		{CheckStatic, "''", ""},
		{CheckStatic, "'", "enclosed in single quotes"},
		{CheckStatic, "'open", "enclosed in single quotes"},
		{CheckStageVariable, "stageVariables.host_1", ""},
		{CheckStageVariable, "stageVariables.", "stage variable name \"\""},
		{CheckStageVariable, "stageVariables.a-b", "letters, digits and \"_\""},
		{CheckStageVariable, "stageVariables." + strings.Repeat("a", 65), "1 to 64"},
	}
	for _, tt := range tests {
		err := tt.check(tt.src)
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s: error %v, want %q", tt.src, err, tt.err)
		}
	}
}

func TestRequestsCheck(t *testing.T) {
	r := Requests{
		Dest:      regexp.MustCompile(`^integration\.request\.(header|querystring)\.(.+)$`),
		DestForms: "integration.request.header.NAME or integration.request.querystring.NAME",
		Source: func(src string) (string, error) {
			switch {
			case strings.HasPrefix(src, "req."):
				return "declared." + strings.TrimPrefix(src, "req."), nil
			case src == "bad":
				return "", errors.New("bad source")
			}
			return "", nil
		},
	}
	what := func(dest string) string { return fmt.Sprintf("route %q: request parameter %q", "r", dest) }
	errs, declared := r.Check(what, map[string]string{
		"integration.request.header.b":      "req.y",
		"integration.request.header.a":      "req.y", // declared once
		"integration.request.querystring.c": "req.x",
		"integration.request.path.p":        "'v'", // not a destination of this grammar
		"integration.request.header.a b":    "bad", // bad name and bad source: both reported
		"integration.request.header.d":      "'static'",
	})
	wantErrs := []string{
		`route "r": request parameter "integration.request.header.a b": name "a b" must match ^[a-zA-Z0-9._$-]+$`,
		`route "r": request parameter "integration.request.header.a b": bad source`,
		`route "r": request parameter "integration.request.path.p" must be integration.request.header.NAME or integration.request.querystring.NAME`,
	}
	if !slices.Equal(errs, wantErrs) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(wantErrs, "\n"))
	}
	// In destination order: header.a, header.b, querystring.c.
	if want := []string{"declared.y", "declared.x"}; !slices.Equal(declared, want) {
		t.Errorf("declared %q, want %q", declared, want)
	}
}
