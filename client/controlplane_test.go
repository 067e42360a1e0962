package client

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestListFoundationModelsSeed decodes the ListFoundationModels answer the
// boto3 notebook in the seeds recorded (us-east-1, May 2025).
func TestListFoundationModelsSeed(t *testing.T) {
	rec, srv := newRecorder(t, jsonOK(string(readTestdata(t, "controlplane/list_foundation_models.response.json"))))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := c.ListFoundationModels(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "controlplane/list_foundation_models_all.request.txt", []byte(rec.recorded()[0].dump()))
	if n := len(got.ModelSummaries); n != 92 {
		t.Errorf("%d models, want the notebook's 92", n)
	}
	var premier *FoundationModel
	for i, m := range got.ModelSummaries {
		if m.ModelARN == "" || m.ModelID == "" || m.ModelLifecycle == nil || m.ModelLifecycle.Status == "" {
			t.Errorf("model %d incomplete: %+v", i, m)
		}
		if m.ModelID == "amazon.nova-premier-v1:0" {
			premier = &got.ModelSummaries[i]
		}
	}
	want := &FoundationModel{
		ModelARN:                   "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-premier-v1:0",
		ModelID:                    "amazon.nova-premier-v1:0",
		ModelName:                  "Nova Premier",
		ProviderName:               "Amazon",
		InputModalities:            []string{"TEXT", "IMAGE", "VIDEO"},
		OutputModalities:           []string{"TEXT"},
		ResponseStreamingSupported: Ptr(true),
		CustomizationsSupported:    []string{},
		InferenceTypesSupported:    []string{InferenceInferenceProfile},
		ModelLifecycle:             &FoundationModelLifecycle{Status: LifecycleActive},
	}
	if diff := cmp.Diff(want, premier); diff != "" {
		t.Errorf("Nova Premier (-want +got):\n%s", diff)
	}
}

func TestListFoundationModelsFilters(t *testing.T) {
	rec, srv := newRecorder(t, jsonOK(`{"modelSummaries":[{"modelArn":"a","modelId":"b","modelLifecycle":{"status":"LEGACY","startOfLifeTime":"2024-01-01T00:00:00Z","endOfLifeTime":"2026-01-15T00:00:00Z","legacyTime":"2025-07-15T00:00:00Z","publicExtendedAccessTime":"2025-10-15T00:00:00Z"}}]}`))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := c.ListFoundationModels(context.Background(), &ListFoundationModelsInput{
		ByProvider: "Mistral AI", ByCustomizationType: CustomizationFineTuning, ByOutputModality: ModalityText, ByInferenceType: InferenceOnDemand})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "controlplane/list_foundation_models_filters.request.txt", []byte(rec.recorded()[0].dump()))
	want := &FoundationModelLifecycle{Status: LifecycleLegacy,
		StartOfLifeTime: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), EndOfLifeTime: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
		LegacyTime: time.Date(2025, 7, 15, 0, 0, 0, 0, time.UTC), PublicExtendedAccessTime: time.Date(2025, 10, 15, 0, 0, 0, 0, time.UTC)}
	if diff := cmp.Diff(want, got.ModelSummaries[0].ModelLifecycle); diff != "" {
		t.Errorf("lifecycle (-want +got):\n%s", diff)
	}
	b, _ := json.Marshal(want)
	if string(b) != `{"status":"LEGACY","startOfLifeTime":"2024-01-01T00:00:00Z","endOfLifeTime":"2026-01-15T00:00:00Z","legacyTime":"2025-07-15T00:00:00Z","publicExtendedAccessTime":"2025-10-15T00:00:00Z"}` {
		t.Errorf("lifecycle marshals as %s", b)
	}
	b, _ = json.Marshal(FoundationModelLifecycle{Status: "ACTIVE"})
	if string(b) != `{"status":"ACTIVE"}` {
		t.Errorf("lifecycle without times marshals as %s", b)
	}
}

