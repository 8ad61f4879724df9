// Package datamap applies a WebSocket integration's request parameters ("Setting up data
// mapping for WebSocket APIs" in the API Gateway Developer Guide): headers, query string
// parameters and path parameters of the integration request, mapped from the $connect
// request's headers and query string, the message body (JSONPath), context and stage
// variables, and static values.
//
// [Compile] checks the rules once per route; [Mapping.Apply] runs per message. The message is
// a [selexpr.Body], so route selection and data mapping share one parse of it.
//
// # Example
//
//	m, err := datamap.Compile("sendmessage", map[string]string{
//		"integration.request.header.connectionId": "context.connectionId",
//		"integration.request.querystring.room":    "route.request.body.room.id",
//	})
//	...
//	res, err := m.Apply(datamap.Source{Body: msg, Context: ctx})
//	// res.Header.Get("Connectionid"), res.Query.Get("room")
package datamap
