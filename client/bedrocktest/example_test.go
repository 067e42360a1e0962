package bedrocktest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// newClient points a bedrockwire client at the emulator, with the test
// credentials it accepts.
func newClient(srv *bedrocktest.Server, retry client.RetryPolicy) *client.Client {
	c, err := client.New(client.Options{
		Region:      srv.Region(),
		Endpoint:    srv.URL,
		HTTPClient:  srv.Client(),
		Credentials: sigv4.StaticCredentials(bedrocktest.DefaultCredentials),
		Retry:       retry,
	})
	if err != nil {
		log.Fatal(err)
	}
	return c
}

func userText(s string) []client.Message {
	return []client.Message{{Role: client.RoleUser, Content: []client.ContentBlock{client.TextBlock{Text: s}}}}
}

func ExampleNewServer() {
	srv := bedrocktest.NewServer(nil)
	defer srv.Close()
	c := newClient(srv, client.RetryPolicy{})

	out, err := c.Converse(context.Background(), &client.ConverseInput{
		ModelID:  "us.amazon.nova-lite-v1:0",
		Messages: userText("Hello, emulator"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Text())
	fmt.Println(out.StopReason, out.Usage.InputTokens, out.Usage.OutputTokens)

	// Every request is recorded, with how it authenticated.
	r, _ := srv.LastRequest()
	fmt.Println(r.Operation, r.Path, r.Auth, r.Status)
	// Output:
	// You said: Hello, emulator
	// end_turn 2 4
	// Converse /model/us.amazon.nova-lite-v1%3A0/converse sigv4 200
}

// The emulator checks signatures as the service does: a request signed with
// the wrong secret gets the service's 403.
func ExampleNewServer_signatureCheck() {
	srv := bedrocktest.NewServer(nil)
	defer srv.Close()

	wrong := bedrocktest.DefaultCredentials
	wrong.SecretAccessKey = "not-the-secret"
	body := `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`
	r, _ := http.NewRequest("POST", srv.URL+"/model/amazon.nova-lite-v1%3A0/converse", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	var signer sigv4.Signer
	if err := signer.SignHTTP(r, wrong, srv.Region(), "bedrock", time.Now(), ""); err != nil {
		log.Fatal(err)
	}
	resp, err := srv.Client().Do(r)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"))
	fmt.Println(strings.Contains(string(msg), "The Canonical String for this request should have been"))
	// Output:
	// 403 InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/
	// true
}

func ExampleServer_Script() {
	srv := bedrocktest.NewServer(nil)
	defer srv.Close()
	c := newClient(srv, client.RetryPolicy{})

	// The next Converse on this model calls a tool.
	srv.Script("anthropic.claude-3-5-haiku-20241022-v1:0", bedrocktest.Reply{Content: []bedrocktest.Block{
		bedrocktest.Text("Let me check."),
		bedrocktest.ToolCall("get_weather", `{"city":"Paris"}`),
	}})
	schema, _ := client.ToJSON(map[string]any{"type": "object"})
	s, err := c.ConverseStream(context.Background(), &client.ConverseInput{
		ModelID:    "anthropic.claude-3-5-haiku-20241022-v1:0",
		Messages:   userText("Weather in Paris?"),
		ToolConfig: &client.ToolConfig{Tools: []client.Tool{client.ToolSpec{Name: "get_weather", InputSchema: schema}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	out, err := client.CollectConverseStream(s)
	if err != nil {
		log.Fatal(err)
	}
	for _, tu := range out.ToolUses() {
		var in struct{ City string }
		if err := tu.DecodeInput(&in); err != nil {
			log.Fatal(err)
		}
		fmt.Println(tu.Name, in.City)
	}
	fmt.Println(out.Text(), "|", out.StopReason)
	// Output:
	// get_weather Paris
	// Let me check. | tool_use
}

func ExampleServer_Inject() {
	srv := bedrocktest.NewServer(nil)
	defer srv.Close()
	c := newClient(srv, client.RetryPolicy{MaxAttempts: 1})

	srv.Throttle(1)
	_, err := c.Converse(context.Background(), &client.ConverseInput{ModelID: "amazon.nova-lite-v1:0", Messages: userText("hi")})
	fmt.Println(client.IsThrottling(err))

	// A stream that fails after two events.
	srv.Inject(bedrocktest.Fault{Operation: bedrocktest.OpConverseStream, AfterEvents: 2, Exception: bedrocktest.ServiceUnavailableError()})
	s, err := c.ConverseStream(context.Background(), &client.ConverseInput{ModelID: "amazon.nova-lite-v1:0", Messages: userText("one two three")})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	n := 0
	for _, err := range s.All() {
		if err != nil {
			var ae *client.Error
			fmt.Println(n, "events, then", errors.As(err, &ae) && client.IsServiceUnavailable(err))
			break
		}
		n++
	}
	// Output:
	// true
	// 2 events, then true
}
