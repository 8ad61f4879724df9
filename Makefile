# Gatehouse: every command a developer or CI needs. Two matter most:
#   make run    synthesize the example app (cdk.json) and serve it on http://127.0.0.1:3000
#   make test   every test: vet, unit, construct and integration tests
#
# The CDK CLI is pinned in package.json and always runs offline-safe: a region is set, telemetry and
# version checks are off, notices are off, and no AWS credentials reach it, so it never tries to
# contact AWS or the instance metadata address.

SHELL := /bin/bash
export AWS_REGION ?= us-east-1
export CDK_DISABLE_CLI_TELEMETRY := true
export CDK_DISABLE_VERSION_CHECK := 1
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export GOPROXY ?= https://proxy.golang.org
export GOFLAGS ?= -buildvcs=false
unexport AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_CREDENTIALS_RELATIVE_URI

CDK := npx --no-install cdk
ASSEMBLY ?= cdk.out
PORT ?= 3000
GATEHOUSE := bin/gatehouse

.PHONY: all deps browser-deps build synth run test test-unit test-integ bench fuzz clean

all: build

# deps installs what the build needs on a fresh clone: Go modules and the pinned CDK CLI.
deps: node_modules/.package-lock.json
	go mod download

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# browser-deps installs Debian's chromium for the headless-browser test (integ/browser_test.go)
# when /usr/bin/chromium is missing, as on a clean CI machine (root there; sudo otherwise), and
# does nothing when it is present. apt-get is the only thing here that reaches the network.
browser-deps:
	@if [ -x /usr/bin/chromium ]; then \
	  echo "browser-deps: /usr/bin/chromium is present, nothing to install"; \
	else \
	  set -e; \
	  command -v apt-get >/dev/null || { echo "browser-deps: /usr/bin/chromium is missing and there is no apt-get to install Debian's chromium with; install it yourself or run the tests on Debian" >&2; exit 1; }; \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  echo "browser-deps: /usr/bin/chromium is missing; installing Debian's chromium"; \
	  echo "+ $${sudo:+sudo }env DEBIAN_FRONTEND=noninteractive apt-get update -q"; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q; \
	  echo "+ $${sudo:+sudo }env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium"; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  /usr/bin/chromium --version; \
	fi

build:
	go build -o $(GATEHOUSE) ./local/cmd/gatehouse

synth: deps
	$(CDK) synth --no-notices -q -o $(ASSEMBLY)

# run gives every JWT and Cognito issuer the app's authorizers trust the keys of one local
# issuer, kept in ISSUER_DIR (made on first use), so that tokens minted with
#   bin/gatehouse token --issuer URL --dir .gatehouse/issuer [--aud A] [--scope S] ...
# pass them: the issuer of examples/authz's JWT authorizer and its Cognito user pool's
# (`gatehouse routes` prints both). .gatehouse/ is git-ignored.
ISSUER_DIR ?= .gatehouse/issuer

run: synth build
	@issuers=$$($(GATEHOUSE) routes --assembly $(ASSEMBLY) --json 2>/dev/null | tr -d ' \n' | grep -o '"issuers":\[[^]]*\]' | grep -o 'https://[^"]*' | sort -u); \
	jwks=; \
	for iss in $$issuers; do \
	  out=$$($(GATEHOUSE) token --issuer $$iss --dir $(ISSUER_DIR) 2>&1 >/dev/null) || { echo "$$out" >&2; exit 1; }; \
	  jwks="$$jwks --jwks $$iss=$(ISSUER_DIR)/jwks.json"; \
	done; \
	echo "+ $(GATEHOUSE) start --assembly $(ASSEMBLY) --port $(PORT)$$jwks"; \
	exec $(GATEHOUSE) start --assembly $(ASSEMBLY) --port $(PORT)$$jwks

# GATEHOUSE_REQUIRE_BROWSER makes the browser test fail, not skip, when chromium is missing.
test: deps browser-deps
	go vet ./...
	GATEHOUSE_REQUIRE_BROWSER=1 go test -count=1 -timeout 25m ./...

# test-unit: the runner's own tests, no Node.js needed.
test-unit:
	go test -count=1 ./local/...

test-integ: deps browser-deps
	GATEHOUSE_REQUIRE_BROWSER=1 go test -count=1 -v ./integ/...

# bench: the issue figures, side by side with bare servers in one run (see docs/benchmarks.md):
# the runner's Go micro-benchmarks (issue 4's template figure is BenchmarkRenderOrder), then HTTP,
# REST and WebSocket APIs against bare servers, gatehouse started with --no-throttle.
bench: synth build
	go test -run '^$$' -bench . -benchtime 2000x ./local/... | tee bench-micro.txt
	go run ./integ/cmd/bench -assembly $(ASSEMBLY) -gatehouse $(GATEHOUSE) | tee bench.txt

fuzz:
	for t in $$(grep -rhoE '^func Fuzz[A-Za-z0-9_]+' --include '*_test.go' local | sed 's/func //'); do \
	  pkg=$$(grep -rl "^func $$t" --include '*_test.go' local | head -1 | xargs dirname); \
	  go test -run '^$$' -fuzz "^$$t\$$" -fuzztime 20s ./$$pkg || exit 1; \
	done

clean:
	rm -rf bin $(ASSEMBLY) bench-micro.txt
