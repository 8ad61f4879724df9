package deref

import (
	"reflect"
	"testing"
)

func TestString(t *testing.T) {
	s := "x"
	empty := ""
	for _, tt := range []struct {
		in   *string
		want string
	}{
		{nil, ""},
		{&empty, ""},
		{&s, "x"},
	} {
		if got := String(tt.in); got != tt.want {
			t.Errorf("String(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStringMap(t *testing.T) {
	v := "lobby"
	tests := []struct {
		name string
		in   *map[string]*string
		want map[string]string
	}{
		{"nil map", nil, nil},
		{"empty map", &map[string]*string{}, map[string]string{}},
		{"values and a nil value", &map[string]*string{"room": &v, "unset": nil}, map[string]string{"room": "lobby", "unset": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StringMap(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("StringMap = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestSlice(t *testing.T) {
	if got := Slice[int](nil); got != nil {
		t.Errorf("Slice(nil) = %v, want nil", got)
	}
	list := []string{"a", "b"}
	if got := Slice(&list); !reflect.DeepEqual(got, list) {
		t.Errorf("Slice(&%v) = %v", list, got)
	}
}

func TestStrings(t *testing.T) {
	a := "a"
	for _, tt := range []struct {
		name string
		in   *[]*string
		want []string
	}{
		{"nil", nil, nil},
		{"empty", &[]*string{}, []string{}},
		{"nil element", &[]*string{&a, nil}, []string{"a", ""}},
	} {
		if got := Strings(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Strings = %#v, want %#v", tt.name, got, tt.want)
		}
	}
}