// TestGetFoundationModelSeed: the notebook's get_foundation_model answer.
func TestGetFoundationModelSeed(t *testing.T) {
	rec, srv := newRecorder(t, jsonOK(string(readTestdata(t, "controlplane/get_foundation_model.response.json"))))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := c.GetFoundationModel(context.Background(), "amazon.titan-text-express-v1")
	if err != nil {
		t.Fatal(err)
	}
	want := &FoundationModel{
		ModelARN: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1", ModelID: "amazon.titan-text-express-v1",
		ModelName: "Titan Text G1 - Express", ProviderName: "Amazon", InputModalities: []string{"TEXT"}, OutputModalities: []string{"TEXT"},
		ResponseStreamingSupported: Ptr(true), CustomizationsSupported: []string{}, InferenceTypesSupported: []string{"ON_DEMAND"},
		ModelLifecycle: &FoundationModelLifecycle{Status: "ACTIVE"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	checkGolden(t, "controlplane/get_foundation_model.request.txt", []byte(rec.recorded()[0].dump()))

	// A versioned ID and an ARN are one path label each.
	rec2, srv2 := newRecorder(t, jsonOK(`{"modelDetails":{"modelArn":"a","modelId":"b"}}`))
	c2 := newTestClient(t, srv2.URL, srv2.Client())
	for _, id := range []string{"anthropic.claude-3-5-haiku-20241022-v1:0", "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"} {
		if _, err := c2.GetFoundationModel(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	var uris []string
	for _, r := range rec2.recorded() {
		uris = append(uris, r.RequestURI)
	}
	if diff := cmp.Diff([]string{
		"/foundation-models/anthropic.claude-3-5-haiku-20241022-v1%3A0",
		"/foundation-models/arn%3Aaws%3Abedrock%3Aus-east-1%3A%3Afoundation-model%2Famazon.nova-pro-v1%3A0",
	}, uris); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	if _, err := c2.GetFoundationModel(context.Background(), ""); err == nil {
		t.Error("empty ID: no error")
	}
	_, srv3 := newRecorder(t, jsonOK(`{}`))
	c3 := newTestClient(t, srv3.URL, srv3.Client())
	if _, err := c3.GetFoundationModel(context.Background(), "a.b"); err == nil || !strings.Contains(err.Error(), "no modelDetails (request ID req-ok)") {
		t.Errorf("empty answer: %v", err)
	}
}

func TestInferenceProfilesGolden(t *testing.T) {
	rec, srv := newRecorder(t, jsonOK(string(readTestdata(t, "controlplane/list_inference_profiles.response.json"))))
	c := newTestClient(t, srv.URL, srv.Client())
	got, err := c.ListInferenceProfiles(context.Background(), &ListInferenceProfilesInput{TypeEquals: InferenceProfileSystemDefined, MaxResults: 50, NextToken: "abc"})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "controlplane/list_inference_profiles.request.txt", []byte(rec.recorded()[0].dump()))
	want := &ListInferenceProfilesOutput{
		InferenceProfileSummaries: []InferenceProfile{{
			InferenceProfileName: "US Anthropic Claude 3.5 Haiku",
			Description:          "Routes requests to Anthropic Claude 3.5 Haiku in us-east-1, us-east-2 and us-west-2.",
			InferenceProfileID:   "us.anthropic.claude-3-5-haiku-20241022-v1:0",
			InferenceProfileARN:  "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",
			Models: []InferenceProfileModel{
				{ModelARN: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"},
				{ModelARN: "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"},
				{ModelARN: "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"},
			},
			Status:    "ACTIVE",
			Type:      InferenceProfileSystemDefined,
			CreatedAt: time.Date(2024, 11, 4, 0, 0, 0, 0, time.UTC),
			UpdatedAt: time.Date(2024, 11, 4, 0, 0, 0, 0, time.UTC),
		}, {
			InferenceProfileName: "my-app-profile",
			InferenceProfileID:   "abcd1234efgh",
			InferenceProfileARN:  "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abcd1234efgh",
			Models:               []InferenceProfileModel{{ModelARN: "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"}},
			Status:               "ACTIVE",
			Type:                 InferenceProfileApplication,
			CreatedAt:            time.Date(2025, 3, 1, 9, 30, 0, 123_000_000, time.UTC),
		}},
		NextToken: "def",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	rec2, srv2 := newRecorder(t, jsonOK(string(readTestdata(t, "controlplane/get_inference_profile.response.json"))))
	c2 := newTestClient(t, srv2.URL, srv2.Client())
	p, err := c2.GetInferenceProfile(context.Background(), "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abcd1234efgh")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "controlplane/get_inference_profile.request.txt", []byte(rec2.recorded()[0].dump()))
	if diff := cmp.Diff(&want.InferenceProfileSummaries[1], p); diff != "" {
		t.Errorf("GetInferenceProfile (-want +got):\n%s", diff)
	}
	if _, err := c2.GetInferenceProfile(context.Background(), ""); err == nil {
		t.Error("empty ID: no error")
	}
	if _, err := c2.ListInferenceProfiles(context.Background(), &ListInferenceProfilesInput{MaxResults: 5000}); err == nil {
		t.Error("MaxResults 5000: no error")
	}
}
