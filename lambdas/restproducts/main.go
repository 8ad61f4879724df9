// Command restproducts is the Lambda proxy handler of the example catalogue REST API
// (examples/restapi): it gets the whole request as an events.APIGatewayProxyRequest and returns
// the whole response.
//
//	GET    /products                 the products; ?category=books, and ?tag=go&tag=toys (every tag)
//	POST   /products                 201 with the product and a Location; API Gateway has validated
//	                                 the body against the NewProduct model before it gets here
//	GET    /products/{id}            the product, or 404
//	DELETE /products/{id}            204, or 404
//	GET    /products/{id}/image      image/png, base64-encoded with isBase64Encoded (a binary media type)
//	PUT    /products/{id}/image      stores a PNG body; API Gateway passes it base64-encoded
//	GET    /search?q=                products whose name contains q; API Gateway has checked q is there
//
// Every response carries Access-Control-Allow-Origin: ALLOW_ORIGIN, since with a proxy
// integration the handler, not API Gateway, makes the response a browser reads.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

type handler struct {
	store *store
	// allowOrigin is the CORS origin responses name; empty leaves the header out.
	allowOrigin string
}

func main() {
	h := &handler{store: newStore(), allowOrigin: os.Getenv("ALLOW_ORIGIN")}
	lambda.Start(h.handle)
}

func (h *handler) handle(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	id := req.PathParameters["id"]
	switch req.HTTPMethod + " " + req.Resource {
	case "GET /products":
		return h.json(http.StatusOK, h.store.list(req.QueryStringParameters["category"], req.MultiValueQueryStringParameters["tag"])), nil
	case "POST /products":
		return h.create(req), nil
	case "GET /products/{id}":
		if p, ok := h.store.get(id); ok {
			return h.json(http.StatusOK, p), nil
		}
		return h.notFound(id), nil
	case "DELETE /products/{id}":
		if h.store.remove(id) {
			return h.respond(http.StatusNoContent, nil, ""), nil
		}
		return h.notFound(id), nil
	case "GET /products/{id}/image":
		if _, ok := h.store.get(id); !ok {
			return h.notFound(id), nil
		}
		img := h.store.image(id)
		if img == nil {
			img = placeholderPNG(id)
		}
		resp := h.respond(http.StatusOK, map[string]string{"Content-Type": "image/png"}, base64.StdEncoding.EncodeToString(img))
		resp.IsBase64Encoded = true
		return resp, nil
	case "PUT /products/{id}/image":
		return h.putImage(id, req), nil
	case "GET /search":
		return h.json(http.StatusOK, h.store.search(req.QueryStringParameters["q"])), nil
	}
	return h.json(http.StatusNotFound, map[string]string{"message": fmt.Sprintf("no route for %s %s", req.HTTPMethod, req.Resource)}), nil
}

func (h *handler) create(req events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	var p product
	if err := json.Unmarshal([]byte(req.Body), &p); err != nil || p.Name == "" {
		// API Gateway validates the body first; this guards direct invocations.
		return h.json(http.StatusBadRequest, map[string]string{"message": `body must be {"name": "...", "price": 0}`})
	}
	p = h.store.add(p)
	resp := h.json(http.StatusCreated, p)
	resp.Headers["Location"] = "/" + req.RequestContext.Stage + "/products/" + p.ID
	return resp
}

func (h *handler) putImage(id string, req events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	body := []byte(req.Body)
	if req.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(req.Body)
		if err != nil {
			return h.json(http.StatusBadRequest, map[string]string{"message": "body is not valid base64"})
		}
		body = b
	}
	if !isPNG(body) {
		return h.json(http.StatusUnsupportedMediaType, map[string]string{"message": "the image must be a PNG"})
	}
	if !h.store.setImage(id, body) {
		return h.notFound(id)
	}
	return h.json(http.StatusOK, map[string]any{"id": id, "bytes": len(body)})
}

func (h *handler) notFound(id string) events.APIGatewayProxyResponse {
	return h.json(http.StatusNotFound, map[string]string{"message": fmt.Sprintf("product %s not found", id)})
}

func (h *handler) json(status int, v any) events.APIGatewayProxyResponse {
	body, _ := json.Marshal(v) // products and maps of strings always marshal
	return h.respond(status, map[string]string{"Content-Type": "application/json"}, string(body))
}

func (h *handler) respond(status int, headers map[string]string, body string) events.APIGatewayProxyResponse {
	if headers == nil {
		headers = map[string]string{}
	}
	if h.allowOrigin != "" {
		headers["Access-Control-Allow-Origin"] = h.allowOrigin
	}
	return events.APIGatewayProxyResponse{StatusCode: status, Headers: headers, Body: body}
}
