package reqvalidate

import (
	"encoding/json"
	"strconv"
	"strings"
)

// maxExponent bounds the decimal exponent of a number in a body or schema. The schema library
// compares numbers exactly (math/big), which costs time and memory in proportion to the
// exponent and fails outright past about 1e6, so numbers beyond every double (1e308) are
// refused before they reach it. API Gateway's validator reads numbers as Java doubles, which
// cannot hold them either.
const maxExponent = 400

// hugeNumber returns the first number in a decoded document whose exponent is out of range.
func hugeNumber(v any) (json.Number, bool) {
	switch v := v.(type) {
	case json.Number:
		if !inRange(v) {
			return v, true
		}
	case map[string]any:
		for _, x := range v {
			if n, bad := hugeNumber(x); bad {
				return n, true
			}
		}
	case []any:
		for _, x := range v {
			if n, bad := hugeNumber(x); bad {
				return n, true
			}
		}
	}
	return "", false
}

func inRange(n json.Number) bool {
	s := string(n)
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return true
	}
	exp, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
	return err == nil && exp >= -maxExponent && exp <= maxExponent
}
