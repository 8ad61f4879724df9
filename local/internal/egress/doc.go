// Package egress is the HTTP(S) proxy every handler process is pointed at, so that calls a
// handler makes to the runner's own APIs reach the runner without any change to handler code,
// and nothing a handler does ever reaches AWS or an instance metadata service.
//
// Handlers call the WebSocket @connections management API at an address they build from the
// event (https://{apiId}.execute-api.localhost/{stage}) or read from a variable the template
// sets (https://{apiId}.execute-api.{region}.amazonaws.com/{stage}). Neither name resolves to
// the runner, and both are https. So the runner sets HTTPS_PROXY (and friends, see
// [Proxy.Env]) for every handler process: standard HTTP clients then send
// "CONNECT host:443" here, and for a host the runner serves the proxy answers the TLS handshake
// itself with a certificate from its own CA, which the handler trusts through SSL_CERT_FILE and
// the other bundle variables, and serves the requests inside through the runner's handler.
//
// What is not the runner's is sorted by host:
//   - AWS hosts (*.amazonaws.com, *.aws, *.amazonaws.com.cn) are refused with 403 and a reason
//     that says the local runner does not reach AWS, so an SDK call to DynamoDB fails at once
//     with that message instead of hanging or, worse, reaching a real account.
//   - Link-local addresses (169.254.0.0/16, fe80::/10; the EC2 and ECS metadata services) and
//     fd00:ec2::254 are never dialled, whether named literally or reached through DNS.
//   - Anything else is tunnelled or forwarded as an ordinary proxy would, so a handler can
//     still call other services on this machine.
package egress
