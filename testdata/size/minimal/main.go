// Command minimal makes one Converse call through client.New with static
// credentials: the smallest useful bedrockwire program.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

func main() {
	c, err := client.New(client.Options{
		Region:      "us-east-1",
		Credentials: sigv4.StaticCredentials{AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY")},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := c.Converse(context.Background(), &client.ConverseInput{
		ModelID:  "amazon.nova-micro-v1:0",
		Messages: []client.Message{{Role: client.RoleUser, Content: []client.ContentBlock{client.TextBlock{Text: "hi"}}}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(out.StopReason)
}
