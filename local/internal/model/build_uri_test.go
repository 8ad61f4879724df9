package model

import "testing"

func TestFunctionNameInURI(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"arn:aws:lambda:us-east-1:123456789012:function:items", "items"},
		{"arn:aws:lambda:us-east-1:123456789012:function:items:live", "items"}, // alias
		{"arn:aws:lambda:us-east-1:123456789012:function:items:7", "items"},    // version
		{"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:items/invocations", "items"},
		{"arn:aws-cn:apigateway:cn-north-1:lambda:path/2015-03-31/functions/arn:aws-cn:lambda:cn-north-1:1:function:items:live/invocations", "items"},
		{"items", "items"},
		{"https://example.com/items", ""},
		{"arn:aws:sqs:us-east-1:1:queue", ""},
		{"arn:aws:apigateway:us-east-1:lambda:path/nothing", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := functionNameInURI(tt.uri); got != tt.want {
			t.Errorf("functionNameInURI(%q) = %q, want %q", tt.uri, got, tt.want)
		}
	}
}
