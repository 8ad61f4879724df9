// Package wsapi serves API Gateway WebSocket APIs (protocol WEBSOCKET) from the runner's model,
// as the guide's "WebSocket APIs" chapter describes:
//
//   - an upgrade request to a stage runs the $connect route before the handshake completes, and
//     a failure or non-2xx answer refuses the connection with that status;
//   - the $connect route's authorizer (a Lambda REQUEST authorizer or AWS_IAM, through
//     [Options.Authorizers]) runs before $connect's integration; a refusal refuses the upgrade
//     with its status (401, 403, 500), and what it allowed (principalId, context, the IAM
//     caller) is in requestContext and $context of every event of the connection;
//   - every message is routed by the API's route selection expression, falling back to $default;
//   - routes with a route response are two-way: the integration's answer goes back to the client;
//   - $disconnect runs when the client or the server closes the connection, when it has been idle
//     for 10 minutes or open for 2 hours;
//   - the @connections management API at the stage's callback URL (POST, GET, DELETE) answers as
//     API Gateway's does, behind the IAM check the runner plugs in.
//
// Each connection has exactly one writer goroutine; replies, pushes and close frames all go
// through it, so a slow client never blocks the reader or another connection.
package wsapi
