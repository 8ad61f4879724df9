package reqvalidate

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// Gateway response types a check can end in (the guide's "Gateway response types").
const (
	BadRequestParameters  = "BAD_REQUEST_PARAMETERS"
	BadRequestBody        = "BAD_REQUEST_BODY"
	APIConfigurationError = "API_CONFIGURATION_ERROR"
)

// Messages API Gateway answers with, verbatim (the guide's "Set up basic request validation").
const (
	MsgMissingParameters = "Missing required request parameters"
	MsgInvalidBody       = "Invalid request body"
	// MsgInternal is API Gateway's answer to a configuration it cannot apply: here, a method
	// whose request model did not compile.
	MsgInternal = "Internal server error"
)

// Failure is a request that validation refused.
type Failure struct {
	// ResponseType is the gateway response to answer with: BadRequestParameters,
	// BadRequestBody, or APIConfigurationError for a method whose model did not compile.
	ResponseType string
	// Message is $context.error.message: "Missing required request parameters: [petType]" or
	// "Invalid request body".
	Message string
	// ValidationErrorString is $context.error.validationErrorString: the parameters' message
	// again, or the schema's complaints, "[object has missing required properties
	// (["name"])]". Empty for APIConfigurationError.
	ValidationErrorString string
	// Detail is for the runner's log and never sent: API Gateway's log line for a body,
	// "Request body does not match model schema for content type application/json: [...]", or
	// why a model is unusable.
	Detail string
}

// Error is the log line: the detail when there is one, else the message.
func (f *Failure) Error() string {
	if f.Detail != "" {
		return f.ResponseType + ": " + f.Detail
	}
	return f.ResponseType + ": " + f.Message
}

// Check applies the method's request validator to a request: its required parameters, then its
// body. body is the request's body, already read; pathParams are the path parameters the
// resource matched (for method.request.path.NAME). It returns nil when the request may go on.
func (v *Validators) Check(m *model.Method, r *http.Request, body []byte, pathParams map[string]string) *Failure {
	rv := v.validators[m.RequestValidator]
	if m.RequestValidator == "" || rv == nil {
		return nil
	}
	if rv.ValidateRequestParameters {
		if missing := missingParams(m.RequestParameters, r, pathParams); len(missing) > 0 {
			msg := MsgMissingParameters + ": [" + strings.Join(missing, ", ") + "]"
			return &Failure{ResponseType: BadRequestParameters, Message: msg, ValidationErrorString: msg}
		}
	}
	if !rv.ValidateRequestBody {
		return nil
	}
	contentType, name := bodyModel(m, r.Header.Get("Content-Type"))
	if name == "" {
		return nil // the guide: "If no matching content type is found, request validation is not performed."
	}
	complaints, err := v.ValidateModel(name, body)
	if err != nil {
		return &Failure{ResponseType: APIConfigurationError, Message: MsgInternal,
			Detail: fmt.Sprintf("request model %q for %s cannot be used: %v", name, contentType, err)}
	}
	if len(complaints) == 0 {
		return nil
	}
	list := "[" + strings.Join(complaints, ", ") + "]"
	return &Failure{ResponseType: BadRequestBody, Message: MsgInvalidBody, ValidationErrorString: list,
		Detail: "Request body does not match model schema for content type " + contentType + ": " + list}
}

// ValidateModel validates a body against a model by name, as Check does: an empty body is {},
// and a body that is not JSON is one complaint. It returns the complaints in API Gateway's
// words, none when the body is valid, and an error when the model does not exist or did not
// compile.
func (v *Validators) ValidateModel(name string, body []byte) ([]string, error) {
	sch := v.models[name]
	if sch == nil {
		if err := v.broken[name]; err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("no model %q", name)
	}
	var instance any = map[string]any{}
	if len(bytes.TrimSpace(body)) > 0 {
		var err error
		instance, err = jsonschema.UnmarshalJSON(bytes.NewReader(body))
		if err != nil {
			return []string{"Invalid JSON: " + err.Error()}, nil
		}
		if n, bad := hugeNumber(instance); bad {
			return []string{fmt.Sprintf("numeric instance %s is out of range", n)}, nil
		}
	}
	if err := sch.Validate(instance); err != nil {
		if !isValidationError(err) {
			return nil, fmt.Errorf("validating against model %q: %w", name, err)
		}
		return v.messages(err, instance), nil
	}
	return nil, nil
}

func isValidationError(err error) bool {
	var ve *jsonschema.ValidationError
	return errors.As(err, &ve)
}

// bodyModel picks the model for a request's Content-Type: the media type alone, any case;
// application/json when there is none; else the method's "$default" model. name is empty when
// the method has no model for the request.
func bodyModel(m *model.Method, header string) (contentType, name string) {
	contentType = "application/json"
	if strings.TrimSpace(header) != "" {
		if mt, _, err := mime.ParseMediaType(header); err == nil {
			contentType = mt
		} else {
			mt, _, _ := strings.Cut(header, ";")
			contentType = strings.ToLower(strings.TrimSpace(mt))
		}
	}
	for ct, n := range m.RequestModels {
		if strings.EqualFold(ct, contentType) {
			return contentType, n
		}
	}
	return contentType, m.RequestModels["$default"]
}
