// Command initerror reports an init error through the Runtime API, as language runtimes do when
// the handler module cannot load, and then waits to be stopped.
package main

import (
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	body := `{"errorMessage":"Cannot load handler: config missing","errorType":"Runtime.ImportModuleError"}`
	req, _ := http.NewRequest(http.MethodPost, "http://"+os.Getenv("AWS_LAMBDA_RUNTIME_API")+"/2018-06-01/runtime/init/error", strings.NewReader(body))
	req.Header.Set("Lambda-Runtime-Function-Error-Type", "Runtime.ImportModuleError")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	time.Sleep(time.Minute)
}
