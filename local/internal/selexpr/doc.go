// Package selexpr evaluates WebSocket API selection expressions ("WebSocket selection
// expressions" in the API Gateway Developer Guide) and picks the key they select: the route
// for a message, the request template and passthrough decision, the request model, the
// integration response and its response template.
//
// An expression is parsed for the property it comes from ([ParseFor] with a [Kind]), which
// decides the variables it may use, and evaluated against an [Input] per message. A message
// body is a [Body]: checked for JSON once, and read by scanning for plain paths such as
// $request.body.action, so routing a message does not decode it.
//
// # Example
//
//	route, err := selexpr.ParseFor(selexpr.Route, "$request.body.action")
//	...
//	msg := selexpr.NewBody(data)
//	value, ok := route.Eval(selexpr.Input{Body: msg})
//	key := selexpr.SelectRoute(value, ok, routeKeys) // "" when there is no $default route
//
// The same [Body] can then be given to package datamap, so the message is parsed once.
package selexpr
