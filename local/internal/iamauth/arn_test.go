package iamauth

import "testing"

func TestARNs(t *testing.T) {
	cases := []struct {
		name, got, want string
	}{
		{"connections", ConnectionsARN("us-east-1", "123456789012", "abc123", "dev", "post", "R0oXAdfD0kwCH6w="),
			"arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/@connections/R0oXAdfD0kwCH6w="},
		{"method", MethodARN("us-east-1", "123456789012", "abc123", "test", "get", "/pets/a1b2"),
			"arn:aws:execute-api:us-east-1:123456789012:abc123/test/GET/pets/a1b2"},
		{"method at the root", MethodARN("us-west-2", "123456789012", "vd2gh6uqw3", "api", "GET", "/"),
			"arn:aws:execute-api:us-west-2:123456789012:vd2gh6uqw3/api/GET/"},
		{"method on the default stage", MethodARN("us-east-1", "123456789012", "abc123", "$default", "ANY", "/x"),
			"arn:aws:execute-api:us-east-1:123456789012:abc123/$default/ANY/x"},
		{"route", RouteARN("us-east-1", "123456789012", "abc123", "prod", "$connect"),
			"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/$connect"},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, tc.got, tc.want)
		}
	}
}

func TestAssumedRoleARN(t *testing.T) {
	cases := []struct {
		role, session, want string
		wantErr             bool
	}{
		{"arn:aws:iam::123456789012:role/MyStack-FnServiceRole-ABC", "MyStack-Fn-XYZ", "arn:aws:sts::123456789012:assumed-role/MyStack-FnServiceRole-ABC/MyStack-Fn-XYZ", false},
		{"arn:aws:iam::123456789012:role/service-role/path/Name", "fn", "arn:aws:sts::123456789012:assumed-role/Name/fn", false},
		{"arn:aws-cn:iam::123456789012:role/Name", "fn", "arn:aws-cn:sts::123456789012:assumed-role/Name/fn", false},
		{"arn:aws:iam::123456789012:user/bob", "fn", "", true},
		{"MyRole", "fn", "", true},
	}
	for _, tc := range cases {
		got, err := AssumedRoleARN(tc.role, tc.session)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("AssumedRoleARN(%q) = %q, %v; want %q, error %v", tc.role, got, err, tc.want, tc.wantErr)
		}
	}
}
