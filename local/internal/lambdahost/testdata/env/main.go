// Command env answers with its process environment and working directory.
package main

import (
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func() (map[string]string, error) {
		env := map[string]string{}
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
		env["__CWD"], _ = os.Getwd()
		return env, nil
	})
}
