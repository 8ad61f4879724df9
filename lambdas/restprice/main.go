// Command restprice is the Lambda custom (non-proxy) integration of the example catalogue REST
// API (examples/restapi), GET /products/{id}/price. It never sees the HTTP request: API
// Gateway's request template makes its event, and integration responses make the HTTP response
// from what it returns.
//
// The event is the template's JSON, {"id": "1", "currency": "USD", "stage": "v1"}; the result is
// {"id": "1", "amount": 42.66, "currency": "USD"}. Failures are Lambda errors whose message the
// integration responses' selection patterns match: "product 9 not found" (404) and
// "currency XYZ is not supported ..." (400).
package main

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
)

// priceRequest is what the request template makes.
type priceRequest struct {
	ID       string `json:"id"`
	Currency string `json:"currency"`
	// Stage is $context.stage, echoed so the response shows which stage priced it.
	Stage string `json:"stage"`
}

// priceResponse is what the 200 integration response's template reads.
type priceResponse struct {
	ID       string  `json:"id"`
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
	Stage    string  `json:"stage,omitempty"`
}

// listPrices are the catalogue's prices in euros, by product id: those of the products
// lambdas/restproducts starts with.
var listPrices = map[string]float64{"1": 39.5, "2": 15, "3": 24.99}

// rates convert euros into each supported currency.
var rates = map[string]float64{"EUR": 1, "USD": 1.08, "GBP": 0.85}

func price(_ context.Context, req priceRequest) (priceResponse, error) {
	eur, ok := listPrices[req.ID]
	if !ok {
		return priceResponse{}, fmt.Errorf("product %s not found", req.ID)
	}
	cur := strings.ToUpper(req.Currency)
	rate, ok := rates[cur]
	if !ok {
		return priceResponse{}, fmt.Errorf("currency %q is not supported (EUR, USD, GBP)", req.Currency)
	}
	return priceResponse{ID: req.ID, Amount: math.Round(eur*rate*100) / 100, Currency: cur, Stage: req.Stage}, nil
}

func main() {
	lambda.Start(price)
}
