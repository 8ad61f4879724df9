package assembly_test

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
)

// FuzzLoadTemplate: any bytes give a template or an error, never a panic; a template that
// parses has every resource it lists in order, with a type.
func FuzzLoadTemplate(f *testing.F) {
	f.Add([]byte(`{"Resources": {"A": {"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": 128}}}}`))
	f.Add([]byte(`{"Parameters": {"P": {"Type": "String", "Default": "x"}}, "Outputs": {"O": {"Value": 1, "Export": {"Name": "E"}}}}`))
	f.Add([]byte(`{"Resources": {"A": {"Type": "X"}, "A": {"Type": "Y"}}}`))
	f.Add([]byte("{\n\"Resources\": [}"))
	f.Add([]byte(`{} {}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tmpl, err := assembly.ParseTemplate(data)
		if err != nil {
			return
		}
		if len(tmpl.ResourceOrder) != len(tmpl.Resources) {
			t.Fatalf("ResourceOrder has %d ids, Resources %d", len(tmpl.ResourceOrder), len(tmpl.Resources))
		}
		for _, id := range tmpl.ResourceOrder {
			r := tmpl.Resources[id]
			if r == nil || r.Type == "" || r.Properties == nil || r.LogicalID != id {
				t.Fatalf("resource %q: %+v", id, r)
			}
		}
	})
}
