// Command huge answers with a string of {"bytes": N} bytes.
package main

import (
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(e struct{ Bytes int }) (string, error) { return strings.Repeat("a", e.Bytes), nil })
}
