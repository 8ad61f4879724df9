package main

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestHandle(t *testing.T) {
	tests := []struct {
		name   string
		event  string
		origin string
		want   string            // the body, compared as JSON
		header map[string]string // headers the answer must carry
	}{
		{
			name:  "payload 2.0 behind a JWT authorizer",
			event: `{"version":"2.0","routeKey":"GET /jwt","requestContext":{"stage":"$default","authorizer":{"jwt":{"claims":{"sub":"alice"},"scopes":["gatehouse/read"]}}}}`,
			want:  `{"api":"http","route":"GET /jwt","stage":"$default","authorizer":{"jwt":{"claims":{"sub":"alice"},"scopes":["gatehouse/read"]}}}`,
		},
		{
			name:  "payload 2.0 behind a Lambda authorizer",
			event: `{"version":"2.0","routeKey":"GET /lambda","requestContext":{"stage":"$default","authorizer":{"lambda":{"user":"alice","scope":""}}}}`,
			want:  `{"api":"http","route":"GET /lambda","stage":"$default","authorizer":{"lambda":{"user":"alice","scope":""}}}`,
		},
		{
			name:  "payload 2.0 behind IAM",
			event: `{"version":"2.0","routeKey":"GET /iam","requestContext":{"stage":"$default","authorizer":{"iam":{"accessKey":"ASIA1","accountId":"123456789012","callerId":"AROA1:gatehouse","userArn":"arn:aws:sts::123456789012:assumed-role/r/gatehouse","userId":"AROA1:gatehouse"}}}}`,
			want:  `{"api":"http","route":"GET /iam","stage":"$default","authorizer":{"iam":{"accessKey":"ASIA1","accountId":"123456789012","callerId":"AROA1:gatehouse","cognitoIdentity":{"amr":null,"identityId":"","identityPoolId":""},"principalOrgId":"","userArn":"arn:aws:sts::123456789012:assumed-role/r/gatehouse","userId":"AROA1:gatehouse"}}}`,
		},
		{
			name:  "payload 2.0, open route",
			event: `{"version":"2.0","routeKey":"GET /open","requestContext":{"stage":"$default"}}`,
			want:  `{"api":"http","route":"GET /open","stage":"$default","authorizer":null}`,
		},
		{
			name:  "payload 1.0 behind a policy authorizer",
			event: `{"version":"1.0","resource":"/admin","httpMethod":"GET","requestContext":{"stage":"$default","authorizer":{"principalId":"alice","user":"alice","integrationLatency":12},"identity":{"sourceIp":"127.0.0.1","userAgent":"curl"}}}`,
			want:  `{"api":"http-1.0","route":"GET /admin","stage":"$default","authorizer":{"principalId":"alice","user":"alice","integrationLatency":12},"identity":{"sourceIp":"127.0.0.1","userAgent":"curl"}}`,
		},
		{
			name:   "REST behind a Cognito authorizer, with CORS",
			event:  `{"resource":"/cognito","httpMethod":"GET","requestContext":{"stage":"v1","authorizer":{"claims":{"sub":"bob","scope":"gatehouse/read"}},"identity":{"sourceIp":"127.0.0.1","userAgent":"curl"}}}`,
			origin: "http://localhost:5173",
			want:   `{"api":"rest","route":"GET /cognito","stage":"v1","authorizer":{"claims":{"sub":"bob","scope":"gatehouse/read"}},"identity":{"sourceIp":"127.0.0.1","userAgent":"curl"}}`,
			header: map[string]string{"Access-Control-Allow-Origin": "http://localhost:5173", "Content-Type": "application/json"},
		},
		{
			name:  "REST behind IAM",
			event: `{"resource":"/iam","httpMethod":"GET","requestContext":{"stage":"v1","identity":{"accessKey":"ASIA1","accountId":"123456789012","caller":"AROA1:gatehouse","user":"AROA1:gatehouse","userArn":"arn:aws:sts::123456789012:assumed-role/r/gatehouse","sourceIp":"127.0.0.1","userAgent":"Go"}}}`,
			want:  `{"api":"rest","route":"GET /iam","stage":"v1","authorizer":null,"identity":{"accessKey":"ASIA1","accountId":"123456789012","caller":"AROA1:gatehouse","user":"AROA1:gatehouse","userArn":"arn:aws:sts::123456789012:assumed-role/r/gatehouse","sourceIp":"127.0.0.1","userAgent":"Go"}}`,
		},
		{
			name:  "brief, behind a JWT authorizer",
			event: `{"version":"2.0","routeKey":"GET /jwt","queryStringParameters":{"brief":""},"requestContext":{"stage":"$default","authorizer":{"jwt":{"claims":{"sub":"alice"},"scopes":["gatehouse/read"]}}}}`,
			want:  `{"api":"http","route":"GET /jwt","stage":"$default","authorized":true}`,
		},
		{
			name:  "brief, open route",
			event: `{"version":"2.0","routeKey":"GET /open","queryStringParameters":{"brief":"1"},"requestContext":{"stage":"$default"}}`,
			want:  `{"api":"http","route":"GET /open","stage":"$default","authorized":false}`,
		},
		{
			name:  "brief, REST behind IAM",
			event: `{"resource":"/iam","httpMethod":"GET","queryStringParameters":{"brief":"1"},"requestContext":{"stage":"v1","identity":{"userArn":"arn:aws:sts::123456789012:assumed-role/r/gatehouse","sourceIp":"127.0.0.1"}}}`,
			want:  `{"api":"rest","route":"GET /iam","stage":"v1","authorized":true}`,
		},
		{
			name:  "WebSocket message after an authorized $connect",
			event: `{"requestContext":{"routeKey":"$default","eventType":"MESSAGE","stage":"dev","connectionId":"abc=","authorizer":{"principalId":"alice","user":"alice"},"identity":{"sourceIp":"127.0.0.1"}},"body":"hi"}`,
			want:  `{"api":"websocket","route":"$default","stage":"dev","eventType":"MESSAGE","authorizer":{"principalId":"alice","user":"alice"},"identity":{"sourceIp":"127.0.0.1","userAgent":""}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := handler{allowOrigin: tt.origin}.handle(context.Background(), json.RawMessage(tt.event))
			if err != nil {
				t.Fatal(err)
			}
			var status int
			var body string
			var header map[string]string
			switch r := out.(type) {
			case events.APIGatewayV2HTTPResponse:
				status, body, header = r.StatusCode, r.Body, r.Headers
			case events.APIGatewayProxyResponse:
				status, body, header = r.StatusCode, r.Body, r.Headers
			default:
				t.Fatalf("answer of type %T", out)
			}
			if status != 200 {
				t.Errorf("status = %d", status)
			}
			var got, want any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			json.Unmarshal([]byte(tt.want), &want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("body = %s\nwant   %s", body, tt.want)
			}
			for k, v := range tt.header {
				if header[k] != v {
					t.Errorf("header %s = %q, want %q", k, header[k], v)
				}
			}
		})
	}
}

func TestHandleRefusesWhatIsNotAnEvent(t *testing.T) {
	for _, ev := range []string{
		`[1,2]`, `"text"`, `{"version":"2.0","requestContext":[]}`,
		`{"version":"2.0","requestContext":{"authorizer":{"jwt":"claims"}}}`, // not a JWT description
		`{"resource":"/x","requestContext":{"authorizer":["principal"]}}`,    // REST: an object
		`{"requestContext":{"connectionId":"x","identity":"me"}}`,
	} {
		if out, err := (handler{}).handle(context.Background(), json.RawMessage(ev)); err == nil {
			t.Errorf("%s: answered %+v, want an error", ev, out)
		}
	}
}
