package client_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/modelspec"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// routedServer stands in for Bedrock's services: it answers each path
// prefix with its body.
func routedServer(routes map[string]string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		best := ""
		for p := range routes {
			if strings.HasPrefix(r.URL.Path, p) && len(p) > len(best) {
				best = p
			}
		}
		w.Write([]byte(routes[best]))
	}))
}

func ExampleClient_StartAsyncInvoke() {
	srv := routedServer(map[string]string{
		"/async-invoke":  `{"invocationArn":"arn:aws:bedrock:us-east-1:123456789012:async-invoke/abcdef123456"}`,
		"/async-invoke/": `{"invocationArn":"arn:aws:bedrock:us-east-1:123456789012:async-invoke/abcdef123456","modelArn":"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-reel-v1:1","status":"Completed","submitTime":"2026-07-31T12:00:00Z","endTime":"2026-07-31T12:04:30Z","outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"s3://my-bucket/videos/abcdef123456"}}}`,
	})
	defer srv.Close()
	c := exampleClient(srv)
	ctx := context.Background()

	started, err := c.StartAsyncInvoke(ctx, &client.StartAsyncInvokeInput{
		ModelID: "amazon.nova-reel-v1:1",
		ModelInput: modelspec.NovaReelRequest{
			TaskType:              modelspec.ReelTaskTextVideo,
			TextToVideoParams:     &modelspec.NovaReelTextToVideoParams{Text: "A drone shot over a misty forest at dawn"},
			VideoGenerationConfig: modelspec.NovaReelVideoGenerationConfig{DurationSeconds: 6, FPS: 24, Dimension: "1280x720"},
		},
		OutputDataConfig: client.S3Output("s3://my-bucket/videos/"),
		Tags:             []client.Tag{{Key: "project", Value: "demo"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(started.InvocationARN)

	done, err := c.WaitAsyncInvoke(ctx, started.InvocationARN, &client.WaitAsyncInvokeOptions{
		MinDelay: 5 * time.Second, MaxDelay: time.Minute,
		Progress: func(a *client.AsyncInvoke) { fmt.Println("status:", a.Status) },
	})
	if err != nil {
		log.Fatal(err) // a failed invocation is an error wrapping client.ErrNotCompleted
	}
	fmt.Println(done.OutputURI(), done.EndTime.Sub(done.SubmitTime))
	// Output:
	// arn:aws:bedrock:us-east-1:123456789012:async-invoke/abcdef123456
	// status: Completed
	// s3://my-bucket/videos/abcdef123456 4m30s
}

func ExampleClient_AllAsyncInvokes() {
	srv := routedServer(map[string]string{
		"/async-invoke": `{"asyncInvokeSummaries":[{"invocationArn":"arn:aws:bedrock:us-east-1:123456789012:async-invoke/000000000002","modelArn":"arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-reel-v1:1","status":"InProgress","submitTime":"2026-07-31T12:00:00Z","outputDataConfig":{"s3OutputDataConfig":{"s3Uri":"s3://b/2"}}}]}`,
	})
	defer srv.Close()
	c := exampleClient(srv)

	// Page after page, until the service gives no next token.
	for a, err := range c.AllAsyncInvokes(context.Background(), &client.ListAsyncInvokesInput{StatusEquals: client.AsyncInvokeInProgress}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(a.Status, a.InvocationARN)
	}
	// Output:
	// InProgress arn:aws:bedrock:us-east-1:123456789012:async-invoke/000000000002
}

func ExampleClient_ListFoundationModels() {
	srv := routedServer(map[string]string{
		"/foundation-models": `{"modelSummaries":[{"modelArn":"arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1","modelId":"amazon.titan-text-express-v1","modelName":"Titan Text G1 - Express","providerName":"Amazon","inputModalities":["TEXT"],"outputModalities":["TEXT"],"responseStreamingSupported":true,"customizationsSupported":[],"inferenceTypesSupported":["ON_DEMAND"],"modelLifecycle":{"status":"ACTIVE"}}]}`,
	})
	defer srv.Close()
	c := exampleClient(srv) // with Endpoint set, the control plane is there too

	out, err := c.ListFoundationModels(context.Background(), &client.ListFoundationModelsInput{
		ByProvider: "Amazon", ByOutputModality: client.ModalityText, ByInferenceType: client.InferenceOnDemand,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range out.ModelSummaries {
		fmt.Println(m.ModelID, m.ModelName, m.ModelLifecycle.Status)
	}
	// Output:
	// amazon.titan-text-express-v1 Titan Text G1 - Express ACTIVE
}

func ExampleBatchRecordWriter() {
	var jsonl bytes.Buffer
	w := client.NewBatchRecordWriter(&jsonl)
	for _, prompt := range []string{"Summarise the plot of Hamlet.", "Name three rivers in Africa."} {
		err := w.Write("", modelspec.NovaRequest{
			Messages:        []modelspec.NovaMessage{{Role: "user", Content: []modelspec.NovaContent{{Text: prompt}}}},
			InferenceConfig: &modelspec.NovaInferenceConfig{MaxTokens: 300},
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	fmt.Print(jsonl.String())
	// Then upload the file to S3 and call CreateModelInvocationJob with
	// client.BatchS3Input("s3://bucket/records.jsonl").
	// Output:
	// {"recordId":"REC00000001","modelInput":{"schemaVersion":"messages-v1","messages":[{"role":"user","content":[{"text":"Summarise the plot of Hamlet."}]}],"inferenceConfig":{"maxTokens":300}}}
	// {"recordId":"REC00000002","modelInput":{"schemaVersion":"messages-v1","messages":[{"role":"user","content":[{"text":"Name three rivers in Africa."}]}],"inferenceConfig":{"maxTokens":300}}}
}

func ExampleClient_Rerank() {
	srv := routedServer(map[string]string{
		"/rerank": `{"results":[{"index":1,"relevanceScore":0.92},{"index":0,"relevanceScore":0.07}]}`,
	})
	defer srv.Close()
	// Bedrock Agent Runtime takes SigV4 only, not API keys.
	c, err := client.New(client.Options{Region: "us-west-2", Endpoint: srv.URL, HTTPClient: srv.Client(),
		Credentials: sigv4.StaticCredentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}})
	if err != nil {
		log.Fatal(err)
	}
	docs := []string{"Paris is the capital of France.", "Go's garbage collector is concurrent."}
	in := &client.RerankInput{
		ModelID:         "amazon.rerank-v1:0", // sent as arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0
		Query:           "How does Go manage memory?",
		NumberOfResults: 2,
	}
	for _, d := range docs {
		in.Sources = append(in.Sources, client.RerankText(d))
	}
	out, err := c.Rerank(context.Background(), in)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range out.Results {
		fmt.Printf("%.2f %s\n", r.RelevanceScore, docs[r.Index])
	}
	// Output:
	// 0.92 Go's garbage collector is concurrent.
	// 0.07 Paris is the capital of France.
}
