package intrinsics_test

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/intrinsics"
)

// FuzzResolve resolves every property and output of arbitrary templates: whatever the input,
// the resolver returns a value or an error, never panics or recurses forever.
func FuzzResolve(f *testing.F) {
	f.Add([]byte(testTemplate))
	f.Add([]byte(`{"Resources": {"A": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": {"Fn::GetAtt": ["A", "Arn"]}}}}}`))
	f.Add([]byte(`{"Conditions": {"C": {"Fn::And": [{"Condition": "C"}, {"Condition": "C"}]}}, "Outputs": {"O": {"Value": {"Fn::If": ["C", 1, 2]}}}}`))
	f.Add([]byte(`{"Outputs": {"O": {"Value": {"Fn::Sub": ["${a}${!b}${c.d}", {"a": {"Fn::Select": [0, {"Fn::Split": [",", "x,y"]}]}}]}}}}`))
	f.Add([]byte(`{"Mappings": {"M": {"k": {"v": 1}}}, "Outputs": {"O": {"Value": {"Fn::FindInMap": ["M", "k", "v", {"DefaultValue": 2}]}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tmpl, err := assembly.ParseTemplate(data)
		if err != nil {
			return
		}
		r := intrinsics.New(tmpl, intrinsics.Options{StackName: "Fuzz"})
		for _, id := range tmpl.ResourceOrder {
			res := tmpl.Resources[id]
			for name := range res.Properties {
				_, _ = r.ResolveProperty(res, name)
			}
			_, _ = r.Ref(id)
			_, _ = r.GetAtt(id, "Arn")
		}
		for _, o := range tmpl.Outputs {
			_, _ = r.Resolve(o.Value)
		}
		for name := range tmpl.Conditions {
			_, _ = r.Condition(name)
		}
	})
}
