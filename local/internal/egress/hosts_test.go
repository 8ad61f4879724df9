package egress

import (
	"context"
	"errors"
	"net/netip"
	"testing"
)

func TestHostClassification(t *testing.T) {
	tests := []struct {
		host     string // as normalHost returns it
		aws      bool   // refused unless Local
		metadata bool   // never dialled, even if a name resolves to it
	}{
		{"dynamodb.us-east-1.amazonaws.com", true, false},
		{"sts.amazonaws.com", true, false},
		{"amazonaws.com", true, false},
		{"abc.execute-api.eu-west-1.amazonaws.com", true, false}, // unless Local says it is a known API
		{"s3.cn-north-1.amazonaws.com.cn", true, false},
		{"lambda.us-east-1.api.aws", true, false},
		{"169.254.169.254", true, true},
		{"169.254.170.2", true, true}, // ECS credentials
		{"fd00:ec2::254", true, true},
		{"fe80::1", true, true},
		{"::ffff:169.254.169.254", true, true},
		{"abc.execute-api.localhost", false, false},
		{"example.com", false, false},
		{"notamazonaws.com", false, false},
		{"amazonaws.com.evil.example", false, false},
		{"aws", false, false},
		{"127.0.0.1", false, false},
		{"10.0.0.1", false, false},
		{"::1", false, false},
	}
	for _, tt := range tests {
		if got := isAWSHost(tt.host); got != tt.aws {
			t.Errorf("isAWSHost(%q) = %v, want %v", tt.host, got, tt.aws)
		}
		a, err := netip.ParseAddr(tt.host)
		if err != nil {
			continue
		}
		if got := isMetadataAddr(a); got != tt.metadata {
			t.Errorf("isMetadataAddr(%s) = %v, want %v", tt.host, got, tt.metadata)
		}
		err = refuseMetadata(context.Background(), "tcp", netip.AddrPortFrom(a, 80).String(), nil)
		if got := errors.Is(err, errMetadata); got != tt.metadata {
			t.Errorf("refuseMetadata(%s) = %v, want refused %v", tt.host, err, tt.metadata)
		}
	}
}

func TestSplitAuthority(t *testing.T) {
	tests := []struct {
		authority, def string
		host, port     string
		header         string // hostHeader(host, port, def)
		wantErr        bool
	}{
		{"abc.execute-api.localhost:443", "443", "abc.execute-api.localhost", "443", "abc.execute-api.localhost", false},
		{"ABC.Execute-API.localhost.:443", "443", "abc.execute-api.localhost", "443", "abc.execute-api.localhost", false},
		{"abc.execute-api.localhost", "80", "abc.execute-api.localhost", "80", "abc.execute-api.localhost", false},
		{"abc.execute-api.localhost:8443", "443", "abc.execute-api.localhost", "8443", "abc.execute-api.localhost:8443", false},
		{"[::1]:443", "443", "::1", "443", "[::1]", false},
		{"[::1]", "80", "::1", "80", "[::1]", false},
		{"[::1]:8080", "80", "::1", "8080", "[::1]:8080", false},
		{"127.0.0.1:9", "80", "127.0.0.1", "9", "127.0.0.1:9", false},
		{"host:", "443", "host", "443", "host", false},
		{":443", "443", "", "", "", true},
		{"", "443", "", "", "", true},
		{"host:0", "443", "", "", "", true},
		{"host:70000", "443", "", "", "", true},
		{"host:http", "443", "", "", "", true},
	}
	for _, tt := range tests {
		host, port, err := splitAuthority(tt.authority, tt.def)
		if (err != nil) != tt.wantErr || host != tt.host || port != tt.port {
			t.Errorf("splitAuthority(%q) = %q, %q, %v; want %q, %q, error %v", tt.authority, host, port, err, tt.host, tt.port, tt.wantErr)
			continue
		}
		if err == nil {
			if h := hostHeader(host, port, tt.def); h != tt.header {
				t.Errorf("hostHeader(%q, %q, %q) = %q, want %q", host, port, tt.def, h, tt.header)
			}
		}
	}
}
