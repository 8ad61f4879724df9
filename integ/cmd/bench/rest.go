package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The REST API figures of issue 4, side by side with a bare net/http server returning the same
// body for each route:
//   - warm Lambda proxy requests, the catalogue's GET /products/{id} (lambdas/restproducts);
//   - a MOCK integration whose request and response templates run per request, the
//     catalogue's GET /health ($input.params, $context).

// restRoutes are the catalogue's routes the REST figures load, and the request paths used.
type restRoutes struct {
	api       string // the REST API's name
	proxy     string // a path of a Lambda proxy method
	proxyKey  string // its method, as gatehouse routes lists it
	mock      string // a path of a MOCK method with mapping templates
	mockKey   string
	readiness string // what startGatehouse waits on: the MOCK path, which needs no handler
}

// runREST starts gatehouse on a copy of the assembly whose functions have no reserved
// concurrency (see liftReservedConcurrency) and measures both routes against bare servers.
func runREST(bin, assembly string, apis []apiInfo, rr restRoutes, dur time.Duration) error {
	api, stage, err := findRESTAPI(apis, rr)
	if err != nil {
		return err
	}
	lifted, names, err := liftReservedConcurrency(assembly, api.Stack)
	if err != nil {
		return fmt.Errorf("copying the assembly: %w", err)
	}
	defer os.RemoveAll(lifted)
	fmt.Printf("\nREST API figures: API %q, stage %s.", rr.api, stage)
	if len(names) > 0 {
		fmt.Printf(" Gatehouse serves a copy of %s without the reserved concurrency of %s: a function capped at one instance answers 7 of 8 concurrent requests with Lambda's throttling error.",
			assembly, strings.Join(names, ", "))
	}
	fmt.Print("\n\n")
	fmt.Printf("| figure | bare net/http | gatehouse | ratio | target |\n|---|---|---|---|---|\n")
	prefix := "/" + api.ID + "/" + stage
	gh, _, err := startOnFreePort(bin, lifted, func(int) string { return prefix + rr.readiness })
	if err != nil {
		return err
	}
	defer gh.stop()
	for _, c := range []struct {
		what, target, path string
	}{
		{"REST Lambda proxy " + rr.proxyKey + ": ", "≥ 25%", rr.proxy},
		{"REST MOCK " + rr.mockKey + ": ", "≥ 50%", rr.mock},
	} {
		ghURL := "http://" + gh.addr + prefix + c.path
		bp, err := startBare(ghURL)
		if err != nil {
			return err
		}
		bareURL := "http://" + bp.addr + c.path
		cpuRows, err := throughput(c.what, c.target, gh, bp, bareURL, ghURL, dur)
		if err == nil {
			for _, row := range cpuRows {
				fmt.Println(row)
			}
			err = latency(c.what, "", bareURL, ghURL, dur/2)
		}
		bp.stop()
		if err != nil {
			return err
		}
	}
	fmt.Printf("| REST runner RSS after the runs above | | %.1f MB | | |\n", rssMB(gh.cmd.Process.Pid))
	return nil
}

// findRESTAPI finds the REST API named rr.api with both methods, and its first stage.
func findRESTAPI(apis []apiInfo, rr restRoutes) (apiInfo, string, error) {
	for _, a := range apis {
		if a.Protocol != "REST" || a.Name != rr.api {
			continue
		}
		for _, key := range []string{rr.proxyKey, rr.mockKey} {
			if !slices.Contains(a.Routes, key) {
				return a, "", fmt.Errorf("REST API %q has no method %s (it has %s)", rr.api, key, strings.Join(a.Routes, ", "))
			}
		}
		if len(a.Stages) == 0 {
			return a, "", fmt.Errorf("REST API %q has no stage", rr.api)
		}
		return a, a.Stages[0].Name, nil
	}
	return apiInfo{}, "", fmt.Errorf("the assembly has no REST API named %q", rr.api)
}

// liftReservedConcurrency copies the cloud assembly in src to a temporary directory, with
// ReservedConcurrentExecutions removed from every AWS::Lambda::Function of stack's template,
// and returns the copy and the functions it changed ("Stack/LogicalId (1)"). The catalogue keeps
// its products handler at one instance so that its in-memory store is the whole catalogue;
// under 8 connections Lambda, and the runner, refuse every invocation beyond that one, which
// would measure the refusals. GET /products/{id} reads products every instance starts with.
// Everything but the templates is a symlink to the original.
func liftReservedConcurrency(src, stack string) (string, []string, error) {
	abs, err := filepath.Abs(src)
	if err != nil {
		return "", nil, err
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "gatehouse-bench-assembly-")
	if err != nil {
		return "", nil, err
	}
	var lifted []string
	for _, e := range entries {
		from, to := filepath.Join(abs, e.Name()), filepath.Join(dir, e.Name())
		if e.Name() != stack+".template.json" {
			if err := os.Symlink(from, to); err != nil {
				os.RemoveAll(dir)
				return "", nil, err
			}
			continue
		}
		names, err := liftTemplate(from, to, stack)
		if err != nil {
			os.RemoveAll(dir)
			return "", nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		lifted = append(lifted, names...)
	}
	slices.Sort(lifted)
	return dir, lifted, nil
}

func liftTemplate(from, to, stack string) ([]string, error) {
	b, err := os.ReadFile(from)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var t map[string]any
	if err := dec.Decode(&t); err != nil {
		return nil, err
	}
	var lifted []string
	resources, _ := t["Resources"].(map[string]any)
	for id, r := range resources {
		res, _ := r.(map[string]any)
		props, _ := res["Properties"].(map[string]any)
		if res["Type"] != "AWS::Lambda::Function" || props == nil {
			continue
		}
		if v, ok := props["ReservedConcurrentExecutions"]; ok {
			delete(props, "ReservedConcurrentExecutions")
			lifted = append(lifted, fmt.Sprintf("%s/%s (%v)", stack, id, v))
		}
	}
	out, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	return lifted, os.WriteFile(to, out, 0o644)
}
