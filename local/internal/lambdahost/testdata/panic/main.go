// Command panic panics in its handler; aws-lambda-go reports the panic and then exits.
package main

import "github.com/aws/aws-lambda-go/lambda"

func main() {
	lambda.Start(func() error { panic("handler panicked") })
}
