package datamap

import (
	"testing"

	"github.com/gatehouse-dev/gatehouse/local/internal/selexpr"
)

// BenchmarkApply: a typical per-message mapping, sharing the Body route selection used.
func BenchmarkApply(b *testing.B) {
	m, err := Compile("sendmessage", map[string]string{
		"integration.request.header.connectionId": "context.connectionId",
		"integration.request.querystring.room":    "route.request.body.room.id",
		"integration.request.header.Content-Type": "'application/json'",
	})
	if err != nil {
		b.Fatal(err)
	}
	msg := []byte(`{"action":"sendmessage","message":"Hello everyone","room":{"id":"room1234","members":[1,2,3]}}`)
	ctx := map[string]string{"connectionId": "AAAA1234=", "routeKey": "sendmessage"}
	b.ReportAllocs()
	for b.Loop() {
		res, err := m.Apply(Source{Body: selexpr.NewBody(msg), Context: ctx})
		if err != nil || res.Query.Get("room") != "room1234" {
			b.Fatal(res, err)
		}
	}
}
