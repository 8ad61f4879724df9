package selexpr

import (
	"strings"
	"testing"
)

func TestSelectRoute(t *testing.T) {
	chat := []string{"$connect", "$disconnect", "joinroom", "sendmessage", "$default"}
	noDefault := []string{"$connect", "joinroom"}
	tests := []struct {
		value string   // evaluated route selection expression
		ok    bool     // whether it could be evaluated
		keys  []string // the API's route keys
		want  string   // selected route key
	}{
		// The guide's chat example: {"action":"joinroom",...} invokes joinroom.
		{"joinroom", true, chat, "joinroom"},
		{"sendmessage", true, chat, "sendmessage"},
		// "exactly matches": case and spaces count.
		{"JoinRoom", true, chat, "$default"},
		{"joinroom ", true, chat, "$default"},
		// No match, or not evaluable: $default, if there is one.
		{"leave", true, chat, "$default"},
		{"joinroom", false, chat, "$default"},
		{"", false, chat, "$default"},
		{"leave", true, noDefault, ""},
		{"", false, noDefault, ""},
		// A message never selects $connect or $disconnect.
		{"$connect", true, chat, "$default"},
		{"$disconnect", true, noDefault, ""},
		// "\$default" evaluates to $default: the $default route.
		{"$default", true, chat, "$default"},
		{"x", true, nil, ""},
	}
	for _, tt := range tests {
		if got := SelectRoute(tt.value, tt.ok, tt.keys); got != tt.want {
			t.Errorf("SelectRoute(%q, %v, %q) = %q; want %q", tt.value, tt.ok, tt.keys, got, tt.want)
		}
	}
}

func TestSelectKey(t *testing.T) {
	tests := []struct {
		value  string
		ok     bool
		keys   []string
		want   string
		wantOK bool
	}{
		// The guide's mock tutorial: template selection expression 200, template key 200.
		{"200", true, []string{"200"}, "200", true},
		// Its Step Functions route: expression \$default, key entered as \$default.
		{"$default", true, []string{`\$default`}, `\$default`, true},
		{"$default", true, []string{"$default"}, "$default", true},
		// "fall back to the $default template if a matching template is not found".
		{"email", true, []string{"sms", "$default"}, "$default", true},
		{"email", false, []string{"email", "$default"}, "$default", true},
		{"email", true, []string{"email", "$default"}, "email", true},
		// Model selection: "If there is no matching model and $default isn't defined, the
		// validation fails."
		{"email", true, []string{"sms"}, "", false},
		{"", false, nil, "", false},
	}
	for _, tt := range tests {
		got, ok := SelectKey(tt.value, tt.ok, tt.keys)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("SelectKey(%q, %v, %q) = %q, %v; want %q, %v", tt.value, tt.ok, tt.keys, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestSelectTemplate(t *testing.T) {
	json := []string{"application/json"}
	tests := []struct {
		value    string
		ok       bool
		keys     []string
		pt       Passthrough
		wantKey  string
		wantDeci TemplateDecision
	}{
		// A matching template is used whatever the passthrough behavior.
		{"application/json", true, json, WhenNoMatch, "application/json", UseTemplate},
		{"application/json", true, json, WhenNoTemplates, "application/json", UseTemplate},
		{"application/json", true, json, Never, "application/json", UseTemplate},
		{"x", true, []string{"$default"}, Never, "$default", UseTemplate},
		// Templates defined, none matches (the guide's application/xml row).
		{"application/xml", true, json, WhenNoMatch, "", PassThrough},
		{"application/xml", true, json, WhenNoTemplates, "", Reject},
		{"application/xml", true, json, Never, "", Reject},
		{"", false, json, WhenNoTemplates, "", Reject},
		// No templates defined.
		{"x", true, nil, WhenNoMatch, "", PassThrough},
		{"x", true, nil, WhenNoTemplates, "", PassThrough},
		{"x", true, nil, Never, "", Reject},
	}
	for _, tt := range tests {
		k, d := SelectTemplate(tt.value, tt.ok, tt.keys, tt.pt)
		if k != tt.wantKey || d != tt.wantDeci {
			t.Errorf("SelectTemplate(%q, %v, %q, %v) = %q, %v; want %q, %v", tt.value, tt.ok, tt.keys, tt.pt, k, d, tt.wantKey, tt.wantDeci)
		}
	}
}

func TestParsePassthrough(t *testing.T) {
	for s, want := range map[string]Passthrough{"": WhenNoMatch, "WHEN_NO_MATCH": WhenNoMatch, "when_no_templates": WhenNoTemplates, "NEVER": Never} {
		got, err := ParsePassthrough(s)
		if err != nil || got != want {
			t.Errorf("ParsePassthrough(%q) = %v, %v; want %v", s, got, err, want)
		}
		if s != "" && !strings.EqualFold(got.String(), s) {
			t.Errorf("%v.String() = %q; want %q", got, got.String(), s)
		}
	}
	if _, err := ParsePassthrough("WHEN_NO_TEMPLATE"); err == nil || !strings.Contains(err.Error(), `"WHEN_NO_TEMPLATE"`) {
		t.Errorf("ParsePassthrough(WHEN_NO_TEMPLATE) = %v; want an error naming it", err)
	}
}
