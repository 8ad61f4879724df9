// Command exitinit fails during init: it exits before asking for an invocation, unless the file
// named by $RECOVER_FILE exists, in which case it serves like a normal handler.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	if _, err := os.Stat(os.Getenv("RECOVER_FILE")); err != nil {
		fmt.Println("init: configuration missing, giving up")
		os.Exit(1)
	}
	lambda.Start(func() (string, error) { return "recovered", nil })
}
