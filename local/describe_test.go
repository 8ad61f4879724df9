package local

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

func TestDescribeWebSocketAndKeys(t *testing.T) {
	m := &model.Model{
		APIs: []*model.API{{Stack: "S", LogicalID: "Ws", ID: "ws1", Name: "chat", Protocol: model.ProtocolWebSocket,
			Stages: []*model.Stage{{Name: "dev"}, {Name: "prod"}}, Routes: []*model.Route{{Key: "$connect"}, {Key: "send"}}}},
		APIKeys: []*model.APIKey{
			{Name: "k1", Value: "v1", Enabled: true, Stages: []model.APIStage{{APIID: "ws1", Stage: "dev"}, {APIID: "other", Stage: "x"}}},
			{Name: "off", Value: "v2", Enabled: false, Stages: []model.APIStage{{APIID: "ws1", Stage: "dev"}}},
			{Name: "elsewhere", Value: "v3", Enabled: true, Stages: []model.APIStage{{APIID: "other", Stage: "dev"}}},
		},
	}
	got := describe(m, "127.0.0.1:3000", "")
	if len(got) != 1 {
		t.Fatalf("%d APIs", len(got))
	}
	dev, _ := got[0].Stage("dev")
	want := StageInfo{Name: "dev", URL: "ws://127.0.0.1:3000/ws1/dev", HostURL: "ws://ws1.execute-api.localhost:3000/dev", CallbackURL: "http://127.0.0.1:3000/ws1/dev"}
	if !reflect.DeepEqual(dev, want) {
		t.Errorf("dev stage = %+v, want %+v", dev, want)
	}
	if keys := got[0].APIKeys; !reflect.DeepEqual(keys, []APIKeyInfo{{Name: "k1", Value: "v1", Stages: []string{"dev"}}}) {
		t.Errorf("API keys = %+v; want only the enabled key, with this API's stages", keys)
	}
}

func TestDescribeRESTRoutes(t *testing.T) {
	m := &model.Model{APIs: []*model.API{{Stack: "S", LogicalID: "Rest", ID: "r1", Name: "shop", Protocol: model.ProtocolREST,
		Stages: []*model.Stage{{Name: "prod"}},
		Resources: []*model.Resource{
			{Path: "/", Methods: []*model.Method{{HTTPMethod: "GET"}}},
			{Path: "/items/{id}", Methods: []*model.Method{{HTTPMethod: "ANY"}, {HTTPMethod: "GET"}}},
		}}}}
	got := describe(m, "127.0.0.1:3000", "")[0]
	if want := []string{"GET /", "ANY /items/{id}", "GET /items/{id}"}; !reflect.DeepEqual(got.Routes, want) {
		t.Errorf("routes = %q, want %q", got.Routes, want)
	}
	if prod, _ := got.Stage("prod"); prod.URL != "http://127.0.0.1:3000/r1/prod" || prod.CallbackURL != "" {
		t.Errorf("prod stage = %+v", prod)
	}
}

