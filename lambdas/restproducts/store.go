package main

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// product is one catalogue entry, as the Product model of the example describes it.
type product struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Price    float64  `json:"price"`
	Category string   `json:"category,omitempty"`
	Tags     []string `json:"tags,omitempty"`
}

// store is the catalogue of one warm instance, as it would be in Lambda: state lives in the
// process between invocations and is gone with it.
type store struct {
	mu       sync.Mutex
	next     int
	products map[string]product
	images   map[string][]byte // uploaded images by product id
}

// newStore starts with the products the price list of lambdas/restprice knows, so every route
// works before any POST.
func newStore() *store {
	return &store{
		next:   4,
		images: map[string][]byte{},
		products: map[string]product{
			"1": {ID: "1", Name: "The Go Programming Language", Price: 39.5, Category: "books", Tags: []string{"go", "programming"}},
			"2": {ID: "2", Name: "Gopher plush", Price: 15, Category: "games", Tags: []string{"go", "toys"}},
			"3": {ID: "3", Name: "Cable tester", Price: 24.99, Category: "tools"},
		},
	}
}

func (s *store) get(id string) (product, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[id]
	return p, ok
}

// list returns the products in id order, those of category if it is not empty, and those with
// every tag in tags.
func (s *store) list(category string, tags []string) []product {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []product{}
	for _, p := range s.products {
		if category != "" && p.Category != category {
			continue
		}
		if !hasAll(p.Tags, tags) {
			continue
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b product) int { return byID(a.ID, b.ID) })
	return out
}

// search returns the products whose name contains q, ignoring case, in id order.
func (s *store) search(q string) []product {
	q = strings.ToLower(q)
	out := []product{}
	for _, p := range s.list("", nil) {
		if strings.Contains(strings.ToLower(p.Name), q) {
			out = append(out, p)
		}
	}
	return out
}

func (s *store) add(p product) product {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.ID = strconv.Itoa(s.next)
	s.next++
	s.products[p.ID] = p
	return p
}

func (s *store) remove(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.products[id]
	delete(s.products, id)
	delete(s.images, id)
	return ok
}

func (s *store) setImage(id string, png []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.products[id]; !ok {
		return false
	}
	s.images[id] = png
	return true
}

// image returns the uploaded image of a product, or nil.
func (s *store) image(id string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.images[id]
}

func hasAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// byID orders numeric ids numerically.
func byID(a, b string) int {
	x, _ := strconv.Atoi(a)
	y, _ := strconv.Atoi(b)
	return x - y
}
