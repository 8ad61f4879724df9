// Command resthello is a Lambda proxy handler for REST APIs that greets and tells what API
// Gateway told it: the handler of integ/tsapp, the REST API defined in JavaScript with
// aws-cdk-lib, which proves the runner serves REST APIs that were not built with Gatehouse's
// constructs.
//
// It answers {"message": "<greeting>, <name>!", ...} where the greeting is the stage variable
// "greeting" (default "hello") and the name the path parameter "name", else the query parameter
// "name", else "world"; the rest of the body echoes the request as the handler saw it.
package main

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// greeting is the response body.
type greeting struct {
	Message        string              `json:"message"`
	Resource       string              `json:"resource"`
	Path           string              `json:"path"`
	Method         string              `json:"method"`
	Stage          string              `json:"stage"`
	RequestID      string              `json:"requestId"`
	PathParameters map[string]string   `json:"pathParameters,omitempty"`
	Query          map[string][]string `json:"query,omitempty"`
	APIKeyID       string              `json:"apiKeyId,omitempty"`
}

func hello(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	word := req.StageVariables["greeting"]
	if word == "" {
		word = "hello"
	}
	name := req.PathParameters["name"]
	if name == "" {
		name = req.QueryStringParameters["name"]
	}
	if name == "" {
		name = "world"
	}
	body, _ := json.Marshal(greeting{
		Message:        word + ", " + name + "!",
		Resource:       req.Resource,
		Path:           req.Path,
		Method:         req.HTTPMethod,
		Stage:          req.RequestContext.Stage,
		RequestID:      req.RequestContext.RequestID,
		PathParameters: req.PathParameters,
		Query:          req.MultiValueQueryStringParameters,
		APIKeyID:       req.RequestContext.Identity.APIKeyID,
	})
	return events.APIGatewayProxyResponse{
		StatusCode: http.StatusOK,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(body),
	}, nil
}

func main() {
	lambda.Start(hello)
}
