package authrules

import (
	"slices"
	"testing"
)

func TestDeclare(t *testing.T) {
	type spec struct{ bad bool }
	specs := map[string]*spec{
		"ok":     {},
		"broken": {bad: true},
		"nil":    nil,
		"a/b":    {},
	}
	var reported, accepted []string
	names := Declare(&specs,
		func(msgs ...string) { reported = append(reported, msgs...) },
		func(name string, s *spec) []string {
			if s.bad {
				return []string{Subject(name) + ": bad"}
			}
			return nil
		},
		func(name string, _ *spec) { accepted = append(accepted, name) })
	if want := []string{"a/b", "broken", "nil", "ok"}; !slices.Equal(names, want) {
		t.Errorf("declared names %q, want every name in order %q", names, want)
	}
	if want := []string{"ok"}; !slices.Equal(accepted, want) {
		t.Errorf("accepted %q, want %q", accepted, want)
	}
	if len(reported) != 3 || reported[1] != `authorizer "broken": bad` || reported[2] != `authorizer "nil": declaration is nil` {
		t.Errorf("reported %q, want the bad name's, broken's and nil's messages in name order", reported)
	}
	if names := Declare[spec](nil, nil, nil, nil); names != nil {
		t.Errorf("Declare(nil) = %q, want nil", names)
	}
}

func TestIdentitySourcesAndDisplayName(t *testing.T) {
	h, q := "h", "q"
	for _, tc := range []struct {
		in   *[]*string
		want []string
	}{
		{nil, []string{"def"}},
		{&[]*string{}, []string{}},
		{&[]*string{&h, &q}, []string{"h", "q"}},
	} {
		if got := IdentitySources(tc.in, "def"); !slices.Equal(got, tc.want) || got == nil {
			t.Errorf("IdentitySources(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := *DisplayName(nil, "key"); got != "key" {
		t.Errorf("DisplayName(nil, key) = %q, want the key", got)
	}
	if got := *DisplayName(&h, "key"); got != "h" {
		t.Errorf("DisplayName(h, key) = %q, want the declared name", got)
	}
}
