package client_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/eventstream"
)

// fakeBedrock stands in for the service so the examples run offline.
func fakeBedrock() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.EscapedPath() {
		case "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Amzn-Bedrock-Input-Token-Count", "12")
			w.Header().Set("X-Amzn-Bedrock-Output-Token-Count", "3")
			fmt.Fprint(w, `{"content":[{"type":"text","text":"Hello there!"}]}`)
		case "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke-with-response-stream":
			w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
			var out []byte
			for _, s := range []string{`{"type":"content_block_delta","delta":{"text":"Hel"}}`, `{"type":"content_block_delta","delta":{"text":"lo"}}`} {
				payload := fmt.Sprintf(`{"bytes":%q,"p":"abcdef"}`, base64.StdEncoding.EncodeToString([]byte(s)))
				out, _ = eventstream.AppendMessage(out, eventstream.NewEvent("chunk", "application/json", []byte(payload)))
			}
			w.Write(out)
		default:
			w.Header().Set("X-Amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")
			w.Header().Set("X-Amzn-RequestId", "example-request-id")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"message":"Too many requests, please wait before trying again."}`)
		}
	}))
}

func ExampleNew() {
	c, err := client.New(client.Options{
		Region:      "us-east-1",
		BearerToken: "ABSK-example-key", // a Bedrock API key; or set Credentials for SigV4
		UserAgent:   "myapp/1.0",
		Retry:       client.RetryPolicy{MaxAttempts: 5},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Endpoint())
	// Output: https://bedrock-runtime.us-east-1.amazonaws.com
}

func ExampleFromEnvironment() {
	env := map[string]string{
		"AWS_REGION":               "eu-central-1",
		"AWS_BEARER_TOKEN_BEDROCK": "ABSK-example-key",
		"AWS_USE_FIPS_ENDPOINT":    "false",
	}
	c, err := client.FromEnvironment(context.Background(),
		client.WithGetenv(func(k string) string { return env[k] })) // omit WithGetenv to read the real environment
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c) // secrets are never printed
	// Output: client.Client{Region: "eu-central-1", Endpoint: "https://bedrock-runtime.eu-central-1.amazonaws.com", Auth: bearer [redacted], Retry: {Mode: standard, MaxAttempts: 3, MaxBackoff: 20s}}
}

func ExampleClient_InvokeModel() {
	srv := fakeBedrock()
	defer srv.Close()
	c, err := client.New(client.Options{Endpoint: srv.URL, BearerToken: "example"})
	if err != nil {
		log.Fatal(err)
	}
	out, err := c.InvokeModel(context.Background(), &client.InvokeModelInput{
		ModelID: "anthropic.claude-3-5-haiku-20241022-v1:0",
		Body:    []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}`),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\ntokens in=%d out=%d\n", out.Body, out.InputTokens, out.OutputTokens)
	// Output:
	// {"content":[{"type":"text","text":"Hello there!"}]}
	// tokens in=12 out=3
}

func ExampleClient_InvokeModelWithResponseStream() {
	srv := fakeBedrock()
	defer srv.Close()
	c, err := client.New(client.Options{Endpoint: srv.URL, BearerToken: "example"})
	if err != nil {
		log.Fatal(err)
	}
	stream, err := c.InvokeModelWithResponseStream(context.Background(), &client.InvokeModelInput{
		ModelID: "anthropic.claude-3-5-haiku-20241022-v1:0",
		Body:    []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}`),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer stream.Close()
	for chunk, err := range stream.All() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s\n", chunk.Bytes)
	}
	// Output:
	// {"type":"content_block_delta","delta":{"text":"Hel"}}
	// {"type":"content_block_delta","delta":{"text":"lo"}}
}

func ExampleIsThrottling() {
	srv := fakeBedrock()
	defer srv.Close()
	c, err := client.New(client.Options{Endpoint: srv.URL, BearerToken: "example", Retry: client.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.InvokeModel(context.Background(), &client.InvokeModelInput{ModelID: "busy-model", Body: []byte("{}")})
	if client.IsThrottling(err) {
		var e *client.Error
		errors.As(err, &e)
		fmt.Println(e.StatusCode, e.Code, e.RequestID)
	}
	// Output: 429 ThrottlingException example-request-id
}
