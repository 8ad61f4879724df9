package model

import "testing"

func TestDecodeResourcePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/", "/"},                        // the root
		{"/*", "/*"},                      // every resource
		{"/~1items", "/items"},            // CloudFormation's escaped form
		{"/~1items~1{id}", "/items/{id}"}, // nested
		{"/~1a~0b", "/a~b"},               // an escaped tilde
		{"/items/{id}", "/items/{id}"},    // written unescaped
		{"/~1files~1{proxy+}", "/files/{proxy+}"},
	}
	for _, tt := range tests {
		if got := decodeResourcePath(tt.in); got != tt.want {
			t.Errorf("decodeResourcePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitMethodKey(t *testing.T) {
	tests := []struct {
		key        string
		path, verb string // empty when the key is refused
	}{
		{"/items/GET", "/items", "GET"},
		{"/items/{id}/delete", "/items/{id}", "DELETE"},
		{"//GET", "/", "GET"}, // the root resource, as the CDK writes it
		{"/*/*", "/*", "*"},
		{"/items/", "", ""},
		{"items/GET", "", ""},
		{"/GET", "", ""}, // no resource path
		{"/items/FETCH", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		path, verb, ok := splitMethodKey(tt.key)
		if ok != (tt.path != "") || path != tt.path || verb != tt.verb {
			t.Errorf("splitMethodKey(%q) = %q, %q, %v; want %q, %q", tt.key, path, verb, ok, tt.path, tt.verb)
		}
	}
}

func TestCheckPathPart(t *testing.T) {
	tests := []struct {
		part string
		ok   bool
	}{
		{"items", true},
		{"{id}", true},
		{"{proxy+}", true},
		{"v1.2", true},
		{"", false},
		{"a/b", false},
		{"item{id}", false},
		{"{id}x", false},
		{"{}", false},
		{"{+}", false},
		{"{a{b}}", false},
		{"{id", false},
	}
	for _, tt := range tests {
		if err := checkPathPart(tt.part); (err == nil) != tt.ok {
			t.Errorf("checkPathPart(%q) = %v, want ok=%v", tt.part, err, tt.ok)
		}
	}
}

func TestModelName(t *testing.T) {
	tests := []struct{ path, verb, role, want string }{
		{"/items/{id}", "POST", "Request", "PostItemsIdRequest"},
		{"/", "GET", "200Response", "Get200Response"},
		{"/store-inventory/v1.2", "PUT", "Request", "PutStoreInventoryV12Request"},
		{"/files/{proxy+}", "ANY", "Request", "AnyFilesProxyRequest"},
		{"/cafés", "GET", "Request", "GetCafSRequest"}, // model names are ASCII alphanumeric
	}
	for _, tt := range tests {
		if got := modelName(tt.path, tt.verb, tt.role); got != tt.want {
			t.Errorf("modelName(%q, %q) = %q, want %q", tt.path, tt.verb, got, tt.want)
		}
	}
}

func TestAWSServiceInURI(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations", "lambda"},
		{"arn:aws:apigateway:us-east-1:sqs:path/123456789012/queue", "sqs"},
		{"arn:aws-cn:apigateway:cn-north-1:dynamodb:action/PutItem", "dynamodb"},
		{"arn:aws:lambda:us-east-1:1:function:f", ""},
		{"https://example.com", ""},
	}
	for _, tt := range tests {
		if got := awsServiceInURI(tt.uri); got != tt.want {
			t.Errorf("awsServiceInURI(%q) = %q, want %q", tt.uri, got, tt.want)
		}
	}
}
