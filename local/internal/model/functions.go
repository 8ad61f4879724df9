package model

import "strings"

// StageFunction is the physical name of the Lambda function a Lambda integration or authorizer
// URI names on a stage with the given variables. The guide's stage variables reference lets a
// URI take the function's name, alias or ARN from a stage variable
// ("...:function:${stageVariables.fn}/invocations"), so such a URI names a function only once
// its stage is known, and the model leaves Integration.Function and Authorizer.Function empty
// for it. "" when the URI names no function, or uses a variable the stage does not define.
func StageFunction(uri string, stageVariables map[string]string) string {
	if UsesStageVariables(uri) {
		var ok bool
		if uri, ok = substituteStageVariables(uri, stageVariables); !ok {
			return ""
		}
	}
	name := functionNameInURI(uri)
	if strings.ContainsAny(name, "${}") {
		return ""
	}
	return name
}

const stageVariablePrefix = "${stageVariables."

// UsesStageVariables reports whether a URI takes part of itself from stage variables
// ("${stageVariables.NAME}"), so that what it names is known only per stage.
func UsesStageVariables(uri string) bool { return strings.Contains(uri, stageVariablePrefix) }

// substituteStageVariables replaces each ${stageVariables.NAME}; ok is false when a variable is
// not defined.
func substituteStageVariables(s string, vars map[string]string) (string, bool) {
	var b strings.Builder
	for {
		i := strings.Index(s, stageVariablePrefix)
		if i < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return "", false
		}
		v, ok := vars[s[i+len(stageVariablePrefix):i+end]]
		if !ok {
			return "", false
		}
		b.WriteString(s[:i])
		b.WriteString(v)
		s = s[i+end+1:]
	}
}

// functionNameInURI is the function name a Lambda URI holds, in any of the forms API Gateway
// accepts: a function ARN (optionally qualified by an alias or version), the
// arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations form, or a name.
func functionNameInURI(uri string) string {
	if _, rest, ok := strings.Cut(uri, ":lambda:path/"); ok {
		_, fn, ok := strings.Cut(rest, "/functions/")
		if !ok {
			return ""
		}
		uri = strings.TrimSuffix(fn, "/invocations")
	}
	if strings.HasPrefix(uri, "arn:") {
		// arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
		parts := strings.Split(uri, ":")
		if len(parts) < 7 || parts[2] != "lambda" || parts[5] != "function" {
			return ""
		}
		return parts[6]
	}
	if uri == "" || strings.ContainsAny(uri, ":/ ") {
		return ""
	}
	return uri
}
