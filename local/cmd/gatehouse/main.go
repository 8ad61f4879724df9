// Command gatehouse serves the APIs of a synthesized CDK cloud assembly on localhost.
//
//	gatehouse start  [--assembly DIR] [--host 127.0.0.1] [--port 3000] [--tls [--tls-port 3001] [--ca-dir .gatehouse/ca]] [--env-vars FILE] [--no-throttle] [--jwks ISSUER=FILE]...
//	gatehouse routes [--assembly DIR] [--host 127.0.0.1] [--port 3000] [--tls [--tls-port 3001]] [--json]
//	gatehouse invoke FUNCTION [--assembly DIR] [--event FILE|-] [--env-vars FILE]
//	gatehouse credentials ROLE [--assembly DIR]
//	gatehouse token  --issuer URL [--aud A]... [--client-id C] [--scope S]... [--sub U] [--ttl 1h] [--claim K=V]... [--dir DIR]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/gatehouse-dev/gatehouse/local"
	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/localca"
)

const usage = `gatehouse serves the APIs of a synthesized CDK app (cdk.out) on localhost.

Usage:
  gatehouse start  [--assembly DIR] [--host 127.0.0.1] [--port 3000] [--env-vars FILE] [--param K=V] [--jwks ISSUER=FILE]...
                   [--tls [--tls-port PORT+1] [--ca-dir .gatehouse/ca]]
                   (--tls: also HTTPS/WSS, for every custom domain, from a local CA it prints how to trust)
  gatehouse routes [--assembly DIR] [--host 127.0.0.1] [--port 3000] [--tls] [--json]
  gatehouse invoke FUNCTION [--assembly DIR] [--event FILE|-] [--env-vars FILE]
  gatehouse credentials ROLE [--assembly DIR]
                   (AWS credentials for an IAM role of the app, to call AWS_IAM routes)
  gatehouse token  --issuer URL [--aud A]... [--scope S]... [--sub U] [--ttl 1h] [--claim K=V]...
                   (a signed test token; start with --jwks ISSUER=FILE to accept it)

Run "gatehouse COMMAND -h" for a command's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "start":
		err = start(os.Args[2:])
	case "routes":
		err = routes(os.Args[2:], os.Stdout)
	case "invoke":
		err = invoke(os.Args[2:], os.Stdin, os.Stdout)
	case "token":
		err = token(os.Args[2:], os.Stdout, os.Stderr)
	case "credentials":
		err = credentials(os.Args[2:], os.Stdout)
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "gatehouse: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(int(ee))
		}
		fmt.Fprintln(os.Stderr, "gatehouse:", err)
		os.Exit(1)
	}
}

// exitError ends the process with a status and no further message.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// common flags of every command.
type common struct {
	opts    local.Options
	envFile string
	params  paramFlag
}

func (c *common) register(fs *flag.FlagSet, withAddr bool) {
	fs.StringVar(&c.opts.Assembly, "assembly", "cdk.out", "cloud assembly directory (the output of cdk synth)")
	fs.StringVar(&c.opts.Region, "region", "", "region pseudo parameters resolve to (default $AWS_REGION or us-east-1)")
	fs.StringVar(&c.opts.Account, "account", "", "account id pseudo parameters resolve to (default 123456789012)")
	fs.StringVar(&c.envFile, "env-vars", "", "JSON file overriding function environment variables (SAM CLI format)")
	fs.Var(&c.params, "param", "override a template parameter, NAME=VALUE (repeatable)")
	fs.IntVar(&c.opts.MaxInstances, "max-instances", 0, "instances per function without reserved concurrency (default 16)")
	fs.IntVar(&c.opts.HandlerGOMAXPROCS, "handler-gomaxprocs", 0, "GOMAXPROCS for handlers whose environment sets none (default 1; -1: Go's default)")
	if withAddr {
		fs.StringVar(&c.opts.Host, "host", "127.0.0.1", "address to listen on")
		fs.IntVar(&c.opts.Port, "port", 3000, "port to listen on (0: any free port)")
		fs.BoolVar(&c.opts.TLS, "tls", false, "also serve HTTPS and WSS, with certificates for every custom domain from a local CA")
		fs.IntVar(&c.opts.TLSPort, "tls-port", 0, "HTTPS port with --tls (default --port + 1)")
		fs.StringVar(&c.opts.CADir, "ca-dir", local.DefaultCADir, "directory of the local CA --tls issues certificates from (made on first use)")
	}
}

func (c *common) finish() error {
	if c.envFile != "" {
		env, err := lambdahost.LoadEnvVarsFile(c.envFile)
		if err != nil {
			return err
		}
		c.opts.EnvVars = env
	}
	if len(c.params) > 0 {
		c.opts.Parameters = c.params
	}
	return nil
}

type paramFlag map[string]string

func (p *paramFlag) String() string { return "" }
func (p *paramFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", v)
	}
	if *p == nil {
		*p = map[string]string{}
	}
	(*p)[k] = val
	return nil
}

func start(args []string) error {
	fs := flag.NewFlagSet("start", flag.ExitOnError)
	var c common
	c.register(fs, true)
	fs.BoolVar(&c.opts.NoThrottle, "no-throttle", false, "ignore stage, route, method and usage-plan throttles; quotas still apply")
	fs.Var((*jwksFlag)(&c.opts.JWKS), "jwks", "ISSUER=FILE: the JWKS of an issuer of JWT/Cognito authorizers (repeatable; see gatehouse token)")
	cpuProfile := fs.String("cpuprofile", "", "write a Go CPU profile of the runner to this file until it stops")
	accessLog := fs.String("access-log", "", "write stages' access logs (their AccessLogSettings format) to FILE, appending; \"-\" is stdout (default stderr)")
	fs.Parse(args)
	if err := c.finish(); err != nil {
		return err
	}
	switch *accessLog {
	case "":
	case "-":
		c.opts.AccessLog = os.Stdout
	default:
		f, err := os.OpenFile(*accessLog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return fmt.Errorf("opening the access log: %w", err)
		}
		defer f.Close()
		c.opts.AccessLog = f
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	c.opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	began := time.Now()
	r, err := local.Start(ctx, c.opts)
	if err != nil {
		return err
	}
	printAPIs(os.Stdout, r.APIs(), c.opts.Assembly, time.Since(began))
	printDomains(os.Stdout, r.Domains(), r.CAFile())
	if r.TLSURL() != "" {
		cert, key := "", ""
		if hasMutualTLS(r.Domains()) {
			cert, key = r.ClientCertFiles()
		}
		printTLS(os.Stdout, r.TLSURL(), r.CAFile(), r.Domains(), cert, key)
	}
	<-ctx.Done()
	fmt.Fprintln(os.Stderr, "gatehouse: stopping")
	return r.Close()
}

func printAPIs(w io.Writer, apis []local.APIInfo, assembly string, took time.Duration) {
	fmt.Fprintf(w, "gatehouse: serving %s (%d APIs) in %s\n", assembly, len(apis), took.Round(time.Millisecond))
	for _, a := range apis {
		fmt.Fprintf(w, "\n%s API %q (stack %s, %s, id %s)\n", a.Protocol, a.Name, a.Stack, a.LogicalID, a.ID)
		for _, s := range a.Stages {
			fmt.Fprintf(w, "  stage %-10s %s\n", s.Name, s.URL)
			fmt.Fprintf(w, "  %-16s %s\n", "", s.HostURL)
			if s.TLSURL != "" {
				fmt.Fprintf(w, "  %-16s %s\n", "", s.TLSURL)
			}
			if s.CallbackURL != "" {
				fmt.Fprintf(w, "  %-16s @connections %s\n", "", s.CallbackURL)
			}
			for _, m := range s.Domains {
				fmt.Fprintf(w, "  %-16s %s\n", "", domainURLs(m))
			}
		}
		for _, rt := range a.Routes {
			if auth := a.RouteAuth[rt]; auth != "" {
				fmt.Fprintf(w, "  route %s (%s)\n", rt, auth)
			} else {
				fmt.Fprintf(w, "  route %s\n", rt)
			}
		}
		for _, az := range a.Authorizers {
			fmt.Fprintf(w, "  authorizer %s\n", az)
		}
		for _, k := range a.APIKeys {
			fmt.Fprintf(w, "  api key %s %s (stages %s)\n", k.Value, k.Name, strings.Join(k.Stages, ", "))
		}
	}
}

func routes(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("routes", flag.ExitOnError)
	var c common
	c.register(fs, true)
	asJSON := fs.Bool("json", false, "print JSON")
	fs.Parse(args)
	if err := c.finish(); err != nil {
		return err
	}
	d, err := local.DescribeAssembly(c.opts)
	if err != nil {
		return err
	}
	for _, w := range d.Warnings {
		fmt.Fprintln(os.Stderr, "warning:", w)
	}
	if *asJSON {
		// The APIs, each stage with the custom domain URLs that reach it (stages[].domains).
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(d.APIs)
	}
	printAPIs(out, d.APIs, c.opts.Assembly, 0)
	caFile := ""
	if c.opts.TLS {
		caFile = filepath.Join(c.opts.CADir, localca.CertFile)
		if abs, err := filepath.Abs(caFile); err == nil {
			caFile = abs
		}
	}
	printDomains(out, d.Domains, caFile)
	if c.opts.TLS {
		printTLS(out, "", caFile, d.Domains, "", "")
	}
	return nil
}

func invoke(args []string, stdin io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("invoke", flag.ExitOnError)
	var c common
	c.register(fs, false)
	eventFile := fs.String("event", "", "event JSON file, or - for standard input (default {})")
	// Accept the function name before or after the flags, as sam local invoke does.
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	fs.Parse(args)
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	}
	if name == "" {
		return errors.New("invoke: name a function (its logical id or name)")
	}
	if err := c.finish(); err != nil {
		return err
	}
	payload := []byte("{}")
	var err error
	switch *eventFile {
	case "":
	case "-":
		payload, err = io.ReadAll(stdin)
	default:
		payload, err = os.ReadFile(*eventFile)
	}
	if err != nil {
		return fmt.Errorf("reading event: %w", err)
	}
	if !json.Valid(payload) {
		return fmt.Errorf("event %s is not valid JSON", *eventFile)
	}
	c.opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	r, err := local.Load(c.opts)
	if err != nil {
		return err
	}
	defer r.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := r.Invoke(ctx, name, payload)
	if err != nil {
		return fmt.Errorf("invoking %s: %w", name, err)
	}
	if res.FunctionError != nil {
		out.Write(res.FunctionError.Payload)
		fmt.Fprintln(out)
		return exitError(1)
	}
	out.Write(res.Payload)
	fmt.Fprintln(out)
	return nil
}
