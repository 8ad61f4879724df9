// Command garbage writes noise: binary bytes, a very long line and a partial last line to its
// output, and answers with bytes that are not JSON.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
)

type raw struct{}

func (raw) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	os.Stdout.Write([]byte("bin\x00\xff\xfe garbage\n"))
	fmt.Fprintln(os.Stderr, "long:"+strings.Repeat("x", 40000))
	os.Stdout.Write([]byte("partial without newline"))
	return []byte("this is {not json"), nil
}

func main() { lambda.StartHandler(raw{}) }
