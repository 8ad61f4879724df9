package local

import (
	"fmt"
	"maps"
	"os"
	"slices"

	"github.com/gatehouse-dev/gatehouse/local/internal/jwtverify"
)

// jwksStore loads Options.JWKS and Options.JWKSData into one store for the JWT and Cognito
// authorizers. An issuer given both ways is an error rather than a silent choice of one.
func (o Options) jwksStore() (*jwtverify.Store, error) {
	s := jwtverify.NewStore()
	for _, issuer := range slices.Sorted(maps.Keys(o.JWKS)) {
		path := o.JWKS[issuer]
		if _, dup := o.JWKSData[issuer]; dup {
			return nil, fmt.Errorf("JWKS of issuer %s: given both as a file (%s) and as data", issuer, path)
		}
		if issuer == "" {
			return nil, fmt.Errorf("JWKS file %s: the issuer is empty (want --jwks ISSUER=FILE)", path)
		}
		if path == "" {
			return nil, fmt.Errorf("JWKS of issuer %s: no file named", issuer)
		}
		doc, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading the JWKS of issuer %s: %w", issuer, err)
		}
		if err := s.Add(issuer, doc); err != nil {
			return nil, fmt.Errorf("JWKS file %s: %w", path, err)
		}
	}
	for _, issuer := range slices.Sorted(maps.Keys(o.JWKSData)) {
		if issuer == "" {
			return nil, fmt.Errorf("Options.JWKSData: a JWKS with an empty issuer")
		}
		if err := s.Add(issuer, o.JWKSData[issuer]); err != nil {
			return nil, fmt.Errorf("Options.JWKSData: %w", err)
		}
	}
	return s, nil
}
