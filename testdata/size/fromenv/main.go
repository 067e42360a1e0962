// Command fromenv makes one Converse call through client.FromEnvironment:
// the whole credential chain (env, shared files, SSO, STS, containers, IMDS).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/bedrockwire/bedrockwire/client"
)

func main() {
	ctx := context.Background()
	c, err := client.FromEnvironment(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := c.Converse(ctx, &client.ConverseInput{
		ModelID:  "amazon.nova-micro-v1:0",
		Messages: []client.Message{{Role: client.RoleUser, Content: []client.ContentBlock{client.TextBlock{Text: "hi"}}}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(out.StopReason)
}
