package client

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"time"
)

// The control plane (https://bedrock.{region}.amazonaws.com, signing name
// "bedrock" as for the runtime) answers the model catalog and inference
// profile operations below, and the batch job operations in batch.go.

// Values of the ListFoundationModels filters and of FoundationModel.
const (
	ModalityText      = "TEXT"
	ModalityImage     = "IMAGE"
	ModalityEmbedding = "EMBEDDING"

	InferenceOnDemand         = "ON_DEMAND"
	InferenceProvisioned      = "PROVISIONED"
	InferenceInferenceProfile = "INFERENCE_PROFILE" // reported, not a filter value

	CustomizationFineTuning           = "FINE_TUNING"
	CustomizationContinuedPreTraining = "CONTINUED_PRE_TRAINING"
	CustomizationDistillation         = "DISTILLATION"

	LifecycleActive = "ACTIVE"
	LifecycleLegacy = "LEGACY"
)

// Types of inference profile (InferenceProfile.Type and the
// ListInferenceProfiles filter).
const (
	InferenceProfileSystemDefined = "SYSTEM_DEFINED"
	InferenceProfileApplication   = "APPLICATION"
)

// FoundationModel describes a foundation model as ListFoundationModels and
// GetFoundationModel report it.
type FoundationModel struct {
	ModelARN     string `json:"modelArn"`
	ModelID      string `json:"modelId"`
	ModelName    string `json:"modelName,omitempty"`
	ProviderName string `json:"providerName,omitempty"`
	// InputModalities and OutputModalities hold ModalityText,
	// ModalityImage, ModalityEmbedding and others.
	InputModalities  []string `json:"inputModalities,omitempty"`
	OutputModalities []string `json:"outputModalities,omitempty"`
	// ResponseStreamingSupported is nil when the service does not say.
	ResponseStreamingSupported *bool    `json:"responseStreamingSupported,omitempty"`
	CustomizationsSupported    []string `json:"customizationsSupported,omitempty"`
	// InferenceTypesSupported holds InferenceOnDemand, InferenceProvisioned
	// and InferenceInferenceProfile.
	InferenceTypesSupported []string                  `json:"inferenceTypesSupported,omitempty"`
	ModelLifecycle          *FoundationModelLifecycle `json:"modelLifecycle,omitempty"`
}

// FoundationModelLifecycle is where a model is in its life.
type FoundationModelLifecycle struct {
	// Status is LifecycleActive or LifecycleLegacy.
	Status                   string    `json:"status"`
	StartOfLifeTime          time.Time `json:"startOfLifeTime,omitzero"`
	EndOfLifeTime            time.Time `json:"endOfLifeTime,omitzero"`
	LegacyTime               time.Time `json:"legacyTime,omitzero"`
	PublicExtendedAccessTime time.Time `json:"publicExtendedAccessTime,omitzero"`
}

// MarshalJSON writes the lifecycle in the service's shape.
func (l FoundationModelLifecycle) MarshalJSON() ([]byte, error) {
	type plain FoundationModelLifecycle
	return json.Marshal(struct {
		plain
		StartOfLifeTime          isoTime `json:"startOfLifeTime,omitzero"`
		EndOfLifeTime            isoTime `json:"endOfLifeTime,omitzero"`
		LegacyTime               isoTime `json:"legacyTime,omitzero"`
		PublicExtendedAccessTime isoTime `json:"publicExtendedAccessTime,omitzero"`
	}{plain(l), isoTime{l.StartOfLifeTime}, isoTime{l.EndOfLifeTime}, isoTime{l.LegacyTime}, isoTime{l.PublicExtendedAccessTime}})
}

