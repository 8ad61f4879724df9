package model

import (
	"strings"
	"testing"
)

func TestAWSManagedPolicy(t *testing.T) {
	tests := []struct {
		arn       string
		known     bool
		resources string // the first statement's resources, joined
	}{
		{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", true, "*"},
		{"arn:aws:iam::aws:policy/AdministratorAccess", true, "*"},
		{"arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs", true, "*"},
		{"arn:aws:iam::aws:policy/AmazonAPIGatewayInvokeFullAccess", true, "arn:aws:execute-api:*:*:*"},
		{"arn:aws-cn:iam::aws:policy/AmazonAPIGatewayInvokeFullAccess", true, "arn:aws-cn:execute-api:*:*:*"},
		{"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", false, ""},
		{"arn:aws:iam::123456789012:policy/AdministratorAccess", false, ""}, // a customer policy of that name
		{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole/x", false, ""},
		{"AdministratorAccess", false, ""},
	}
	for _, tt := range tests {
		stmts, ok := awsManagedPolicy(tt.arn)
		if ok != tt.known {
			t.Errorf("awsManagedPolicy(%q): known = %v, want %v", tt.arn, ok, tt.known)
			continue
		}
		if ok && strings.Join(stmts[0].Resources, ",") != tt.resources {
			t.Errorf("awsManagedPolicy(%q): resources %v, want %s", tt.arn, stmts[0].Resources, tt.resources)
		}
	}
	// Each call returns fresh statements: roles must not share (and so alter) each other's.
	a, _ := awsManagedPolicy("arn:aws:iam::aws:policy/AdministratorAccess")
	b, _ := awsManagedPolicy("arn:aws:iam::aws:policy/AdministratorAccess")
	if a[0] == b[0] {
		t.Error("awsManagedPolicy returns shared statements")
	}
}
