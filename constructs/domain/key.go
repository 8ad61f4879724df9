package domain

import (
	"fmt"
	"strings"
)

// Limits of API mapping keys from the guide's restrictions ("Working with API mappings for
// HTTP APIs", "... for REST APIs", "Map API stages to a custom domain name for WebSocket APIs").
const (
	maxKeyLength = 300
	// maxMultiLevel is the number of multi-level mappings one domain name may have.
	maxMultiLevel = 200
	// keyPunctuation is every character besides letters and digits a key level may hold.
	keyPunctuation = "$-_.+!*'()"
)

// checkKey checks an API mapping key ("" is the empty mapping, which needs no check): letters,
// digits and $-_.+!*'(), at most 300 characters, and for HTTP and REST APIs several levels
// separated by single slashes ("orders/v2"). A WebSocket API's key has one level: the guide's
// character list for WebSocket APIs has no "/".
//
// It returns what is wrong, for the caller to prefix with the mapping it checked.
func checkKey(key string, kind Kind) []string {
	var errs []string
	if len(key) > maxKeyLength {
		errs = append(errs, fmt.Sprintf("is %d characters long; a key has at most %d", len(key), maxKeyLength))
	}
	if strings.HasPrefix(key, "/") || strings.HasSuffix(key, "/") {
		hint := fmt.Sprintf("write %q", strings.Trim(key, "/"))
		if strings.Trim(key, "/") == "" {
			hint = `"" is the empty mapping`
		}
		errs = append(errs, fmt.Sprintf("must not start or end with \"/\" (%s)", hint))
	} else if strings.Contains(key, "//") {
		errs = append(errs, `has an empty level ("//")`)
	}
	if kind == Kind_WEBSOCKET && strings.Contains(key, "/") {
		errs = append(errs, `a WebSocket API's key has one level; multi-level keys (with "/") are for HTTP and REST APIs`)
	}
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || strings.ContainsRune(keyPunctuation, c)) {
			errs = append(errs, fmt.Sprintf("%q is not allowed; a key has letters, digits, %s and \"/\" between levels", c, keyPunctuation))
			break
		}
	}
	return errs
}

// multiLevel reports whether key has more than one level.
func multiLevel(key string) bool { return strings.Contains(key, "/") }
