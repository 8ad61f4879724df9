package mappingtemplate

import "testing"

// BenchmarkRenderPetStore renders the guide's PetStore response template: parsing the
// three-item body, $input.path and a #foreach, per request.
func BenchmarkRenderPetStore(b *testing.B) {
	tmpl, err := Compile("petstore", `#set($inputRoot = $input.path('$'))
[
#foreach($elem in $inputRoot)
  {
    "description" : "Item $elem.id is a $elem.type.",
    "askingPrice" : $elem.price
  }#if($foreach.hasNext),#end

#end
]`)
	if err != nil {
		b.Fatal(err)
	}
	v := Vars{
		Input:   Input{Body: []byte(`[{"id": 1, "type": "dog", "price": 249.99}, {"id": 2, "type": "cat", "price": 124.99}, {"id": 3, "type": "fish", "price": 0.99}]`)},
		Context: map[string]any{"stage": "prod", "identity": map[string]any{"sourceIp": "192.0.2.1"}},
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Render(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderParams renders a request template built from parameters and context
// only, the shape of most WebSocket and Lambda custom integration templates.
func BenchmarkRenderParams(b *testing.B) {
	tmpl, err := Compile("params", `{
    "connectionId": "$context.connectionId",
    "stage": "$context.stage",
    "token": "$util.escapeJavaScript($input.params('token'))",
    "body": $input.json('$')
}`)
	if err != nil {
		b.Fatal(err)
	}
	v := Vars{
		Input:   Input{Body: []byte(`{"action": "sendmessage", "message": "hello"}`), Params: Params{Querystring: map[string]string{"token": "abc"}}},
		Context: map[string]any{"connectionId": "L0SM9cOFvHcCIhw=", "stage": "dev"},
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Render(v); err != nil {
			b.Fatal(err)
		}
	}
}
