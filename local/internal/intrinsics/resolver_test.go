package intrinsics_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/intrinsics"
)

const testTemplate = `{
  "Parameters": {
    "Env": {"Type": "String", "Default": "dev"},
    "Size": {"Type": "Number", "Default": 3},
    "Zones": {"Type": "CommaDelimitedList", "Default": "a, b,c"},
    "NoDefault": {"Type": "String"}
  },
  "Mappings": {"Regions": {"us-east-1": {"Ami": "ami-1", "Count": 2}}},
  "Conditions": {
    "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
    "IsDev": {"Fn::Not": [{"Condition": "IsProd"}]},
    "Both": {"Fn::And": [{"Condition": "IsDev"}, {"Fn::Equals": [{"Ref": "Size"}, "3"]}]},
    "Either": {"Fn::Or": [{"Condition": "IsProd"}, {"Fn::Equals": ["x", "y"]}]},
    "Loop": {"Fn::Not": [{"Condition": "Loop"}]}
  },
  "Resources": {
    "Fn": {"Type": "AWS::Lambda::Function", "Properties": {}},
    "NamedFn": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": {"Fn::Sub": "${Env}-named"}}},
    "Role": {"Type": "AWS::IAM::Role", "Properties": {}},
    "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP"}},
    "Ws": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "WEBSOCKET"}},
    "Stage": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"StageName": "prod"}},
    "Integ": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {}},
    "Rest": {"Type": "AWS::ApiGateway::RestApi", "Properties": {}},
    "Domain": {"Type": "AWS::ApiGatewayV2::DomainName", "Properties": {"DomainName": "api.example.com"}},
    "RestDomain": {"Type": "AWS::ApiGateway::DomainName", "Properties": {"DomainName": "shop.example.com"}},
    "PrivateDomain": {"Type": "AWS::ApiGateway::DomainNameV2", "Properties": {"DomainName": "private.example.com"}},
    "Key": {"Type": "AWS::ApiGateway::ApiKey", "Properties": {}},
    "Plan": {"Type": "AWS::ApiGateway::UsagePlan", "Properties": {}},
    "ItemModel": {"Type": "AWS::ApiGateway::Model", "Properties": {"Name": "Item"}},
    "Unnamed-Model": {"Type": "AWS::ApiGateway::Model", "Properties": {}},
    "Alias": {"Type": "AWS::Lambda::Alias", "Properties": {"FunctionName": {"Ref": "Fn"}, "Name": "live"}},
    "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "items"}},
    "Thing": {"Type": "AWS::Some::Thing", "Properties": {}},
    "ProdOnly": {"Type": "AWS::Some::Thing", "Condition": "IsProd", "Properties": {}},
    "SelfA": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": {"Ref": "SelfB"}}},
    "SelfB": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": {"Ref": "SelfA"}}}
  }
}`

func newResolver(t testing.TB, params map[string]string) *intrinsics.Resolver {
	t.Helper()
	tmpl, err := assembly.ParseTemplate([]byte(testTemplate))
	if err != nil {
		t.Fatal(err)
	}
	return intrinsics.New(tmpl, intrinsics.Options{
		StackName:  "Api",
		Parameters: params,
		ImportValue: func(name string) (any, error) {
			if name == "Shared-Url" {
				return "https://shared", nil
			}
			return nil, errors.New("no stack of the assembly exports " + name)
		},
	})
}

