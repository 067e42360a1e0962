package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bedrockwire/bedrockwire/client"
	"github.com/bedrockwire/bedrockwire/client/bedrocktest"
	"github.com/bedrockwire/bedrockwire/modelspec"
	"github.com/bedrockwire/bedrockwire/sigv4"
)

// Against the emulator, which serves the runtime, the control plane and the
// agent runtime on one endpoint and checks SigV4 as the services do.

func cpEmulator(t *testing.T) (*bedrocktest.Server, *client.Client) {
	t.Helper()
	srv := bedrocktest.NewServer(&bedrocktest.Options{Clock: func() time.Time { return time.Date(2026, 7, 31, 12, 0, 0, 0, time.UTC) }})
	t.Cleanup(srv.Close)
	c, err := client.New(client.Options{Region: srv.Region(), Endpoint: srv.URL, HTTPClient: srv.Client(),
		Credentials: sigv4.StaticCredentials(bedrocktest.DefaultCredentials)})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestEmulatorAsyncInvoke(t *testing.T) {
	srv, c := cpEmulator(t)
	ctx := context.Background()
	reel := modelspec.NovaReelRequest{
		TaskType:              modelspec.ReelTaskTextVideo,
		TextToVideoParams:     &modelspec.NovaReelTextToVideoParams{Text: "waves"},
		VideoGenerationConfig: modelspec.NovaReelVideoGenerationConfig{DurationSeconds: 6, FPS: 24, Dimension: "1280x720"},
	}
	var arns []string
	for range 3 {
		out, err := c.StartAsyncInvoke(ctx, &client.StartAsyncInvokeInput{ModelID: "amazon.nova-reel-v1:0", ModelInput: reel, OutputDataConfig: client.S3Output("s3://b/v/")})
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, out.InvocationARN)
	}
	if arns[0] == arns[1] {
		t.Errorf("two starts without a token share %s", arns[0])
	}
	// The same token is the same invocation.
	again, err := c.StartAsyncInvoke(ctx, &client.StartAsyncInvokeInput{ModelID: "amazon.nova-reel-v1:0", ModelInput: reel,
		OutputDataConfig: client.S3Output("s3://b/v/"), ClientRequestToken: "tok-x"})
	if err != nil {
		t.Fatal(err)
	}
	same, err := c.StartAsyncInvoke(ctx, &client.StartAsyncInvokeInput{ModelID: "amazon.nova-reel-v1:0", ModelInput: reel,
		OutputDataConfig: client.S3Output("s3://b/v/"), ClientRequestToken: "tok-x"})
	if err != nil || same.InvocationARN != again.InvocationARN {
		t.Errorf("same token: %v (%v), want %s", same, err, again.InvocationARN)
	}

	var seen []string
	done, err := c.WaitAsyncInvoke(ctx, arns[0], &client.WaitAsyncInvokeOptions{MinDelay: time.Millisecond,
		Progress: func(a *client.AsyncInvoke) { seen = append(seen, a.Status) }})
	if err != nil || done.Status != client.AsyncInvokeCompleted || done.OutputURI() != "s3://b/v/" || done.SubmitTime.IsZero() {
		t.Fatalf("wait: %+v, %v", done, err)
	}
	if strings.Join(seen, ",") != "InProgress,Completed" {
		t.Errorf("progress %v", seen)
	}

	// Pages of one: four invocations, the listing ends on an empty token.
	var listed []string
	for a, err := range c.AllAsyncInvokes(ctx, &client.ListAsyncInvokesInput{MaxResults: 1, SortOrder: client.SortAscending}) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, a.InvocationARN)
	}
	if len(listed) != 4 || listed[0] != arns[0] {
		t.Errorf("listed %v", listed)
	}
	if n := len(srv.Requests()); n < 4+2+4 {
		t.Errorf("%d requests", n)
	}
	for _, r := range srv.Requests() {
		if r.Auth != "sigv4" {
			t.Errorf("%s authenticated with %q", r.Operation, r.Auth)
		}
	}
}

