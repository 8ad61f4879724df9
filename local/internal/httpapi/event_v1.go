package httpapi

import (
	"github.com/gatehouse-dev/gatehouse/local/internal/payloadv1"
)

// MarshalV1 builds an HTTP API's payload format 1.0 event: version "1.0", the path with the
// stage in both path and requestContext.path, no resourceId and no API key fields, and a
// repeated query string parameter's first value in queryStringParameters (the guide's
// example). Header names are used as given: the caller lower-cases them.
func MarshalV1(e *EventRequest) ([]byte, error) {
	ev := payloadv1.Event{
		Version:        "1.0",
		Resource:       e.Resource,
		Path:           e.Path,
		HTTPMethod:     e.Method,
		PathParameters: e.PathParameters,
		StageVariables: e.StageVariables,
		RequestContext: payloadv1.Context{
			AccountID:         e.Context.AccountID,
			APIID:             e.Context.APIID,
			DomainName:        e.Context.DomainName,
			DomainPrefix:      e.Context.DomainPrefix,
			ExtendedRequestID: e.Context.RequestID,
			HTTPMethod:        e.Method,
			Identity: payloadv1.Identity{
				SourceIP:  e.Context.SourceIP,
				UserAgent: e.Context.UserAgent,
			},
			Path:             e.Path,
			Protocol:         e.Context.Protocol,
			RequestID:        e.Context.RequestID,
			RequestTime:      e.Context.Time.Format(requestTimeLayout),
			RequestTimeEpoch: e.Context.Time.UnixMilli(),
			ResourcePath:     e.Resource,
			Stage:            e.Context.Stage,
		},
	}
	if a := e.Authorization.HTTPV1(); a != nil {
		ev.RequestContext.Authorizer = a
	}
	if iam := e.Authorization.Identity(); iam != nil {
		id := &ev.RequestContext.Identity
		id.AccessKey, id.AccountID, id.Caller = &iam.AccessKey, &iam.AccountID, &iam.CallerID
		id.User, id.UserArn = &iam.UserID, &iam.UserARN
	}
	ev.SetHeaders(e.Header)
	_, values := queryValues(e.RawQuery)
	ev.SetQuery(values, payloadv1.First)
	if body, b64 := encodeBody(e.Body, e.Header); body != "" {
		ev.Body, ev.IsBase64Encoded = &body, b64
	}
	return payloadv1.Marshal(&ev)
}