func TestResolve(t *testing.T) {
	fnARN := "arn:aws:lambda:us-east-1:123456789012:function:Api-Fn"
	apiID := intrinsics.APIID("Api", "Api")
	tests := []struct {
		name string
		in   string // JSON
		want any    // nil with wantErr set
		// wantErr is a substring of the error; "" means no error.
		wantErr string
	}{
		// Ref
		{"ref pseudo account", `{"Ref": "AWS::AccountId"}`, "123456789012", ""},
		{"ref pseudo region", `{"Ref": "AWS::Region"}`, "us-east-1", ""},
		{"ref pseudo partition", `{"Ref": "AWS::Partition"}`, "aws", ""},
		{"ref pseudo stack name", `{"Ref": "AWS::StackName"}`, "Api", ""},
		{"ref pseudo url suffix", `{"Ref": "AWS::URLSuffix"}`, "amazonaws.com", ""},
		{"ref pseudo notification arns", `{"Ref": "AWS::NotificationARNs"}`, []any{}, ""},
		{"ref unknown pseudo", `{"Ref": "AWS::Nope"}`, nil, `"AWS::Nope": unknown pseudo parameter`},
		{"ref parameter default", `{"Ref": "Env"}`, "dev", ""},
		{"ref number parameter is a string", `{"Ref": "Size"}`, "3", ""},
		{"ref list parameter", `{"Ref": "Zones"}`, []any{"a", "b", "c"}, ""},
		{"ref parameter without default", `{"Ref": "NoDefault"}`, nil, `parameter "NoDefault" has no Default`},
		{"ref function", `{"Ref": "Fn"}`, "Api-Fn", ""},
		{"ref named function", `{"Ref": "NamedFn"}`, "dev-named", ""},
		{"ref role", `{"Ref": "Role"}`, "Api-Role", ""},
		{"ref api", `{"Ref": "Api"}`, apiID, ""},
		{"ref stage", `{"Ref": "Stage"}`, "prod", ""},
		{"ref integration", `{"Ref": "Integ"}`, intrinsics.LocalID(7, "AWS::ApiGatewayV2::Integration", "Api", "Integ"), ""},
		{"ref alias", `{"Ref": "Alias"}`, fnARN + ":live", ""},
		{"ref rest model is its name", `{"Ref": "ItemModel"}`, "Item", ""},
		{"ref unnamed rest model", `{"Ref": "Unnamed-Model"}`, "UnnamedModel", ""},
		{"ref table", `{"Ref": "Table"}`, "items", ""},
		{"ref unknown type", `{"Ref": "Thing"}`, "Thing", ""},
		{"ref dangling", `{"Ref": "Missing"}`, nil, `"Missing": no such resource or parameter`},
		{"ref not a string", `{"Ref": ["Fn"]}`, nil, "Ref: want a logical id"},
		{"ref conditioned-out resource", `{"Ref": "ProdOnly"}`, nil, `its condition "IsProd" is false`},
		{"ref cycle", `{"Ref": "SelfA"}`, nil, "depends on itself"},

		// Fn::GetAtt
		{"getatt function arn", `{"Fn::GetAtt": ["Fn", "Arn"]}`, fnARN, ""},
		{"getatt dotted form", `{"Fn::GetAtt": "Fn.Arn"}`, fnARN, ""},
		{"getatt role arn", `{"Fn::GetAtt": ["Role", "Arn"]}`, "arn:aws:iam::123456789012:role/Api-Role", ""},
		{"getatt api endpoint", `{"Fn::GetAtt": ["Api", "ApiEndpoint"]}`, "https://" + apiID + ".execute-api.us-east-1.amazonaws.com", ""},
		{"getatt websocket endpoint", `{"Fn::GetAtt": ["Ws", "ApiEndpoint"]}`, "wss://" + intrinsics.APIID("Api", "Ws") + ".execute-api.us-east-1.amazonaws.com", ""},
		{"getatt api id", `{"Fn::GetAtt": ["Api", "ApiId"]}`, apiID, ""},
		{"getatt integration id", `{"Fn::GetAtt": ["Integ", "IntegrationId"]}`, intrinsics.LocalID(7, "AWS::ApiGatewayV2::Integration", "Api", "Integ"), ""},
		{"getatt rest root", `{"Fn::GetAtt": ["Rest", "RootResourceId"]}`, intrinsics.LocalID(10, "root", "Api", "Rest"), ""},
		{"ref domain is its name", `{"Ref": "Domain"}`, "api.example.com", ""},
		{"ref private domain is its arn", `{"Ref": "PrivateDomain"}`, "arn:aws:apigateway:us-east-1:123456789012:/domainnames/private.example.com+" + intrinsics.DomainNameID("Api", "PrivateDomain"), ""},
		{"getatt domain regional name", `{"Fn::GetAtt": ["Domain", "RegionalDomainName"]}`, "d-" + intrinsics.LocalID(10, "domain", "Api", "Domain") + ".execute-api.us-east-1.amazonaws.com", ""},
		{"getatt domain regional zone", `{"Fn::GetAtt": ["RestDomain", "RegionalHostedZoneId"]}`, intrinsics.RegionalHostedZoneID("us-east-1"), ""},
		{"getatt domain arn", `{"Fn::GetAtt": ["Domain", "DomainNameArn"]}`, "arn:aws:apigateway:us-east-1::/domainnames/api.example.com", ""},
		{"getatt edge distribution", `{"Fn::GetAtt": ["RestDomain", "DistributionDomainName"]}`, "d" + intrinsics.LocalID(13, "distribution", "Api", "RestDomain") + ".cloudfront.net", ""},
		{"getatt edge zone", `{"Fn::GetAtt": ["RestDomain", "DistributionHostedZoneId"]}`, "Z2FDTNDATAQYW2", ""},
		{"getatt no distribution for v2 domains", `{"Fn::GetAtt": ["Domain", "DistributionDomainName"]}`, nil, "attribute DistributionDomainName has no local value"},
		{"getatt private domain id", `{"Fn::GetAtt": ["PrivateDomain", "DomainNameId"]}`, intrinsics.DomainNameID("Api", "PrivateDomain"), ""},
		{"getatt table arn", `{"Fn::GetAtt": ["Table", "Arn"]}`, "arn:aws:dynamodb:us-east-1:123456789012:table/items", ""},
		{"getatt computed attribute", `{"Fn::GetAtt": ["Fn", {"Fn::Join": ["", ["A", "rn"]]}]}`, fnARN, ""},
		{"getatt unknown attribute", `{"Fn::GetAtt": ["Thing", "Arn"]}`, nil, "attribute Arn has no local value"},
		{"getatt dangling", `{"Fn::GetAtt": ["Missing", "Arn"]}`, nil, `"Missing": no such resource`},
		{"getatt bad dotted form", `{"Fn::GetAtt": "FnArn"}`, nil, `want "LogicalId.Attribute"`},
		{"getatt wrong arity", `{"Fn::GetAtt": ["Fn"]}`, nil, "want [LogicalId, Attribute]"},

		// Fn::Join
		{"join", `{"Fn::Join": ["-", ["a", {"Ref": "Env"}, 3]]}`, "a-dev-3", ""},
		{"join empty", `{"Fn::Join": [",", []]}`, "", ""},
		{"join list from ref", `{"Fn::Join": ["|", {"Ref": "Zones"}]}`, "a|b|c", ""},
		{"join non-string element", `{"Fn::Join": ["", [["x"]]]}`, nil, "values[0]: want a string, got a list"},
		{"join bad shape", `{"Fn::Join": "x"}`, nil, "Fn::Join: want [delimiter"},
		{"join error names path", `{"Fn::Join": ["", ["x", {"Ref": "Nope"}]]}`, nil, `Fn::Join: [1]: Ref: "Nope"`},

		// Fn::Sub
		{"sub string form", `{"Fn::Sub": "${AWS::Region}-${Env}-${Fn}"}`, "us-east-1-dev-Api-Fn", ""},
		{"sub getatt", `{"Fn::Sub": "${Fn.Arn}"}`, fnARN, ""},
		{"sub literal", `{"Fn::Sub": "${!Literal}-${!AWS::Region}"}`, "${Literal}-${AWS::Region}", ""},
		{"sub variables form", `{"Fn::Sub": ["${A}/${Env}", {"A": {"Ref": "AWS::AccountId"}, "Env": "override"}]}`, "123456789012/override", ""},
		{"sub unterminated", `{"Fn::Sub": "${Env"}`, nil, "unterminated"},
		{"sub unknown variable", `{"Fn::Sub": "${Nope}"}`, nil, `${Nope}: "Nope": no such resource`},
		{"sub list value", `{"Fn::Sub": "${Zones}"}`, nil, "want a string, got a list"},

		// Fn::Select, Fn::Split
		{"select", `{"Fn::Select": [1, ["a", "b"]]}`, "b", ""},
		{"select string index", `{"Fn::Select": ["0", {"Ref": "Zones"}]}`, "a", ""},
		{"select of split", `{"Fn::Select": [2, {"Fn::Split": ["/", "a/b/c"]}]}`, "c", ""},
		{"select out of range", `{"Fn::Select": [5, ["a"]]}`, nil, "index 5 is out of range"},
		{"select bad index", `{"Fn::Select": ["x", ["a"]]}`, nil, "index: want an integer"},
		{"split", `{"Fn::Split": [",", "a,,b"]}`, []any{"a", "", "b"}, ""},
		{"split non-string", `{"Fn::Split": [",", ["a"]]}`, nil, "source: want a string"},

		// Fn::If and conditions
		{"if false", `{"Fn::If": ["IsProd", "big", "small"]}`, "small", ""},
		{"if true via not", `{"Fn::If": ["IsDev", "dev", "prod"]}`, "dev", ""},
		{"if and", `{"Fn::If": ["Both", 1, 2]}`, json.Number("1"), ""},
		{"if or", `{"Fn::If": ["Either", 1, 2]}`, json.Number("2"), ""},
		{"if skips the other branch", `{"Fn::If": ["IsProd", {"Ref": "ProdOnly"}, "none"]}`, "none", ""},
		{"if novalue removes key", `{"A": {"Fn::If": ["IsProd", "x", {"Ref": "AWS::NoValue"}]}, "B": 1}`, map[string]any{"B": json.Number("1")}, ""},
		{"novalue removes list element", `["a", {"Ref": "AWS::NoValue"}, "b"]`, []any{"a", "b"}, ""},
		{"novalue top level", `{"Ref": "AWS::NoValue"}`, nil, ""},
		{"if undefined condition", `{"Fn::If": ["Nope", 1, 2]}`, nil, `condition "Nope" is not defined`},
		{"if condition cycle", `{"Fn::If": ["Loop", 1, 2]}`, nil, "depends on itself"},
		{"if bad shape", `{"Fn::If": ["IsProd", 1]}`, nil, "Fn::If: want [condition"},

		// Fn::FindInMap, Fn::Base64, Fn::GetAZs, Fn::ImportValue
		{"findinmap", `{"Fn::FindInMap": ["Regions", {"Ref": "AWS::Region"}, "Ami"]}`, "ami-1", ""},
		{"findinmap number", `{"Fn::FindInMap": ["Regions", "us-east-1", "Count"]}`, json.Number("2"), ""},
		{"findinmap missing key", `{"Fn::FindInMap": ["Regions", "eu-west-1", "Ami"]}`, nil, `has no key "eu-west-1"`},
		{"findinmap default value", `{"Fn::FindInMap": ["Regions", "eu-west-1", "Ami", {"DefaultValue": "ami-0"}]}`, "ami-0", ""},
		{"base64", `{"Fn::Base64": {"Fn::Sub": "${Env}"}}`, "ZGV2", ""},
		{"getazs", `{"Fn::GetAZs": ""}`, []any{"us-east-1a", "us-east-1b", "us-east-1c"}, ""},
		{"getazs region ref", `{"Fn::Select": [0, {"Fn::GetAZs": {"Ref": "AWS::Region"}}]}`, "us-east-1a", ""},
		{"importvalue", `{"Fn::ImportValue": {"Fn::Sub": "Shared-Url"}}`, "https://shared", ""},
		{"importvalue missing", `{"Fn::ImportValue": "Nope"}`, nil, "no stack of the assembly exports Nope"},

		// Not intrinsics
		{"unsupported function", `{"Fn::Transform": {}}`, nil, "unsupported intrinsic function"},
		{"plain object with two keys", `{"Ref": "Env", "Other": 1}`, map[string]any{"Ref": "Env", "Other": json.Number("1")}, ""},
		{"scalars pass through", `"text"`, "text", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newResolver(t, nil)
			got, err := r.Resolve(decode(t, tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Resolve(%s) error = %v, want one containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%s): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Resolve(%s) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParameterOverride(t *testing.T) {
	r := newResolver(t, map[string]string{"Env": "prod", "NoDefault": "given"})
	for in, want := range map[string]any{
		`{"Ref": "Env"}`:                                   "prod",
		`{"Ref": "NoDefault"}`:                             "given",
		`{"Fn::If": ["IsProd", "big", "small"]}`:           "big",
		`{"Fn::GetAtt": ["NamedFn", "Arn"]}`:               "arn:aws:lambda:us-east-1:123456789012:function:prod-named",
		`{"Fn::If": ["IsProd", {"Ref": "ProdOnly"}, "x"]}`: "ProdOnly",
	} {
		got, err := r.Resolve(decode(t, in))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Resolve(%s) = %#v, %v; want %#v", in, got, err, want)
		}
	}
}

func TestUnknownAttributeIsTyped(t *testing.T) {
	r := newResolver(t, nil)
	_, err := r.Resolve(decode(t, `{"Fn::Join": ["", [{"Fn::GetAtt": ["Thing", "Arn"]}]]}`))
	var ua *intrinsics.UnknownAttributeError
	if !errors.As(err, &ua) || ua.Resource != "Thing" || ua.Attribute != "Arn" {
		t.Fatalf("error = %v, want an UnknownAttributeError for Thing.Arn", err)
	}
}

// TestIDAttributes covers the id attributes CloudFormation spells its own way: each is the
// resource's Ref.
func TestIDAttributes(t *testing.T) {
	r := newResolver(t, nil)
	for _, tc := range [][2]string{{"Key", "APIKeyId"}, {"Plan", "Id"}, {"Integ", "IntegrationId"}} {
		att, err := r.Resolve(decode(t, `{"Fn::GetAtt": ["`+tc[0]+`", "`+tc[1]+`"]}`))
		ref, _ := r.Resolve(decode(t, `{"Ref": "`+tc[0]+`"}`))
		if err != nil || att != ref || att == "" {
			t.Errorf("Fn::GetAtt %s.%s = %v, %v; want its Ref %v", tc[0], tc[1], att, err, ref)
		}
	}
}

func TestResolvePropertyNamesWhere(t *testing.T) {
	r := newResolver(t, nil)
	res := &assembly.Resource{LogicalID: "Route1", Type: "AWS::ApiGatewayV2::Route", Properties: map[string]any{
		"RouteKey": decode(t, `{"Fn::Join": ["", [{"Ref": "Nope"}]]}`),
	}}
	_, err := r.ResolveProperty(res, "RouteKey")
	want := `resolving stack "Api": resource "Route1": property RouteKey: Fn::Join: [0]: Ref: "Nope": no such resource or parameter in the template`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant    %s", err, want)
	}
}

func TestEnvironment(t *testing.T) {
	tmpl, _ := assembly.ParseTemplate([]byte(testTemplate))
	r := intrinsics.New(tmpl, intrinsics.Options{StackName: "Api", Account: "111122223333", Region: "cn-north-1"})
	for in, want := range map[string]string{
		`{"Ref": "AWS::Partition"}`:        "aws-cn",
		`{"Ref": "AWS::URLSuffix"}`:        "amazonaws.com.cn",
		`{"Fn::GetAtt": ["Fn", "Arn"]}`:    "arn:aws-cn:lambda:cn-north-1:111122223333:function:Api-Fn",
		`{"Fn::Sub": "${AWS::AccountId}"}`: "111122223333",
	} {
		got, err := r.Resolve(decode(t, in))
		if err != nil || got != want {
			t.Errorf("Resolve(%s) = %v, %v; want %s", in, got, err, want)
		}
	}
	id, _ := r.Resolve(decode(t, `{"Ref": "AWS::StackId"}`))
	if s, _ := id.(string); !strings.HasPrefix(s, "arn:aws-cn:cloudformation:cn-north-1:111122223333:stack/Api/") {
		t.Errorf("StackId = %v", id)
	}
}

func TestLocalIDs(t *testing.T) {
	id := intrinsics.APIID("Api", "HttpApi")
	if len(id) != 10 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		t.Errorf("APIID = %q, want 10 lowercase base-36 characters", id)
	}
	if id != intrinsics.APIID("Api", "HttpApi") {
		t.Error("APIID is not stable")
	}
	if id == intrinsics.APIID("Api2", "HttpApi") || id == intrinsics.APIID("Api", "HttpApi2") {
		t.Error("APIID does not depend on both stack and logical id")
	}
	long := strings.Repeat("x", 70)
	if got := intrinsics.FunctionName("Stack", long); len(got) != 64 || !strings.HasPrefix(got, "Stack-x") {
		t.Errorf("FunctionName = %q, want 64 characters", got)
	}
}

func decode(t testing.TB, s string) any {
	t.Helper()
	tmpl, err := assembly.ParseTemplate([]byte(`{"Outputs": {"V": {"Value": ` + s + `}}}`))
	if err != nil {
		t.Fatalf("decoding %s: %v", s, err)
	}
	return tmpl.Outputs["V"].Value
}
