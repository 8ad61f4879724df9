// Command echo answers every request with the raw event it received as a JSON body, whatever
// the payload format version: integration tests read it back to check the events the runner
// builds field by field.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/lambda"
)

// response has the fields both payload formats understand; keeping it format-neutral is what
// lets one function serve 1.0 and 2.0 routes.
type response struct {
	StatusCode int               `json:"statusCode"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body"`
}

func handle(_ context.Context, event json.RawMessage) (response, error) {
	return response{
		StatusCode: 200,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(event),
	}, nil
}

func main() { lambda.Start(handle) }
