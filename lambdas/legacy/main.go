// Command legacy is a payload format 1.0 handler: it decodes events.APIGatewayProxyRequest and
// answers with multiValueHeaders, which only format 1.0 supports.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

type summary struct {
	Method      string              `json:"method"`
	Path        string              `json:"path"`
	Resource    string              `json:"resource"`
	Proxy       string              `json:"proxy"`
	Stage       string              `json:"stage"`
	MultiValues map[string][]string `json:"multiValueQueryStringParameters"`
}

func handle(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	body, err := json.Marshal(summary{
		Method:      req.HTTPMethod,
		Path:        req.Path,
		Resource:    req.Resource,
		Proxy:       req.PathParameters["proxy"],
		Stage:       req.RequestContext.Stage,
		MultiValues: req.MultiValueQueryStringParameters,
	})
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	return events.APIGatewayProxyResponse{
		StatusCode: 200,
		MultiValueHeaders: map[string][]string{
			"Content-Type": {"application/json"},
			// Two values for one name: the point of multiValueHeaders.
			"X-Legacy": {"one", "two"},
		},
		Body: string(body),
	}, nil
}

func main() { lambda.Start(handle) }
