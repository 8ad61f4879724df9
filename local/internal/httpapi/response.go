package httpapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// Response is what an integration answered, before response parameter mapping and CORS:
// the same shape for Lambda and HTTP backends.
type Response struct {
	Status int
	Header http.Header // canonical names; Set-Cookie once per cookie
	Body   []byte
}

// lambdaResponse is the structured response a Lambda proxy integration returns, with every
// field kept raw so that wrong types are reported rather than silently zeroed.
type lambdaResponse struct {
	StatusCode        json.RawMessage `json:"statusCode"`
	Headers           json.RawMessage `json:"headers"`
	MultiValueHeaders json.RawMessage `json:"multiValueHeaders"`
	Cookies           json.RawMessage `json:"cookies"`
	Body              json.RawMessage `json:"body"`
	IsBase64Encoded   json.RawMessage `json:"isBase64Encoded"`
}

// ParseV2Response interprets a payload format 2.0 Lambda response as the guide describes:
// valid JSON without a statusCode is a 200 application/json response whose body is the
// function's output (a JSON string's value, any other JSON verbatim); an object with a
// statusCode is a structured response. Anything else is an error, which API Gateway answers
// with 500 Internal Server Error.
func ParseV2Response(payload []byte) (*Response, error) {
	payload = bytes.TrimSpace(payload)
	if !json.Valid(payload) {
		return nil, errors.New("the function's response is not valid JSON")
	}
	if payload[0] == '{' && hasTopLevelKey(payload, "statusCode") {
		return parseStructured(payload, true)
	}
	resp := &Response{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}}
	if payload[0] == '"' {
		var s string
		if err := json.Unmarshal(payload, &s); err != nil {
			return nil, fmt.Errorf("decoding the function's response: %w", err)
		}
		resp.Body = []byte(s)
	} else {
		resp.Body = payload
	}
	return resp, nil
}

// ParseV1Response interprets a payload format 1.0 (or REST Lambda proxy) response, which
// must be an object with a statusCode.
func ParseV1Response(payload []byte) (*Response, error) {
	payload = bytes.TrimSpace(payload)
	if !json.Valid(payload) {
		return nil, errors.New("the function's response is not valid JSON")
	}
	if payload[0] != '{' {
		return nil, errors.New("the function's response is not a JSON object with a statusCode")
	}
	return parseStructured(payload, false)
}

func parseStructured(payload []byte, cookies bool) (*Response, error) {
	var lr lambdaResponse
	if err := json.Unmarshal(payload, &lr); err != nil {
		return nil, fmt.Errorf("decoding the function's response: %w", err)
	}
	resp := &Response{Header: http.Header{}}
	if isNull(lr.StatusCode) {
		return nil, errors.New("the function's response has no statusCode")
	}
	var code json.Number
	if lr.StatusCode[0] == '"' {
		return nil, fmt.Errorf("statusCode %s is a string, not a number", lr.StatusCode)
	}
	if err := json.Unmarshal(lr.StatusCode, &code); err != nil {
		return nil, fmt.Errorf("statusCode %s is not a number", lr.StatusCode)
	}
	n, err := strconv.Atoi(code.String())
	if err != nil || n < 100 || n > 599 {
		return nil, fmt.Errorf("statusCode %s is not an HTTP status code", lr.StatusCode)
	}
	resp.Status = n
	if !isNull(lr.Headers) {
		var hs map[string]json.RawMessage
		if err := json.Unmarshal(lr.Headers, &hs); err != nil {
			return nil, fmt.Errorf("headers is not an object: %w", err)
		}
		for name, raw := range hs {
			v, err := scalarText(raw)
			if err != nil {
				return nil, fmt.Errorf("header %q: %w", name, err)
			}
			resp.Header.Add(name, v)
		}
	}
	if !isNull(lr.MultiValueHeaders) {
		var hs map[string][]json.RawMessage
		if err := json.Unmarshal(lr.MultiValueHeaders, &hs); err != nil {
			return nil, fmt.Errorf("multiValueHeaders is not an object of arrays: %w", err)
		}
		for name, raws := range hs {
			// A header in both maps is sent once per distinct value.
			have := resp.Header.Values(name)
			for _, raw := range raws {
				v, err := scalarText(raw)
				if err != nil {
					return nil, fmt.Errorf("multiValueHeaders %q: %w", name, err)
				}
				if !contains(have, v) {
					resp.Header.Add(name, v)
				}
			}
		}
	}
	if cookies && !isNull(lr.Cookies) {
		var cs []string
		if err := json.Unmarshal(lr.Cookies, &cs); err != nil {
			return nil, fmt.Errorf("cookies is not an array of strings: %w", err)
		}
		for _, c := range cs {
			resp.Header.Add("Set-Cookie", c)
		}
	}
	b64 := false
	if !isNull(lr.IsBase64Encoded) {
		if err := json.Unmarshal(lr.IsBase64Encoded, &b64); err != nil {
			return nil, fmt.Errorf("isBase64Encoded %s is not a boolean", lr.IsBase64Encoded)
		}
	}
	if !isNull(lr.Body) {
		var body string
		if err := json.Unmarshal(lr.Body, &body); err != nil {
			return nil, fmt.Errorf("body is not a string")
		}
		if b64 {
			dec, err := base64.StdEncoding.DecodeString(body)
			if err != nil {
				return nil, fmt.Errorf("body is not valid base64 although isBase64Encoded is true: %w", err)
			}
			resp.Body = dec
		} else {
			resp.Body = []byte(body)
		}
	}
	return resp, nil
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// scalarText turns a header value into text: strings as they are, numbers and booleans in
// their JSON spelling (handlers often write {"x-count": 3}); objects and arrays are errors.
func scalarText(raw json.RawMessage) (string, error) {
	switch {
	case isNull(raw):
		return "", nil
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case raw[0] == '{' || raw[0] == '[':
		return "", fmt.Errorf("value %s is not a string", raw)
	default:
		return string(raw), nil
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// hasTopLevelKey reports whether the valid JSON object obj has the key name, matched exactly
// as a map lookup would (struct decoding would also match "StatusCode"). Scanning the keys
// instead of decoding into a map saves an allocation per key on every response.
func hasTopLevelKey(obj []byte, name string) bool {
	depth := 0
	expectKey := false
	for i := 0; i < len(obj); i++ {
		switch c := obj[i]; c {
		case '{':
			depth++
			expectKey = depth == 1
		case '[':
			depth++
		case '}', ']':
			depth--
		case ',':
			expectKey = depth == 1
		case '"':
			start := i
			escaped := false
			for i++; i < len(obj) && obj[i] != '"'; i++ {
				if obj[i] == '\\' {
					escaped = true
					i++
				}
			}
			if !expectKey {
				continue
			}
			expectKey = false
			key := obj[start+1 : i]
			if escaped {
				var k string
				if json.Unmarshal(obj[start:i+1], &k) == nil && k == name {
					return true
				}
			} else if string(key) == name {
				return true
			}
		}
	}
	return false
}
