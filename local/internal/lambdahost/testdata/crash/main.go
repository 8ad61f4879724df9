// Command crash exits with status 3 in the middle of an invocation.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func() error {
		fmt.Println("about to crash")
		os.Exit(3)
		return nil
	})
}
