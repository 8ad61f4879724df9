package vtl

import (
	"io"
	"testing"
)

// BenchmarkExecutePetStore renders the guide's PetStore response template over three
// items: the size of a typical mapping template.
func BenchmarkExecutePetStore(b *testing.B) {
	tmpl, err := Parse("petstore", `#set($inputRoot = $body)
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
	body, err := ParseJSON([]byte(`[{"id": 1, "type": "dog", "price": 249.99}, {"id": 2, "type": "cat", "price": 124.99}, {"id": 3, "type": "fish", "price": 0.99}]`))
	if err != nil {
		b.Fatal(err)
	}
	ctx := map[string]any{"body": body}
	b.ReportAllocs()
	for b.Loop() {
		if err := tmpl.Execute(io.Discard, ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse parses the same template.
func BenchmarkParse(b *testing.B) {
	src := `#set($inputRoot = $input.path('$'))
{
  "photos": [
#foreach($elem in $inputRoot.photos.photo)
    {
      "id": "$elem.id",
      "photographedBy": "$elem.photographer_first_name $elem.photographer_last_name",
      "title": "$elem.title",
      "ispublic": $elem.ispublic
    }#if($foreach.hasNext),#end
#end
  ]
}`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("photos", src); err != nil {
			b.Fatal(err)
		}
	}
}