// UnmarshalJSON reads the lifecycle from the service's shape.
func (l *FoundationModelLifecycle) UnmarshalJSON(b []byte) error {
	type plain FoundationModelLifecycle
	w := struct {
		*plain
		StartOfLifeTime          isoTime `json:"startOfLifeTime"`
		EndOfLifeTime            isoTime `json:"endOfLifeTime"`
		LegacyTime               isoTime `json:"legacyTime"`
		PublicExtendedAccessTime isoTime `json:"publicExtendedAccessTime"`
	}{plain: (*plain)(l)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	l.StartOfLifeTime, l.EndOfLifeTime = w.StartOfLifeTime.t, w.EndOfLifeTime.t
	l.LegacyTime, l.PublicExtendedAccessTime = w.LegacyTime.t, w.PublicExtendedAccessTime.t
	return nil
}

// ListFoundationModelsInput filters ListFoundationModels; empty members do
// not filter.
type ListFoundationModelsInput struct {
	// ByProvider is a provider name, e.g. "Amazon", "Anthropic", "Mistral AI".
	ByProvider string
	// ByCustomizationType is CustomizationFineTuning,
	// CustomizationContinuedPreTraining or CustomizationDistillation.
	ByCustomizationType string
	// ByOutputModality is ModalityText, ModalityImage or ModalityEmbedding.
	ByOutputModality string
	// ByInferenceType is InferenceOnDemand or InferenceProvisioned.
	ByInferenceType string
}

// ListFoundationModelsOutput is the result of ListFoundationModels (the
// operation has no pages).
type ListFoundationModelsOutput struct {
	ModelSummaries []FoundationModel `json:"modelSummaries"`
}

// ListFoundationModels lists the foundation models of the client's Region
// that pass the filters, as the Bedrock console and
// boto3's bedrock.list_foundation_models() show them.
func (c *Client) ListFoundationModels(ctx context.Context, in *ListFoundationModelsInput) (*ListFoundationModelsOutput, error) {
	const op = "ListFoundationModels"
	if in == nil {
		in = &ListFoundationModelsInput{}
	}
	var q listQuery
	q.str("byProvider", in.ByProvider)
	q.str("byCustomizationType", in.ByCustomizationType)
	q.str("byOutputModality", in.ByOutputModality)
	q.str("byInferenceType", in.ByInferenceType)
	out := new(ListFoundationModelsOutput)
	r := &request{op: op, method: "GET", path: "/foundation-models", query: q.q, service: serviceControlPlane}
	if _, err := c.sendJSON(ctx, r, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// GetFoundationModel returns the details of one foundation model, named by
// its model ID ("amazon.titan-text-express-v1") or ARN.
func (c *Client) GetFoundationModel(ctx context.Context, modelID string) (*FoundationModel, error) {
	const op = "GetFoundationModel"
	if modelID == "" {
		return nil, fmt.Errorf("bedrock %s: model ID is empty", op)
	}
	var out struct {
		ModelDetails *FoundationModel `json:"modelDetails"`
	}
	r := &request{op: op, method: "GET", path: "/foundation-models/" + escapeLabel(modelID), service: serviceControlPlane}
	h, err := c.sendJSON(ctx, r, nil, &out)
	if err != nil {
		return nil, err
	}
	if out.ModelDetails == nil {
		return nil, fmt.Errorf("bedrock %s: response has no modelDetails (request ID %s)", op, requestID(h))
	}
	return out.ModelDetails, nil
}

// InferenceProfile is a system-defined (cross-Region) or application
// inference profile.
type InferenceProfile struct {
	InferenceProfileName string `json:"inferenceProfileName"`
	Description          string `json:"description,omitempty"`
	// InferenceProfileID is what a call names the model with, e.g.
	// "us.anthropic.claude-3-5-haiku-20241022-v1:0".
	InferenceProfileID  string                  `json:"inferenceProfileId"`
	InferenceProfileARN string                  `json:"inferenceProfileArn"`
	Models              []InferenceProfileModel `json:"models"`
	// Status is "ACTIVE".
	Status string `json:"status"`
	// Type is InferenceProfileSystemDefined or InferenceProfileApplication.
	Type      string    `json:"type"`
	CreatedAt time.Time `json:"createdAt,omitzero"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
}

// InferenceProfileModel is a model an inference profile routes to.
type InferenceProfileModel struct {
	ModelARN string `json:"modelArn,omitempty"`
}

// MarshalJSON writes the profile in the service's shape.
func (p InferenceProfile) MarshalJSON() ([]byte, error) {
	type plain InferenceProfile
	return json.Marshal(struct {
		plain
		CreatedAt isoTime `json:"createdAt,omitzero"`
		UpdatedAt isoTime `json:"updatedAt,omitzero"`
	}{plain(p), isoTime{p.CreatedAt}, isoTime{p.UpdatedAt}})
}

// UnmarshalJSON reads the profile from the service's shape.
func (p *InferenceProfile) UnmarshalJSON(b []byte) error {
	type plain InferenceProfile
	w := struct {
		*plain
		CreatedAt isoTime `json:"createdAt"`
		UpdatedAt isoTime `json:"updatedAt"`
	}{plain: (*plain)(p)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	p.CreatedAt, p.UpdatedAt = w.CreatedAt.t, w.UpdatedAt.t
	return nil
}

// ListInferenceProfilesInput filters and pages ListInferenceProfiles.
type ListInferenceProfilesInput struct {
	// TypeEquals is InferenceProfileSystemDefined or
	// InferenceProfileApplication; empty lists both. (The query parameter is
	// "type".)
	TypeEquals string
	// MaxResults is the page size, 1 to 1000; 0 leaves it to the service.
	MaxResults int
	NextToken  string
}

// ListInferenceProfilesOutput is one page of ListInferenceProfiles.
type ListInferenceProfilesOutput struct {
	InferenceProfileSummaries []InferenceProfile `json:"inferenceProfileSummaries"`
	NextToken                 string             `json:"nextToken,omitempty"`
}

// ListInferenceProfiles returns one page of the inference profiles of the
// client's Region. To read them all, range over AllInferenceProfiles.
func (c *Client) ListInferenceProfiles(ctx context.Context, in *ListInferenceProfilesInput) (*ListInferenceProfilesOutput, error) {
	const op = "ListInferenceProfiles"
	if in == nil {
		in = &ListInferenceProfilesInput{}
	}
	var q listQuery
	q.maxResults(in.MaxResults)
	q.str("nextToken", in.NextToken)
	q.str("type", in.TypeEquals)
	if q.err != nil {
		return nil, fmt.Errorf("bedrock %s: %w", op, q.err)
	}
	out := new(ListInferenceProfilesOutput)
	r := &request{op: op, method: "GET", path: "/inference-profiles", query: q.q, service: serviceControlPlane}
	if _, err := c.sendJSON(ctx, r, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// AllInferenceProfiles returns an iterator over every inference profile in
// selects, page after page; see AllAsyncInvokes for how it ends.
func (c *Client) AllInferenceProfiles(ctx context.Context, in *ListInferenceProfilesInput) iter.Seq2[InferenceProfile, error] {
	var base ListInferenceProfilesInput
	if in != nil {
		base = *in
	}
	return paginate(ctx, "ListInferenceProfiles", base.NextToken, func(ctx context.Context, token string) ([]InferenceProfile, string, error) {
		page := base
		page.NextToken = token
		out, err := c.ListInferenceProfiles(ctx, &page)
		if err != nil {
			return nil, "", err
		}
		return out.InferenceProfileSummaries, out.NextToken, nil
	})
}

// GetInferenceProfile returns one inference profile, named by its ID
// ("us.anthropic.claude-3-5-haiku-20241022-v1:0") or ARN.
func (c *Client) GetInferenceProfile(ctx context.Context, id string) (*InferenceProfile, error) {
	const op = "GetInferenceProfile"
	if id == "" {
		return nil, fmt.Errorf("bedrock %s: inference profile ID is empty", op)
	}
	out := new(InferenceProfile)
	r := &request{op: op, method: "GET", path: "/inference-profiles/" + escapeLabel(id), service: serviceControlPlane}
	if _, err := c.sendJSON(ctx, r, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}