func TestEmulatorControlPlane(t *testing.T) {
	_, c := cpEmulator(t)
	ctx := context.Background()
	out, err := c.ListFoundationModels(ctx, &client.ListFoundationModelsInput{ByProvider: "Anthropic", ByOutputModality: client.ModalityText})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ModelSummaries) == 0 {
		t.Fatal("no Anthropic models")
	}
	for _, m := range out.ModelSummaries {
		if m.ProviderName != "Anthropic" || m.ModelLifecycle == nil || !strings.HasPrefix(m.ModelARN, "arn:aws:bedrock:") {
			t.Errorf("model %+v", m)
		}
	}
	m, err := c.GetFoundationModel(ctx, "amazon.nova-lite-v1:0")
	if err != nil || m.ModelID != "amazon.nova-lite-v1:0" || m.ProviderName != "Amazon" {
		t.Errorf("GetFoundationModel: %+v, %v", m, err)
	}
	if _, err := c.GetFoundationModel(ctx, "amazon.no-such-model-v9:0"); !client.IsResourceNotFound(err) && !client.IsValidation(err) {
		t.Errorf("unknown model: %v", err)
	}

	var profiles []client.InferenceProfile
	for p, err := range c.AllInferenceProfiles(ctx, &client.ListInferenceProfilesInput{TypeEquals: client.InferenceProfileSystemDefined, MaxResults: 7}) {
		if err != nil {
			t.Fatal(err)
		}
		profiles = append(profiles, p)
	}
	if len(profiles) < 8 {
		t.Errorf("%d profiles: want several pages of 7", len(profiles))
	}
	seen := map[string]bool{}
	for _, p := range profiles {
		if seen[p.InferenceProfileID] {
			t.Errorf("%s listed twice", p.InferenceProfileID)
		}
		seen[p.InferenceProfileID] = true
		if p.Type != client.InferenceProfileSystemDefined || len(p.Models) == 0 || p.CreatedAt.IsZero() {
			t.Errorf("profile %+v", p)
		}
	}
	got, err := c.GetInferenceProfile(ctx, profiles[0].InferenceProfileID)
	if err != nil || got.InferenceProfileARN != profiles[0].InferenceProfileARN {
		t.Errorf("GetInferenceProfile(%s): %+v, %v", profiles[0].InferenceProfileID, got, err)
	}
}

func TestEmulatorRerank(t *testing.T) {
	srv, c := cpEmulator(t)
	jsonDoc, _ := client.RerankJSON(map[string]string{"text": "Go collects garbage concurrently"})
	out, err := c.Rerank(context.Background(), &client.RerankInput{
		ModelID:         "amazon.rerank-v1:0",
		Query:           "garbage collection in Go",
		Sources:         []client.RerankDocument{client.RerankText("Paris is in France"), jsonDoc, client.RerankText("Go has a garbage collector")},
		NumberOfResults: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Results) != 2 || out.Results[0].Index == 0 || out.Results[0].RelevanceScore < out.Results[1].RelevanceScore {
		t.Errorf("results %+v", out.Results)
	}
	r, _ := srv.LastRequest()
	if r.ModelID != "arn:aws:bedrock:"+srv.Region()+"::foundation-model/amazon.rerank-v1:0" {
		t.Errorf("model ARN sent %q", r.ModelID)
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &body); err != nil || len(body) != 3 {
		t.Errorf("body %s", r.Body)
	}
	// A model that does not rerank is refused by the service.
	_, err = c.Rerank(context.Background(), &client.RerankInput{ModelID: "amazon.nova-lite-v1:0", Query: "q", Sources: []client.RerankDocument{client.RerankText("a")}})
	var e *client.Error
	if !errors.As(err, &e) || e.Op != "Rerank" || !client.IsValidation(err) {
		t.Errorf("non-rerank model: %v", err)
	}
}
