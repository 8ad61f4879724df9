package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/gatehouse-dev/gatehouse/local"
)

// credentials prints the AWS credentials the runner issues for an IAM role of the assembly,
// as environment assignments a shell or an SDK reads:
//
//	export $(gatehouse credentials ReaderRole)
//	curl --aws-sigv4 "aws:amz:us-east-1:execute-api" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
//	     -H "x-amz-security-token: $AWS_SESSION_TOKEN" http://127.0.0.1:3000/...
//
// A request signed with them passes a route with AWS_IAM authorization when the role's
// policies allow execute-api:Invoke on it. They are the same on every run.
func credentials(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("credentials", flag.ExitOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: gatehouse credentials ROLE [--assembly DIR] [--account ID] [--region R]")
		fmt.Fprintln(fs.Output(), "ROLE is an IAM role of the assembly: its logical id, name, ARN or STACK/LOGICALID.")
		fs.PrintDefaults()
	}
	var c common
	c.register(fs, false)
	var role string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		role, args = args[0], args[1:]
	}
	fs.Parse(args)
	if role == "" && fs.NArg() > 0 {
		role = fs.Arg(0)
	}
	if role == "" {
		return errors.New("credentials: name an IAM role of the assembly (its logical id, name or ARN)")
	}
	if err := c.finish(); err != nil {
		return err
	}
	creds, err := local.Credentials(c.opts, role)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\nAWS_SESSION_TOKEN=%s\n", creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)
	return nil
}
