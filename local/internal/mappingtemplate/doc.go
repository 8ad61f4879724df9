// Package mappingtemplate renders API Gateway mapping templates: the Velocity templates of
// REST API integration requests and responses and of WebSocket API request and response
// templates. It adds API Gateway's variables ($input, $util, $context, $stageVariables;
// the Developer Guide's "mapping template and access logging variable reference") to the
// engine in package vtl. Pure Go, no I/O.
//
// # Example
//
//	t, err := mappingtemplate.Compile("POST /pets application/json", src) // once
//	...
//	res, err := t.Render(mappingtemplate.Vars{ // per request, concurrently
//		Input:          mappingtemplate.Input{Body: body, Params: params},
//		Context:        map[string]any{"stage": "prod", "identity": map[string]any{"sourceIp": ip}},
//		StageVariables: stageVars,
//	})
//	// res.Body, res.RequestOverride, res.ResponseOverride
//
// # $input
//
//   - $input.body is the payload as a string.
//   - $input.json(path) is the JSON text of what a JSONPath expression selects:
//     $input.json('$.pets'). $input.path(path) is the same selection as a template value:
//     objects are maps (printed {a=1, b=x}, as API Gateway's Java maps print), arrays are
//     lists (printed as JSON), so .size(), .count(), [0] and #foreach work. A path of names
//     and indexes ($.a.b[0]) gives its one match, or an empty string when nothing matches
//     (the guide's Kinesis template compares it with an empty string); a path with
//     wildcards, .., filters, slices or unions gives the list of its matches. JSON null is
//     null. Values from $input.path are copies: changing them does not change the body.
//   - An empty body reads as {}. A body that is not JSON fails the template at the first
//     $input.json or $input.path with an error wrapping *[BodyError] (API Gateway answers
//     400 "Could not parse request body into json"); $input.body still works.
//   - $input.params() is {path={...}, querystring={...}, header={...}} (names sorted), and
//     $input.params(name) the path parameter, else the query string parameter, else the
//     header of that name (any case), else an empty string.
//
// JSONPath is github.com/ohler55/ojg/jp, which covers JSONPath for Java's syntax.
//
// # $util
//
// escapeJavaScript is Apache Commons Lang 2's: \' \" \\ \/, \b \f \n \r \t, other control
// characters and all non-ASCII as \uXXXX (so the guide's .replaceAll("\\'","'") is needed
// for JSON); urlEncode and urlDecode are Java's URLEncoder and URLDecoder in UTF-8 (space
// as +, * kept, ~ encoded; a malformed escape fails the template); base64Encode and
// base64Decode use UTF-8 and standard base64 (decoding accepts missing padding);
// parseJson gives maps and lists like $input.path and fails the template on invalid
// JSON. A non-string argument is used through its text; null gives null. Other names
// (AppSync's $util.toJson, $util.qr, ...) are not API Gateway's: they evaluate to null
// and print as written.
//
// # $context and $stageVariables
//
// $context is Vars.Context (nested maps; [NestContext] builds them from dotted keys) or
// Vars.ContextMap, a vtl map a host builds once per request. A template that may change maps
// and lists gets a deep copy; one that cannot (vtl's Template.ReadOnly: no #set of a
// property or index, no put, add, remove and the like) shares the caller's maps and the
// parsed body, which saves a copy per render. Either way the caller's values never change.
// The host decides which variables exist and their values, including the empty
// strings API Gateway gives variables that do not apply. $context.requestOverride
// (.header, .path, .querystring) and $context.responseOverride (.header, .status) are
// always there; what a template assigns comes back in [Result]. A list assigned to a
// header gives several values. Assigning one parameter twice fails the template (the
// guide: "Overrides are final", 5XX), and so does a status that is not 100-599. The
// guide documents overrides for REST APIs; a WebSocket host ignores them.
// $stageVariables.name, $stageVariables['name'] and ${stageVariables['name']} read stage
// variables: Vars.StageVariables, or Vars.StageVariablesMap, built once per stage and
// shared or copied as ContextMap is.
//
// # Limits
//
// A template may have [MaxTemplateBytes] (300 KB, API Gateway's limit); rendering has
// vtl's default limits: 1000 iterations per #foreach, 10 MB of output, and the others
// listed in package vtl.
package mappingtemplate
