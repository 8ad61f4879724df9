// Command fail returns an error from its handler.
package main

import (
	"errors"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func() error { return errors.New("something broke") })
}
