package client_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"os"
	"strings"

	"github.com/bedrockwire/bedrockwire/client"
)

// A *slog.Logger receives the wire debug records; its handler's level
// decides whether they are written. Signatures, session tokens and bearer
// tokens are masked.
func ExampleLogger() {
	srv := exampleServer([]byte(`{"output":{"message":{"role":"assistant","content":[{"text":"Hi."}]}},"stopReason":"end_turn"}`), false)
	defer srv.Close()
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			switch a.Key {
			case slog.TimeKey, "url", "elapsed": // vary from run to run
				return slog.Attr{}
			case "header":
				// One "Name: value" line per header; this example keeps one.
				for _, line := range strings.Split(a.Value.String(), "\n") {
					if strings.HasPrefix(line, "Authorization: ") {
						return slog.String("header", line)
					}
				}
				return slog.Attr{}
			}
			return a
		},
	}))
	c, err := client.New(client.Options{Region: "us-east-1", Endpoint: srv.URL, BearerToken: "example-key",
		HTTPClient: srv.Client(), Logger: logger})
	if err != nil {
		log.Fatal(err)
	}
	out, err := c.Converse(context.Background(), &client.ConverseInput{
		ModelID:  "amazon.nova-micro-v1:0",
		Messages: []client.Message{{Role: client.RoleUser, Content: []client.ContentBlock{client.TextBlock{Text: "Hello"}}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Text())
	// Output:
	// level=DEBUG msg="bedrock request" op=Converse method=POST body_bytes=59 header="Authorization: Bearer **** (11 bytes)"
	// level=DEBUG msg="bedrock response" op=Converse status=200
	// Hi.
}
