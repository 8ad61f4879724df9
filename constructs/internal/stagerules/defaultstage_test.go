package stagerules

import (
	"reflect"
	"testing"

	"github.com/gatehouse-dev/gatehouse/constructs/internal/validation"
)

func TestWantDefault(t *testing.T) {
	const unused = "DefaultStage is set but NoDefaultStage is true: the options would apply to no stage"
	tests := []struct {
		name       string
		noDefault  *bool
		optionsSet bool
		want       bool
		wantErrs   []string
	}{
		{"unset", nil, false, true, nil},
		{"unset with options", nil, true, true, nil},
		{"false with options", ptr(false), true, true, nil},
		{"true", ptr(true), false, false, nil},
		{"true with options", ptr(true), true, false, []string{unused}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := &validation.Errors{}
			got := WantDefault(errs, tt.noDefault, tt.optionsSet)
			if msgs := errs.Messages(); got != tt.want || !reflect.DeepEqual(msgs, tt.wantErrs) {
				t.Errorf("WantDefault = %v with %q, want %v with %q", got, msgs, tt.want, tt.wantErrs)
			}
		})
	}
}
