package restapi

import (
	"encoding/base64"
	"fmt"
	"mime"
	"strings"
)

// Content handling strategies of integrations and integration responses.
const (
	convertToBinary = "CONVERT_TO_BINARY"
	convertToText   = "CONVERT_TO_TEXT"
)

// mediaTypes is an API's binaryMediaTypes: exact types ("image/png"), subtype wildcards
// ("image/*") and "*/*".
type mediaTypes struct {
	exact    map[string]bool
	prefixes []string // "image/" for "image/*"
	all      bool
}

func newMediaTypes(list []string) mediaTypes {
	mt := mediaTypes{exact: map[string]bool{}}
	for _, t := range list {
		// CloudFormation patch paths escape "/" as "~1"; templates sometimes keep that form.
		t = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(t, "~1", "/")))
		switch {
		case t == "*/*":
			mt.all = true
		case strings.HasSuffix(t, "/*"):
			mt.prefixes = append(mt.prefixes, strings.TrimSuffix(t, "*"))
		case t != "":
			mt.exact[t] = true
		}
	}
	return mt
}

func (mt mediaTypes) empty() bool {
	return !mt.all && len(mt.exact) == 0 && len(mt.prefixes) == 0
}

// matches reports whether a media type (already reduced by mediaType) is binary for the API.
func (mt mediaTypes) matches(t string) bool {
	if t == "" {
		return false
	}
	if mt.all || mt.exact[t] {
		return true
	}
	for _, p := range mt.prefixes {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// mediaType reduces a Content-Type or Accept value to its first media type, lower case, without
// parameters: only the MIME type counts when API Gateway selects templates or decides what is
// binary, and "API Gateway honors only the first Accept media type".
func mediaType(v string) string {
	if i := strings.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	if t, _, err := mime.ParseMediaType(v); err == nil {
		return t
	}
	if i := strings.IndexByte(v, ';'); i >= 0 {
		v = v[:i]
	}
	return strings.ToLower(strings.TrimSpace(v))
}

// convert applies a contentHandling strategy to a payload, as the guide's "Content type
// conversions in API Gateway" tables describe. binary says whether the payload is binary data
// (its media type is one of binaryMediaTypes); target is the form the other side takes when
// the strategy is unset (binary when the request or first Accept type is a binary media type).
// It returns the payload and whether it is now binary. Decoding text that is not base64 is an
// error, which API Gateway answers with 500.
func convert(payload []byte, binary bool, strategy string, targetBinary bool) ([]byte, bool, error) {
	switch {
	case strategy == convertToBinary || strategy == "" && targetBinary:
		if binary {
			return payload, true, nil
		}
		out, err := decodeBase64(payload)
		if err != nil {
			return nil, false, err
		}
		return out, true, nil
	case strategy == convertToText || strategy == "" && !targetBinary:
		if !binary {
			return payload, false, nil
		}
		return []byte(base64.StdEncoding.EncodeToString(payload)), false, nil
	}
	return nil, false, fmt.Errorf("contentHandling %q is not CONVERT_TO_BINARY or CONVERT_TO_TEXT", strategy)
}

// decodeBase64 decodes standard base64, with or without padding, ignoring surrounding space.
func decodeBase64(b []byte) ([]byte, error) {
	s := strings.TrimSpace(string(b))
	out, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		out, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	if err != nil {
		return nil, fmt.Errorf("the payload is not base64: %w", err)
	}
	return out, nil
}
