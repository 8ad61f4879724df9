package stagerules

import (
	"fmt"
	"regexp"
)

// DefaultStageName is the HTTP API stage served at the API's root, without a stage segment.
const DefaultStageName = "$default"

// MaxNameLen is the longest stage name the API reference allows.
const MaxNameLen = 128

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// CheckName: stage names are 1 to 128 letters, digits, hyphens and underscores. HTTP APIs also
// have "$default"; WebSocket and REST APIs do not, since their URLs always name the stage, and a
// user who asks for one is told so rather than only that "$" is not allowed.
func CheckName(p Protocol, name string) error {
	if name == DefaultStageName {
		switch p {
		case HTTP:
			return nil
		case REST:
			return fmt.Errorf("stage name %q: REST APIs have no $default stage; the stage name is the first path segment of the URL (https://{api-id}.execute-api.{region}.amazonaws.com/{stage})", name)
		}
		return fmt.Errorf("stage name %q: WebSocket APIs have no $default stage; the stage name is the first path segment of the URL (wss://{api-id}.execute-api.{region}.amazonaws.com/{stage})", name)
	}
	if name == "" || len(name) > MaxNameLen || !nameRE.MatchString(name) {
		if p == HTTP {
			return fmt.Errorf("stage name %q: must be \"$default\" or 1 to %d letters, digits, \"-\" and \"_\"", name, MaxNameLen)
		}
		return fmt.Errorf("stage name %q: must be 1 to %d letters, digits, \"-\" and \"_\"", name, MaxNameLen)
	}
	return nil
}
