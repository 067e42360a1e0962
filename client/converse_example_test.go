package client_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/eventstream"
)

// exampleServer stands in for Bedrock: it answers every request with body,
// as an event stream when stream is set.
func exampleServer(body []byte, stream bool) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if stream {
			w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
		} else {
			w.Header().Set("Content-Type", "application/json")
		}
		w.Write(body)
	}))
}

func exampleClient(srv *httptest.Server) *client.Client {
	c, err := client.New(client.Options{Region: "us-east-1", Endpoint: srv.URL, BearerToken: "example-key", HTTPClient: srv.Client()})
	if err != nil {
		log.Fatal(err)
	}
	return c
}

func ExampleClient_Converse() {
	srv := exampleServer([]byte(`{"output":{"message":{"role":"assistant","content":[`+
		`{"text":"Let me look that up."},`+
		`{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}}]}},`+
		`"stopReason":"tool_use","usage":{"inputTokens":40,"outputTokens":12,"totalTokens":52},"metrics":{"latencyMs":310}}`), false)
	defer srv.Close()
	c := exampleClient(srv)

	schema, _ := client.ToJSON(map[string]any{
		"type":       "object",
		"properties": map[string]any{"city": map[string]any{"type": "string"}},
		"required":   []string{"city"},
	})
	out, err := c.Converse(context.Background(), &client.ConverseInput{
		ModelID: "us.anthropic.claude-3-5-haiku-20241022-v1:0",
		System:  []client.SystemBlock{client.TextBlock{Text: "Answer briefly."}},
		Messages: []client.Message{{Role: client.RoleUser, Content: []client.ContentBlock{
			client.TextBlock{Text: "What's the weather in Paris?"},
		}}},
		InferenceConfig: &client.InferenceConfig{MaxTokens: 256, Temperature: client.Ptr[float32](0)},
		ToolConfig: &client.ToolConfig{Tools: []client.Tool{
			client.ToolSpec{Name: "get_weather", Description: "Current weather for a city", InputSchema: schema},
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range out.Message.Content {
		switch b := b.(type) {
		case client.TextBlock:
			fmt.Println("text:", b.Text)
		case client.ToolUseBlock:
			var in struct{ City string }
			if err := b.DecodeInput(&in); err != nil {
				log.Fatal(err)
			}
			fmt.Println("call", b.Name, "for", in.City)
		}
	}
	fmt.Println(out.StopReason, out.Usage.TotalTokens, "tokens")
	// Output:
	// text: Let me look that up.
	// call get_weather for Paris
	// tool_use 52 tokens
}

func ExampleClient_ConverseStream() {
	var body []byte
	for _, e := range []struct{ typ, payload string }{
		{"messageStart", `{"role":"assistant","p":"abcd"}`},
		{"contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcdefgh"}`},
		{"contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":", world"},"p":"ab"}`},
		{"contentBlockStop", `{"contentBlockIndex":0}`},
		{"messageStop", `{"stopReason":"end_turn"}`},
		{"metadata", `{"usage":{"inputTokens":5,"outputTokens":3,"totalTokens":8},"metrics":{"latencyMs":120}}`},
	} {
		body, _ = eventstream.AppendMessage(body, eventstream.NewEvent(e.typ, "application/json", []byte(e.payload)))
	}
	srv := exampleServer(body, true)
	defer srv.Close()
	c := exampleClient(srv)

	s, err := c.ConverseStream(context.Background(), &client.ConverseInput{
		ModelID:  "amazon.nova-lite-v1:0",
		Messages: []client.Message{{Role: client.RoleUser, Content: []client.ContentBlock{client.TextBlock{Text: "Say hello."}}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	var acc client.ConverseAccumulator
	for ev, err := range s.All() {
		if err != nil {
			log.Fatal(err)
		}
		if d, ok := ev.(client.ContentBlockDeltaEvent); ok {
			if t, ok := d.Delta.(client.TextDelta); ok {
				fmt.Printf("%q\n", t.Text) // print as it arrives
			}
		}
		if err := acc.Add(ev); err != nil {
			log.Fatal(err)
		}
	}
	out, err := acc.Output() // the same value Converse would have returned
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Text(), "|", out.StopReason, out.Usage.OutputTokens)
	// Output:
	// "Hello"
	// ", world"
	// Hello, world | end_turn 3
}

func ExampleClient_CountTokens() {
	srv := exampleServer([]byte(`{"inputTokens":11}`), false)
	defer srv.Close()
	c := exampleClient(srv)

	in := &client.ConverseInput{Messages: []client.Message{{Role: client.RoleUser,
		Content: []client.ContentBlock{client.TextBlock{Text: "How many tokens is this?"}}}}}
	n, err := c.CountTokens(context.Background(), "anthropic.claude-3-5-haiku-20241022-v1:0", in)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n.InputTokens)
	// Output: 11
}

func ExampleClient_ApplyGuardrail() {
	srv := exampleServer([]byte(`{"action":"GUARDRAIL_INTERVENED","outputs":[{"text":"Contact {EMAIL}."}],`+
		`"assessments":[{"sensitiveInformationPolicy":{"piiEntities":[{"match":"jane@example.com","type":"EMAIL","action":"ANONYMIZED","detected":true}],"regexes":[]}}],`+
		`"usage":{"topicPolicyUnits":0,"contentPolicyUnits":0,"wordPolicyUnits":0,"sensitiveInformationPolicyUnits":1,"sensitiveInformationPolicyFreeUnits":0,"contextualGroundingPolicyUnits":0}}`), false)
	defer srv.Close()
	c := exampleClient(srv)

	out, err := c.ApplyGuardrail(context.Background(), "abc123", "DRAFT", &client.ApplyGuardrailInput{
		Source:  client.GuardrailSourceOutput,
		Content: []client.GuardrailContent{client.GuardrailText{Text: "Contact jane@example.com."}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Action, out.Outputs[0].Text)
	for _, p := range out.Assessments[0].SensitiveInformationPolicy.PIIEntities {
		fmt.Println(p.Type, p.Action)
	}
	// Output:
	// GUARDRAIL_INTERVENED Contact {EMAIL}.
	// EMAIL ANONYMIZED
}
