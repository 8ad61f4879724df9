package lambdahost

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// lambdaPath is PATH in Lambda's OS-only runtimes. The runner's own PATH is appended so that
// tools a handler shells out to locally are still found.
const lambdaPath = "/usr/local/bin:/usr/bin/:/bin:/opt/bin"

// reservedEnv are the variables Lambda sets itself and refuses in a function's configuration
// ("Defined runtime environment variables" in the Lambda Developer Guide). A template or
// --env-vars value for one of them is ignored, so it can never break the Runtime API wiring.
var reservedEnv = map[string]bool{
	"_HANDLER": true, "_X_AMZN_TRACE_ID": true, "AWS_REGION": true, "AWS_EXECUTION_ENV": true,
	"AWS_LAMBDA_FUNCTION_NAME": true, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": true,
	"AWS_LAMBDA_FUNCTION_VERSION": true, "AWS_LAMBDA_INITIALIZATION_TYPE": true,
	"AWS_LAMBDA_LOG_GROUP_NAME": true, "AWS_LAMBDA_LOG_STREAM_NAME": true,
	"AWS_ACCESS_KEY": true, "AWS_ACCESS_KEY_ID": true, "AWS_SECRET_ACCESS_KEY": true,
	"AWS_SESSION_TOKEN": true, "AWS_LAMBDA_RUNTIME_API": true, "LAMBDA_TASK_ROOT": true,
	"LAMBDA_RUNTIME_DIR": true, "TZ": true,
}

// credentials are the temporary-looking keys a function's process gets, as Lambda hands it its
// execution role's session. They are derived from the account and function name so they are
// stable across runs (issue 3 maps them back to the function).
type credentials struct {
	accessKeyID, secretAccessKey, sessionToken string
}

func newCredentials(account, function string) credentials {
	sum := func(label string) []byte {
		h := sha256.Sum256([]byte("gatehouse local credentials\x00" + label + "\x00" + account + "\x00" + function))
		return h[:]
	}
	// "ASIA" marks temporary (STS) keys; SDKs then also expect the session token we provide.
	id := "ASIA" + base32.StdEncoding.EncodeToString(sum("id"))[:16]
	secret := base64.StdEncoding.EncodeToString(sum("secret")[:30])
	token := base64.StdEncoding.EncodeToString(append(append(sum("token1"), sum("token2")...), sum("token3")...))
	return credentials{id, secret, token}
}

// baseEnv is a function's environment without the per-instance variables (Runtime API address,
// log stream), as name -> value.
func (h *Host) baseEnv(f *model.Function, creds credentials) map[string]string {
	env := make(map[string]string, 32)
	// Template variables first, then --env-vars, then the runner's own (ExtraEnv), so Lambda's
	// own (reserved) ones win below.
	for k, v := range f.Environment {
		env[k] = v
	}
	for k, v := range h.overridesFor(f) {
		env[k] = v
	}
	for k, v := range h.cfg.ExtraEnv {
		env[k] = v
	}
	for k := range env {
		if reservedEnv[k] {
			h.log.Warn("ignoring reserved environment variable", "function", f.Name, "variable", k)
			delete(env, k)
		}
	}
	if _, ok := env["LANG"]; !ok {
		env["LANG"] = "en_US.UTF-8"
	}
	if _, ok := env["PATH"]; !ok {
		env["PATH"] = lambdaPath
		if p := os.Getenv("PATH"); p != "" {
			env["PATH"] += ":" + p
		}
	}
	memory := f.MemoryMB
	if memory <= 0 {
		memory = defaultMemoryMB
	}
	env["AWS_LAMBDA_FUNCTION_NAME"] = f.Name
	env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = strconv.Itoa(memory)
	env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST"
	env["AWS_REGION"] = h.region
	env["AWS_DEFAULT_REGION"] = h.region
	env["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + f.Name
	env["_HANDLER"] = f.Handler
	env["LAMBDA_TASK_ROOT"] = f.CodeDir
	env["LAMBDA_RUNTIME_DIR"] = "/var/runtime"
	env["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand"
	env["TZ"] = ":UTC"
	env["AWS_ACCESS_KEY_ID"] = creds.accessKeyID
	env["AWS_ACCESS_KEY"] = creds.accessKeyID
	env["AWS_SECRET_ACCESS_KEY"] = creds.secretAccessKey
	env["AWS_SESSION_TOKEN"] = creds.sessionToken
	// Every instance is its own process with its own Go scheduler. With one P per core, each
	// Runtime API exchange hands goroutines (net/http's read and write loops) between threads,
	// and every such hand-off wakes a sleeping thread: on a 2-core laptop or VM that costs more
	// than the handler's own work. One P keeps an invocation on one thread: about 90 µs less
	// latency per request (docs/benchmarks.md). Instances still run in parallel with each other,
	// and a function that wants more sets GOMAXPROCS in its environment.
	if _, ok := env["GOMAXPROCS"]; !ok && h.cfg.HandlerGOMAXPROCS >= 0 {
		procs := h.cfg.HandlerGOMAXPROCS
		if procs == 0 {
			procs = 1
		}
		env["GOMAXPROCS"] = strconv.Itoa(procs)
	}
	return env
}

// overridesFor picks the --env-vars values for f: "Parameters" for every function, then the
// entry named by logical id (or physical name, or "Stack/LogicalId"). As in SAM, only variables
// the template declares are overridden.
func (h *Host) overridesFor(f *model.Function) map[string]string {
	if len(h.cfg.EnvOverrides) == 0 || len(f.Environment) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, key := range []string{"Parameters", f.LogicalID, f.Stack + "/" + f.LogicalID, f.Name} {
		for k, v := range h.cfg.EnvOverrides[key] {
			if _, declared := f.Environment[k]; declared {
				out[k] = v
			}
		}
	}
	return out
}

// instanceEnv completes a function's environment for one instance, as a sorted KEY=value list.
func instanceEnv(base map[string]string, runtimeAPI string, now time.Time) []string {
	var stream [16]byte
	putRandom(stream[:])
	env := make([]string, 0, len(base)+2)
	for k, v := range base {
		env = append(env, k+"="+v)
	}
	env = append(env,
		"AWS_LAMBDA_RUNTIME_API="+runtimeAPI,
		"AWS_LAMBDA_LOG_STREAM_NAME="+now.UTC().Format("2006/01/02")+"/[$LATEST]"+hex.EncodeToString(stream[:]),
	)
	sort.Strings(env)
	return env
}
