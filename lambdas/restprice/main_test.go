package main

import (
	"context"
	"regexp"
	"testing"
)

func TestPrice(t *testing.T) {
	tests := []struct {
		req     priceRequest
		want    priceResponse
		wantErr string // the Lambda error message; the example's selection patterns match on it
	}{
		{priceRequest{ID: "1", Currency: "EUR", Stage: "v1"}, priceResponse{ID: "1", Amount: 39.5, Currency: "EUR", Stage: "v1"}, ""},
		{priceRequest{ID: "1", Currency: "usd"}, priceResponse{ID: "1", Amount: 42.66, Currency: "USD"}, ""},
		{priceRequest{ID: "3", Currency: "GBP"}, priceResponse{ID: "3", Amount: 21.24, Currency: "GBP"}, ""},
		{priceRequest{ID: "9", Currency: "EUR"}, priceResponse{}, "product 9 not found"},
		{priceRequest{ID: "1", Currency: "XYZ"}, priceResponse{}, `currency "XYZ" is not supported (EUR, USD, GBP)`},
	}
	for _, tt := range tests {
		got, err := price(context.Background(), tt.req)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("price(%+v) error = %v, want %q", tt.req, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("price(%+v) = %+v, %v, want %+v", tt.req, got, err, tt.want)
		}
	}
}

// TestSelectionPatterns pins the error messages to the example's selection patterns, which API
// Gateway matches against the whole message.
func TestSelectionPatterns(t *testing.T) {
	notFound := regexp.MustCompile(`^(?:.*not found.*)$`)
	unsupported := regexp.MustCompile(`^(?:.*not supported.*)$`)
	_, err := price(context.Background(), priceRequest{ID: "9", Currency: "EUR"})
	if !notFound.MatchString(err.Error()) || unsupported.MatchString(err.Error()) {
		t.Errorf("%q must select only the 404 response", err)
	}
	_, err = price(context.Background(), priceRequest{ID: "1", Currency: "XYZ"})
	if !unsupported.MatchString(err.Error()) || notFound.MatchString(err.Error()) {
		t.Errorf("%q must select only the 400 response", err)
	}
}
