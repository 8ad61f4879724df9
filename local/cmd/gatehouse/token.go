package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gatehouse-dev/gatehouse/local/issuer"
)

// defaultIssuerDir is where `gatehouse token` keeps its key, relative to the directory it runs
// in (the CDK app's, beside cdk.out), so the tokens it mints survive runner restarts.
const defaultIssuerDir = ".gatehouse/issuer"

const tokenUsage = `Usage: gatehouse token --issuer URL [--aud A]... [--client-id C] [--scope S]... [--sub U]
                       [--token-use id|access] [--ttl 1h] [--claim K=V]... [--dir DIR]

Mints a signed (RS256) token of a local issuer and prints it on stdout. Start the runner with
the --jwks flag printed on stderr and its JWT and Cognito authorizers for that issuer accept it:

  gatehouse start --jwks https://issuer=.gatehouse/issuer/jwks.json &
  curl -H "Authorization: Bearer $(gatehouse token --issuer https://issuer --aud my-app)" ...

Flags:
`

// token is `gatehouse token`: it mints a token with the key kept in --dir.
func token(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, tokenUsage)
		fs.PrintDefaults()
	}
	var (
		c      issuer.Claims
		aud    listFlag
		scopes listFlag
		extra  claimFlag
	)
	issuerURL := fs.String("issuer", "", "issuer URL, the iss claim: the issuer the authorizer is configured with (required)")
	fs.Var(&aud, "aud", "audience, the aud claim (repeatable); a JWT authorizer's audience must hold one")
	fs.StringVar(&c.ClientID, "client-id", "", "client_id claim: the app client of a Cognito access token")
	fs.Var(&scopes, "scope", "a scope of the scope claim (repeatable); a route's authorization scopes need one")
	fs.StringVar(&c.Subject, "sub", "", "subject, the sub claim")
	fs.StringVar(&c.TokenUse, "token-use", "", "Cognito token_use claim: id or access")
	fs.DurationVar(&c.ExpiresIn, "ttl", issuer.DefaultExpiresIn, "time to expiry (negative: an expired token)")
	fs.Var(&extra, "claim", "another claim, NAME=VALUE (repeatable); VALUE is read as JSON when it is JSON (true, 3, [\"a\"]), else as a string")
	dir := fs.String("dir", defaultIssuerDir, "directory holding the issuer's key (key.pem) and JWKS (jwks.json), created if need be")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return exitError(2)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("token: unexpected argument %q (flags only; see gatehouse token -h)", fs.Arg(0))
	}
	if *issuerURL == "" {
		return errors.New("token: --issuer is required: the issuer URL your JWT or Cognito authorizer names")
	}
	if c.TokenUse != "" && c.TokenUse != "id" && c.TokenUse != "access" {
		return fmt.Errorf("token: --token-use %q: want id or access", c.TokenUse)
	}
	if c.ExpiresIn == 0 {
		return errors.New("token: --ttl 0: a token must live for some time (negative for one already expired)")
	}
	c.Audience, c.Scopes, c.Extra = aud, scopes, extra

	iss, err := issuer.LoadOrCreate(*dir, *issuerURL)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	tok, err := iss.Mint(c)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	fmt.Fprintln(stdout, tok)
	fmt.Fprintf(stderr, "gatehouse: token of issuer %s, valid until %s; start the runner with:\n  --jwks %s\n",
		iss.URL(), time.Now().Add(c.ExpiresIn).UTC().Format(time.RFC3339), shellQuote(iss.URL()+"="+iss.JWKSPath()))
	return nil
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	if v == "" {
		return errors.New("empty value")
	}
	*l = append(*l, v)
	return nil
}

// claimFlag is a repeatable NAME=VALUE flag; VALUE is JSON when it parses as JSON.
type claimFlag map[string]any

func (c *claimFlag) String() string { return "" }
func (c *claimFlag) Set(v string) error {
	name, val, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", v)
	}
	if *c == nil {
		*c = claimFlag{}
	}
	var decoded any
	if err := json.Unmarshal([]byte(val), &decoded); err == nil {
		(*c)[name] = json.RawMessage(val)
	} else {
		(*c)[name] = val
	}
	return nil
}

// jwksFlag is start's repeatable --jwks ISSUER=FILE, into Options.JWKS. The issuer is cut at
// the first "=": issuer URLs hold none, and a file name may.
type jwksFlag map[string]string

func (j *jwksFlag) String() string { return "" }
func (j *jwksFlag) Set(v string) error {
	iss, file, ok := strings.Cut(v, "=")
	if !ok || iss == "" || file == "" {
		return fmt.Errorf("want ISSUER=FILE (the issuer URL exactly as the tokens' iss claim, and its JWKS file), got %q", v)
	}
	if *j == nil {
		*j = jwksFlag{}
	}
	if old, dup := (*j)[iss]; dup && old != file {
		return fmt.Errorf("issuer %s given twice (%s and %s)", iss, old, file)
	}
	(*j)[iss] = file
	return nil
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain characters, so the
// printed flag can be pasted.
func shellQuote(s string) string {
	plain := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@%+,", r)) {
			plain = false
			break
		}
	}
	if plain && s != "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
