package client_test

import (
	"context"
	"fmt"
	"log"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
	"github.com/bedrockwire/bedrockwire/modelspec"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// A typed turn with Nova 2 Sonic, against the local emulator. The events are
// sent before any is received: the service answers only once input arrived.
func ExampleClient_InvokeModelWithBidirectionalStream() {
	srv := bedrocktest.NewServer(nil) // a local Bedrock Runtime with a Sonic-like model
	defer srv.Close()
	c, err := client.New(client.Options{
		Region:      "us-east-1",
		Endpoint:    srv.URL,
		HTTPClient:  srv.Client(), // speaks HTTP/2 (h2c) to the emulator
		Credentials: sigv4.StaticCredentials(bedrocktest.DefaultCredentials),
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	s, err := c.InvokeModelWithBidirectionalStream(ctx, "amazon.nova-2-sonic-v1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	const prompt = "prompt-1"
	events := []modelspec.SonicEvent{
		modelspec.SonicSessionStart{InferenceConfiguration: modelspec.SonicInferenceConfiguration{MaxTokens: 1024}},
		modelspec.NewSonicPromptStart(prompt, "matthew"),
	}
	events = append(events, modelspec.SonicTextBlock(prompt, "system", modelspec.SonicRoleSystem, "Be brief.")...)
	turn := modelspec.SonicTextBlock(prompt, "question", modelspec.SonicRoleUser, "What is Bedrock?")
	start := turn[0].(modelspec.SonicContentStart)
	start.Interactive = true // a typed turn, to be answered
	turn[0] = start
	events = append(events, turn...)
	events = append(events, modelspec.SonicPromptEnd{PromptName: prompt}, modelspec.SonicSessionEnd{})
	for _, ev := range events {
		js, err := modelspec.EncodeSonicEvent(ev)
		if err != nil {
			log.Fatal(err)
		}
		if err := s.Send(ctx, js); err != nil {
			log.Fatal(err)
		}
	}
	if err := s.CloseSend(); err != nil {
		log.Fatal(err)
	}

	for js, err := range s.All() {
		if err != nil {
			log.Fatal(err)
		}
		ev, err := modelspec.ParseSonicEvent(js)
		if err != nil {
			log.Fatal(err)
		}
		if t, ok := ev.(*modelspec.SonicTextOutput); ok {
			fmt.Printf("%s: %s\n", t.Role, t.Content)
		}
	}
	// Output:
	// USER: What is Bedrock?
	// ASSISTANT: You said: What is Bedrock?
	// ASSISTANT: You said: What is Bedrock?
}
