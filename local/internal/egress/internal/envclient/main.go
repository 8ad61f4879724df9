// Command envclient makes one request configured by nothing but its environment, as a handler
// does, and prints what came back. It is the egress tests' stand-in for handler code that the
// runner must not need changed.
//
//	envclient get URL                  http.Get with http.DefaultClient
//	envclient post-to-connection URL   the aws-sdk-go-v2 @connections client, from
//	                                   config.LoadDefaultConfig, with URL as its endpoint
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/apigatewaymanagementapi"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: envclient get|post-to-connection URL")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var err error
	switch os.Args[1] {
	case "get":
		err = get(ctx, os.Args[2])
	case "post-to-connection":
		err = postToConnection(ctx, os.Args[2])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
}

func get(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	fmt.Printf("%d %s\n", resp.StatusCode, body)
	return err
}

func postToConnection(ctx context.Context, endpoint string) error {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	api := apigatewaymanagementapi.NewFromConfig(cfg, func(o *apigatewaymanagementapi.Options) {
		o.BaseEndpoint = aws.String(endpoint)
	})
	_, err = api.PostToConnection(ctx, &apigatewaymanagementapi.PostToConnectionInput{
		ConnectionId: aws.String("conn-1"),
		Data:         []byte("hello from a handler"),
	})
	if err == nil {
		fmt.Println("posted")
	}
	return err
}
