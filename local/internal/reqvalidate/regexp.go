package reqvalidate

import (
	"time"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// RegexpTimeout bounds one match of a "pattern" or "patternProperties" expression. ECMA 262
// expressions backtrack, so a pattern like (a+)+$ could otherwise hold a request for ever; a
// match that runs out of time counts as no match, and the body is refused.
const RegexpTimeout = 100 * time.Millisecond

// ecmaRegexp is a regular expression with ECMA 262's syntax and semantics, which is what draft
// 4 asks for and what API Gateway's validator uses. Go's regexp package would refuse
// lookaheads and backreferences, which models use for rules such as password strength.
type ecmaRegexp struct{ re *regexp2.Regexp }

func compileECMA(s string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(s, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	re.MatchTimeout = RegexpTimeout
	return ecmaRegexp{re}, nil
}

// MatchString finds the expression anywhere in s: draft 4's patterns are not anchored.
func (e ecmaRegexp) MatchString(s string) bool {
	ok, err := e.re.MatchString(s)
	return err == nil && ok
}

func (e ecmaRegexp) String() string { return e.re.String() }
