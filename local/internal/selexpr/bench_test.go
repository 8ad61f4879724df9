package selexpr

import "testing"

var benchKeys = []string{"$connect", "$disconnect", "joinroom", "sendmessage", "leaveroom", "$default"}

// BenchmarkRouteSelection is the per-message hot path: wrap the message, evaluate
// $request.body.action, pick the route.
func BenchmarkRouteSelection(b *testing.B) {
	msg := []byte(`{"action":"sendmessage","message":"Hello everyone","room":{"id":"room1234","members":[1,2,3]}}`)
	e, err := ParseFor(Route, "$request.body.action")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		v, ok := e.Eval(Input{Body: NewBody(msg)})
		if SelectRoute(v, ok, benchKeys) != "sendmessage" {
			b.Fatal(v)
		}
	}
}

// BenchmarkRouteSelectionLastKey: the property comes after a larger value to skip.
func BenchmarkRouteSelectionLastKey(b *testing.B) {
	msg := []byte(`{"message":"Hello everyone, this is a longer message body with \"escapes\" and more","room":{"id":"room1234","members":[1,2,3,{"x":[true,false,null]}]},"action":"joinroom"}`)
	e, _ := ParseFor(Route, "$request.body.action")
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		v, ok := e.Eval(Input{Body: NewBody(msg)})
		if SelectRoute(v, ok, benchKeys) != "joinroom" {
			b.Fatal(v)
		}
	}
}

// BenchmarkRouteSelectionTwoVars: the multi-variable form.
func BenchmarkRouteSelectionTwoVars(b *testing.B) {
	msg := []byte(`{"service":"chat","action":"join","data":{"room":"room1234"}}`)
	e, _ := ParseFor(Route, "${request.body.service}/${request.body.action}")
	b.ReportAllocs()
	for b.Loop() {
		v, _ := e.Eval(Input{Body: NewBody(msg)})
		if v != "chat/join" {
			b.Fatal(v)
		}
	}
}

// BenchmarkRouteSelectionWildcard: a path that needs ojg, for comparison.
func BenchmarkRouteSelectionWildcard(b *testing.B) {
	msg := []byte(`{"service":"chat","action":"join","data":{"room":"room1234"}}`)
	e, _ := ParseFor(Route, "$request.body.data.*")
	b.ReportAllocs()
	for b.Loop() {
		v, _ := e.Eval(Input{Body: NewBody(msg)})
		if v != "[room1234]" {
			b.Fatal(v)
		}
	}
}