// TestDescribeAuthorizers pins the JSON shape `gatehouse routes --json` gives authorizers and
// route authorization, and the text line of each authorizer.
func TestDescribeAuthorizers(t *testing.T) {
	m := &model.Model{
		Functions: []*model.Function{{Name: "auth"}},
		APIs: []*model.API{
			{Stack: "S", LogicalID: "Http", ID: "h1", Name: "http", Protocol: model.ProtocolHTTP,
				Stages: []*model.Stage{{Name: model.DefaultStage}},
				Routes: []*model.Route{
					{Key: "GET /jwt", AuthorizationType: "JWT", AuthorizerLogicalID: "JwtAuth", AuthorizationScopes: []string{"read", "write"}},
					{Key: "GET /lambda", AuthorizationType: "CUSTOM", AuthorizerLogicalID: "Simple", AuthorizationScopes: []string{"ignored"}},
					{Key: "GET /iam", AuthorizationType: "AWS_IAM"},
					{Key: "GET /open", AuthorizationType: "NONE"},
					{Key: "GET /unset"},
				},
				Authorizers: map[string]*model.Authorizer{
					"JwtAuth": {LogicalID: "JwtAuth", Name: "jwt", Type: "JWT", Issuer: "https://issuer.example.com",
						Audience: []string{"api"}, IdentitySource: []string{"$request.header.Authorization"}},
					"Simple": {LogicalID: "Simple", Name: "simple", Type: "REQUEST", Function: "auth", PayloadFormatVersion: "2.0",
						EnableSimpleResponses: true, IdentitySource: []string{"$request.header.X-Token"}, ResultTTL: 300 * time.Second},
				}},
			{Stack: "S", LogicalID: "Rest", ID: "r1", Name: "rest", Protocol: model.ProtocolREST,
				Stages: []*model.Stage{{Name: "prod", Variables: map[string]string{"fn": "auth"}}, {Name: "dev", Variables: map[string]string{"fn": "gone"}}},
				Resources: []*model.Resource{{Path: "/items", Methods: []*model.Method{
					{HTTPMethod: "GET", AuthorizationType: "COGNITO_USER_POOLS", AuthorizerLogicalID: "Pool", AuthorizationScopes: []string{"shop/read"}},
					{HTTPMethod: "POST", AuthorizationType: "CUSTOM", AuthorizerLogicalID: "Staged"},
				}}},
				Authorizers: map[string]*model.Authorizer{
					"Pool": {LogicalID: "Pool", Name: "users", Type: "COGNITO_USER_POOLS", IdentitySource: []string{"method.request.header.Authorization"},
						ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_a", "arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_b"},
						Issuers:      []string{"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_a", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_b"}},
					"Staged": {LogicalID: "Staged", Name: "staged", Type: "TOKEN", IdentitySource: []string{"method.request.header.Authorization"},
						URI: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:${stageVariables.fn}/invocations", ResultTTL: 300 * time.Second},
				}},
		},
	}
	got := describe(m, "127.0.0.1:3000", "")
	type shape struct {
		RouteAuth   map[string]string `json:"routeAuth"`
		Authorizers []AuthorizerInfo  `json:"authorizers"`
	}
	var shapes []shape
	for _, a := range got {
		shapes = append(shapes, shape{a.RouteAuth, a.Authorizers})
	}
	js, err := json.MarshalIndent(shapes, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	const want = `[
  {
    "routeAuth": {
      "GET /iam": "AWS_IAM",
      "GET /jwt": "JWT jwt [read write]",
      "GET /lambda": "CUSTOM simple"
    },
    "authorizers": [
      {
        "name": "jwt",
        "logicalId": "JwtAuth",
        "type": "JWT",
        "issuers": [
          "https://issuer.example.com"
        ],
        "audience": [
          "api"
        ],
        "identitySource": [
          "$request.header.Authorization"
        ]
      },
      {
        "name": "simple",
        "logicalId": "Simple",
        "type": "REQUEST",
        "identitySource": [
          "$request.header.X-Token"
        ],
        "function": "auth",
        "resultTtlSeconds": 300
      }
    ]
  },
  {
    "routeAuth": {
      "GET /items": "COGNITO_USER_POOLS users [shop/read]",
      "POST /items": "CUSTOM staged"
    },
    "authorizers": [
      {
        "name": "users",
        "logicalId": "Pool",
        "type": "COGNITO_USER_POOLS",
        "issuers": [
          "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_a",
          "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_b"
        ],
        "identitySource": [
          "method.request.header.Authorization"
        ]
      },
      {
        "name": "staged",
        "logicalId": "Staged",
        "type": "TOKEN",
        "identitySource": [
          "method.request.header.Authorization"
        ],
        "functionByStage": {
          "dev": "",
          "prod": "auth"
        },
        "resultTtlSeconds": 300
      }
    ]
  }
]`
	if string(js) != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", js, want)
	}

	lines := []string{}
	for _, a := range got {
		for _, az := range a.Authorizers {
			lines = append(lines, az.String())
		}
	}
	wantLines := []string{
		"jwt (JWT JwtAuth): issuer https://issuer.example.com, audience api, identity $request.header.Authorization",
		"simple (REQUEST Simple): function auth, identity $request.header.X-Token, cached 300s",
		"users (COGNITO_USER_POOLS Pool): issuers https://cognito-idp.us-east-1.amazonaws.com/us-east-1_a https://cognito-idp.us-east-1.amazonaws.com/us-east-1_b, identity method.request.header.Authorization",
		"staged (TOKEN Staged): function by stage dev=none prod=auth, identity method.request.header.Authorization, cached 300s",
	}
	if !reflect.DeepEqual(lines, wantLines) {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(wantLines, "\n"))
	}
	if got := (AuthorizerInfo{Name: "lost", LogicalID: "L", Type: "REQUEST"}).String(); got != "lost (REQUEST L): no function in the assembly (requests refused)" {
		t.Errorf("an authorizer without function: %q", got)
	}
}
