package issuer_test

import (
	"fmt"
	"log"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/issuer"
)

// A test mints a token for the issuer its JWT authorizer names and sends it in the
// Authorization header; the runner gets the issuer's keys through local.Options.JWKSData.
func Example() {
	iss, err := issuer.New("https://auth.example.com")
	if err != nil {
		log.Fatal(err)
	}
	token, err := iss.Mint(issuer.Claims{
		Subject:   "alice",
		Audience:  []string{"my-app"},
		Scopes:    []string{"orders/read"},
		ExpiresIn: 15 * time.Minute,
	})
	if err != nil {
		log.Fatal(err)
	}
	// The runner would be started with:
	//	local.Options{JWKSData: map[string][]byte{iss.URL(): iss.JWKS()}}
	// and the request sent with:
	//	req.Header.Set("Authorization", "Bearer "+token)
	fmt.Println(iss.URL(), len(token) > 0)
	// Output: https://auth.example.com true
}
