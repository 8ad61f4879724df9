package tokenauth

import (
	"log"

	"github.com/aws/aws-lambda-go/lambda"
)

// Main is the whole of an authorizer command's main: it reads the Config from the
// environment (FromEnv) and starts the handler pick chooses with the Lambda runtime. A Config
// that cannot verify tokens stops the process before it answers anything, which API Gateway
// turns into a 500 for every request: an authorizer that cannot verify must not answer at all.
func Main(pick func(Config) any) {
	h, err := HandlerFromEnv(pick)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(h)
}

// HandlerFromEnv is the handler Main starts, for a command's tests.
func HandlerFromEnv(pick func(Config) any) (any, error) {
	c, err := FromEnv()
	if err != nil {
		return nil, err
	}
	return pick(c), nil
}
