// Command echo answers every event with the event itself and facts about the instance, so
// tests can see reuse (pid, count) and the invocation headers (request id, ARN, deadline).
package main

import (
	"context"
	"encoding/json"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type reply struct {
	Event      json.RawMessage `json:"event"`
	PID        int             `json:"pid"`
	Count      int             `json:"count"`
	RequestID  string          `json:"requestId"`
	ARN        string          `json:"arn"`
	DeadlineMs int64           `json:"deadlineMs"`
	TraceID    string          `json:"traceId"`
}

var count int

func main() {
	lambda.Start(func(ctx context.Context, event json.RawMessage) (reply, error) {
		count++
		lc, _ := lambdacontext.FromContext(ctx)
		deadline, _ := ctx.Deadline()
		var trace string
		if v, ok := ctx.Value("x-amzn-trace-id").(string); ok {
			trace = v
		}
		return reply{event, os.Getpid(), count, lc.AwsRequestID, lc.InvokedFunctionArn, deadline.UnixMilli(), trace}, nil
	})
}
