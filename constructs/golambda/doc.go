// Package golambda is a CDK construct for AWS Lambda functions written in Go and built from
// source while the app is synthesized: no Docker, no prebuilt zip.
//
// NewFunction runs `go build` on a main package (the Entry) for Linux, with CGO disabled, the
// `lambda.norpc` tag (so aws-lambda-go talks only the Runtime API, as provided.al2023 expects),
// trimmed paths, no VCS stamp and an empty build id, and stages the result as `bootstrap` for the
// provided.al2023 runtime. Those flags make the binary a pure function of the source, the module
// graph and the Go toolchain, so the asset hash changes only when the code does.
//
// # Architecture
//
// The Go architecture follows FunctionOptions.Architecture: awslambda.Architecture_ARM_64()
// builds GOARCH=arm64, anything else (including nil) builds GOARCH=amd64. Nil is x86_64 because
// that is what Lambda itself assumes when a template names no architecture; the template is then
// left exactly as the user wrote it.
//
// # Errors
//
// A missing Entry, a directory that is not a main package, and compiler errors do not panic
// while the app is being built: they are attached to the function's construct node and fail the
// synthesis with the construct path, so `cdk synth` shows every broken function at once.
package golambda
