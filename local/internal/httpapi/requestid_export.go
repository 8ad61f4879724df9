package httpapi

// NewRequestID is newRequestID for the router in package local, which answers some requests
// (unknown API, no stage) before any API server sees them and must still send an
// apigw-requestid header, as API Gateway does on every response.
func NewRequestID() string { return newRequestID() }
